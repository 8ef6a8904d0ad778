package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/connect/connecttest"
)

// syncBuffer is a bytes.Buffer safe to read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestConnectSyncKilledResumesExactlyOnce: `engram connect gmail
// --no-browser` prints the address and completes when the browser (the fake
// AS) comes back; `engram sync gmail` is killed (SIGKILL) mid-sync and run
// again: every message is there once, store, index and graph agree, and no
// token is in the data directory or the output.
func TestConnectSyncKilledResumesExactlyOnce(t *testing.T) {
	const n = 3000
	as := connecttest.NewAS("engram-cli")
	defer as.Close()
	g := connecttest.NewGmail(as, "dana@example.org")
	defer g.Close()
	for i := range n {
		g.Add(fmt.Appendf(nil, "From: a@example.org\r\nSubject: item %d\r\nMessage-ID: <i%d@example.org>\r\n\r\nMarker gm%05dq.\r\n", i, i, i))
	}
	data := t.TempDir()
	t.Setenv("ENGRAM_SECRETS_PASSPHRASE", "cli test")
	for _, kv := range [][2]string{
		{"secrets.store", "file"},
		{"connect.gmail.auth_url", as.AuthURL()}, {"connect.gmail.token_url", as.TokenURL()},
		{"connect.gmail.api_base", g.URL()}, {"connect.gmail.client_id", as.ClientID},
	} {
		if r := engram(t, "--data", data, "config", "set", kv[0], kv[1]); r.code != 0 {
			t.Fatalf("config set %s: %s", kv[0], r.stderr)
		}
	}
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"--data", data, "connect", "gmail", "--no-browser"}, strings.NewReader(""), &out, &errb)
	}()
	authURL := regexp.MustCompile(`http://127\.0\.0\.1:\d+/authorize\?\S+`)
	var loc string
	for deadline := time.Now().Add(10 * time.Second); loc == ""; {
		if u := authURL.FindString(errb.String()); u != "" {
			var err error
			if loc, err = connecttest.Approve(u); err != nil {
				t.Fatal(err)
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("no sign-in address printed: %s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if code, err := connecttest.Visit(loc); err != nil || code != 200 {
		t.Fatalf("callback: %d %v", code, err)
	}
	if code := <-done; code != 0 || !strings.Contains(out.String(), "connected gmail as dana@example.org") {
		t.Fatalf("connect: %d %s %s", code, out.String(), errb.String())
	}

	exe, _ := os.Executable()
	cmd := exec.Command(exe, "--data", data, "sync", "gmail")
	cmd.Env = append(os.Environ(), "ENGRAM_TEST_AS_CLI=1")
	var childOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &childOut, &childOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	killed := false
wait:
	for {
		select {
		case <-exited:
			break wait
		case <-time.After(5 * time.Millisecond):
			if len(g.Requests()) > n/3 {
				cmd.Process.Kill()
				<-exited
				killed = true
				break wait
			}
		}
	}
	if !killed {
		t.Fatal("the sync finished before it could be killed; make the mailbox larger")
	}
	r := engram(t, "--data", data, "sync", "--json", "gmail")
	if r.code != 0 {
		t.Fatalf("resumed sync: %s", r.stderr)
	}
	var st struct{ Documents, Indexed int }
	if r = engram(t, "--data", data, "stats", "--json"); json.Unmarshal([]byte(r.stdout), &st) != nil || st.Documents != n || st.Indexed != n {
		t.Fatalf("after the resumed sync: %s", r.stdout)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		if r = engram(t, "--data", data, "search", "--json", fmt.Sprintf("gm%05dq", i)); !strings.Contains(r.stdout, `"total": 1,`) {
			t.Fatalf("message %d: %s", i, r.stdout)
		}
	}
	if r = engram(t, "--data", data, "doctor", "--json"); r.code != 0 {
		t.Fatalf("doctor: %s", r.stdout)
	}
	logs := out.String() + errb.String() + childOut.String() + r.stdout
	err := filepath.WalkDir(data, func(p string, d os.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a segment the index's merger retired meanwhile
		}
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		for _, tok := range as.Issued() {
			if bytes.Contains(b, []byte(tok)) {
				t.Errorf("a token is in %s", p)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range as.Issued() {
		if strings.Contains(logs, tok) {
			t.Error("a token is in the command output")
		}
	}
}
