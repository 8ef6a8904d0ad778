package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/facet"
	index "github.com/blevesearch/bleve_index_api"
)

// Facet counts without doc values.
//
// Bleve counts a terms facet by visiting each hit's doc values: the
// chunk of documents holding it is snappy-decoded and its terms are
// copied into a map of strings. At 100,000 messages that was 70% of a
// search's time with facets, and its p99 was ten times the search's
// without. A segment never changes once written, so its terms are read
// once, from its dictionary and postings, into a table of each
// document's term numbers (segFacets); a search then counts a hit with a
// few array increments. The tables of a snapshot's segments are joined
// by one sorted list of terms per field (facetSet), so the counts of all
// segments add up in one array.

// facetField is one facet: its name in Result.Facets, its indexed field
// and how many values it returns.
type facetField struct {
	name, field string
	size        int
}

// nFacets is how many facets a search counts.
const nFacets = 3

// facetFields returns the facets of a search, in a fixed order.
func facetFields() [nFacets]facetField {
	return [nFacets]facetField{
		{FacetSource, fSource, 10},
		{FacetPerson, fPerson, 10},
		{FacetYear, fYear, 50},
	}
}

// docTerms holds the numbers of each document's terms: doc's are
// ords[start[doc]:start[doc+1]].
type docTerms struct {
	start []uint32
	ords  []uint32
}

// of returns the term numbers of doc, none for a number past the table.
func (t *docTerms) of(doc uint64) []uint32 {
	if doc+1 >= uint64(len(t.start)) {
		return nil
	}
	return t.ords[t.start[doc]:t.start[doc+1]]
}

// fieldOrds is one field of one segment: its terms in dictionary order,
// and each document's, numbered in that order.
type fieldOrds struct {
	terms []string
	docTerms
}

// segFacets is the facet fields of one segment.
type segFacets [nFacets]fieldOrds

// facetSet joins the segments of one snapshot. Every term of every facet
// field has one number: the fields one after another, each field's terms
// over all the segments sorted, so that a lower number within a field is
// an earlier term. For each segment, docs holds each document's term
// numbers of all three fields together: a hit is counted by one walk.
type facetSet struct {
	terms  [nFacets][]string
	base   [nFacets]uint32 // the number of each field's first term
	docs   []docTerms      // per segment
	starts []uint64        // first internal number of each segment
	total  int             // terms of all fields
}

// segFacetKey names a segment's table: the index's directory (each Index
// owns its cache, but the key says whose it is all the same) and scorch's
// id of the segment, which is never reused within an index.
type segFacetKey struct {
	index   string
	segment uint64
}

// facetSetKey names a facetSet: the index's directory and the ids of the
// snapshot's segments in order. A merge changes the segments without a
// write, so the index's version would not do.
type facetSetKey struct {
	index    string
	segments string
}

// Cache sizes. An index of a million messages keeps about ten large
// segments and a few small ones; a table costs about 36 bytes a message,
// and a facetSet as much again for its joined copy: a set is of one
// snapshot's segments, and only the newest is asked for once the index
// changes.
const (
	segFacetCacheSize = 64
	facetSetCacheSize = 2
)

// facetCounter returns a counter over the snapshot r, or nil when r is
// not a scorch snapshot (Bleve's facets builder then counts).
func (ix *Index) facetCounter(ctx context.Context, r index.IndexReader) (*facetCounter, error) {
	is, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, nil
	}
	segs := is.Segments()
	var ids strings.Builder
	for _, ss := range segs {
		ids.WriteString(strconv.FormatUint(ss.Id(), 36))
		ids.WriteByte(',')
	}
	key := facetSetKey{index: ix.dir, segments: ids.String()}
	set, ok := ix.facetSets.Get(key)
	if !ok {
		var err error
		if set, err = ix.buildFacetSet(ctx, segs); err != nil {
			return nil, err
		}
		ix.facetSets.Add(key, set)
	}
	return &facetCounter{set: set, counts: make([]uint32, set.total)}, nil
}

// buildFacetSet joins the tables of segs, reading those not cached.
func (ix *Index) buildFacetSet(ctx context.Context, segs []*scorch.SegmentSnapshot) (*facetSet, error) {
	set := &facetSet{docs: make([]docTerms, len(segs)), starts: segmentStarts(segs)}
	tables := make([]*segFacets, len(segs))
	for i, ss := range segs {
		key := segFacetKey{index: ix.dir, segment: ss.Id()}
		sf, ok := ix.segFacets.Get(key)
		if !ok {
			var err error
			if sf, err = readSegFacets(ctx, ss); err != nil {
				return nil, err
			}
			ix.segFacets.Add(key, sf)
		}
		tables[i] = sf
	}
	remap := make([][nFacets][]uint32, len(segs))
	for f := range nFacets {
		var all []string
		for _, sf := range tables {
			all = append(all, sf[f].terms...)
		}
		slices.Sort(all)
		all = slices.Compact(all)
		set.terms[f] = all
		set.base[f] = uint32(set.total)
		set.total += len(all)
		for i, sf := range tables {
			// Both lists are sorted: one walk numbers the segment's terms.
			m := make([]uint32, len(sf[f].terms))
			g := 0
			for j, t := range sf[f].terms {
				for all[g] != t {
					g++
				}
				m[j] = set.base[f] + uint32(g)
			}
			remap[i][f] = m
		}
	}
	if set.total >= 1<<32-1 {
		return nil, fmt.Errorf("%d facet terms are too many to count", set.total)
	}
	for i, sf := range tables {
		n := uint64(len(sf[0].start) - 1)
		dt := docTerms{start: make([]uint32, 1, n+1)}
		for d := range n {
			for f := range nFacets {
				for _, o := range sf[f].of(d) {
					dt.ords = append(dt.ords, remap[i][f][o])
				}
			}
			dt.start = append(dt.start, uint32(len(dt.ords)))
		}
		set.docs[i] = dt
	}
	return set, nil
}

// readSegFacets reads the facet fields of one segment from its
// dictionaries and postings. Deleted documents are read too: a search
// never returns them.
func readSegFacets(ctx context.Context, ss *scorch.SegmentSnapshot) (*segFacets, error) {
	n := ss.Segment().Count()
	if n >= 1<<32-1 {
		return nil, fmt.Errorf("a segment of %d documents is too large to count facets on", n)
	}
	sf := &segFacets{}
	for f, ff := range facetFields() {
		fo, err := readFieldOrds(ctx, ss, ff.field, n)
		if err != nil {
			return nil, fmt.Errorf("reading the %s terms of a segment: %w", ff.field, err)
		}
		sf[f] = fo
	}
	return sf, nil
}

// readFieldOrds reads one field of a segment of n documents: its terms,
// and for each term the documents holding it, turned into each
// document's terms.
func readFieldOrds(ctx context.Context, ss *scorch.SegmentSnapshot, field string, n uint64) (fieldOrds, error) {
	var fo fieldOrds
	d, err := ss.Segment().Dictionary(field)
	if err != nil {
		return fo, err
	}
	var docs, ords []uint32 // a (document, term) pair each, term by term
	it := d.AutomatonIterator(nil, nil, nil)
	for {
		e, err := it.Next()
		if err != nil {
			return fo, err
		}
		if e == nil {
			break
		}
		if len(fo.terms)%256 == 0 {
			if err := ctx.Err(); err != nil {
				return fo, err
			}
		}
		ord := uint32(len(fo.terms))
		fo.terms = append(fo.terms, e.Term)
		pl, err := d.PostingsList([]byte(e.Term), nil, nil)
		if err != nil {
			return fo, err
		}
		pit := pl.Iterator(false, false, false, nil)
		for {
			p, err := pit.Next()
			if err != nil {
				return fo, err
			}
			if p == nil {
				break
			}
			if p.Number() >= n {
				return fo, fmt.Errorf("a posting names document %d of a segment of %d", p.Number(), n)
			}
			docs = append(docs, uint32(p.Number()))
			ords = append(ords, ord)
		}
	}
	// The pairs, term by term, into a table document by document.
	fo.start = make([]uint32, n+1)
	for _, doc := range docs {
		fo.start[doc+1]++
	}
	for i := uint64(1); i <= n; i++ {
		fo.start[i] += fo.start[i-1]
	}
	fill := slices.Clone(fo.start[:n])
	fo.ords = make([]uint32, len(ords))
	for i, doc := range docs {
		fo.ords[fill[doc]] = ords[i]
		fill[doc]++
	}
	return fo, nil
}

// facetCounter counts the facet values of the hits of one search.
type facetCounter struct {
	set     *facetSet
	counts  []uint32 // by term number
	touched []uint32 // the terms counted, in first-seen order
	seg     int
}

// add counts the document with internal id iid.
func (fc *facetCounter) add(iid index.IndexInternalID) {
	if len(iid) != 8 {
		return
	}
	num := binary.BigEndian.Uint64(iid)
	st := fc.set.starts
	// Hits come in internal-id order: the segment is the last one's or a
	// later one.
	if num < st[fc.seg] {
		fc.seg = 0
	}
	for fc.seg+1 < len(st) && num >= st[fc.seg+1] {
		fc.seg++
	}
	counts := fc.counts
	for _, g := range fc.set.docs[fc.seg].of(num - st[fc.seg]) {
		if counts[g] == 0 {
			fc.touched = append(fc.touched, g)
		}
		counts[g]++
	}
}

// results returns each facet's values as Bleve's terms facet orders
// them: more documents first, then by term.
func (fc *facetCounter) results() map[string][]Facet {
	out := make(map[string][]Facet, nFacets)
	counts := fc.counts
	// better reports whether term a ranks before term b of the same
	// field; a lower number is an earlier term.
	better := func(a, b uint32) bool {
		if counts[a] != counts[b] {
			return counts[a] > counts[b]
		}
		return a < b
	}
	var top [nFacets][]uint32 // best first, at most the field's size
	fields := facetFields()
	for _, g := range fc.touched {
		f := nFacets - 1
		for f > 0 && g < fc.set.base[f] {
			f--
		}
		t := top[f]
		if len(t) == fields[f].size && !better(g, t[len(t)-1]) {
			continue
		}
		i, _ := slices.BinarySearchFunc(t, g, func(e, x uint32) int {
			if better(e, x) {
				return -1
			}
			return 1
		})
		t = slices.Insert(t, i, g)
		if len(t) > fields[f].size {
			t = t[:fields[f].size]
		}
		top[f] = t
	}
	for f, ff := range fields {
		var fs []Facet
		for _, g := range top[f] {
			fs = append(fs, Facet{Value: fc.set.terms[f][g-fc.set.base[f]], Count: int(counts[g])})
		}
		out[ff.name] = fs
	}
	return out
}

// countingSearcher counts each match of its searcher into fc.
type countingSearcher struct {
	bsearch.Searcher
	fc *facetCounter
}

// countMatches returns s counting each of its matches into fc. A searcher
// that skips matches under a floor (see floorer) stays one, and counts
// those it skips too.
func countMatches(s bsearch.Searcher, fc *facetCounter) bsearch.Searcher {
	cs := countingSearcher{Searcher: s, fc: fc}
	if fl, ok := s.(floorer); ok {
		fl.onSkip(fc.add)
		return countingFloorer{countingSearcher: cs, fl: fl}
	}
	return cs
}

func (s countingSearcher) Next(sctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Next(sctx)
	if dm != nil {
		s.fc.add(dm.IndexInternalID)
	}
	return dm, err
}

func (s countingSearcher) Advance(sctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.Searcher.Advance(sctx, id)
	if dm != nil {
		s.fc.add(dm.IndexInternalID)
	}
	return dm, err
}

// countingFloorer is a countingSearcher over a floorer.
type countingFloorer struct {
	countingSearcher
	fl floorer
}

func (s countingFloorer) setFloor(score float64)               { s.fl.setFloor(score) }
func (s countingFloorer) skipped() uint64                      { return s.fl.skipped() }
func (s countingFloorer) onSkip(f func(index.IndexInternalID)) { s.fl.onSkip(f) }

// bleveFacets is Bleve's builder of the same facets, for a snapshot that
// is not scorch's.
func bleveFacets(r index.IndexReader) *bsearch.FacetsBuilder {
	fb := bsearch.NewFacetsBuilder(r)
	for _, ff := range facetFields() {
		fb.Add(ff.name, facet.NewTermsFacetBuilder(ff.field, ff.size))
	}
	return fb
}

// facetsOfBleve turns Bleve's facet results into Result.Facets.
func facetsOfBleve(frs bsearch.FacetResults) map[string][]Facet {
	out := map[string][]Facet{}
	for name, fr := range frs {
		var fs []Facet
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				fs = append(fs, Facet{Value: t.Term, Count: t.Count})
			}
		}
		out[name] = fs
	}
	return out
}
