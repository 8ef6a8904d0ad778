package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestMemoryTimelineCLI follows a move through the CLI: the history shows
// both clocks, --as-of answers from valid time, undo restores the old place
// and is in the history, and no output shows an internal key.
func TestMemoryTimelineCLI(t *testing.T) {
	data := t.TempDir()
	run := func(args ...string) result {
		t.Helper()
		r := engram(t, append([]string{"--data", data}, args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "lives_in") || strings.Contains(r.stdout, "\"attribute\"") || strings.Contains(r.stdout, "tuesdai") {
			t.Errorf("%v shows an internal key:\n%s", args, r.stdout)
		}
		return r
	}
	run("memory", "add", "--said", "2026-12-02", "I live in Utrecht.")
	var up struct {
		Events []struct {
			Event, ID string
			EventID   string `json:"event_id"`
		} `json:"events"`
	}
	r := run("memory", "add", "--json", "--said", "2026-12-02", "I moved to Aarhus in April.")
	if err := json.Unmarshal([]byte(r.stdout), &up); err != nil || len(up.Events) != 1 || up.Events[0].Event != "UPDATE" || up.Events[0].EventID == "" {
		t.Fatalf("move: %v %s", err, r.stdout)
	}
	run("memory", "add", "--said", "2026-12-02", "I have a dentist appointment next Tuesday")
	id := up.Events[0].ID
	h := run("memory", "history", id).stdout
	if !strings.Contains(h, "?..2026-04-01") || !strings.Contains(h, "2026-04-01..now") || !strings.Contains(h, "recorded") {
		t.Errorf("history lacks the two clocks:\n%s", h)
	}
	var hj struct {
		Versions []struct {
			ValidFrom  *string `json:"valid_from"`
			ValidTo    *string `json:"valid_to"`
			Recorded   string  `json:"recorded"`
			Superseded *string `json:"superseded"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(run("memory", "history", "--json", id).stdout), &hj); err != nil || len(hj.Versions) != 2 {
		t.Fatalf("history JSON: %v", err)
	}
	if v := hj.Versions[0]; v.ValidFrom != nil || v.ValidTo == nil || v.Superseded == nil || v.Recorded == "" {
		t.Errorf("Utrecht's clocks %+v", v)
	}
	if s := run("memory", "search", "--as-of", "2026-03-01", "where did I live").stdout; !strings.HasPrefix(s, "1. Lives in Utrecht") {
		t.Errorf("as of March:\n%s", s)
	}
	if s := run("memory", "search", "where do I live").stdout; !strings.HasPrefix(s, "1. Lives in Aarhus") {
		t.Errorf("now:\n%s", s)
	}
	if s := run("memory", "list", "--json").stdout; !strings.Contains(s, "2026-12-08") {
		t.Errorf("the appointment is not dated next Tuesday:\n%s", s)
	}
	run("memory", "undo", up.Events[0].EventID)
	if s := run("memory", "search", "where do I live").stdout; !strings.HasPrefix(s, "1. Lives in Utrecht") {
		t.Errorf("after the undo:\n%s", s)
	}
	if h := run("memory", "history", id).stdout; !strings.Contains(h, "UNDO") || !strings.Contains(h, "undoes "+up.Events[0].EventID) {
		t.Errorf("the undo is not in the history:\n%s", h)
	}
	for _, bad := range [][]string{{"memory", "undo", "nonsense"}, {"memory", "search", "--as-of", "March", "x"}, {"memory", "add", "--said", "soon", "x"}} {
		if r := engram(t, append([]string{"--data", data}, bad...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", bad, r.code, r.stderr)
		}
	}
}
