package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestShowThreadAndJobReasons(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"mail/1.eml": "From: Ana <ana@example.org>\nTo: bo@example.org\nSubject: Boat trip\nMessage-ID: <b1@example.org>\nDate: Mon, 6 May 2019 09:00:00 +0000\n\nShall we sail?\n",
		"mail/2.eml": "From: Bo <bo@example.org>\nTo: ana@example.org\nSubject: Re: Boat trip\nMessage-ID: <b2@example.org>\nIn-Reply-To: <b1@example.org>\nDate: Mon, 6 May 2019 10:00:00 +0000\n\nYes, at noon.\n",
		"mail/3.eml": "",
		"mail/4.eml": "From: Cy <cy@example.org>\nSubject: Undated note\nMessage-ID: <b3@example.org>\nDate: around teatime\n\nno date here\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	if r := engram(t, "--data", data, "import", filepath.Join(dir, "mail")); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	// The skipped file's reason is in the plain output, not only --json.
	r := engram(t, "--data", data, "jobs")
	if r.code != 0 || !strings.Contains(r.stdout, "3.eml: skipped: empty file") {
		t.Errorf("jobs plain output lacks the skipped file's reason:\n%s", r.stdout)
	}
	r = engram(t, "--data", data, "search", "--json", "sail")
	var res struct {
		Hits []struct{ ID string } `json:"hits"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || len(res.Hits) != 1 {
		t.Fatalf("search: %s %v", r.stdout, err)
	}
	// Opening the first message shows its reply.
	r = engram(t, "--data", data, "show", "--thread", res.Hits[0].ID)
	if r.code != 0 || !strings.Contains(r.stdout, "2 message(s)") || strings.Index(r.stdout, "Boat trip") > strings.Index(r.stdout, "Re: Boat trip") {
		t.Errorf("show --thread:\n%s%s", r.stdout, r.stderr)
	}
	r = engram(t, "--data", data, "show", "--thread", "--json", res.Hits[0].ID)
	var th struct {
		Thread []struct{ Title string } `json:"thread"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &th); err != nil || len(th.Thread) != 2 || th.Thread[1].Title != "Re: Boat trip" {
		t.Errorf("show --thread --json: %s %v", r.stdout, err)
	}
	// A message whose date cannot be read shows it as unknown.
	r = engram(t, "--data", data, "search", "undated")
	if !strings.Contains(r.stdout, "unknown") {
		t.Errorf("undated message:\n%s", r.stdout)
	}
}
