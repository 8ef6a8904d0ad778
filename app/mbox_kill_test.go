package app

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/bench/corpus"
	"github.com/engram-app/engram/ingest"
)

// killChildEnv makes the test binary the child TestImportResumesAfterKill
// kills: it imports the mbox in the directory named, says when the first
// batch committed and waits there to be killed.
const killChildEnv = "ENGRAM_TEST_KILL_CHILD"

// TestImportResumesAfterKill imports a generated mbox in a child process,
// kills it with SIGKILL once a checkpoint inside the file is committed,
// and imports again: every message of the file is in the store exactly
// once, and the second import started inside the file.
func TestImportResumesAfterKill(t *testing.T) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(t, dir)
		return
	}
	dir := t.TempDir()
	mbox := filepath.Join(dir, "takeout.mbox")
	f, err := os.Create(mbox)
	if err != nil {
		t.Fatal(err)
	}
	st, err := corpus.GenerateMbox(f, corpus.MboxOptions{Bytes: 12 << 20, Seed: 5})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	want := messageIDs(t, mbox)
	if len(want) != st.Messages || st.Messages < 3*500 {
		t.Fatalf("generated %d messages, %d Message-IDs: want distinct ones, several batches' worth", st.Messages, len(want))
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestImportResumesAfterKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed := ""
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "committed ") {
			committed = line
			break
		}
	}
	_ = cmd.Process.Kill() // SIGKILL
	_ = cmd.Wait()
	if committed == "" {
		t.Fatalf("the child never committed a batch: %s", stderr.String())
	}

	a := newTestApp(t, filepath.Join(dir, "data"))
	rec, ok, err := a.store.File(DefaultWorkspace, mbox)
	if err != nil || !ok || rec.Offset <= 0 || rec.Offset >= int64(st.Bytes) || !rec.Streamed || rec.Docs == 0 {
		t.Fatalf("after the kill (%s): record %+v, %v, %v: want a checkpoint inside the file", committed, rec, ok, err)
	}
	res, err := a.Import(context.Background(), "", []string{mbox}, nil)
	if err != nil || res.Failed != 0 || len(res.Errors) != 0 {
		t.Fatalf("second import: %+v, %v", res, err)
	}
	if res.Imported >= st.Messages || res.Imported < st.Messages-rec.Docs {
		t.Errorf("second import imported %d of %d with %d listed at the checkpoint: want it to start at the checkpoint", res.Imported, st.Messages, rec.Docs)
	}
	t.Logf("%d messages; killed after %s; checkpoint at byte %d of %d with %d listed; the second import added %d", st.Messages, committed, rec.Offset, st.Bytes, rec.Docs, res.Imported)
	ids, err := a.store.FileDocIDs(DefaultWorkspace, mbox)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := a.store.Documents(DefaultWorkspace, ids)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, d := range docs {
		got["<"+d.MessageID+">"]++
	}
	var missing, twice []string
	for id := range want {
		switch got[id] {
		case 0:
			missing = append(missing, id)
		case 1:
		default:
			twice = append(twice, id)
		}
	}
	stats, err := a.Stats(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 || len(twice) > 0 || len(docs) != len(want) || stats.Documents != len(want) {
		t.Fatalf("%d messages: the store holds %d documents (%d listed for the file); %d missing (%.3v), %d twice (%.3v)", len(want), stats.Documents, len(docs), len(missing), missing, len(twice), twice)
	}
	if rec, _, _ := a.store.File(DefaultWorkspace, mbox); rec.Offset != 0 || rec.Hash == "" || rec.Docs != len(want) {
		t.Errorf("final record %+v", rec)
	}
	// The index and the graph agree with the store.
	if rep, err := a.Doctor(context.Background(), "", false); err != nil || !rep.OK {
		t.Errorf("doctor after the resumed import: %+v, %v", rep, err)
	}
}

// killChild is the child's side: import, and stop for good once a batch
// inside the file is committed.
func killChild(t *testing.T, dir string) {
	a := newTestApp(t, filepath.Join(dir, "data"))
	said := false
	_, err := a.Import(context.Background(), "", []string{filepath.Join(dir, "takeout.mbox")}, func(p ingest.Progress) {
		if p.Imported > 0 && !said {
			said = true
			fmt.Printf("committed %d\n", p.Imported)
			select {} // wait to be killed, the next batch perhaps half written
		}
	})
	t.Fatalf("the import ended (%v) before it was killed", err)
}

// messageIDs reads the Message-ID header of every message of an mbox.
func messageIDs(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ids := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	inHead := false
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "From "):
			inHead = true
		case l == "":
			inHead = false
		case inHead && strings.HasPrefix(l, "Message-ID: "):
			ids[strings.TrimPrefix(l, "Message-ID: ")] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestMaxMessagesSetting: import.max_messages cuts a mailbox, and the cut
// is listed on the file.
func TestMaxMessagesSetting(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	if err := a.SetSetting(SettingMaxMessages, "0"); err == nil {
		t.Fatal("import.max_messages 0 was accepted")
	}
	if err := a.SetSetting(SettingMaxMessages, "2"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var b strings.Builder
	for i := range 3 {
		fmt.Fprintf(&b, "From a@example.org Mon Jan  1 10:0%d:00 2001\nFrom: a@example.org\nSubject: m%d\nMessage-ID: <m%d@example.org>\n\nbody %d\n\n", i, i, i, i)
	}
	writeFiles(t, dir, map[string]string{"three.mbox": b.String()})
	res, err := a.Import(context.Background(), "", []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 2 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error, "more than 2 messages") {
		t.Fatalf("import: %+v: want 2 messages and the cut listed", res)
	}
}
