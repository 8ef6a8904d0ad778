package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The peers of issue 18: the same generated corpus indexed, and the same
// search mix answered, by a small indexer of our own straight on Bleve
// (raw lean Bleve: the floor of what Engram's search engine costs) and by
// SQLite's FTS5 (the embedded full-text engine most local apps reach for).
// Each one's import runs in a child process of its own, timed there from
// creating the index to closing it; its search load runs in another child
// afterwards, so no peer's work overlaps Engram's or another peer's.
const (
	peerBleve = "bleve"
	peerFTS5  = "fts5"
)

// peerParsers is the number of goroutines that read and parse messages
// for a peer; peerBatch is the number of messages per Bleve batch and per
// SQLite transaction.
const (
	peerParsers = 2
	peerWriters = 2 // Bleve batch writers; SQLite has one writer
	peerBatch   = 1000
)

// PeerImport is one import timed end to end in a process of its own: a
// peer's, or `engram import` through the CLI.
type PeerImport struct {
	Docs    int
	Seconds float64 // wall time
	CPU     float64 // user + system seconds of the process
	PeakRSS int64   // bytes; 0 when unknown
	Err     string
}

// Rate is messages per second of wall time.
func (p PeerImport) Rate() float64 {
	if p.Seconds <= 0 {
		return 0
	}
	return float64(p.Docs) / p.Seconds
}

// ok says whether the import was measured.
func (p PeerImport) ok() bool { return p.Err == "" && p.Docs > 0 && p.Seconds > 0 }

// PeerResult is one peer: its import and the search mix against it, from
// as many clients as Engram's concurrent search and from one.
type PeerResult struct {
	Import       PeerImport
	Search       Latency // Options.Clients clients, the queries of Engram's concurrent search
	SearchSerial Latency // 1 client, the queries of Engram's one-client search
	Err          string  // why the searches did not run
}

// PeersResult is the comparison of issue 18 for one size.
type PeersResult struct {
	// CLI is `engram import DIR` run as a process on a fresh data
	// directory, end to end.
	CLI   PeerImport
	Bleve PeerResult
	FTS5  PeerResult
	// Skipped says why the peers were not run.
	Skipped string
}

// peerMsg is what a peer indexes of one message.
type peerMsg struct {
	id                      string // path relative to the corpus
	subject, from, to, body string
	date                    time.Time
}

// walkMessages walks the Maildir under dir and sends every regular file,
// parsed by peerParsers goroutines with net/mail, to out, which it closes
// at the end. A file that does not parse is counted in the returned
// failures and skipped. It stops early when ctx is cancelled.
func walkMessages(ctx context.Context, dir string, out chan<- peerMsg) (failed int, err error) {
	defer close(out)
	paths := make(chan string, 256)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		fail int
	)
	for range peerParsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				m, err := parseMessage(dir, p)
				if err != nil {
					mu.Lock()
					fail++
					mu.Unlock()
					continue
				}
				select {
				case out <- m:
				case <-ctx.Done():
				}
			}
		}()
	}
	werr := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		select {
		case paths <- p:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(paths)
	wg.Wait()
	return fail, werr
}

// parseMessage reads one message: the headers a search looks at and the
// body as it is (the corpus is plain text; no MIME parts are taken apart).
func parseMessage(root, path string) (peerMsg, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return peerMsg{}, err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(b))
	if err != nil {
		return peerMsg{}, fmt.Errorf("parsing %s: %w", path, err)
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return peerMsg{}, err
	}
	rel, err := filepath.Rel(root, path)
	if err != nil {
		rel = path
	}
	var dec mime.WordDecoder
	header := func(k string) string {
		v := msg.Header.Get(k)
		if d, err := dec.DecodeHeader(v); err == nil {
			return d
		}
		return v
	}
	to := header("To")
	if cc := header("Cc"); cc != "" {
		to += ", " + cc
	}
	// The date is parsed, as any mail indexer must to sort or filter by
	// it, though the lean peers index no date field.
	date, _ := msg.Header.Date()
	return peerMsg{id: filepath.ToSlash(rel), subject: header("Subject"), from: header("From"), to: to, body: string(body), date: date}, nil
}

// peerQuery is one query of the search mix (querySource's syntax, the
// subset Engram's search box is asked with) taken apart for a peer.
type peerQuery struct {
	words  []string // all must match, each in the subject or the body
	phrase string   // in the subject or the body
	from   string   // an address the sender must match
	prefix string   // a word prefix in the subject or the body
}

// parsePeerQuery takes apart a query of querySource: words, two words, a
// "phrase", from:ADDRESS alone or with a word, or a prefix*.
func parsePeerQuery(q string) peerQuery {
	q = strings.TrimSpace(q)
	var pq peerQuery
	switch {
	case strings.HasPrefix(q, `"`):
		pq.phrase = strings.Trim(q, `"`)
	case strings.HasPrefix(q, "from:"):
		f := strings.Fields(strings.TrimPrefix(q, "from:"))
		if len(f) > 0 {
			pq.from = f[0]
		}
		if len(f) > 1 {
			pq.words = f[1:]
		}
	case strings.HasSuffix(q, "*") && !strings.Contains(q, " "):
		pq.prefix = strings.ToLower(strings.TrimSuffix(q, "*"))
	default:
		pq.words = strings.Fields(q)
	}
	return pq
}

// fts5String quotes s as an FTS5 string, so that no character of it is
// read as query syntax.
func fts5String(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// fts5Match is q as the right-hand side of FTS5's MATCH: words and
// phrases in the subject and body columns, from: a phrase in the sender
// column (the address's tokens in order), prefix* a prefix token.
func (q peerQuery) fts5Match() string {
	const text = "{subject body} : "
	var parts []string
	if q.from != "" {
		parts = append(parts, "sender : "+fts5String(q.from))
	}
	if q.phrase != "" {
		parts = append(parts, text+fts5String(q.phrase))
	}
	if q.prefix != "" {
		parts = append(parts, text+fts5String(q.prefix)+"*")
	}
	for _, w := range q.words {
		parts = append(parts, text+fts5String(w))
	}
	return strings.Join(parts, " AND ")
}

// peerQueries are the queries a peer's search child answers, the same
// strings Engram was searched with: Concurrent from Clients goroutines,
// then Warmup (untimed) and Serial from one.
type peerQueries struct {
	Concurrent []string `json:"concurrent"`
	Warmup     []string `json:"warmup"`
	Serial     []string `json:"serial"`
	Clients    int      `json:"clients"`
}

// peerSearcher answers the translated queries; search returns the number
// of hits of the top 10 it fetched. It is safe for concurrent use.
type peerSearcher interface {
	search(q peerQuery) (hits int, err error)
	Close() error
}

// peerImportOutcome is what the peer import child prints on stdout.
type peerImportOutcome struct {
	Docs    int     `json:"docs"`
	Failed  int     `json:"failed"`
	Seconds float64 `json:"seconds"`
	HWM     int64   `json:"hwm,omitempty"` // the child's own peak RSS (see highWater)
	Err     string  `json:"err,omitempty"`
}

// peerSearchOutcome is what the peer search child prints on stdout.
type peerSearchOutcome struct {
	Search       Latency `json:"search"`
	SearchSerial Latency `json:"search_serial"`
	Err          string  `json:"err,omitempty"`
}

// peerImportChild indexes the corpus into a new index of peer at data,
// timing from creating the index to closing it.
func peerImportChild(peer, corpusDir, data string) peerImportOutcome {
	var index func(ctx context.Context, dir, path string) (int, int, error)
	switch peer {
	case peerBleve:
		index = indexBleve
	case peerFTS5:
		index = indexFTS5
	default:
		return peerImportOutcome{Err: fmt.Sprintf("unknown peer %q", peer)}
	}
	t0 := time.Now()
	docs, failed, err := index(context.Background(), corpusDir, data)
	out := peerImportOutcome{Docs: docs, Failed: failed, Seconds: time.Since(t0).Seconds(), HWM: highWater()}
	if err != nil {
		out.Err = err.Error()
	}
	return out
}

// peerSearchChild opens peer's index at data and runs the queries of the
// file queriesPath (a peerQueries), from its Clients goroutines and then
// from one.
func peerSearchChild(peer, data, queriesPath string) peerSearchOutcome {
	b, err := os.ReadFile(queriesPath)
	if err != nil {
		return peerSearchOutcome{Err: err.Error()}
	}
	var qs peerQueries
	if err := json.Unmarshal(b, &qs); err != nil {
		return peerSearchOutcome{Err: "reading the queries: " + err.Error()}
	}
	var s peerSearcher
	switch peer {
	case peerBleve:
		s, err = openBleveSearcher(data)
	case peerFTS5:
		s, err = openFTS5Searcher(data, max(qs.Clients, 1))
	default:
		err = fmt.Errorf("unknown peer %q", peer)
	}
	if err != nil {
		return peerSearchOutcome{Err: err.Error()}
	}
	defer s.Close()
	var out peerSearchOutcome
	out.Search, out.SearchSerial = peerSearchLoad(context.Background(), s, qs)
	return out
}

// peerSearchLoad times the queries of qs against s as Engram's search
// load times app.Search: the warm-up untimed, then each call's wall time.
func peerSearchLoad(ctx context.Context, s peerSearcher, qs peerQueries) (conc, serial Latency) {
	parse := func(in []string) []peerQuery {
		out := make([]peerQuery, len(in))
		for i, q := range in {
			out[i] = parsePeerQuery(q)
		}
		return out
	}
	c, w, one := parse(qs.Concurrent), parse(qs.Warmup), parse(qs.Serial)
	call := func(q peerQuery) (bool, error) {
		n, err := s.search(q)
		if err != nil {
			return false, fmt.Errorf("%+v: %w", q, err)
		}
		return n == 0, nil
	}
	for _, q := range w {
		_, _ = call(q)
	}
	conc = concurrently(ctx, len(c), max(qs.Clients, 1), func(i int) (bool, error) { return call(c[i]) })
	serial = concurrently(ctx, len(one), 1, func(i int) (bool, error) { return call(one[i]) })
	return conc, serial
}
