package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSafeNeutralisesTerminalControls(t *testing.T) {
	cases := []struct{ name, in, want, wantText string }{
		{"plain", "Quarterly budget – naïve café", "Quarterly budget – naïve café", "Quarterly budget – naïve café"},
		{"csi", "red \x1b[31mALERT\x1b[0m", `red \x1b[31mALERT\x1b[0m`, `red \x1b[31mALERT\x1b[0m`},
		{"osc title", "\x1b]0;pwned\x07x", `\x1b]0;pwned\x07x`, `\x1b]0;pwned\x07x`},
		{"c1 csi", "a\u009b31mb", `a\u009b31mb`, `a\u009b31mb`},
		{"bidi override", "invoice\u202egnp.exe", `invoice\u202egnp.exe`, `invoice\u202egnp.exe`},
		{"isolates", "x\u2066y\u2069", `x\u2066y\u2069`, `x\u2066y\u2069`},
		{"newline and tab", "line1\nline2\tcol", `line1\x0aline2\x09col`, "line1\nline2\tcol"},
		{"carriage return", "shown\rhidden\r\n", `shown\x0dhidden\x0d\x0a`, "shown\\x0dhidden\n"},
		{"not utf-8", "bad \xff\xfe byte", `bad \xff\xfe byte`, `bad \xff\xfe byte`},
		{"del and nul", "a\x7fb\x00c", `a\x7fb\x00c`, `a\x7fb\x00c`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := safe(c.in); got != c.want {
				t.Errorf("safe(%q) = %q, want %q", c.in, got, c.want)
			}
			if got := safeText(c.in); got != c.wantText {
				t.Errorf("safeText(%q) = %q, want %q", c.in, got, c.wantText)
			}
		})
	}
}

// TestHostileMailCannotDriveTheTerminal imports a message whose subject,
// sender, body and file name carry escape sequences and a bidi override:
// plain output holds no raw control byte, --json gives the exact text back.
func TestHostileMailCannotDriveTheTerminal(t *testing.T) {
	src := t.TempDir()
	subject := "Pay \x1b]0;owned\x07 now \x1b[2J\u202eexe.fdp"
	msg := "From: Eve \x1b[31m<eve@example.net>\r\nSubject: " + subject + "\r\nMessage-ID: <hostile@example.net>\r\n\r\nclick \x1b[8mhidden\x1b[0m here kayakhostile\r\n"
	name := filepath.Join(src, "bad\x1b[1mname.eml")
	if err := os.WriteFile(name, []byte(msg), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	if r := engram(t, "--data", data, "import", src); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	r := engram(t, "--data", data, "search", "kayakhostile")
	if r.code != 0 || !strings.Contains(r.stdout, `\x1b]0;owned\x07`) {
		t.Fatalf("search: %+v", r)
	}
	var res struct {
		Hits []struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		} `json:"hits"`
	}
	j := engram(t, "--data", data, "search", "--json", "kayakhostile")
	if err := json.Unmarshal([]byte(j.stdout), &res); err != nil || len(res.Hits) != 1 {
		t.Fatalf("search --json: %v %s", err, j.stdout)
	}
	if !strings.Contains(res.Hits[0].Title, "\x1b]0;owned\x07") {
		t.Fatalf("JSON title changed: %q", res.Hits[0].Title)
	}
	show := engram(t, "--data", data, "show", res.Hits[0].ID)
	for _, out := range []string{r.stdout, show.stdout, show.stderr, r.stderr} {
		// The only escape allowed is the bold highlight the CLI adds
		// around matches itself.
		stripped := strings.NewReplacer("\x1b[1m", "", "\x1b[0m", "").Replace(out)
		if strings.ContainsAny(stripped, "\x1b\x07\u202e\u009b") {
			t.Fatalf("raw control characters reached the terminal:\n%q", out)
		}
	}
	if !strings.Contains(show.stdout, `\x1b[8mhidden`) {
		t.Fatalf("show: %q", show.stdout)
	}
}
