package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/store/boltmap"
	"go.etcd.io/bbolt"
)

// Replace stores each contribution in place of the previous one from the
// same DocID, all in one transaction: the document's old nodes and edges are
// withdrawn and the new ones added. An edge is one quad however many
// documents contribute it; its count of contributions is kept, and the quad
// is deleted when the count reaches zero. A node's name and aliases are
// merged from every contribution that declares it (the most common name wins)
// and indexed for Resolve; a node no contribution declares any more is
// dropped, and edges still pointing at it are reported by Check.
//
// When a DocID appears twice in cs, the last contribution wins. An edge end
// must be a node of some contribution in cs or a node already in the graph.
// A bad ID (ErrInvalidDocID, ErrInvalidNode), an unknown predicate
// (ErrUnknownPredicate) or a dangling edge (ErrDanglingEdge) fails the whole
// call, and nothing of it is written.
func (g *Graph) Replace(ctx context.Context, cs []Contribution) error {
	ps, err := prepare(cs)
	if err != nil {
		return fmt.Errorf("replacing graph contributions: %w", err)
	}
	ids := make([]string, len(ps))
	news := make(map[string]*prepared, len(ps))
	for i, p := range ps {
		ids[i] = p.docID
		news[p.docID] = p
	}
	if err := g.write(ctx, ids, news); err != nil {
		return fmt.Errorf("replacing graph contributions: %w", err)
	}
	return nil
}

// Remove withdraws the contributions of docIDs, as Replace does, in one
// transaction. Unknown IDs are ignored.
func (g *Graph) Remove(ctx context.Context, docIDs []string) error {
	ids := make([]string, 0, len(docIDs))
	for _, id := range docIDs {
		if !validID(id) {
			return fmt.Errorf("removing graph contributions: %q: %w", id, ErrInvalidDocID)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if err := g.write(ctx, ids, nil); err != nil {
		return fmt.Errorf("removing graph contributions: %w", err)
	}
	return nil
}

// prepared is a validated, deduplicated Contribution.
type prepared struct {
	docID string
	hash  string
	nodes map[string]nodeView
	edges map[[3]string]struct{}
}

func (p *prepared) record() docRecord {
	r := docRecord{Hash: p.hash}
	for id := range p.nodes {
		r.Nodes = append(r.Nodes, id)
	}
	for e := range p.edges {
		r.Edges = append(r.Edges, e)
	}
	slices.Sort(r.Nodes)
	r.Views = make([]nodeView, len(r.Nodes))
	for i, id := range r.Nodes {
		r.Views[i] = p.nodes[id]
	}
	slices.SortFunc(r.Edges, func(a, b [3]string) int { return slices.Compare(a[:], b[:]) })
	return r
}

// prepare validates cs and merges repeated nodes and edges.
func prepare(cs []Contribution) ([]*prepared, error) {
	var out []*prepared
	at := make(map[string]int, len(cs))
	for _, c := range cs {
		if !validID(c.DocID) {
			return nil, fmt.Errorf("document %q: %w", c.DocID, ErrInvalidDocID)
		}
		p := &prepared{
			docID: c.DocID,
			hash:  c.Hash,
			nodes: make(map[string]nodeView, len(c.Nodes)),
			edges: make(map[[3]string]struct{}, len(c.Edges)),
		}
		for _, n := range c.Nodes {
			kind, ok := KindOf(n.ID)
			if !ok || !validID(n.ID) {
				return nil, fmt.Errorf("document %s: node %q: %w", c.DocID, n.ID, ErrInvalidNode)
			}
			if n.Kind != "" && n.Kind != kind {
				return nil, fmt.Errorf("document %s: node %q has kind %q: %w", c.DocID, n.ID, n.Kind, ErrInvalidNode)
			}
			v := p.nodes[n.ID]
			if name := strings.TrimSpace(n.Name); v.Name == "" {
				v.Name = name
			} else if name != "" {
				v.Aliases = append(v.Aliases, name)
			}
			v.Aliases = append(v.Aliases, n.Aliases...)
			p.nodes[n.ID] = v
		}
		for id, v := range p.nodes {
			p.nodes[id] = cleanView(v)
		}
		for _, e := range c.Edges {
			pred, err := ParsePredicate(string(e.Predicate))
			if err != nil {
				return nil, fmt.Errorf("document %s: edge %s -> %s: %w", c.DocID, e.From, e.To, err)
			}
			for _, end := range [2]string{e.From, e.To} {
				if _, ok := KindOf(end); !ok || !validID(end) {
					return nil, fmt.Errorf("document %s: edge end %q: %w", c.DocID, end, ErrInvalidNode)
				}
			}
			p.edges[[3]string{e.From, string(pred), e.To}] = struct{}{}
		}
		if i, ok := at[c.DocID]; ok {
			out[i] = p
			continue
		}
		at[c.DocID] = len(out)
		out = append(out, p)
	}
	return out, nil
}

// cleanView trims names and drops empty, repeated and redundant aliases.
func cleanView(v nodeView) nodeView {
	var aliases []string
	for _, a := range v.Aliases {
		a = strings.TrimSpace(a)
		if a != "" && a != v.Name && !slices.Contains(aliases, a) {
			aliases = append(aliases, a)
		}
	}
	slices.Sort(aliases)
	v.Aliases = aliases
	return v
}

// deltaSlice is how many quad changes go to Cayley at once within a write.
const deltaSlice = 2048

// write replaces the contributions of ids by news (a missing entry removes
// the contribution) in one bbolt transaction that Cayley's quad writes join.
func (g *Graph) write(ctx context.Context, ids []string, news map[string]*prepared) error {
	if err := g.beginAfterPromises(ctx); err != nil {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed.Load() {
		return ErrClosed
	}
	qs := g.qs.Load()
	applied := false
	err := g.db.Bolt().Update(func(tx *bbolt.Tx) error {
		w := writer{tx: tx}
		if err := w.checkEnds(news); err != nil {
			return err
		}
		deltas, err := w.apply(ids, news)
		if err != nil {
			return err
		}
		if len(deltas) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		unbind := g.kv.bind(tx)
		defer unbind()
		applied = true
		// In slices, dropping the pages each mapped (see boltmap): the
		// quads of a batch look up nodes all over the file, and would
		// otherwise leave most of it resident until the commit.
		for len(deltas) > 0 {
			n := min(len(deltas), deltaSlice)
			if err := qs.ApplyDeltas(deltas[:n], cgraph.IgnoreOpts{IgnoreDup: true, IgnoreMissing: true}); err != nil {
				return fmt.Errorf("writing quads: %w", err)
			}
			deltas = deltas[n:]
			if len(deltas) > 0 {
				boltmap.Release(tx)
			}
		}
		if len(ids) >= boltmap.LargeWrite {
			// An import's batches would otherwise leave the whole file
			// mapped into the process (see boltmap).
			boltmap.Release(tx)
		}
		return nil
	})
	if err != nil && applied {
		err = errors.Join(err, g.reloadQuadStore())
	}
	return err
}

// writer applies contributions to the side buckets inside one transaction.
type writer struct {
	tx *bbolt.Tx
}

// checkEnds returns ErrDanglingEdge for an edge whose end is declared by no
// contribution in news and is not a node of the graph.
func (w writer) checkEnds(news map[string]*prepared) error {
	nodes := w.tx.Bucket([]byte(bucketNodes))
	declared := func(id string) bool {
		for _, p := range news {
			if _, ok := p.nodes[id]; ok {
				return true
			}
		}
		return nodes.Get([]byte(id)) != nil
	}
	for _, p := range news {
		for e := range p.edges {
			for _, end := range [2]string{e[0], e[2]} {
				if _, ok := p.nodes[end]; ok {
					continue
				}
				if !declared(end) {
					return fmt.Errorf("document %s: edge %s %s %s: node %q: %w", p.docID, e[0], e[1], e[2], end, ErrDanglingEdge)
				}
			}
		}
	}
	return nil
}

// apply rewrites the side buckets and returns the quad changes: a quad is
// added when its count leaves zero and deleted when it returns to zero.
func (w writer) apply(ids []string, news map[string]*prepared) ([]cgraph.Delta, error) {
	docs := w.tx.Bucket([]byte(bucketDocs))
	edgeDelta := make(map[[3]string]int)
	nodeDelta := make(map[string]*viewDelta)
	delta := func(id string) *viewDelta {
		d := nodeDelta[id]
		if d == nil {
			d = &viewDelta{names: map[string]int{}, aliases: map[string]int{}}
			nodeDelta[id] = d
		}
		return d
	}
	for _, id := range ids {
		if v := docs.Get([]byte(id)); v != nil {
			old, err := decodeDocRecord(v)
			if err != nil {
				return nil, fmt.Errorf("reading contribution %s: %w", id, err)
			}
			for i, n := range old.Nodes {
				delta(n).add(old.Views[i], -1)
			}
			for _, e := range old.Edges {
				edgeDelta[e]--
			}
		}
		p, ok := news[id]
		if !ok {
			if err := docs.Delete([]byte(id)); err != nil {
				return nil, err
			}
			continue
		}
		for n, v := range p.nodes {
			delta(n).add(v, +1)
		}
		for e := range p.edges {
			edgeDelta[e]++
		}
		if err := docs.Put([]byte(id), p.record().encode()); err != nil {
			return nil, err
		}
	}

	ns := make([]string, 0, len(nodeDelta))
	for n := range nodeDelta {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	for _, n := range ns {
		if err := w.updateNode(n, nodeDelta[n]); err != nil {
			return nil, fmt.Errorf("indexing node %s: %w", n, err)
		}
	}

	es := make([][3]string, 0, len(edgeDelta))
	for e, d := range edgeDelta {
		if d != 0 {
			es = append(es, e)
		}
	}
	slices.SortFunc(es, func(a, b [3]string) int { return slices.Compare(a[:], b[:]) })
	edges, edgesIn := w.tx.Bucket([]byte(bucketEdges)), w.tx.Bucket([]byte(bucketEdgesIn))
	var deltas []cgraph.Delta
	for _, e := range es {
		k, kIn := edgeKey(e[0], Predicate(e[1]), e[2]), edgeInKey(e[0], Predicate(e[1]), e[2])
		old := int64(decodeCount(edges.Get(k)))
		n := max(old+int64(edgeDelta[e]), 0)
		q := quad.Quad{Subject: quad.IRI(e[0]), Predicate: quad.IRI(e[1]), Object: quad.IRI(e[2])}
		switch {
		case n == 0:
			if err := errors.Join(edges.Delete(k), edgesIn.Delete(kIn)); err != nil {
				return nil, err
			}
			if old > 0 {
				deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Delete})
			}
		default:
			c := encodeCount(uint64(n))
			if err := errors.Join(edges.Put(k, c), edgesIn.Put(kIn, c)); err != nil {
				return nil, err
			}
			if old == 0 {
				deltas = append(deltas, cgraph.Delta{Quad: q, Action: cgraph.Add})
			}
		}
	}
	return deltas, nil
}

// viewDelta is the change a write makes to the declarations of one node.
type viewDelta struct {
	docs           int
	names, aliases map[string]int
}

func (d *viewDelta) add(v nodeView, sign int) {
	d.docs += sign
	if v.Name != "" {
		d.names[v.Name] += sign
	}
	for _, a := range v.Aliases {
		d.aliases[a] += sign
	}
}

// updateNode applies d to a node's record and name index entries, and drops
// them when no contribution declares the node any more.
func (w writer) updateNode(id string, d *viewDelta) error {
	nodes := w.tx.Bucket([]byte(bucketNodes))
	names := w.tx.Bucket([]byte(bucketNames))
	rec, existed, err := getNode(nodes, id)
	if err != nil {
		return err
	}
	before := map[string]byte{}
	if existed {
		before = nameEntries(id, rec)
	}
	rec.Docs += d.docs
	rec.NameCounts = addCounts(rec.NameCounts, d.names)
	rec.AliasCounts = addCounts(rec.AliasCounts, d.aliases)
	after := map[string]byte{}
	if rec.Docs <= 0 {
		if err := nodes.Delete([]byte(id)); err != nil {
			return err
		}
	} else {
		rec.Kind, _ = KindOf(id)
		rec.Name = ""
		for name, n := range rec.NameCounts {
			if best := rec.NameCounts[rec.Name]; rec.Name == "" || n > best || n == best && name < rec.Name {
				rec.Name = name
			}
		}
		rec.Aliases = rec.Aliases[:0]
		for _, m := range [2]map[string]int{rec.NameCounts, rec.AliasCounts} {
			for a := range m {
				if a != rec.Name && !slices.Contains(rec.Aliases, a) {
					rec.Aliases = append(rec.Aliases, a)
				}
			}
		}
		slices.Sort(rec.Aliases)
		if len(rec.Aliases) == 0 {
			rec.Aliases = nil
		}
		if err := nodes.Put([]byte(id), mustJSON(rec)); err != nil {
			return err
		}
		after = nameEntries(id, rec)
	}
	for norm, typ := range before {
		if after[norm] != typ {
			if err := names.Delete(nameKey(norm, id)); err != nil {
				return err
			}
		}
	}
	for norm, typ := range after {
		if before[norm] != typ {
			if err := names.Put(nameKey(norm, id), []byte{typ}); err != nil {
				return err
			}
		}
	}
	return nil
}

// addCounts adds d to m, dropping counts that reach zero.
func addCounts(m, d map[string]int) map[string]int {
	if m == nil && len(d) > 0 {
		m = make(map[string]int, len(d))
	}
	for k, n := range d {
		if m[k] += n; m[k] <= 0 {
			delete(m, k)
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// nameEntries returns the normalised strings a node is found by, each with
// the best way it matches: by name, by alias, or by the key of its ID.
func nameEntries(id string, rec nodeRecord) map[string]byte {
	out := make(map[string]byte)
	add := func(s string, typ byte) {
		norm := document.NormalizeName(s)
		if norm == "" || len(norm) > maxNameKeyLen || strings.ContainsRune(norm, sep) {
			return
		}
		if old, ok := out[norm]; !ok || rank(typ) < rank(old) {
			out[norm] = typ
		}
	}
	if _, key, ok := strings.Cut(id, ":"); ok {
		add(key, nameByKey)
	}
	for _, a := range rec.Aliases {
		add(a, nameByAlias)
	}
	add(rec.Name, nameByName)
	return out
}

func rank(typ byte) int {
	switch typ {
	case nameByName:
		return 0
	case nameByAlias:
		return 1
	default:
		return 2
	}
}
