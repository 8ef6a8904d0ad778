package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

var jsonBody = map[string]string{"Content-Type": "application/json"}

// TestGapsAPI: the Gaps routes answer JSON; a workspace never analysed says
// so, and says it was once analysed; bad filters are 400s naming what is
// wrong, an unknown gap a 404 (dismissing it too), a write without a JSON
// body a 415, an unknown workspace a 404.
func TestGapsAPI(t *testing.T) {
	s, a := newServer(t)
	// The imported workspace's own background analysis may already have
	// run: a workspace made here, with nothing imported, never was.
	if err := a.CreateWorkspace("fresh"); err != nil {
		t.Fatal(err)
	}
	st := decode[map[string]any](t, get(s, "/api/gaps/state?workspace=fresh", bearer).Body.Bytes())
	if st["analysed"] != false || st["running"] != false {
		t.Fatalf("state before any analysis: %v", st)
	}
	if w := do(s, http.MethodPost, "/api/gaps/analyze", testHost, jsonBody, "{}"); w.Code != http.StatusOK {
		t.Fatalf("analyze: %d %s", w.Code, w.Body)
	}
	// The import's own background analysis may start after the one asked
	// for here, and find nothing left to do: wait for it to end.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		st = decode[map[string]any](t, get(s, "/api/gaps/state", bearer).Body.Bytes())
		if st["running"] == false || time.Now().After(deadline) {
			break
		}
	}
	if st["analysed"] != true || st["running"] != false || st["pending"] != float64(0) {
		t.Fatalf("state after an analysis: %v", st)
	}
	groups := decode[[]map[string]any](t, get(s, "/api/gaps/groups", bearer).Body.Bytes())
	if len(groups) != 7 || groups[0]["kind"] != "unanswered_question" {
		t.Fatalf("groups: %v", groups)
	}
	l := decode[map[string]any](t, get(s, "/api/gaps?dismissed=1", bearer).Body.Bytes())
	if gs, ok := l["gaps"].([]any); !ok || len(gs) != 0 {
		t.Fatalf("dismissed gaps: %v", l)
	}
	for _, c := range []struct {
		method, target, body string
		code                 int
		says                 string
	}{
		{"GET", "/api/gaps?kind=rumour", "", http.StatusBadRequest, "rumour"},
		{"GET", "/api/gaps?since=last-week", "", http.StatusBadRequest, "YYYY-MM-DD"},
		{"GET", "/api/gaps?limit=10001", "", http.StatusBadRequest, "limit"},
		{"GET", "/api/gaps?dismissed=maybe", "", http.StatusBadRequest, "dismissed"},
		{"GET", "/api/gaps/no-such-gap", "", http.StatusNotFound, "no such gap"},
		{"POST", "/api/gaps/no-such-gap/dismiss", "{}", http.StatusNotFound, "no such gap"},
		{"POST", "/api/gaps/no-such-gap/dismiss", "", http.StatusUnsupportedMediaType, "JSON"},
		{"POST", "/api/gaps/analyze", "[", http.StatusBadRequest, "JSON"},
		{"GET", "/api/gaps/groups?workspace=nowhere", "", http.StatusNotFound, "nowhere"},
		{"GET", "/api/who-knows?topic=", "", http.StatusBadRequest, "topic"},
		{"GET", "/api/who-knows?topic=basil&limit=0", "", http.StatusBadRequest, "limit"},
	} {
		hdr := map[string]string{}
		if c.body != "" {
			hdr = jsonBody
		}
		w := do(s, c.method, c.target, testHost, hdr, c.body)
		msg := decode[map[string]string](t, w.Body.Bytes())["error"]
		if w.Code != c.code || !strings.Contains(msg, c.says) {
			t.Errorf("%s %s: %d %q, want %d saying %q", c.method, c.target, w.Code, msg, c.code, c.says)
		}
	}
	if w := get(s, "/api/who-knows?topic=basil", bearer); w.Code != http.StatusOK {
		t.Errorf("who-knows: %d %s", w.Code, w.Body)
	}
}

// TestConnectorsAPI: the connectors are listed without any secret; an
// unknown connector is a 404, a sync of one not connected a 409, a sign-in
// without a client ID a 400 saying what to set (and connect-error tells of
// it after), disconnecting one never
// connected leaves it not connected.
func TestConnectorsAPI(t *testing.T) {
	t.Setenv("ENGRAM_SECRETS_PASSPHRASE", "test passphrase")
	s, a := newServer(t)
	if err := a.SetSetting("secrets.store", "file"); err != nil {
		t.Fatal(err)
	}
	l := decode[[]map[string]any](t, get(s, "/api/connectors", bearer).Body.Bytes())
	if len(l) != 3 || l[0]["name"] != "box" || l[1]["status"] != "not_connected" {
		t.Fatalf("connectors: %v", l)
	}
	if e := decode[map[string]string](t, get(s, "/api/connectors/gmail/connect-error", bearer).Body.Bytes()); e["error"] != "" {
		t.Errorf("connect-error before any sign-in: %v", e)
	}
	for _, c := range []struct {
		method, target, body string
		code                 int
		says                 string
	}{
		{"GET", "/api/connectors/dropbox/connect-error", "", http.StatusNotFound, "dropbox"},
		{"POST", "/api/connectors/dropbox/sync", "{}", http.StatusNotFound, "dropbox"},
		{"DELETE", "/api/connectors/dropbox", "", http.StatusNotFound, "dropbox"},
		{"POST", "/api/connectors/gmail/sync", "{}", http.StatusConflict, "not connected"},
		{"POST", "/api/connectors/gmail/sync", "", http.StatusUnsupportedMediaType, "JSON"},
		{"POST", "/api/connectors/gmail/connect", "{}", http.StatusBadRequest, "client"},
	} {
		hdr := map[string]string{}
		if c.body != "" {
			hdr = jsonBody
		}
		w := do(s, c.method, c.target, testHost, hdr, c.body)
		msg := decode[map[string]string](t, w.Body.Bytes())["error"]
		if w.Code != c.code || !strings.Contains(msg, c.says) {
			t.Errorf("%s %s: %d %q, want %d saying %q", c.method, c.target, w.Code, msg, c.code, c.says)
		}
	}
	// The sign-in that failed at once is the one connect-error tells of.
	if e := decode[map[string]string](t, get(s, "/api/connectors/gmail/connect-error", bearer).Body.Bytes()); !strings.Contains(e["error"], "client_id") {
		t.Errorf("connect-error after a sign-in without a client ID: %v", e)
	}
	w := do(s, http.MethodDelete, "/api/connectors/slack", testHost, nil, "")
	if after := decode[[]map[string]any](t, w.Body.Bytes()); w.Code != http.StatusOK || after[2]["status"] != "not_connected" {
		t.Errorf("disconnecting a connector never connected: %d %s", w.Code, w.Body)
	}
}
