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

// TestDeletionsAndEditsInTheRecheckWindow: messages a day apart over ten
// days, a 3-day recheck window. After a first sync, a message, a reply and
// a thread parent (which Slack keeps as a tombstone for its replies) inside
// the window are deleted and one message is edited; one message older than
// the window is deleted too. The next sync removes the three, updates the
// edit, keeps the tombstone's replies, and (as documented) cannot see the
// old deletion. A sync killed mid-way and resumed judges the same.
func TestDeletionsAndEditsInTheRecheckWindow(t *testing.T) {
	for _, killed := range []bool{false, true} {
		t.Run(fmt.Sprintf("killed mid-way %v", killed), func(t *testing.T) {
			as := connecttest.NewAS("engram")
			defer as.Close()
			sl := connecttest.NewSlack(as, "acme")
			defer sl.Close()
			sl.PageSize = 2
			sl.AddUser("U1", "Ada Lovelace", "ada@acme.test")
			sl.AddChannel("C1", "general")
			day := func(d int) string { return fmt.Sprintf("%d.000100", 1700000000+d*86400) }
			for d := range 10 {
				sl.Post("C1", "U1", day(d), fmt.Sprintf("message of day %d about gears", d), "")
			}
			sl.Post("C1", "U1", fmt.Sprintf("%d.000200", 1700000000+8*86400), "reply one", day(8))
			sl.Post("C1", "U1", fmt.Sprintf("%d.000300", 1700000000+8*86400), "reply two", day(8))
			sl.Post("C1", "U1", fmt.Sprintf("%d.000200", 1700000000+7*86400), "reply to seven", day(7))
			conn := &slack.Connector{API: &api.Client{Tokens: token{issue(t, as)}}, Base: sl.URL(), Recheck: 3 * 24 * time.Hour}
			sink := ingesttest.NewMemSink()
			var cursor json.RawMessage
			var total api.Counts
			run := func(ctx context.Context, progress func(api.Counts)) error {
				return conn.Sync(ctx, api.Run{Sink: sink, Cursor: cursor, Limits: ingest.DefaultLimits(), Progress: progress,
					Save: func(c any, n api.Counts) error {
						raw, err := json.Marshal(c)
						cursor = raw
						total.Add(n)
						return err
					}})
			}
			if err := run(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			if len(sink.Docs) != 13 {
				t.Fatalf("first sync: %d documents, want 13", len(sink.Docs))
			}
			sl.Delete("C1", day(9))                                       // in the window
			sl.Delete("C1", fmt.Sprintf("%d.000200", 1700000000+8*86400)) // a reply in the window
			sl.Delete("C1", day(7))                                       // a thread parent: a tombstone
			sl.Edit("C1", day(8), "message of day 8 about sprockets")
			sl.Delete("C1", day(2)) // before the window: not seen
			total = api.Counts{}
			if killed {
				ctx, cancel := context.WithCancel(context.Background())
				pages := 0
				err := run(ctx, func(api.Counts) {
					if pages++; pages == 1 {
						cancel()
					}
				})
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("stopped sync: %v", err)
				}
			}
			if err := run(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			texts := map[string]bool{}
			for _, d := range sink.Docs {
				texts[d.Body] = true
			}
			for _, gone := range []string{"message of day 9 about gears", "reply one", "message of day 7 about gears", "message of day 8 about gears"} {
				if texts[gone] {
					t.Errorf("%q is still in the workspace", gone)
				}
			}
			for _, kept := range []string{"message of day 8 about sprockets", "reply two", "reply to seven", "message of day 6 about gears", "message of day 2 about gears", "message of day 0 about gears"} {
				if !texts[kept] {
					t.Errorf("%q is missing", kept)
				}
			}
			if total.Removed != 3 || len(sink.Docs) != 10 {
				t.Fatalf("removed %d, %d documents left; want 3 removed, 10 left: %v", total.Removed, len(sink.Docs), texts)
			}
		})
	}
}
