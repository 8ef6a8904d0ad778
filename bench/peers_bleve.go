package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/standard"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// The raw lean Bleve peer is the least an indexer on Bleve does with the
// corpus: net/mail, four text fields with Bleve's standard analyzer, no
// _all field, nothing dynamic, no doc values, and positions only where the
// query mix's phrases need them. It is the bench's own code on Bleve, not
// Engram's search package, so the comparison shows what Engram adds to it.

// leanBleveMapping is the peer's mapping: subject (stored, for a result
// list) and body with positions, because Bleve's phrase searcher needs
// them; from and to without, as no phrase query runs on them.
func leanBleveMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = standard.Name
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	field := func(store, positions bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: standard.Name, Index: true, Store: store, IncludeTermVectors: positions}
	}
	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("subject", field(true, true))
	dm.AddFieldMappingsAt("body", field(false, true))
	dm.AddFieldMappingsAt("from", field(false, false))
	dm.AddFieldMappingsAt("to", field(false, false))
	im.DefaultMapping = dm
	return im
}

// indexBleve indexes the Maildir under dir into a new Bleve index (scorch,
// Bleve's defaults) at path: peerParsers goroutines parse, peerWriters
// goroutines each fill batches of peerBatch messages and commit them. It
// returns once the index is closed, with the messages indexed and the
// files that did not parse.
func indexBleve(ctx context.Context, dir, path string) (docs, failed int, err error) {
	idx, err := bleve.New(path, leanBleveMapping())
	if err != nil {
		return 0, 0, fmt.Errorf("creating the Bleve index: %w", err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	msgs := make(chan peerMsg, 2*peerBatch)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		werr    error
		indexed int
	)
	for range peerWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := idx.NewBatch()
			n := 0
			flush := func() bool {
				if b.Size() == 0 {
					return true
				}
				err := idx.Batch(b)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					werr = errors.Join(werr, err)
					cancel()
					return false
				}
				indexed += n
				n = 0
				b.Reset()
				return true
			}
			for m := range msgs {
				err := b.Index(m.id, map[string]any{"subject": m.subject, "body": m.body, "from": m.from, "to": m.to})
				if err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
					continue
				}
				if n++; b.Size() >= peerBatch && !flush() {
					break
				}
			}
			for range msgs { // after a failed batch: let the walk end
			}
			flush()
		}()
	}
	parseFailed, walkErr := walkMessages(ctx, dir, msgs)
	wg.Wait()
	cerr := idx.Close()
	mu.Lock()
	defer mu.Unlock()
	if walkErr != nil && werr == nil {
		werr = fmt.Errorf("walking %s: %w", dir, walkErr)
	}
	return indexed, failed + parseFailed, errors.Join(werr, cerr)
}

// bleveSearcher answers the query mix on a lean index.
type bleveSearcher struct{ idx bleve.Index }

func openBleveSearcher(path string) (*bleveSearcher, error) {
	idx, err := bleve.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening the Bleve index: %w", err)
	}
	return &bleveSearcher{idx: idx}, nil
}

func (s *bleveSearcher) Close() error { return s.idx.Close() }

// search asks for the top 10 by score, with their subjects, as a result
// list shows them.
func (s *bleveSearcher) search(q peerQuery) (int, error) {
	req := bleve.NewSearchRequestOptions(q.bleveQuery(), 10, 0, false)
	req.Fields = []string{"subject"}
	res, err := s.idx.SearchInContext(context.Background(), req)
	if err != nil {
		return 0, err
	}
	return len(res.Hits), nil
}

// bleveQuery is q for the lean mapping: a word matches in the subject or
// the body and every word must match; a phrase is a match-phrase query on
// either; from: is a match query on from with every token of the address
// required; a prefix is a prefix query on either.
func (q peerQuery) bleveQuery() query.Query {
	text := func(f func(field string) query.Query) query.Query {
		return bleve.NewDisjunctionQuery(f("subject"), f("body"))
	}
	var must []query.Query
	if q.from != "" {
		m := bleve.NewMatchQuery(q.from)
		m.SetField("from")
		m.SetOperator(query.MatchQueryOperatorAnd)
		must = append(must, m)
	}
	if q.phrase != "" {
		must = append(must, text(func(f string) query.Query {
			p := bleve.NewMatchPhraseQuery(q.phrase)
			p.SetField(f)
			return p
		}))
	}
	if q.prefix != "" {
		must = append(must, text(func(f string) query.Query {
			p := bleve.NewPrefixQuery(q.prefix)
			p.SetField(f)
			return p
		}))
	}
	for _, w := range q.words {
		must = append(must, text(func(f string) query.Query {
			m := bleve.NewMatchQuery(w)
			m.SetField(f)
			return m
		}))
	}
	if len(must) == 1 {
		return must[0]
	}
	return bleve.NewConjunctionQuery(must...)
}
