package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func engramIn(t testing.TB, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func TestMemoryCLIContract(t *testing.T) {
	data := t.TempDir()
	type events struct {
		Events []struct{ Event, ID, Memory, Previous string } `json:"events"`
	}
	add := func(user, text string) events {
		t.Helper()
		r := engram(t, "--data", data, "memory", "add", "--user", user, "--json", text)
		if r.code != 0 {
			t.Fatalf("add exit %d: %s", r.code, r.stderr)
		}
		var ev events
		if err := json.Unmarshal([]byte(r.stdout), &ev); err != nil {
			t.Fatalf("add JSON: %v\n%s", err, r.stdout)
		}
		return ev
	}
	first := add("maya", "I live in Lyon.")
	if len(first.Events) != 1 || first.Events[0].Event != "ADD" || first.Events[0].ID == "" {
		t.Fatalf("%+v", first)
	}
	if ev := add("maya", "I live in Lyon."); ev.Events[0].Event != "NONE" {
		t.Errorf("same fact: %+v", ev)
	}
	up := add("maya", "I moved to Oslo last year.")
	if up.Events[0].Event != "UPDATE" || up.Events[0].ID != first.Events[0].ID || !strings.Contains(up.Events[0].Previous, "Lyon") {
		t.Errorf("move: %+v", up)
	}

	// A conversation on stdin: only the user's lines count.
	conv := `{"role":"user","content":"I love bouldering."}
{"role":"assistant","content":"I love bouldering too, and I live in Paris."}
{"role":"user","content":"My sister Anna lives in York."}`
	r := engramIn(t, conv, "--data", data, "memory", "add", "--user", "maya", "--json", "-")
	if r.code != 0 || strings.Count(r.stdout, `"ADD"`) != 2 || strings.Contains(r.stdout, "Paris") {
		t.Errorf("conversation: exit %d %s %s", r.code, r.stdout, r.stderr)
	}

	r = engram(t, "--data", data, "memory", "search", "--user", "maya", "--json", "where do I live")
	var sr struct {
		Hits []struct {
			ID, Memory, Kind string
			Score            float64
			ValidFrom        string  `json:"valid_from"`
			ValidTo          *string `json:"valid_to"`
		} `json:"hits"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sr); err != nil || len(sr.Hits) == 0 {
		t.Fatalf("search: %v %s", err, r.stdout)
	}
	if h := sr.Hits[0]; !strings.Contains(h.Memory, "Oslo") || h.Kind != "place" || h.ValidTo != nil || !strings.HasPrefix(h.ValidFrom, "20") {
		t.Errorf("top hit %+v", h)
	}

	r = engram(t, "--data", data, "memory", "history", "--user", "maya", "--json", first.Events[0].ID)
	if r.code != 0 || !strings.Contains(r.stdout, `"ADD"`) || !strings.Contains(r.stdout, `"UPDATE"`) || !strings.Contains(r.stdout, "Lyon") {
		t.Errorf("history: %s %s", r.stdout, r.stderr)
	}
	// Another user sees nothing of maya's, and cannot delete her memory.
	r = engram(t, "--data", data, "memory", "list", "--user", "sam", "--json")
	if r.code != 0 || strings.Contains(r.stdout, "Oslo") {
		t.Errorf("sam's list: %s", r.stdout)
	}
	if r = engram(t, "--data", data, "memory", "delete", "--user", "sam", first.Events[0].ID); r.code != 1 {
		t.Errorf("sam deleting maya's memory: exit %d %s", r.code, r.stdout)
	}
	if r = engram(t, "--data", data, "memory", "delete", "--user", "maya", "--json", first.Events[0].ID); r.code != 0 || !strings.Contains(r.stdout, "DELETE") {
		t.Errorf("delete: exit %d %s %s", r.code, r.stdout, r.stderr)
	}

	r = engram(t, "--data", data, "context", "--user", "maya", "--json", "--budget", "300", "ideas for the weekend")
	if r.code != 0 || !strings.Contains(r.stdout, "bouldering") {
		t.Errorf("context: exit %d %s %s", r.code, r.stdout, r.stderr)
	}

	// Usage errors exit 2.
	for _, args := range [][]string{
		{"memory", "add"},
		{"memory", "add", "--user", "bad user", "I live in Oslo"},
		{"memory", "search", "--user", "maya"},
		{"context", "--budget", "-1", "x"},
	} {
		if r := engram(t, append([]string{"--data", data}, args...)...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
}
