package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// do serves one request with the token and the given Host, headers and body.
func do(s http.Handler, method, target, host string, hdr map[string]string, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body == "" {
		r = httptest.NewRequest(method, target, nil)
	}
	r.Host = host
	r.Header.Set("Authorization", "Bearer "+testToken)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func TestForeignHostOrOriginIsRefused(t *testing.T) {
	s, _ := newServer(t)
	cases := []struct {
		name, host, origin string
		want               int
	}{
		{"loopback", "127.0.0.1:7777", "", 200},
		{"loopback other address", "127.1.2.3:7777", "", 200},
		{"localhost", "localhost:7777", "", 200},
		{"ipv6 loopback", "[::1]:7777", "", 200},
		{"same origin", "127.0.0.1:7777", "http://127.0.0.1:7777", 200},
		{"rebound name", "evil.example:7777", "", 403},
		{"rebound name without port", "evil.example", "", 403},
		{"name that resolves to loopback elsewhere", "127.0.0.1.nip.io:7777", "", 403},
		{"LAN address", "192.168.1.20:7777", "", 403},
		{"empty host", "", "", 403},
		{"other local port", "127.0.0.1:7777", "http://127.0.0.1:8080", 403},
		{"other site", "127.0.0.1:7777", "https://evil.example", 403},
		{"opaque origin", "127.0.0.1:7777", "null", 403},
		{"localhost origin for an IP host", "127.0.0.1:7777", "http://localhost:7777", 403},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hdr := map[string]string{}
			if c.origin != "" {
				hdr["Origin"] = c.origin
			}
			for _, target := range []string{"/api/search?q=garden", "/api/jobs/some-job-id", "/"} {
				w := do(s, http.MethodGet, target, c.host, hdr, "")
				got := w.Code
				if c.want == 200 && got != 403 {
					continue // let through; the route answers as it will
				}
				if got != c.want {
					t.Fatalf("%s: %d %s, want %d", target, got, w.Body, c.want)
				}
			}
			// A state-changing request too.
			w := do(s, http.MethodPost, "/api/jobs/some-job-id/cancel", c.host, hdr, "")
			if (c.want == 403) != (w.Code == 403) {
				t.Fatalf("cancel: %d %s", w.Code, w.Body)
			}
		})
	}
}

func TestStateChangesTakeJSON(t *testing.T) {
	s, _ := newServer(t)
	cases := []struct {
		name, method, target, ctype, body string
		want                              int
	}{
		{"form body", "POST", "/api/memories", "application/x-www-form-urlencoded", "user=local&text=I+live+in+Oslo", 415},
		{"text body", "POST", "/api/imports", "text/plain", `{"path":"/tmp"}`, 415},
		{"undo as a form", "POST", "/api/memories/undo", "application/x-www-form-urlencoded", "user=local&event=x@1", 415},
		{"confirm as text", "POST", "/api/memories/abc/confirm", "text/plain", `{"user":"local"}`, 415},
		{"no content type", "PUT", "/api/settings", "", `{"key":"import.max_file_mb","value":"5"}`, 415},
		{"JSON", "POST", "/api/memories", "application/json", `{"user":"local","text":"I live in Oslo."}`, 200},
		{"JSON with charset", "PUT", "/api/settings", "application/json; charset=utf-8", `{"key":"import.max_file_mb","value":"5"}`, 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hdr := map[string]string{}
			if c.ctype != "" {
				hdr["Content-Type"] = c.ctype
			}
			w := do(s, c.method, c.target, testHost, hdr, c.body)
			if w.Code != c.want {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, c.want)
			}
		})
	}
}

func TestUnknownIDsAre404(t *testing.T) {
	s, _ := newServer(t)
	jsonCT := map[string]string{"Content-Type": "application/json"}
	cases := []struct {
		name, method, target, body string
	}{
		{"job", "GET", "/api/jobs/20990101T000000.000000000Z", ""},
		{"cancel job", "POST", "/api/jobs/no-such-job/cancel", ""},
		{"document", "GET", "/api/documents/no-such-doc", ""},
		{"thread", "GET", "/api/documents/no-such-doc/thread", ""},
		{"memory history", "GET", "/api/memories/no-such-memory/history?user=local", ""},
		{"memory edit", "PUT", "/api/memories/no-such-memory", `{"user":"local","text":"I live in Rome."}`},
		{"memory delete", "DELETE", "/api/memories/no-such-memory?user=local", ""},
		{"memory confirm", "POST", "/api/memories/no-such-memory/confirm", `{"user":"local"}`},
		{"memory undo", "POST", "/api/memories/undo", `{"user":"local","event":"no-such-memory@1"}`},
		{"graph entity", "GET", "/api/graph?name=nobody-at-all", ""},
		{"workspace", "GET", "/api/search?q=garden&workspace=nope", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := do(s, c.method, c.target, testHost, jsonCT, c.body)
			var e struct{ Error string }
			if w.Code != 404 || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error == "" {
				t.Fatalf("%d %s, want 404 with an error", w.Code, w.Body)
			}
		})
	}
}
