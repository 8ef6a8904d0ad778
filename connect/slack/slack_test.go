package slack_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/connect/connecttest"
	"github.com/engram-app/engram/connect/slack"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/ingesttest"
)

type token struct{ s string }

func (t token) Token(context.Context) (*oauth2.Token, error) {
	return &oauth2.Token{AccessToken: t.s}, nil
}
func (token) Invalidate(string) {}

func issue(t testing.TB, as *connecttest.AS) string {
	t.Helper()
	cfg := &oauth2.Config{ClientID: as.ClientID, RedirectURL: "http://127.0.0.1:9/oauth2/callback",
		Endpoint: oauth2.Endpoint{AuthURL: as.AuthURL(), TokenURL: as.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}}
	v := oauth2.GenerateVerifier()
	loc, err := connecttest.Approve(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v)))
	if err != nil {
		t.Fatal(err)
	}
	code, _, _ := strings.Cut(loc[strings.Index(loc, "code=")+5:], "&")
	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// TestPagesThreadsAndResume: a channel of 9 messages (one with 3 replies)
// read 2 a page; the sync is stopped after its second page and resumed,
// and every message is there once, replies linked to their thread.
func TestPagesThreadsAndResume(t *testing.T) {
	as := connecttest.NewAS("engram")
	defer as.Close()
	sl := connecttest.NewSlack(as, "acme")
	defer sl.Close()
	sl.AddUser("U1", "Ada Lovelace", "ada@acme.test")
	sl.AddChannel("C1", "general")
	for i := range 9 {
		sl.Post("C1", "U1", fmt.Sprintf("17000000%02d.000100", i), fmt.Sprintf("message %d about gears", i), "")
	}
	for i := range 3 {
		sl.Post("C1", "U1", fmt.Sprintf("17000001%02d.000100", i), fmt.Sprintf("reply %d", i), "1700000004.000100")
	}
	sl.RateLimit(2)
	var slept []time.Duration
	clock := time.Unix(1700000000, 0)
	conn := &slack.Connector{
		API: &api.Client{Tokens: token{issue(t, as)}, Now: func() time.Time { return clock },
			Sleep: func(_ context.Context, d time.Duration) error {
				slept, clock = append(slept, d), clock.Add(d)
				return nil
			}},
		Base: sl.URL(),
	}
	sink := ingesttest.NewMemSink()
	var cursor json.RawMessage
	added := 0
	run := func(ctx context.Context, progress func(api.Counts)) error {
		return conn.Sync(ctx, api.Run{Sink: sink, Cursor: cursor, Limits: ingest.DefaultLimits(), Progress: progress,
			Save: func(c any, n api.Counts) error {
				raw, err := json.Marshal(c)
				cursor, added = raw, added+n.Added
				return err
			}})
	}
	ctx, cancel := context.WithCancel(context.Background())
	pages := 0
	err := run(ctx, func(api.Counts) {
		if pages++; pages == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped sync: %v", err)
	}
	if len(slept) != 1 || slept[0] < 2*time.Second {
		t.Fatalf("%d waits (first %v), want one of the Retry-After 2 s", len(slept), slept[:min(len(slept), 1)])
	}
	if err := run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if len(sink.Docs) != 12 || added != 12 {
		t.Fatalf("%d documents, %d added; want 12 once each", len(sink.Docs), added)
	}
	replies := 0
	for _, d := range sink.Docs {
		if d.Meta["thread_ts"] == "1700000004.000100" {
			replies++
			if d.InReplyTo == "" || !strings.HasPrefix(d.Path, "https://acme.slack.com/archives/C1/p") {
				t.Fatalf("reply %+v", d)
			}
		}
	}
	if replies != 3 {
		t.Fatalf("%d replies in the thread, want 3", replies)
	}
	// Nothing new: the next sync adds nothing.
	added = 0
	if err := run(context.Background(), nil); err != nil || added != 0 {
		t.Fatalf("idle sync added %d (%v)", added, err)
	}
}
