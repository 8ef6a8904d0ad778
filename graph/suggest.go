package graph

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
	"go.etcd.io/bbolt"
)

// Suggestion bounds: a suggestion list is short, and finding it reads a
// bounded run of the name index however many names share a prefix.
const (
	maxSuggest     = 50   // nodes Suggest returns
	maxSuggestScan = 4000 // name index entries one Suggest reads
)

// Suggest returns up to limit nodes (10 when 0 or less, at most 50) whose
// name, alias or ID key starts with prefix, ignoring case and spacing, for
// a box that completes names as they are typed: the nodes more
// contributions declare first, then by name. Placeholder notes (a link to a
// note not imported) are left out. An empty prefix gives no nodes.
func (g *Graph) Suggest(ctx context.Context, prefix string, limit int) ([]Node, error) {
	if err := g.beginAfterPromises(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 10
	}
	limit = min(limit, maxSuggest)
	norm := document.NormalizeName(prefix)
	if norm == "" {
		return nil, nil
	}
	var out []Node
	err := g.db.Bolt().View(func(tx *bbolt.Tx) error {
		var err error
		out, err = suggest(tx, norm, limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("suggesting names for %q: %w", prefix, err)
	}
	return out, nil
}

// Similar returns up to limit nodes whose names are close to name, for a
// "did you mean" under a name nothing matches: those sharing the longest
// prefix with it (the whole name, its first word, its first three
// letters, its first letter), closest in spelling first.
func (g *Graph) Similar(ctx context.Context, name string, limit int) ([]Node, error) {
	if err := g.beginAfterPromises(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 5
	}
	limit = min(limit, maxSuggest)
	norm := document.NormalizeName(name)
	if norm == "" {
		return nil, nil
	}
	var out []Node
	err := g.db.Bolt().View(func(tx *bbolt.Tx) error {
		for _, p := range prefixesOf(norm) {
			ns, err := suggest(tx, p, maxSuggest)
			if err != nil {
				return err
			}
			if len(ns) == 0 {
				continue
			}
			slices.SortStableFunc(ns, func(a, b Node) int {
				return cmp.Compare(distance(norm, document.NormalizeName(a.Name)), distance(norm, document.NormalizeName(b.Name)))
			})
			out = ns[:min(limit, len(ns))]
			return nil
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("names like %q: %w", name, err)
	}
	return out, nil
}

// prefixesOf returns the prefixes Similar tries, longest first, without repeats.
func prefixesOf(norm string) []string {
	var out []string
	add := func(p string) {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	add(norm)
	first, _, _ := strings.Cut(norm, " ")
	add(first)
	runes := 0
	for i := range norm {
		if runes == 3 {
			add(norm[:i])
			break
		}
		runes++
	}
	_, size := utf8.DecodeRuneInString(norm)
	add(norm[:size])
	return out
}

func suggest(tx *bbolt.Tx, norm string, limit int) ([]Node, error) {
	nodes := tx.Bucket([]byte(bucketNodes))
	c := tx.Bucket([]byte(bucketNames)).Cursor()
	p := []byte(norm)
	seen := map[string]bool{}
	var recs []Node
	docs := map[string]int{}
	n := 0
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p) && n < maxSuggestScan; k, _ = c.Next() {
		n++
		id := nodeIDOfNameKey(k)
		if seen[id] || strings.HasPrefix(id, "document:note:") {
			continue
		}
		seen[id] = true
		rec, ok, err := getNode(nodes, id)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		docs[id] = rec.Docs
		recs = append(recs, rec.node(id))
	}
	slices.SortFunc(recs, func(a, b Node) int {
		return cmp.Or(cmp.Compare(docs[b.ID], docs[a.ID]), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	return recs[:min(limit, len(recs))], nil
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
