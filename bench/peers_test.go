package bench

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"

	"github.com/engram-app/engram/bench/corpus"
)

func TestParsePeerQuery(t *testing.T) {
	for _, c := range []struct {
		name, q string
		want    peerQuery
		fts5    string
	}{
		{"word", "megawatts", peerQuery{words: []string{"megawatts"}}, `{subject body} : "megawatts"`},
		{"two words", "audit review", peerQuery{words: []string{"audit", "review"}}, `{subject body} : "audit" AND {subject body} : "review"`},
		{"phrase", `"next week"`, peerQuery{phrase: "next week"}, `{subject body} : "next week"`},
		{"from", "from:lynn.dorland@enron.com", peerQuery{from: "lynn.dorland@enron.com"}, `sender : "lynn.dorland@enron.com"`},
		{"from and a word", "from:lynn.dorland@enron.com audit", peerQuery{from: "lynn.dorland@enron.com", words: []string{"audit"}}, `sender : "lynn.dorland@enron.com" AND {subject body} : "audit"`},
		{"prefix", "Deli*", peerQuery{prefix: "deli"}, `{subject body} : "deli"*`},
		{"quote inside", `say"so`, peerQuery{words: []string{`say"so`}}, `{subject body} : "say""so"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := parsePeerQuery(c.q)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("parsePeerQuery(%q) = %+v, want %+v", c.q, got, c.want)
			}
			if m := got.fts5Match(); m != c.fts5 {
				t.Errorf("fts5Match = %s, want %s", m, c.fts5)
			}
		})
	}
}

// peerCorpus generates a small corpus and parses it as the peers do.
func peerCorpus(t testing.TB, n int) (dir string, msgs []peerMsg, src *querySource) {
	t.Helper()
	dir = t.TempDir()
	gen := corpus.New(corpus.Options{Messages: n, Seed: 7})
	st, err := gen.Generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan peerMsg)
	done := make(chan error, 1)
	go func() {
		failed, err := walkMessages(context.Background(), dir, ch)
		if err == nil && failed > 0 {
			err = errors.New("some messages did not parse")
		}
		done <- err
	}()
	for m := range ch {
		msgs = append(msgs, m)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(msgs) != n {
		t.Fatalf("parsed %d of %d messages", len(msgs), n)
	}
	return dir, msgs, newQuerySource(7, gen, st)
}

// truth counts the messages q must find, scanned without any index: words
// and prefixes over the subject's and body's tokens as Bleve's standard
// analyzer makes them, a phrase as words in a row in the text, from: as the
// address in the From header.
func truth(t testing.TB, msgs []peerMsg, q peerQuery) int {
	t.Helper()
	im := leanBleveMapping()
	n := 0
	for _, m := range msgs {
		tokens := map[string]bool{}
		for _, f := range []string{m.subject, m.body} {
			ts, err := im.AnalyzeText(standard.Name, []byte(f))
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range ts {
				tokens[string(tok.Term)] = true
			}
		}
		ok := true
		for _, w := range q.words {
			ok = ok && tokens[strings.ToLower(w)]
		}
		if q.from != "" {
			ok = ok && strings.Contains(strings.ToLower(m.from), strings.ToLower(q.from))
		}
		if q.phrase != "" {
			flat := func(s string) string { return " " + strings.Join(strings.Fields(strings.ToLower(s)), " ") + " " }
			p := flat(q.phrase)
			ok = ok && (strings.Contains(flat(m.subject), p) || strings.Contains(flat(m.body), p))
		}
		if q.prefix != "" {
			found := false
			for tok := range tokens {
				found = found || strings.HasPrefix(tok, q.prefix)
			}
			ok = ok && found
		}
		if ok {
			n++
		}
	}
	return n
}

// TestPeersAnswerTheQueryMix indexes 50 generated messages with each peer
// and checks the translated query mix against a scan of the messages:
// raw Bleve finds exactly the top min(10, matches) (a phrase at least what
// a plain-text scan finds), FTS5, whose porter stemmer conflates more, at
// least the matching words and senders.
func TestPeersAnswerTheQueryMix(t *testing.T) {
	dir, msgs, src := peerCorpus(t, 50)
	ctx := context.Background()
	tmp := t.TempDir()

	bpath := filepath.Join(tmp, "peer.bleve")
	docs, failed, err := indexBleve(ctx, dir, bpath)
	if err != nil || docs != 50 || failed != 0 {
		t.Fatalf("indexBleve: %d docs, %d failed, %v", docs, failed, err)
	}
	bs, err := openBleveSearcher(bpath)
	if err != nil {
		t.Fatal(err)
	}
	defer bs.Close()

	var fs *fts5Searcher
	if err := fts5Available(); err != nil {
		t.Logf("the SQLite FTS5 peer is not checked: %v (go test -tags sqlite_fts5 checks it)", err)
	} else {
		fpath := filepath.Join(tmp, "peer.sqlite")
		docs, failed, err := indexFTS5(ctx, dir, fpath)
		if err != nil || docs != 50 || failed != 0 {
			t.Fatalf("indexFTS5: %d docs, %d failed, %v", docs, failed, err)
		}
		if fs, err = openFTS5Searcher(fpath, 2); err != nil {
			t.Fatal(err)
		}
		defer fs.Close()
	}

	found := make([]int, len(queryKinds)) // queries of each kind with a hit
	asked := make([]int, len(queryKinds))
	for range 400 {
		qs, kind := src.query()
		q := parsePeerQuery(qs)
		want := min(truth(t, msgs, q), 10)
		asked[kind]++
		got, err := bs.search(q)
		if err != nil {
			t.Fatalf("bleve %q: %v", qs, err)
		}
		if got > 0 {
			found[kind]++
		}
		if q.phrase != "" && got < want || q.phrase == "" && got != want {
			t.Errorf("bleve %q (%s): %d hits, want %d", qs, queryKinds[kind].name, got, want)
		}
		if fs == nil {
			continue
		}
		fgot, err := fs.search(q)
		if err != nil {
			t.Fatalf("fts5 %q (%s): %v", qs, q.fts5Match(), err)
		}
		if q.prefix == "" && fgot < want {
			t.Errorf("fts5 %q (%s): %d hits, want at least %d", qs, q.fts5Match(), fgot, want)
		}
	}
	for k, kind := range queryKinds {
		// Rare words are rarely in 50 messages; every other kind must
		// find something, or the test checks only empty answers.
		if kind.name != "word, rare" && found[k] == 0 {
			t.Errorf("no %q query of %d found anything", kind.name, asked[k])
		}
	}
}

func TestExecChildReportsTheProgram(t *testing.T) {
	o := execChild([]string{"sh", "-c", "echo out; echo err >&2; exit 3"})
	if o.Exit != 3 || o.Stdout != "out\n" || o.Stderr != "err\n" || o.Seconds <= 0 || o.Err == "" {
		t.Errorf("%+v", o)
	}
	if o := execChild([]string{"/nonexistent/program"}); o.Exit != -1 || o.Err == "" {
		t.Errorf("a program that does not exist: %+v", o)
	}
}

// TestPeerRows checks the rows of issue 18 against their budgets and that
// a row not measured says why.
func TestPeerRows(t *testing.T) {
	s := SizeResult{
		Messages:     100000,
		Import:       ImportResult{Docs: 100000, Seconds: 40},
		Notmuch:      NotmuchResult{Seconds: 200}, // 500/s
		Search:       Latency{N: 2000, P50: 3, P99: 12},
		SearchSerial: Latency{N: 300, P50: 1, P99: 4},
		Peers: PeersResult{
			CLI:   PeerImport{Docs: 100000, Seconds: 50, CPU: 90, PeakRSS: 300 << 20}, // 2,000/s: x4 notmuch
			Bleve: PeerResult{Import: PeerImport{Docs: 100000, Seconds: 40, CPU: 70}}, // 2,500/s: CLI x0.8
			FTS5:  PeerResult{Import: PeerImport{Err: errNoFTS5.Error()}, Err: "no index: " + errNoFTS5.Error()},
		},
	}
	s.Peers.Bleve.Search = Latency{N: 2000, P50: 2, P99: 10, QPS: 900}
	s.Peers.Bleve.SearchSerial = Latency{N: 300, P50: 1, P99: 8}
	rs := append(s.peerImportRows(), s.peerSearchRows(16)...)
	want := map[string]string{
		RowCLIImport:   "over budget (x1.5)",
		RowBleveImport: "over budget (x1.1)",
		RowFTS5Import:  notMeasured,
		RowBleveSerial: noBudget,
		RowBleveConc:   "over budget (x1.2)",
		RowFTS5Serial:  notMeasured,
		RowFTS5Conc:    notMeasured,
	}
	if len(rs) != len(want) {
		t.Fatalf("%d rows: %+v", len(rs), rs)
	}
	for _, r := range rs {
		if w, ok := want[r.what]; !ok || r.status != w {
			t.Errorf("row %q: status %q, want %q (%s)", r.what, r.status, w, r.measured)
		}
	}
	for what, cell := range map[string]string{
		RowCLIImport:   "2,000 msgs/s (100,000 in 50.0 s, 90.0 CPU-s, 300 MB peak); x4.00 notmuch's rate, x0.80 the library-timed import's",
		RowBleveImport: "2,500 msgs/s (100,000 in 40.0 s, 70.0 CPU-s); engram import (CLI) runs at x0.80 its rate",
		RowFTS5Import:  "not measured: fts5 not compiled in: run with -tags sqlite_fts5",
		RowBleveConc:   "Engram's p99 12.0 ms is x1.20 of it",
		RowBleveSerial: "Engram's p99 4.00 ms is x0.50 of it",
		RowFTS5Conc:    "fts5 not compiled in",
	} {
		for _, r := range rs {
			if r.what == what && !strings.Contains(r.measured, cell) {
				t.Errorf("row %q: %q does not contain %q", what, r.measured, cell)
			}
		}
	}

	s.Peers.CLI.Seconds = 25 // 4,000/s: x8 notmuch, x1.6 Bleve
	s.Search.P99 = 9
	for _, r := range append(s.peerImportRows(), s.peerSearchRows(16)...) {
		if (r.what == RowCLIImport || r.what == RowBleveImport || r.what == RowBleveConc) && r.status != "within budget" {
			t.Errorf("row %q: %s (%s)", r.what, r.status, r.measured)
		}
	}
	skipped := SizeResult{Peers: PeersResult{Skipped: "skipped (--skip-peers)"}}
	for _, r := range append(skipped.peerImportRows(), skipped.peerSearchRows(16)...) {
		if r.status != notMeasured || !strings.Contains(r.measured, "--skip-peers") {
			t.Errorf("skipped row %q: %s, %s", r.what, r.status, r.measured)
		}
	}
}
