package search

import (
	"context"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

// namesChecked is how many documents of an address are read to find the
// name that goes with it.
const namesChecked = 5

// nameCacheSize is how many names of addresses an index keeps: the
// person facet names its ten values on every search that counts it, and
// finding a name reads up to namesChecked documents.
const nameCacheSize = 4096

// nameKey identifies the name of an address: the index's directory (its
// workspace) and write counter, as for results, and the address.
type nameKey struct {
	index   string
	version uint64
	addr    string
}

// namePeople turns the person facet's keys (lower-cased addresses, or
// names where a participant had no address) into what a user reads: the
// name found with the address in the stored From and To of its first
// documents, the address where none has one. The address stays in
// Facet.Address. Names are cached by index version.
func (ix *Index) namePeople(ctx context.Context, r index.IndexReader, version uint64, fs []Facet) []Facet {
	var sr *storedReader
	out := make([]Facet, len(fs))
	for i, f := range fs {
		out[i] = f
		if !strings.Contains(f.Value, "@") {
			continue
		}
		out[i].Address = f.Value
		key := nameKey{index: ix.dir, version: version, addr: f.Value}
		name, ok := ix.names.Get(key)
		if !ok {
			if sr == nil {
				sr = newStoredReader(r)
			}
			name = nameOf(ctx, r, sr, f.Value)
			if ctx.Err() == nil {
				ix.names.Add(key, name)
			}
		}
		if name != "" {
			out[i].Value = name
		}
	}
	return out
}

// nameOf returns the name that goes with addr in the first documents
// that hold it, or "".
func nameOf(ctx context.Context, r index.IndexReader, sr *storedReader, addr string) string {
	tfr, err := r.TermFieldReader(ctx, []byte(addr), fPerson, false, false, false)
	if err != nil {
		return ""
	}
	defer tfr.Close()
	var tfd index.TermFieldDoc
	for n := 0; n < namesChecked; n++ {
		next, err := tfr.Next(&tfd)
		if err != nil || next == nil {
			return ""
		}
		id, err := r.ExternalID(next.ID)
		if err != nil {
			return ""
		}
		d, ok, err := sr.load(id, next.ID, false)
		if err != nil || !ok {
			continue
		}
		for _, p := range append([]string{d.from}, d.to...) {
			if pp := parsePerson(p); pp.Address == addr && pp.Name != "" {
				return pp.Name
			}
		}
	}
	return ""
}
