package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/internal/changes"
	"github.com/engram-app/engram/web"
)

// An /api/events client sees a memory added through the container (as MCP
// and the CLI add them, through the owning process) as a change event, and
// a client without the token gets nothing.
func TestEventStreamSeesMemoryAdded(t *testing.T) {
	s, a := newServer(t)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close() // ends the stream, so ts.Close does not wait for it
		ts.Close()
	})

	if res, err := http.Get(ts.URL + "/api/events"); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without the token: %v %v", res.Status, err)
	}

	// The deadline only keeps a broken stream from hanging the test.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/api/events", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("%s %s", res.Status, res.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(res.Body)
	// The preamble is written after the subscription: from here on
	// nothing is missed.
	start := a.ChangesVersion()
	for lines.Scan() && lines.Text() != "event: hello" {
	}
	var hello struct{ Version uint64 }
	for lines.Scan() && lines.Text() != "" {
		if v, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
			if err := json.Unmarshal([]byte(v), &hello); err != nil {
				t.Fatal(err)
			}
		}
	}
	if hello.Version != start {
		t.Fatalf("hello says version %d, the feed is at %d", hello.Version, start)
	}
	ev, err := a.MemoryAdd(context.Background(), "", "", "I live in Tromsø.", "mcp")
	if err != nil || len(ev.Events) != 1 {
		t.Fatalf("%+v %v", ev, err)
	}
	var got changes.Event
	var name string
	for lines.Scan() {
		l := lines.Text()
		if v, ok := strings.CutPrefix(l, "event: "); ok {
			name = v
		}
		if v, ok := strings.CutPrefix(l, "data: "); ok {
			if err := json.Unmarshal([]byte(v), &got); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	if name != "change" || got.Kind != changes.Memory || got.Version != start+1 || got.User != app.LocalUser ||
		len(got.IDs) != 1 || got.IDs[0] != ev.Events[0].ID {
		t.Fatalf("event %q %+v, want a memory change of %s at version %d", name, got, ev.Events[0].ID, start+1)
	}
}

// The review routes: search as of a date answers from valid time, confirm
// and undo write versions, an undo that is not the latest is a 409, and a
// bad date a 400.
func TestMemoryReviewAPI(t *testing.T) {
	a, err := app.New(app.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	s, err := web.New(a, web.Options{Token: testToken, UI: testUI, ErrorLog: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if _, err := a.MemoryAdd(ctx, "", "maya", "I live in Utrecht.", ""); err != nil {
		t.Fatal(err)
	}
	up, err := a.MemoryAdd(ctx, "", "maya", "I moved to Aarhus in April.", "")
	if err != nil || len(up.Events) != 1 {
		t.Fatalf("%+v %v", up, err)
	}
	send := func(method, target, body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, target, strings.NewReader(body))
		r.Host = testHost
		r.Header.Set("Authorization", "Bearer "+testToken)
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	w := get(s, "/api/memories/search?user=maya&q=where+did+I+live&as_of=2026-01-15", bearer)
	then := decode[app.MemorySearchResult](t, w.Body.Bytes())
	if w.Code != http.StatusOK || len(then.Hits) == 0 || then.Hits[0].Text != "Lives in Utrecht" {
		t.Fatalf("as of January: %d %s", w.Code, w.Body)
	}
	if w := get(s, "/api/memories/search?user=maya&q=x&as_of=January", bearer); w.Code != http.StatusBadRequest {
		t.Errorf("a bad date: %d %s", w.Code, w.Body)
	}
	w = send(http.MethodPost, "/api/memories/"+up.Events[0].ID+"/confirm", `{"user":"maya"}`)
	conf := decode[app.MemoryEvents](t, w.Body.Bytes())
	if w.Code != http.StatusOK || len(conf.Events) != 1 || conf.Events[0].Event != "CONFIRM" {
		t.Fatalf("confirm: %d %s", w.Code, w.Body)
	}
	if w := send(http.MethodPost, "/api/memories/undo", `{"user":"maya","event":"`+up.Events[0].EventID+`"}`); w.Code != http.StatusConflict {
		t.Errorf("undoing the move under its confirm: %d %s", w.Code, w.Body)
	}
	if w := send(http.MethodPost, "/api/memories/undo", `{"user":"maya","event":"nonsense"}`); w.Code != http.StatusBadRequest {
		t.Errorf("a bad event ID: %d %s", w.Code, w.Body)
	}
	for _, ev := range []string{conf.Events[0].EventID, up.Events[0].EventID} {
		if w := send(http.MethodPost, "/api/memories/undo", `{"user":"maya","event":"`+ev+`"}`); w.Code != http.StatusOK {
			t.Fatalf("undo %s: %d %s", ev, w.Code, w.Body)
		}
	}
	w = get(s, "/api/memories/"+up.Events[0].ID+"/history?user=maya", bearer)
	h := decode[app.MemoryHistory](t, w.Body.Bytes())
	last := h.Versions[len(h.Versions)-1]
	if w.Code != http.StatusOK || last.Event != "UNDO" || last.Undoes != up.Events[0].EventID || h.Memory.Text != "Lives in Utrecht" {
		t.Fatalf("history after the undos: %d %s", w.Code, w.Body)
	}
	if w := get(s, "/api/embed", bearer); w.Code != http.StatusOK || decode[app.EmbedStatus](t, w.Body.Bytes()).State != "off" {
		t.Errorf("embed status without an endpoint: %d %s", w.Code, w.Body)
	}
}
