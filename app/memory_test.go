package app

import (
	"context"
	"encoding/json"
	"errors"
	"github.com/engram-app/engram/derive"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/memory"
	"github.com/engram-app/engram/store"
)

func neighborNames(t *testing.T, a *App, name string, depth int) map[string]string {
	t.Helper()
	res, err := a.Neighbors(context.Background(), "", name, depth, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range res.Neighbors {
		out[n.Name] = n.Predicate
	}
	return out
}

func TestMemoryFeelingsReachTheGraph(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	res, err := a.MemoryAdd(ctx, "", "maya", "I feel anxious when my manager schedules last-minute meetings. My brother Theo lives in Leeds.", "")
	if err != nil || len(res.Degraded) > 0 {
		t.Fatalf("%+v %v", res, err)
	}
	user := neighborNames(t, a, "maya", 1)
	if user["anxiety"] != "FEELS" {
		t.Errorf("maya's neighbours %v lack FEELS anxiety", user)
	}
	emo := neighborNames(t, a, "anxiety", 1)
	if emo["my manager schedules last-minute meetings"] != "TRIGGERED_BY" {
		t.Errorf("anxiety's neighbours %v lack TRIGGERED_BY the trigger", emo)
	}
	if deep := neighborNames(t, a, "maya", 2); deep["Theo"] == "" || deep["Leeds"] == "" {
		t.Errorf("maya's 2-hop neighbours %v lack Theo and Leeds", deep)
	}
	// Forgetting the feeling takes its edges away.
	if _, err := a.MemoryAdd(ctx, "", "maya", "forget that I feel anxious when my manager schedules last-minute meetings", ""); err != nil {
		t.Fatal(err)
	}
	if user := neighborNames(t, a, "maya", 1); user["anxiety"] != "" {
		t.Errorf("FEELS anxiety survived the retraction: %v", user)
	}
}

func TestDeriveMemoryGraphRestoresMissingEdges(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	res, err := a.MemoryAdd(ctx, "", "maya", "Crowds make me nervous", "")
	if err != nil {
		t.Fatal(err)
	}
	// Drop the memory's contribution, as a graph rebuilt from documents
	// only (or a failed write) would leave it.
	w, release, err := a.acquireGraph("")
	if err != nil {
		t.Fatal(err)
	}
	if err := w.graph().Remove(ctx, []string{derive.MemoryID(res.Events[0].ID)}); err != nil {
		t.Fatal(err)
	}
	release()
	if _, err := a.Neighbors(ctx, "", "nervousness", 1, []string{"FEELS"}); err == nil {
		t.Fatal("edge still there")
	}
	if err := a.store.SetMemoryGraphPending("personal", true); err != nil {
		t.Fatal(err)
	}
	rep, err := a.Doctor(ctx, "", false)
	if err != nil || rep.OK {
		t.Fatalf("doctor did not report the pending edges: %+v %v", rep, err)
	}
	if _, err := a.Doctor(ctx, "", true); err != nil {
		t.Fatal(err)
	}
	if got := neighborNames(t, a, "nervousness", 1); got["maya"] != "FEELS" || got["Crowds"] != "TRIGGERED_BY" {
		t.Errorf("after repair nervousness has %v", got)
	}
	if rep, _ := a.Doctor(ctx, "", false); !rep.OK {
		t.Errorf("doctor after repair: %+v", rep)
	}
}

func TestContextPack(t *testing.T) {
	dir := t.TempDir()
	a := newTestApp(t, dir)
	ctx := context.Background()
	notes := filepath.Join(t.TempDir(), "notes")
	writeFiles(t, notes, map[string]string{"climbing.md": "# Climbing gyms\n\nThe bouldering gym in Oslo opens at nine on weekends.\n"})
	if _, err := a.Import(ctx, "", []string{notes}, nil); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"I love bouldering.", "I moved to Oslo last year.", "I feel anxious when my manager schedules last-minute meetings"} {
		if _, err := a.MemoryAdd(ctx, "", "maya", s, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.MemoryAdd(ctx, "", "sam", "I love sailing. I live in Cork.", ""); err != nil {
		t.Fatal(err)
	}
	p, err := a.Context(ctx, "", "maya", "bouldering on the weekend", 400)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(p)
	js := strings.ToLower(string(raw))
	for _, want := range []string{"bouldering", "oslo", "climbing"} {
		if !strings.Contains(js, want) {
			t.Errorf("context pack lacks %q: %s", want, raw)
		}
	}
	for _, leak := range []string{"sailing", "cork"} {
		if strings.Contains(js, leak) {
			t.Errorf("maya's context pack holds sam's %q", leak)
		}
	}
	feel, err := a.Context(ctx, "", "maya", "what makes me anxious", 400)
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := json.Marshal(feel.Entities); !strings.Contains(string(raw), "anxiety") || !strings.Contains(string(raw), "TRIGGERED_BY") {
		t.Errorf("entities of a question about feelings: %s", raw)
	}
	if len(p.Memories) == 0 || p.Memories[0].ID == "" || len(p.Passages) == 0 || p.Passages[0].ID == "" {
		t.Errorf("pack without citable memories or passages: %s", raw)
	}
	small, err := a.Context(ctx, "", "maya", "bouldering", 20)
	if err != nil {
		t.Fatal(err)
	}
	if small.Tokens > 20 || !small.Truncated {
		t.Errorf("a 20-token pack used %d tokens (truncated %v)", small.Tokens, small.Truncated)
	}
}

func TestMemoryUsersAndWorkspacesApart(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	if err := a.CreateWorkspace("work"); err != nil {
		t.Fatal(err)
	}
	mustAdd := func(ws, user, text string) {
		if _, err := a.MemoryAdd(ctx, ws, user, text, ""); err != nil {
			t.Fatal(err)
		}
	}
	mustAdd("", "maya", "I live in Oslo.")
	mustAdd("work", "maya", "I live in Lyon.")
	mustAdd("", "sam", "I live in Cork.")
	for _, tc := range []struct{ ws, user, want, not string }{
		{"", "maya", "Oslo", "Lyon Cork"}, {"work", "maya", "Lyon", "Oslo Cork"}, {"", "sam", "Cork", "Oslo Lyon"}, {"work", "sam", "", "Oslo Lyon Cork"},
	} {
		l, err := a.MemoryList(ctx, tc.ws, tc.user, true)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(l)
		if tc.want != "" && !strings.Contains(string(raw), tc.want) {
			t.Errorf("%s/%s lacks %s", tc.ws, tc.user, tc.want)
		}
		for _, n := range strings.Fields(tc.not) {
			if strings.Contains(string(raw), n) {
				t.Errorf("%s/%s shows %s", tc.ws, tc.user, n)
			}
		}
	}
	if _, err := a.MemoryAdd(ctx, "", "bad user", "I live in Oslo", ""); err == nil || !strings.Contains(err.Error(), store.ErrBadUser.Error()) {
		t.Errorf("bad user name: %v", err)
	}
	if _, err := a.MemoryList(ctx, "nope", "maya", false); err == nil {
		t.Error("a missing workspace was accepted")
	}
}

// BenchmarkContext: context packs for 10 users holding 1,000 memories each
// (with their graph), 16 concurrent clients; reports p50 and p99.
func BenchmarkContext(b *testing.B) {
	a := newTestApp(b, b.TempDir())
	ctx := context.Background()
	var users []string
	for u := range 10 {
		user := "user" + string(rune('a'+u))
		users = append(users, user)
		var msgs []memory.Message
		for i := range 1000 {
			var txt string
			switch i % 4 {
			case 0:
				txt = "I love hobby" + itoa(i)
			case 1:
				txt = "My friend Person" + itoa(i) + " lives in Town" + itoa(i%50)
			case 2:
				txt = "I feel anxious when meeting" + itoa(i) + " runs late"
			default:
				txt = "I plan to visit city" + itoa(i) + " next month"
			}
			msgs = append(msgs, memory.Message{Role: "user", Content: txt})
		}
		if _, err := a.MemoryAddConversation(ctx, "", user, msgs, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	qs := []string{"ideas for the weekend", "where does my friend live", "what makes me anxious"}
	lat := make([]time.Duration, b.N)
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	b.ResetTimer()
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				j := next
				next++
				mu.Unlock()
				if j >= b.N {
					return
				}
				t0 := time.Now()
				if _, err := a.Context(ctx, "", users[j%len(users)], qs[j%len(qs)], 1500); err != nil {
					b.Error(err)
				}
				lat[j] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestContextPackCache checks the cached context packs: the same question
// again is served from the cache, a write to the user's memories or a new
// document makes the next pack fresh, and no pack crosses users.
func TestContextPackCache(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	for _, x := range []struct{ user, text string }{{"maya", "I love bouldering."}, {"sam", "I love sailing."}} {
		if _, err := a.MemoryAdd(ctx, "", x.user, x.text, ""); err != nil {
			t.Fatal(err)
		}
	}
	ask := func(user, q string) string {
		t.Helper()
		p, err := a.Context(ctx, "", user, q, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.Question != q || p.User != user {
			t.Errorf("pack for %s/%q says %s/%q", user, q, p.User, p.Question)
		}
		raw, _ := json.Marshal(p)
		return strings.ToLower(string(raw))
	}
	if js := ask("maya", "What do I love?"); !strings.Contains(js, "bouldering") || strings.Contains(js, "sailing") {
		t.Fatalf("maya's pack: %s", js)
	}
	// The same question, normalised alike, for the other user: their own.
	if js := ask("sam", "what do I love"); !strings.Contains(js, "sailing") || strings.Contains(js, "bouldering") {
		t.Fatalf("sam's pack: %s", js)
	}
	// A write to maya's memories: her next pack has it; sam's is unchanged.
	if _, err := a.MemoryAdd(ctx, "", "maya", "I love kayaking.", ""); err != nil {
		t.Fatal(err)
	}
	if js := ask("maya", "what do I love?"); !strings.Contains(js, "kayaking") {
		t.Errorf("maya's pack after a write lacks it: %s", js)
	}
	if js := ask("sam", "What do I love?"); strings.Contains(js, "kayaking") || !strings.Contains(js, "sailing") {
		t.Errorf("sam's pack after maya's write: %s", js)
	}
	// A forgotten memory leaves the next pack.
	l, err := a.MemoryList(ctx, "", "maya", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range l.Memories {
		if strings.Contains(m.Text, "oulder") {
			if _, err := a.MemoryDelete(ctx, "", "maya", m.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if js := ask("maya", "What do I love?"); strings.Contains(js, "bouldering") {
		t.Errorf("maya's pack after the delete still has it: %s", js)
	}
	// A new document reaches the next pack of a question asked before.
	if js := ask("maya", "kayaking"); strings.Contains(js, "harbour") {
		t.Fatalf("a passage before the import: %s", js)
	}
	notes := filepath.Join(t.TempDir(), "notes")
	writeFiles(t, notes, map[string]string{"kayak.md": "# Kayak trip\n\nThe kayaking club meets at the harbour.\n"})
	if _, err := a.Import(ctx, "", []string{notes}, nil); err != nil {
		t.Fatal(err)
	}
	if js := ask("maya", "kayaking"); !strings.Contains(js, "harbour") {
		t.Errorf("pack after an import lacks the new document: %s", js)
	}
}

// TestConcurrentAddsShareGraphWrites adds from many clients at once (their
// graph writes are batched) and checks every memory reached the graph.
func TestConcurrentAddsShareGraphWrites(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	var wg sync.WaitGroup
	const n = 64
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := "user" + itoa(i%4)
			res, err := a.MemoryAdd(ctx, "", user, "I feel calm when I visit lake"+itoa(i), "")
			if err == nil && len(res.Degraded) > 0 {
				err = errors.New("degraded: " + strings.Join(res.Degraded, ","))
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	w, release, err := a.acquireGraph("")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := w.graph().Docs(ctx)
	release()
	if err != nil {
		t.Fatal(err)
	}
	var mems int
	for id := range docs {
		if isMemoryContribution(id) {
			mems++
		}
	}
	if mems != n {
		t.Errorf("%d memory contributions in the graph, want %d", mems, n)
	}
}

// The graph write behind an add gathers more adds before it starts, but no
// one waits for the gathering: a read of the graph makes the write start at
// once, and so does Close. The gathering here is the longest there is (1 s,
// from an hour asked for) and every step a minute's deadline, so a read or
// close that waited for it would still pass: the reads are also checked to
// come back before a second's gathering could have ended, which only
// cutting it short explains.
func TestReadsAndCloseDoNotWaitForTheGraphGathering(t *testing.T) {
	dir := t.TempDir()
	a, err := New(Config{DataDir: dir, MemoryGraphGather: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.cfg.MemoryGraphGather != time.Second {
		t.Fatalf("gathering %v, want an hour held to 1 s", a.cfg.MemoryGraphGather)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for i, c := range []struct{ text, feeling string }{
		{"I feel anxious when the printer jams.", "anxiety"},
		{"I feel calm when I walk by the river.", "calm"},
	} {
		if _, err := a.MemoryAdd(ctx, "", "maya", c.text, ""); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		res, err := a.Neighbors(ctx, "", "maya", 1, nil)
		if err != nil {
			t.Fatalf("add %d: the read waited for the gathering: %v", i, err)
		}
		found := false
		for _, n := range res.Neighbors {
			found = found || n.Name == c.feeling && n.Predicate == "FEELS"
		}
		if !found {
			t.Fatalf("add %d: maya's neighbours %+v lack FEELS %s", i, res.Neighbors, c.feeling)
		}
		if d := time.Since(start); d >= time.Second {
			t.Fatalf("add %d: the read took %v: it waited out the gathering instead of cutting it short", i, d)
		}
	}
	// An add nobody reads: Close writes it without waiting out the gathering.
	if _, err := a.MemoryAdd(ctx, "", "maya", "I feel happy when my garden blooms.", ""); err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	start := time.Now()
	go func() { closed <- a.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Fatal(err)
		}
	case <-ctx.Done():
		t.Fatal("Close waits for the graph write's gathering")
	}
	if d := time.Since(start); d >= time.Second {
		t.Fatalf("Close took %v: it waited out the gathering", d)
	}
	b := newTestApp(t, dir)
	if got := neighborNames(t, b, "maya", 1); got["happiness"] != "FEELS" {
		t.Errorf("after Close and reopening, maya's neighbours %v lack FEELS happiness", got)
	}
}

// A document rewritten and imported again is what the next context pack
// quotes, for a question asked before (the pack cache) and a new one (the
// documents packs read are cached too): never its old text. Both caches
// once kept it: the pack's by the number of documents, which an edit keeps.
func TestContextFollowsRewrittenDocuments(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	notes := filepath.Join(t.TempDir(), "notes")
	for i, c := range []struct{ body, want, gone string }{
		{"# Kayaks\n\nThe kayak club meets at the harbour on Tuesdays.\n", "harbour", ""},
		{"# Kayaks\n\nThe kayak club moved to the reservoir, Thursdays.\n", "reservoir", "harbour"},
	} {
		writeFiles(t, notes, map[string]string{"kayak.md": c.body})
		// A rewrite an import cannot take for the file it has.
		mtime := time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC)
		if err := os.Chtimes(filepath.Join(notes, "kayak.md"), mtime, mtime); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Import(ctx, "", []string{notes}, nil); err != nil {
			t.Fatal(err)
		}
		if res, err := a.Search(ctx, "", SearchRequest{Query: c.want}); err != nil || res.Total != 1 {
			t.Fatalf("import %d: search %q: %+v %v", i, c.want, res, err)
		}
		// Twice: the second pack is read from the cache the first filled.
		for j, q := range []string{"when does the kayak club meet", "kayak club meeting day"} {
			p, err := a.Context(ctx, "", "maya", q, 400)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := json.Marshal(p.Passages)
			if !strings.Contains(string(raw), c.want) || c.gone != "" && strings.Contains(string(raw), c.gone) {
				t.Errorf("import %d, pack %d: passages %s; want %q and not %q", i, j, raw, c.want, c.gone)
			}
		}
	}
}
