package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestStatusFromErrorType: a value the caller can correct answers 400 and
// its message, whatever its words; the status comes from the error's type
// (app.ErrInvalid and the other kinds in statusOf), not from its text.
func TestStatusFromErrorType(t *testing.T) {
	s, _ := newServer(t)
	json := map[string]string{"Content-Type": "application/json"}
	cases := []struct {
		name, method, target, body string
		want                       int
		msg                        string
	}{
		{"unknown dictionary kind", "POST", "/api/dictionary", `{"kind":"antonym","term":"a","expansions":["b"]}`, 400, "unknown dictionary kind"},
		{"dictionary entry without expansions", "POST", "/api/dictionary", `{"kind":"acronym","term":"a","expansions":[]}`, 400, "needs a term"},
		{"import without a path", "POST", "/api/imports", `{"path":"  "}`, 400, "type the path"},
		{"bad embed endpoint", "PUT", "/api/settings", `{"key":"embed.endpoint","value":"ftp://x"}`, 400, "http(s) URL"},
		{"bad search mode", "GET", "/api/search?q=x&mode=telepathy", "", 400, ""},
		{"import of a path that is not there", "POST", "/api/imports", `{"path":"/nonexistent/engram-status-test"}`, 400, "cannot import"},
		{"bad connector URL", "PUT", "/api/settings", `{"key":"connect.gmail.auth_url","value":"ftp://x"}`, 400, "must be an https URL"},
		{"unknown connector field", "PUT", "/api/settings", `{"key":"connect.gmail.colour","value":"blue"}`, 400, "unknown field"},
		{"memory of a user name not allowed", "POST", "/api/memories", `{"user":"a b/c","text":"I live in Oslo"}`, 400, "invalid user"},
	}
	for _, c := range cases {
		w := do(s, c.method, c.target, testHost, json, c.body)
		if w.Code != c.want || !strings.Contains(w.Body.String(), c.msg) {
			t.Errorf("%s: %d %s, want %d with %q", c.name, w.Code, w.Body.String(), c.want, c.msg)
		}
	}
	if w := do(s, http.MethodGet, "/api/jobs", testHost, nil, ""); w.Code != 200 {
		t.Errorf("jobs: %d", w.Code)
	}
}
