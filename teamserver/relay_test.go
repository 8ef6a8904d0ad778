package teamserver_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/teamserver"
)

// TestRelay: a desktop registers its connector sign-in's state on one
// instance; the browser comes back to the relay on another; the desktop
// takes the query once. Replayed, unknown and expired states fail on
// every instance, and another user cannot take the query.
func TestRelay(t *testing.T) {
	c, s := setup(t, 2)
	ctx := context.Background()
	_, ann, _ := s[0].NewSession(ctx, "https://idp.test", "ann", "ann@example.org", "", time.Hour)
	_, bob, _ := s[0].NewSession(ctx, "https://idp.test", "bob", "bob@example.org", "", time.Hour)
	h := []*httptest.Server{httptest.NewServer(s[0].Handler()), httptest.NewServer(s[1].Handler())}
	for _, hs := range h {
		defer hs.Close()
	}
	browse := func(i int, query string) (int, string) {
		t.Helper()
		res, err := http.Get(h[i].URL + teamserver.RelayPath + "?" + query)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	const state = "s-0123456789abcdef0123456789abcdef"
	if err := s[0].RelayBegin(ctx, ann, state); err != nil {
		t.Fatal(err)
	}
	if err := s[1].RelayBegin(ctx, ann, "short"); err == nil {
		t.Error("a short state was registered")
	}
	if res, err := s[1].RelayTake(ctx, ann, state); err != nil || !res.Waiting || res.Query != "" {
		t.Fatalf("before the browser came back: %+v %v", res, err)
	}
	if code, page := browse(1, "code=the-code&state="+state); code != 200 || !strings.Contains(page, "Signed in") {
		t.Fatalf("the relay: %d %s", code, page)
	}
	if code, _ := browse(0, "code=another&state="+state); code != 400 {
		t.Errorf("a replayed callback: %d", code)
	}
	if code, _ := browse(0, "code=x&state=unknown-0123456789abcdef"); code != 400 {
		t.Errorf("an unknown state: %d", code)
	}
	if code, _ := browse(0, "code=x"); code != 400 {
		t.Errorf("no state: %d", code)
	}
	if _, err := s[0].RelayTake(ctx, bob, state); !errors.Is(err, teamserver.ErrNotFound) {
		t.Errorf("bob taking ann's sign-in: %v", err)
	}
	res, err := s[0].RelayTake(ctx, ann, state)
	if err != nil || res.Waiting || res.Query != "code=the-code&state="+state {
		t.Fatalf("ann taking it: %+v %v", res, err)
	}
	if _, err := s[1].RelayTake(ctx, ann, state); !errors.Is(err, teamserver.ErrNotFound) {
		t.Errorf("taking it twice: %v", err)
	}
	// Expired: the callback and the take both fail.
	const old = "old-0123456789abcdef0123456789abcdef"
	if err := s[0].RelayBegin(ctx, ann, old); err != nil {
		t.Fatal(err)
	}
	mustExec(t, superConn(t, c), `UPDATE relay_flows SET expires = now() - interval '1 second'`)
	if code, _ := browse(1, "code=late&state="+old); code != 400 {
		t.Errorf("an expired sign-in's callback: %d", code)
	}
	if _, err := s[0].RelayTake(ctx, ann, old); !errors.Is(err, teamserver.ErrNotFound) {
		t.Errorf("taking an expired sign-in: %v", err)
	}
	var n int
	if err := superConn(t, c).QueryRow(ctx, `SELECT count(*) FROM relay_flows`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d relay rows left; the expired one is purged at the next callback", n)
	}
}
