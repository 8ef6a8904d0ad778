package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/web"
)

const testToken = "test-token-0123456789"

// notes are the Markdown notes every test imports.
var notes = map[string]string{
	"Garden.md":        "---\ntags: [home]\n---\n# Garden\n\nTomatoes and basil grow by the fence. See [[Compost]].\n",
	"Compost.md":       "# Compost\n\nTurn the heap weekly; it feeds the garden.\n",
	"Kayak trip.md":    "# Kayak trip\n\nPaddle the fjord in June with Anna. Pack the dry bags.\n",
	"Budget 2024.md":   "# Budget 2024\n\nThe quarterly budget for the allotment: seeds, tools, water.\n",
	"Reading list.md":  "# Reading list\n\nBooks about permaculture and soil.\nNext: [[Seed catalogue]] and [[Garden|the garden]] ![[cover.png]]\n",
	"journal/March.md": "# March\n\nPlanted tomatoes indoors. The basil sprouted.\n",
}

// newApp opens a container on a fresh data directory and imports notes
// through app.Import: a real bbolt store, Bleve index and Cayley graph.
func newApp(t testing.TB) *app.App {
	t.Helper()
	vault := t.TempDir()
	for name, body := range notes {
		p := filepath.Join(vault, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, err := app.New(app.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	})
	res, err := a.Import(context.Background(), "", []string{vault}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != len(notes) || res.Failed != 0 {
		t.Fatalf("import: %+v", res)
	}
	return a
}

// testUI stands in for the built frontend in the unit tests; the end-to-end
// test serves the real one.
var testUI = fstest.MapFS{
	"index.html":    {Data: []byte("<!doctype html><title>Engram</title><div id=app></div>")},
	"assets/app.js": {Data: []byte("console.log('engram')")},
}

func newServer(t testing.TB) (*web.Server, *app.App) {
	t.Helper()
	a := newApp(t)
	s, err := web.New(a, web.Options{Token: testToken, UI: testUI, ErrorLog: log.New(io.Discard, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	return s, a
}

// get serves one request and returns the recorder.
func get(s http.Handler, target string, hdr map[string]string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.Host = testHost
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// testHost is the Host of the tests' requests: a loopback address, as a
// browser on this machine sends.
const testHost = "127.0.0.1:7777"

var bearer = map[string]string{"Authorization": "Bearer " + testToken}

func TestAuth(t *testing.T) {
	s, _ := newServer(t)
	tests := []struct {
		name   string
		target string
		hdr    map[string]string
		status int
		json   bool // the 401 is JSON (API) rather than text (pages)
	}{
		{"api without token", "/api/info", nil, 401, true},
		{"api wrong bearer", "/api/info", map[string]string{"Authorization": "Bearer nope"}, 401, true},
		{"api bearer with a prefix of the token", "/api/info", map[string]string{"Authorization": "Bearer " + testToken[:10]}, 401, true},
		{"api basic auth", "/api/info", map[string]string{"Authorization": "Basic " + testToken}, 401, true},
		{"api token in the query", "/api/info?token=" + testToken, nil, 401, true},
		{"page without token", "/", nil, 401, false},
		{"asset without token", "/assets/app.js", nil, 401, false},
		{"page wrong token", "/?token=nope", nil, 401, false},
		{"api bearer", "/api/info", bearer, 200, true},
		{"api bearer, scheme in lower case", "/api/info", map[string]string{"Authorization": "bearer " + testToken}, 200, true},
		{"page bearer", "/", bearer, 200, false},
		{"asset bearer", "/assets/app.js", bearer, 200, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(s, tc.target, tc.hdr)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if strings.Contains(w.Body.String(), testToken) || strings.Contains(strings.Join(w.Header().Values("Set-Cookie"), ";"), testToken) {
				t.Fatalf("response gives the token away: %v %s", w.Header(), w.Body)
			}
			if w.Code != 401 {
				return
			}
			ct := w.Header().Get("Content-Type")
			if tc.json {
				var e struct{ Error string }
				if !strings.HasPrefix(ct, "application/json") || json.Unmarshal(w.Body.Bytes(), &e) != nil || !strings.Contains(e.Error, "engram serve") {
					t.Fatalf("401 body %q (%s)", w.Body, ct)
				}
			} else if !strings.HasPrefix(ct, "text/plain") || !strings.Contains(w.Body.String(), "?token=") {
				t.Fatalf("401 page %q (%s)", w.Body, ct)
			}
		})
	}
}

// TestTokenCookie follows a browser: the first page load carries ?token=,
// gets a cookie, and the page's later requests carry only the cookie.
func TestTokenCookie(t *testing.T) {
	s, _ := newServer(t)
	w := get(s, "/?token="+url.QueryEscape(testToken), nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<div id=app>") {
		t.Fatalf("first load: %d %s", w.Code, w.Body)
	}
	if w.Header().Get("Referrer-Policy") != "no-referrer" || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("first load headers %v", w.Header())
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies %v", cookies)
	}
	c := cookies[0]
	if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Value != testToken {
		t.Fatalf("cookie %+v", c)
	}
	for _, target := range []string{"/", "/assets/app.js", "/api/info"} {
		if w := get(s, target, nil, &http.Cookie{Name: c.Name, Value: c.Value}); w.Code != 200 {
			t.Fatalf("%s with the cookie: %d %s", target, w.Code, w.Body)
		}
	}
	if w := get(s, "/api/info", nil, &http.Cookie{Name: c.Name, Value: "forged"}); w.Code != 401 {
		t.Fatalf("forged cookie: %d", w.Code)
	}
	// Another server's cookie (another token) has another name.
	other, err := web.New(newApp(t), web.Options{UI: testUI})
	if err != nil {
		t.Fatal(err)
	}
	w = get(other, "/?token="+other.Token(), nil)
	if oc := w.Result().Cookies(); len(oc) != 1 || oc[0].Name == c.Name {
		t.Fatalf("second server's cookie %v, first %s", oc, c.Name)
	}
	// A POST cannot use the query token (it is for page loads only).
	r := httptest.NewRequest(http.MethodPost, "/?token="+testToken, nil)
	r.Host = testHost
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Code != 401 {
		t.Fatalf("POST with query token: %d", rec.Code)
	}
}

func TestNewToken(t *testing.T) {
	a, err := web.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := web.NewToken()
	if len(a) != 43 || a == b || strings.ContainsAny(a, "+/=") {
		t.Fatalf("tokens %q %q", a, b)
	}
}

type searchJSON struct {
	Total  int     `json:"total"`
	TookMS float64 `json:"took_ms"`
	Hits   []struct {
		ID, Title, Source, Path, Snippet, Date string
		Score                                  float64
	} `json:"hits"`
	Facets map[string][]struct {
		Value string
		Count int
	} `json:"facets"`
}

func TestSearchAPI(t *testing.T) {
	s, a := newServer(t)
	w := get(s, "/api/search?q=tomatoes&limit=5&facets=1", bearer)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("search: %d %s", w.Code, w.Body)
	}
	// The same JSON as `engram search --json`: the keys of app.SearchResult.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(w.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"total", "took_ms", "hits", "facets"} {
		if _, ok := raw[k]; !ok {
			t.Fatalf("search JSON lacks %q: %s", k, w.Body)
		}
	}
	var res searchJSON
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	titles := map[string]bool{}
	for _, h := range res.Hits {
		titles[h.Title] = true
		if h.ID == "" || h.Source != "markdown" || !strings.HasSuffix(h.Path, ".md") {
			t.Fatalf("hit %+v", h)
		}
	}
	if res.Total != 2 || !titles["Garden"] || !titles["March"] || !strings.Contains(res.Hits[0].Snippet, "<mark>") {
		t.Fatalf("search result %s", w.Body)
	}
	if len(res.Facets["source"]) == 0 || res.Facets["source"][0].Value != "markdown" {
		t.Fatalf("facets %+v", res.Facets)
	}

	// The facets alone, as the UI asks for them after painting the hits.
	w = get(s, "/api/facets?q=tomatoes", bearer)
	var facets map[string][]struct {
		Value string
		Count int
	}
	if err := json.Unmarshal(w.Body.Bytes(), &facets); err != nil || w.Code != 200 {
		t.Fatalf("facets: %d %s", w.Code, w.Body)
	}
	if len(facets["source"]) != 1 || facets["source"][0].Value != "markdown" || facets["source"][0].Count != 2 {
		t.Fatalf("facets: %s", w.Body)
	}

	// Paging: limit and offset reach the search.
	w = get(s, "/api/search?q=tomatoes&limit=1&offset=1", bearer)
	var page searchJSON
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || w.Code != 200 {
		t.Fatalf("page 2: %d %s", w.Code, w.Body)
	}
	if page.Total != 2 || len(page.Hits) != 1 || page.Hits[0].ID != res.Hits[1].ID || len(page.Facets) != 0 {
		t.Fatalf("page 2: %s", w.Body)
	}

	// The document behind a hit, as stored.
	w = get(s, "/api/documents/"+url.PathEscape(res.Hits[0].ID), bearer)
	var doc struct{ ID, Title, Body, Source string }
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || w.Code != 200 {
		t.Fatalf("document: %d %s", w.Code, w.Body)
	}
	want, err := a.Document("", res.Hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if doc.ID != want.ID || doc.Title != want.Title || doc.Body != want.Body || !strings.Contains(doc.Body, "omatoes") {
		t.Fatalf("document %+v, want %+v", doc, want)
	}

	// A note is a thread of one: itself.
	w = get(s, "/api/documents/"+url.PathEscape(res.Hits[0].ID)+"/thread", bearer)
	var thread []app.ThreadMessage
	if err := json.Unmarshal(w.Body.Bytes(), &thread); err != nil || w.Code != 200 || len(thread) != 1 || thread[0].ID != want.ID {
		t.Fatalf("thread: %d %s", w.Code, w.Body)
	}

	// Info is what the desktop binds.
	w = get(s, "/api/info", bearer)
	var info app.Info
	if err := json.Unmarshal(w.Body.Bytes(), &info); err != nil || info.DataDir != a.DataDir() || info.Workspace != "personal" || info.Version == "" {
		t.Fatalf("info: %s", w.Body)
	}
}

func TestAPIErrors(t *testing.T) {
	s, _ := newServer(t)
	tests := []struct {
		name   string
		target string
		status int
		msg    string
	}{
		{"unknown document", "/api/documents/deadbeef", 404, "not found"},
		{"unknown document's thread", "/api/documents/deadbeef/thread", 404, "not found"},
		{"no query", "/api/search", 400, "missing query"},
		{"blank query", "/api/search?q=%20%20", 400, "missing query"},
		{"facets without a query", "/api/facets", 400, "missing query"},
		{"limit not a number", "/api/search?q=x&limit=ten", 400, "limit must be"},
		{"limit negative", "/api/search?q=x&limit=-1", 400, "limit must be"},
		{"limit too big", "/api/search?q=x&limit=100000", 400, "limit must be"},
		{"offset negative", "/api/search?q=x&offset=-5", 400, "offset must be"},
		{"facets bad", "/api/search?q=x&facets=maybe", 400, "facets"},
		{"unknown route", "/api/nothing", 404, "no API route"},
		{"unknown operator", "/api/search?q=foo:bar", 400, `"foo:"`},
		{"bad date", "/api/search?q=before:notadate", 400, `"notadate"`},
		{"unclosed bracket", "/api/search?q=((((", 400, "bracket"},
		{"long query", "/api/search?q=" + strings.Repeat("ab%20", 2000), 400, "at most 1000"},
		{"facets of a bad query", "/api/facets?q=%22x", 400, "quote"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := get(s, tc.target, bearer)
			var e struct{ Error string }
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
				t.Fatalf("body %q is not JSON: %v", w.Body, err)
			}
			if w.Code != tc.status || !strings.Contains(e.Error, tc.msg) {
				t.Fatalf("%d %q, want %d %q", w.Code, e.Error, tc.status, tc.msg)
			}
		})
	}
	// A method other than GET on an API route is not one of its routes.
	r := httptest.NewRequest(http.MethodPost, "/api/search?q=x", nil)
	r.Host = testHost
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 404 && w.Code != 405 {
		t.Fatalf("POST /api/search: %d", w.Code)
	}
}

// TestServeShutsDown runs Serve on a real listener and cancels it: requests
// are answered before, Serve returns context.Canceled after, and the port is
// closed.
func TestServeShutsDown(t *testing.T) {
	s, _ := newServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	req, _ := http.NewRequest(http.MethodGet, base+"/api/info", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("info over TCP: %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if _, err := http.Get(base + "/"); err == nil {
		t.Fatal("still answering after shutdown")
	}
}

func TestNewWithoutFrontend(t *testing.T) {
	// The unit-test binary embeds whatever frontend/dist holds; New with
	// UI nil must either serve it or say it is missing, never serve nothing.
	s, err := web.New(newApp(t), web.Options{})
	if err != nil {
		if !strings.Contains(err.Error(), "built without its frontend") {
			t.Fatalf("error %v", err)
		}
		return
	}
	if w := get(s, "/?token="+s.Token(), nil); w.Code != 200 || !strings.Contains(w.Body.String(), "<html") && !strings.Contains(w.Body.String(), "<!doctype") {
		t.Fatalf("embedded page: %d %.200s", w.Code, w.Body)
	}
}
