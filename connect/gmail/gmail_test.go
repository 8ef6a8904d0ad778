package gmail_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/connect/connecttest"
	"github.com/engram-app/engram/connect/gmail"
	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/eml"
	"github.com/engram-app/engram/ingest/ingesttest"
)

// fixedToken hands out one access token issued by the fake AS.
type fixedToken struct{ tok string }

func (f fixedToken) Token(context.Context) (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: f.tok}, nil
}
func (fixedToken) Invalidate(string) {}

// issue signs in to the AS directly and returns an access token.
func issue(t testing.TB, as *connecttest.AS) string {
	t.Helper()
	cfg := &oauth2.Config{ClientID: as.ClientID, RedirectURL: "http://127.0.0.1:9/oauth2/callback",
		Endpoint: oauth2.Endpoint{AuthURL: as.AuthURL(), TokenURL: as.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}}
	v := oauth2.GenerateVerifier()
	loc, err := connecttest.Approve(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)))
	if err != nil {
		t.Fatal(err)
	}
	code := loc[strings.Index(loc, "code=")+5:]
	code, _, _ = strings.Cut(code, "&")
	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

func message(n int) []byte {
	return fmt.Appendf(nil, "From: Alice Example <alice@example.com>\r\nTo: bob@example.com\r\nSubject: Report %d\r\nMessage-ID: <m%d@example.com>\r\nDate: Mon, 2 Jan 2023 15:04:05 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nQuarterly figures number %d, zebra%d.\r\n", n, n, n, n)
}

type env struct {
	as   *connecttest.AS
	g    *connecttest.Gmail
	sink *ingesttest.MemSink
	conn *gmail.Connector

	mu     sync.Mutex
	cursor json.RawMessage
	total  api.Counts
	saves  int
}

func newEnv(t *testing.T, n int) *env {
	as := connecttest.NewAS("engram")
	t.Cleanup(as.Close)
	g := connecttest.NewGmail(as, "me@example.com")
	t.Cleanup(g.Close)
	g.AddLabel("Label_1", "Projects/Atlas")
	for i := range n {
		g.Add(message(i), "INBOX")
	}
	e := &env{as: as, g: g, sink: ingesttest.NewMemSink()}
	e.conn = &gmail.Connector{
		API:      &api.Client{Tokens: fixedToken{issue(t, as)}, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		Base:     g.URL(),
		Parser:   eml.New(),
		PageSize: 100,
	}
	return e
}

func (e *env) run(ctx context.Context, progress func(api.Counts)) error {
	e.mu.Lock()
	cur := e.cursor
	e.mu.Unlock()
	return e.conn.Sync(ctx, api.Run{
		Sink:   e.sink,
		Cursor: cur,
		Limits: ingest.DefaultLimits(),
		Save: func(c any, n api.Counts) error {
			raw, err := json.Marshal(c)
			if err != nil {
				return err
			}
			e.mu.Lock()
			e.cursor = raw
			e.total.Add(n)
			e.saves++
			e.mu.Unlock()
			return nil
		},
		Progress: progress,
	})
}

func (e *env) doc(t *testing.T, n int) (document.Document, bool) {
	d, ok := e.sink.Docs[document.MessageDocID(fmt.Sprintf("<m%d@example.com>", n))]
	return d, ok
}

// TestFullThenIncremental: 5,000 messages sync in full, then two new, one
// deleted and one relabelled sync incrementally, by history.
func TestFullThenIncremental(t *testing.T) {
	e := newEnv(t, 5000)
	if err := e.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(e.sink.Docs) != 5000 || e.total.Added != 5000 {
		t.Fatalf("%d documents (%d added), want 5000", len(e.sink.Docs), e.total.Added)
	}
	d, ok := e.doc(t, 4321)
	if !ok || d.Source != document.SourceEmail || !slices.Contains(d.Tags, "inbox") || !strings.Contains(d.Body, "zebra4321") {
		t.Fatalf("message 4321: %+v", d)
	}
	if !strings.HasPrefix(d.Path, "https://mail.google.com/mail/u/me@example.com/#all/") {
		t.Fatalf("path %s", d.Path)
	}

	before := len(e.g.Requests())
	e.g.Add(message(5000), "INBOX")
	e.g.Add(message(5001), "INBOX", "Label_1")
	ids := gmailIDs(t, e)
	e.g.Delete(ids[10])
	e.g.Relabel(ids[20], []string{"Label_1", "IMPORTANT"}, []string{"INBOX"})
	e.total = api.Counts{}
	if err := e.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if got := len(e.g.Requests()) - before; got > 10 {
		t.Fatalf("the incremental sync made %d requests; it should read the history, not list again", got)
	}
	if e.total.Added != 2 || e.total.Removed != 1 || e.total.Updated != 1 {
		t.Fatalf("incremental counts %+v, want 2 added, 1 removed, 1 updated", e.total)
	}
	if len(e.sink.Docs) != 5001 {
		t.Fatalf("%d documents, want 5001", len(e.sink.Docs))
	}
	if _, ok := e.doc(t, 10); ok {
		t.Fatal("the deleted message is still there")
	}
	if d, _ := e.doc(t, 20); !slices.Equal(d.Tags, []string{"important", "projects/atlas"}) {
		t.Fatalf("relabelled message tags %v", d.Tags)
	}
	if d, _ := e.doc(t, 5001); !slices.Contains(d.Tags, "projects/atlas") {
		t.Fatalf("new message tags %v", d.Tags)
	}
}

// gmailIDs maps message number to Gmail ID through the synced documents.
func gmailIDs(t *testing.T, e *env) map[int]string {
	out := map[int]string{}
	for _, d := range e.sink.Docs {
		var n int
		if _, err := fmt.Sscanf(d.Title, "Report %d", &n); err == nil {
			out[n] = d.Meta["gmail_id"]
		}
	}
	return out
}

// TestKilledMidSyncResumes: the sync stops between pages (cancelled after its
// third page, and again four pages later) and each rerun goes on from the
// saved page; every message ends up exactly once, and no page before the
// stop is listed again.
func TestKilledMidSyncResumes(t *testing.T) {
	e := newEnv(t, 1000)
	for _, stopAt := range []int{3, 4} {
		ctx, cancel := context.WithCancel(context.Background())
		pages := 0
		err := e.run(ctx, func(api.Counts) {
			if pages++; pages == stopAt {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stop at page %d: %v", stopAt, err)
		}
	}
	mid := len(e.sink.Docs)
	if mid == 0 || mid >= 1000 {
		t.Fatalf("%d documents after the stops", mid)
	}
	listed := map[string]int{}
	for _, r := range e.g.Requests() {
		if strings.Contains(r.Path, "/messages?") {
			listed[r.Path]++
		}
	}
	if err := e.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(e.sink.Docs) != 1000 || e.total.Added != 1000 {
		t.Fatalf("%d documents, %d added in all; want 1000 exactly once", len(e.sink.Docs), e.total.Added)
	}
	for _, r := range e.g.Requests() {
		if strings.Contains(r.Path, "/messages?") {
			listed[r.Path]++
		}
	}
	for p, n := range listed {
		if n > 2 {
			t.Fatalf("page %s listed %d times", p, n)
		}
	}
}

// TestRetryAfterIsHonoured: after a 429 with Retry-After: 7, no request
// reaches the server before 7 seconds passed on the client's clock.
func TestRetryAfterIsHonoured(t *testing.T) {
	e := newEnv(t, 30)
	clk := &fakeClock{t: time.Unix(1700000000, 0)}
	e.g.Now = clk.Now
	e.conn.API.Now = clk.Now
	e.conn.API.Sleep = func(_ context.Context, d time.Duration) error { clk.Add(d); return nil }
	e.conn.Workers = 1
	e.g.RateLimit(7, 3)
	if err := e.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	reqs := e.g.Requests()
	if reqs[0].Status != http.StatusTooManyRequests || reqs[1].Status != http.StatusTooManyRequests {
		t.Fatalf("first answers %d %d, want 429s", reqs[0].Status, reqs[1].Status)
	}
	if gap := reqs[1].At.Sub(reqs[0].At); gap < 7*time.Second {
		t.Fatalf("second request %v after the first 429 (Retry-After: 7)", gap)
	}
	if gap := reqs[2].At.Sub(reqs[1].At); gap < 3*time.Second {
		t.Fatalf("third request %v after the second 429 (Retry-After: 3)", gap)
	}
	if len(e.sink.Docs) != 30 {
		t.Fatalf("%d documents, want 30", len(e.sink.Docs))
	}
}

func TestHistoryTooOldResyncsAndRemoves(t *testing.T) {
	e := newEnv(t, 250)
	if err := e.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	ids := gmailIDs(t, e)
	e.g.Delete(ids[3])
	e.g.Add(message(250))
	e.g.ForgetHistory()
	if err := e.run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(e.sink.Docs) != 250 {
		t.Fatalf("%d documents, want 250", len(e.sink.Docs))
	}
	if _, ok := e.doc(t, 3); ok {
		t.Fatal("a message deleted while the history was lost survived the resync")
	}
	if _, ok := e.doc(t, 250); !ok {
		t.Fatal("a message added while the history was lost is missing")
	}
}

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
