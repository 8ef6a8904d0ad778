package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/engram-app/engram/bench/corpus"
	"github.com/engram-app/engram/document"
)

// notmuchMessages are hand-written messages for the comparison with
// notmuch: dotted and parenthesised tokens, names in From and To, dates on
// either side of a range boundary and in several time zones.
var notmuchMessages = map[string]string{
	"tricky/cur/1700000001.M1.host:2,S": "From: Carl Worth <cworth@cworth.org>\nTo: Notmuch List <notmuch@notmuchmail.org>\n" +
		"Subject: Build fails without stdint.h\nDate: Sat, 30 Jun 2001 23:30:00 -0500\nMessage-ID: <stdint.1@cworth.org>\n\n" +
		"The compile of notmuch-new.c stops because stdint.h is missing on this platform.\nThe fix (include-guard) is in the next patch.\n",
	"tricky/cur/1700000002.M2.host:2,S": "From: \"Bremner, David\" <david@tethera.net>\nTo: Carl Worth <cworth@cworth.org>, Jani Nikula <jani@nikula.org>\n" +
		"Subject: Re: Build fails without stdint.h\nDate: Sun, 1 Jul 2001 04:30:00 +0000\nMessage-ID: <stdint.2@tethera.net>\nIn-Reply-To: <stdint.1@cworth.org>\n\n" +
		"Applied the (include-guard) change; the decoded_value helper in lib/database.cc stays.\n",
	"tricky/cur/1700000003.M3.host:2,S": "From: jani@nikula.org\nTo: david@tethera.net\n" +
		"Subject: Zone test\nDate: Sat, 30 Jun 2001 22:00:00 -0800\nMessage-ID: <zone.3@nikula.org>\n\n" +
		"The walrus report lands after midnight in Greenwich but before it in Anchorage.\n",
	"tricky/cur/1700000004.M4.host:2,S": "From: Tomi Ollila <tomi.ollila@iki.fi>\nTo: Notmuch List <notmuch@notmuchmail.org>\n" +
		"Subject: emacs mode\nDate: Fri, 29 Jun 2001 09:15:00 +0300\nMessage-ID: <emacs.4@iki.fi>\n\n" +
		"The notmuch-show.el (emacs) buffer renders the walrus attachment now; see version 0.37.1 for details.\n",
	"tricky/cur/1700000005.M5.host:2,S": "From: Daniel Kahn Gillmor <dkg@fifthhorseman.net>\nTo: Tomi Ollila <tomi.ollila@iki.fi>\n" +
		"Subject: calendar invitations\nDate: Mon, 2 Jul 2001 12:00:00 +0200\nMessage-ID: <calendar.5@fifthhorseman.net>\n\n" +
		"Calendar invitations arrive as text/calendar parts; the canvas of the view stays plain.\n",
	// July 1st where it was written, June 30th in UTC.
	"tricky/cur/1700000006.M6.host:2,S": "From: Jani Nikula <jani@nikula.org>\nTo: Carl Worth <cworth@cworth.org>\n" +
		"Subject: late walrus\nDate: Sun, 1 Jul 2001 01:30:00 +0200\nMessage-ID: <late.6@nikula.org>\n\n" +
		"The walrus minutes, written just after midnight in Helsinki.\n",
}

// notmuchQuery is one row of the comparison: the same question asked of
// Engram and of notmuch.
type notmuchQuery struct {
	engram, notmuch string
}

// notmuchDesign is a documented design difference (docs/notmuch.md): for
// the Engram query, Engram answers what notmuch answers for another query.
type notmuchDesign struct {
	engram  string
	notmuch string // what notmuch must be asked to get Engram's answer
	reason  string
}

// notmuchDesignDifferences lists where Engram answers otherwise than
// notmuch on purpose; docs/notmuch.md holds the same table.
var notmuchDesignDifferences = []notmuchDesign{
	// A word in no document is replaced by the nearest indexed word.
	{engram: "calender", notmuch: "calendar", reason: "typo tolerance"},
	{engram: "canvs", notmuch: "canvas", reason: "typo tolerance"},
	{engram: "walrsu", notmuch: "walrus", reason: "typo tolerance"},
}

func TestNotmuchAgreement(t *testing.T) {
	bin, err := exec.LookPath("notmuch")
	if err != nil {
		t.Fatal("notmuch is not installed: this test compares Engram's results with notmuch's on the same Maildir; make test installs it (scripts/deps-desktop.sh), or run apt-get install notmuch")
	}
	ctx := context.Background()
	tmp := t.TempDir()
	mail := filepath.Join(tmp, "mail")
	g := corpus.New(corpus.Options{Messages: 300, Seed: 11})
	if _, err := g.Generate(mail); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, mail, notmuchMessages)

	nm := newNotmuch(t, bin, tmp, mail)
	a := newTestApp(t, filepath.Join(tmp, "engram"))
	if res, err := a.Import(ctx, "", []string{mail}, nil); err != nil || res.Failed != 0 {
		t.Fatalf("import: %+v, %v", res, err)
	}

	words := g.Vocabulary().ContentWords()
	ppl := g.People()
	owner := ppl[0]
	queries := []notmuchQuery{
		// Single words: frequent, middling and rare content words.
		{words[0], words[0]}, {words[3], words[3]}, {words[40], words[40]}, {words[400], words[400]},
		{"walrus", "walrus"}, {"include", "include"}, {"midnight", "midnight"},
		// Dotted and parenthesised tokens, whole and by their parts.
		{"stdint.h", "stdint.h"}, {"stdint", "stdint"}, {"notmuch-new.c", "notmuch-new.c"},
		{"notmuch-show.el", "notmuch-show.el"}, {"decoded_value", "decoded_value"},
		{"include-guard", "include-guard"}, {"(emacs)", "emacs"}, {"lib/database.cc", "lib/database.cc"},
		{"0.37.1", "0.37.1"},
		// Phrases.
		{`"stdint.h is missing"`, `"stdint.h is missing"`}, {`"walrus report"`, `"walrus report"`},
		{`"` + g.Vocabulary().Phrases[0] + `"`, `"` + g.Vocabulary().Phrases[0] + `"`},
		{`"` + g.Vocabulary().Phrases[3] + `"`, `"` + g.Vocabulary().Phrases[3] + `"`},
		// People.
		{"from:cworth@cworth.org", "from:cworth@cworth.org"}, {"from:worth", "from:worth"},
		{"from:bremner", "from:bremner"}, {"to:notmuch@notmuchmail.org", "to:notmuch@notmuchmail.org"},
		{"to:nikula", "to:nikula"}, {"from:" + owner.Address, "from:" + owner.Address},
		{"to:" + owner.Address, "to:" + owner.Address}, {"from:" + strings.ToLower(owner.Last), "from:" + strings.ToLower(owner.Last)},
		// Date ranges, Engram's before: being exclusive and notmuch's
		// date:A..B inclusive of day B; both in UTC.
		{"after:2001-07-01", "date:2001-07-01.."}, {"before:2001-07-01", "date:..2001-06-30"},
		{"after:2001-06-30 before:2001-07-01", "date:2001-06-30..2001-06-30"},
		{"after:2000-01-01 before:2000-03-01", "date:2000-01-01..2000-02-29"},
		{"walrus after:2001-07-01", "walrus date:2001-07-01.."},
		{words[3] + " before:2000-01-01", words[3] + " date:..1999-12-31"},
	}
	for _, q := range queries {
		got := engramIDs(t, a, q.engram)
		want := nm.ids(t, q.notmuch)
		if len(want) == 0 {
			t.Errorf("%s: notmuch finds nothing for %q; the row tests nothing", q.engram, q.notmuch)
		}
		t.Logf("| `%s` | `%s` | %d | %d |", q.engram, q.notmuch, len(got), len(want))
		if !slices.Equal(got, want) {
			t.Errorf("Engram %q and notmuch %q disagree:\n  only Engram:  %v\n  only notmuch: %v", q.engram, q.notmuch, minus(got, want), minus(want, got))
		}
	}
	for _, d := range notmuchDesignDifferences {
		got := engramIDs(t, a, d.engram)
		if res, err := a.Search(ctx, "", SearchRequest{Query: d.engram}); err != nil || res.Corrected != d.notmuch {
			t.Errorf("%s (%s): Engram searched %q, not %q (%v)", d.engram, d.reason, res.Corrected, d.notmuch, err)
		}
		if n := nm.ids(t, d.engram); len(n) != 0 {
			t.Errorf("%s (%s): notmuch finds %d messages; the difference is gone, drop the row", d.engram, d.reason, len(n))
		}
		want := nm.ids(t, d.notmuch)
		t.Logf("| `%s` | `%s` (%s) | %d | %d |", d.engram, d.notmuch, d.reason, len(got), len(want))
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s (%s): Engram should answer as notmuch does for %q:\n  only Engram:  %v\n  only notmuch: %v", d.engram, d.reason, d.notmuch, minus(got, want), minus(want, got))
		}
	}
}

// notmuch is a private notmuch database over one mail root.
type notmuch struct {
	bin string
	env []string
}

// newNotmuch writes a config of its own (database under tmp, no tags
// excluded, no flag sync) and runs notmuch new, in UTC.
func newNotmuch(t *testing.T, bin, tmp, mail string) *notmuch {
	t.Helper()
	cfg := filepath.Join(tmp, "notmuch-config")
	db := filepath.Join(tmp, "notmuch-db")
	conf := fmt.Sprintf("[database]\npath=%s\nmail_root=%s\n[new]\ntags=inbox;\nignore=\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n", db, mail)
	if err := os.MkdirAll(db, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	nm := &notmuch{bin: bin, env: append(os.Environ(), "NOTMUCH_CONFIG="+cfg, "TZ=UTC")}
	if out, err := nm.run("new", "--quiet"); err != nil {
		t.Fatalf("notmuch new: %v: %s", err, out)
	}
	return nm
}

func (nm *notmuch) run(args ...string) ([]byte, error) {
	cmd := exec.Command(nm.bin, args...)
	cmd.Env = nm.env
	return cmd.CombinedOutput()
}

// ids returns the document IDs of the messages notmuch finds, sorted.
func (nm *notmuch) ids(t *testing.T, q string) []string {
	t.Helper()
	cmd := exec.Command(nm.bin, "search", "--output=messages", "--format=json", "--", q)
	cmd.Env = nm.env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("notmuch search %q: %v", q, err)
	}
	var mids []string
	if err := json.Unmarshal(out, &mids); err != nil {
		t.Fatalf("notmuch search %q: %v: %s", q, err, out)
	}
	ids := make([]string, 0, len(mids))
	for _, m := range mids {
		ids = append(ids, document.MessageDocID(m))
	}
	sort.Strings(ids)
	return ids
}

// engramIDs pages through every hit of q and returns their IDs, sorted.
func engramIDs(t *testing.T, a *App, q string) []string {
	t.Helper()
	var ids []string
	for off := 0; ; off += 200 {
		res, err := a.Search(context.Background(), "", SearchRequest{Query: q, Limit: 200, Offset: off})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < 200 {
			break
		}
	}
	sort.Strings(ids)
	return ids
}

func minus(a, b []string) []string {
	var out []string
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); !ok {
			out = append(out, x)
		}
	}
	return out
}
