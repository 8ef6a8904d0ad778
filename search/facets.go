package search

import (
	"context"
	"strings"

	index "github.com/blevesearch/bleve_index_api"
)

// namesChecked is how many documents of an address are read to find the
// name that goes with it.
const namesChecked = 5

// namePeople turns the person facet's keys (lower-cased addresses, or
// names where a participant had no address) into what a user reads: the
// name found with the address in the stored From and To of its first
// documents, the address where none has one. The address stays in
// Facet.Address.
func namePeople(ctx context.Context, r index.IndexReader, fs []Facet) []Facet {
	sr := newStoredReader(r)
	out := make([]Facet, len(fs))
	for i, f := range fs {
		out[i] = f
		if !strings.Contains(f.Value, "@") {
			continue
		}
		out[i].Address = f.Value
		if name := nameOf(ctx, r, sr, f.Value); name != "" {
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
