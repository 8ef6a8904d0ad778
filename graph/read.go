package graph

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	"github.com/engram-app/engram/document"
	"go.etcd.io/bbolt"
)

// Query bounds. They keep every query's memory bounded however large the
// graph or however connected a hub node is.
const (
	maxResolve      = 50      // nodes Resolve returns
	defaultLimit    = 200     // neighbours returned when NeighborQuery.Limit is 0
	maxLimit        = 10000   // largest NeighborQuery.Limit honoured
	maxDepth        = 3       // largest NeighborQuery.Depth honoured
	defaultPathHops = 3       // Path's maxDepth when 0 or less
	maxPathHops     = 6       // largest Path maxDepth honoured
	maxVisitedEdges = 100_000 // edges one query may walk before it stops expanding
	maxFrontier     = 24      // strongest neighbours a deeper step of Neighbors goes on from
)

// Directions of a Neighbor or Step, relative to the node it was reached from.
const (
	Out = "out" // the edge goes from the node reached from to this one
	In  = "in"  // the edge comes into the node reached from
)

// NeighborQuery selects the neighbours Neighbors returns.
type NeighborQuery struct {
	Depth      int         // hops to follow: 1 when 0, at most 3
	Predicates []Predicate // edges to follow; none means all
	Limit      int         // neighbours to return: 200 when 0, at most 10000
}

// Neighbor is a node reached from the start node.
type Neighbor struct {
	Node      Node      `json:"node"`
	Predicate Predicate `json:"predicate"`
	Direction string    `json:"direction"` // Out or In, relative to Via
	Count     int       `json:"count"`     // contributions behind the edge
	Depth     int       `json:"depth"`
	Via       string    `json:"via"` // ID of the node it was reached from
}

// Step is one edge of a path, walked from From to To. Direction is Out when
// the edge goes from From to To, In when it goes the other way.
type Step struct {
	From      Node      `json:"from"`
	Predicate Predicate `json:"predicate"`
	To        Node      `json:"to"`
	Direction string    `json:"direction"`
}

// Stats counts the graph.
type Stats struct {
	Nodes int `json:"nodes"` // node records
	Edges int `json:"edges"` // distinct edges, that is quads
}

// Problem is an inconsistency found by Check.
type Problem struct {
	Kind   string `json:"kind"` // ProblemDanglingEdge or ProblemEdgeCount
	Edge   Edge   `json:"edge,omitzero"`
	NodeID string `json:"node_id,omitempty"` // the missing end of a dangling edge
	Detail string `json:"detail"`
}

// Kinds of Problem.
const (
	ProblemDanglingEdge = "dangling_edge" // an edge end has no node record
	ProblemEdgeCount    = "edge_count"    // edge counts and quads disagree
	ProblemNodeRecord   = "node_record"   // a node record cannot be read
)

// Resolve returns the nodes a name designates, best matches first: the node
// with that ID; nodes with that exact name, then alias; with that name or
// alias ignoring case and spacing (document.NormalizeName); whose ID key is
// the name (an email address, a tag); then the same for the bare address of
// an email ("Jeff <jeff@enron.com>") and for "Last, First" as "First Last".
// Ties go to the node more contributions declare. No match is an empty
// result, not an error.
func (g *Graph) Resolve(ctx context.Context, name string) ([]Node, error) {
	if err := g.beginAfterPromises(ctx); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil
	}
	var out []Node
	err := g.db.Bolt().View(func(tx *bbolt.Tx) error {
		var err error
		out, err = resolve(tx, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("resolving %q: %w", name, err)
	}
	if len(out) == 0 {
		// an edge end nobody declares still has its quads
		if kind, ok := KindOf(name); ok && g.qs.Load().ValueOf(quad.IRI(name)) != nil {
			out = []Node{{ID: name, Kind: kind}}
		}
	}
	return out, nil
}

func resolve(tx *bbolt.Tx, name string) ([]Node, error) {
	type match struct {
		rec  nodeRecord
		rank int
	}
	best := make(map[string]match)
	nodes := tx.Bucket([]byte(bucketNodes))
	consider := func(id string, rec nodeRecord, rank int) {
		if m, ok := best[id]; !ok || rank < m.rank {
			best[id] = match{rec: rec, rank: rank}
		}
	}
	if rec, ok, err := getNode(nodes, name); err != nil {
		return nil, err
	} else if ok {
		consider(name, rec, 0)
	}
	names := tx.Bucket([]byte(bucketNames)).Cursor()
	lookup := func(q string, base int) error {
		norm := document.NormalizeName(q)
		if norm == "" {
			return nil
		}
		prefix := nameKey(norm, "")
		for k, v := names.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = names.Next() {
			id := nodeIDOfNameKey(k)
			rec, ok, err := getNode(nodes, id)
			if err != nil {
				return err
			} else if !ok {
				continue
			}
			r := base + 4 // by the key of the ID
			switch {
			case len(v) == 1 && v[0] == nameByName:
				r = base + 2
				if rec.Name == q {
					r = base
				}
			case len(v) == 1 && v[0] == nameByAlias:
				r = base + 3
				if slices.Contains(rec.Aliases, q) {
					r = base + 1
				}
			}
			consider(id, rec, r)
		}
		return nil
	}
	if err := lookup(name, 1); err != nil {
		return nil, err
	}
	if a, err := mail.ParseAddress(name); err == nil && a.Address != name {
		if err := lookup(strings.ToLower(a.Address), 6); err != nil {
			return nil, err
		}
	}
	if last, first, ok := strings.Cut(name, ","); ok && !strings.Contains(first, ",") {
		if err := lookup(strings.TrimSpace(first)+" "+strings.TrimSpace(last), 11); err != nil {
			return nil, err
		}
	}

	ids := make([]string, 0, len(best))
	for id := range best {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int {
		ma, mb := best[a], best[b]
		return cmp.Or(cmp.Compare(ma.rank, mb.rank), cmp.Compare(mb.rec.Docs, ma.rec.Docs), cmp.Compare(a, b))
	})
	if len(ids) > maxResolve {
		ids = ids[:maxResolve]
	}
	out := make([]Node, len(ids))
	for i, id := range ids {
		out[i] = best[id].rec.node(id)
	}
	return out, nil
}

func (r nodeRecord) node(id string) Node {
	kind := r.Kind
	if kind == "" {
		kind, _ = KindOf(id)
	}
	return Node{ID: id, Kind: kind, Name: r.Name, Aliases: r.Aliases}
}

func getNode(nodes *bbolt.Bucket, id string) (nodeRecord, bool, error) {
	v := nodes.Get([]byte(id))
	if v == nil {
		return nodeRecord{}, false, nil
	}
	var rec nodeRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return nodeRecord{}, false, fmt.Errorf("reading node %s: %w", id, err)
	}
	return rec, true, nil
}

// Neighbors returns the node name resolves to (its best match) and the nodes
// around it, up to q.Depth hops away over the predicates of q. A neighbour
// appears once per (node, predicate, direction); nearer ones come first, then
// those with more contributions, then by name. The start node itself is not
// listed. No match for name is an error wrapping ErrNotFound; an unknown
// predicate is ErrUnknownPredicate; a predicate with no edges yet gives an
// empty list. Each deeper step goes on from the 24 strongest neighbours only (by contributions), and stops once limit neighbours are found; a walk stops expanding after 100,000 edges.
func (g *Graph) Neighbors(ctx context.Context, name string, q NeighborQuery) (Node, []Neighbor, error) {
	if err := g.beginAfterPromises(ctx); err != nil {
		return Node{}, nil, err
	}
	depth := min(max(q.Depth, 1), maxDepth)
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	limit = min(limit, maxLimit)
	preds, err := parsePredicates(q.Predicates)
	if err != nil {
		return Node{}, nil, fmt.Errorf("neighbors of %q: %w", name, err)
	}
	start, err := g.resolveOne(ctx, name)
	if err != nil {
		return Node{}, nil, fmt.Errorf("neighbors of %q: %w", name, err)
	}
	var follow map[Predicate]bool // nil: every predicate
	if preds != nil {
		follow = make(map[Predicate]bool, len(preds))
		for _, p := range preds {
			follow[p] = true
		}
	}
	visited := 0

	// A candidate is a Neighbor before its node record is read: a 2-hop
	// walk of a busy sender sees tens of thousands, and lists limit.
	type candidate struct {
		id, via    string
		pred       Predicate
		dir        string
		count, dep int
	}
	// What the walk knows of a node, found by one lookup of its ID per
	// half-edge (hashing the IDs was a fifth of a query): the depth it
	// was first reached at, the contributions of the ties to it at that
	// depth, and its candidates (one per predicate and direction).
	type reached struct {
		dep, strength int
		cands         []int
	}
	var nodes []reached
	index := map[string]int{start.ID: 0} // node ID -> its place in nodes
	nodes = append(nodes, reached{})
	var cands []candidate
	frontier := []hop{{id: start.ID}}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var next []hop
		last := d == depth // no step goes on from this one's nodes
		err := g.adjacent(ctx, frontier, follow, &visited, func(h halfEdge, to []byte) {
			i, ok := index[string(to)] // no copy of to for the lookup
			if ok && nodes[i].dep < d {
				return
			}
			if ok { // first reached at this depth: it has a candidate already
				h.to.id = cands[nodes[i].cands[0]].id
			} else {
				h.to.id = string(to)
				i = len(nodes)
				index[h.to.id] = i
				nodes = append(nodes, reached{dep: d})
				if !last {
					next = append(next, h.to)
				}
			}
			n := &nodes[i]
			n.strength += h.count
			for _, c := range n.cands {
				if cands[c].pred == h.pred && cands[c].dir == h.dir {
					if h.count > cands[c].count {
						cands[c].count, cands[c].via = h.count, h.from
					}
					return
				}
			}
			n.cands = append(n.cands, len(cands))
			cands = append(cands, candidate{id: h.to.id, via: h.from, pred: h.pred, dir: h.dir, count: h.count, dep: d})
		})
		if err != nil {
			return Node{}, nil, fmt.Errorf("neighbors of %q: %w", name, err)
		}
		// Nearer neighbours are listed first, so once the limit is reached
		// going deeper cannot change the answer. Otherwise go on from the
		// strongest ties only: a hub's neighbours-of-neighbours are the
		// whole graph, and only the first limit of them are listed.
		if len(cands) >= limit {
			break
		}
		if len(next) > maxFrontier {
			strength := func(h hop) int { return nodes[index[h.id]].strength }
			slices.SortStableFunc(next, func(a, b hop) int { return cmp.Compare(strength(b), strength(a)) })
			next = next[:maxFrontier]
		}
		frontier = next
	}
	// Reading node records is most of a query's cost: choose the listed
	// neighbours by depth and count first (ties by ID), then read only
	// theirs and order them by name within equal counts.
	if len(cands) > limit {
		// The first limit in that order, kept sorted as the candidates
		// go by: most are worse than the last kept and cost one
		// comparison, where sorting them all was a sixth of a query.
		order := func(a, b candidate) int {
			return cmp.Or(cmp.Compare(a.dep, b.dep), cmp.Compare(b.count, a.count), cmp.Compare(a.id, b.id),
				cmp.Compare(a.pred, b.pred), cmp.Compare(a.dir, b.dir))
		}
		top := make([]candidate, 0, limit+1)
		for _, c := range cands {
			if len(top) == limit && order(c, top[limit-1]) >= 0 {
				continue
			}
			i, _ := slices.BinarySearchFunc(top, c, order)
			top = slices.Insert(top, i, c)
			if len(top) > limit {
				top = top[:limit]
			}
		}
		cands = top
	}
	out := make([]Neighbor, len(cands))
	for i, c := range cands {
		out[i] = Neighbor{Node: Node{ID: c.id}, Predicate: c.pred, Direction: c.dir, Count: c.count, Depth: c.dep, Via: c.via}
	}
	if err := g.fillNodes(out); err != nil {
		return Node{}, nil, fmt.Errorf("neighbors of %q: %w", name, err)
	}
	slices.SortFunc(out, func(a, b Neighbor) int {
		return cmp.Or(
			cmp.Compare(a.Depth, b.Depth),
			cmp.Compare(b.Count, a.Count),
			cmp.Compare(a.Node.Name, b.Node.Name),
			cmp.Compare(a.Node.ID, b.Node.ID),
			cmp.Compare(a.Predicate, b.Predicate),
			cmp.Compare(a.Direction, b.Direction),
		)
	})
	return start, out, nil
}

// Path returns a shortest path from the node from resolves to to the node to
// resolves to, following edges in both directions, at most maxDepth hops (3
// when 0 or less, at most 6). The same node at both ends is an empty path.
// No match for a name wraps ErrNotFound; no path within maxDepth wraps
// ErrNoPath.
func (g *Graph) Path(ctx context.Context, from, to string, maxDepth int) ([]Step, error) {
	if err := g.beginAfterPromises(ctx); err != nil {
		return nil, err
	}
	if maxDepth <= 0 {
		maxDepth = defaultPathHops
	}
	maxDepth = min(maxDepth, maxPathHops)
	src, err := g.resolveOne(ctx, from)
	if err != nil {
		return nil, fmt.Errorf("path from %q: %w", from, err)
	}
	dst, err := g.resolveOne(ctx, to)
	if err != nil {
		return nil, fmt.Errorf("path to %q: %w", to, err)
	}
	if src.ID == dst.ID {
		return []Step{}, nil
	}
	noPath := fmt.Errorf("path from %q to %q within %d hops: %w", from, to, maxDepth, ErrNoPath)
	w := g.newWalk(nil)
	srcRef := w.qs.ValueOf(quad.IRI(src.ID))
	if srcRef == nil {
		return nil, noPath
	}
	parent := map[string]halfEdge{src.ID: {}}
	frontier := []hop{{ref: srcRef, id: src.ID}}
	for d := 1; d <= maxDepth && len(frontier) > 0; d++ {
		halves, err := w.expand(ctx, frontier)
		if err != nil {
			return nil, fmt.Errorf("path from %q to %q: %w", from, to, err)
		}
		var next []hop
		for _, h := range halves {
			if _, ok := parent[h.to.id]; ok {
				continue
			}
			parent[h.to.id] = h
			if h.to.id == dst.ID {
				return g.steps(parent, dst.ID)
			}
			next = append(next, h.to)
		}
		frontier = next
	}
	return nil, noPath
}

// steps walks parent back from the end of a path and loads its nodes.
func (g *Graph) steps(parent map[string]halfEdge, end string) ([]Step, error) {
	var hs []halfEdge
	for id := end; parent[id].from != ""; id = parent[id].from {
		hs = append(hs, parent[id])
	}
	slices.Reverse(hs)
	info, err := g.lookup(hs)
	if err != nil {
		return nil, err
	}
	steps := make([]Step, len(hs))
	for i, h := range hs {
		steps[i] = Step{From: info.node(h.from), Predicate: h.pred, To: info.node(h.to.id), Direction: h.dir}
	}
	return steps, nil
}

func (g *Graph) resolveOne(ctx context.Context, name string) (Node, error) {
	nodes, err := g.Resolve(ctx, name)
	if err != nil {
		return Node{}, err
	}
	if len(nodes) == 0 {
		return Node{}, fmt.Errorf("%q: %w", name, ErrNotFound)
	}
	return nodes[0], nil
}

func parsePredicates(ps []Predicate) ([]Predicate, error) {
	if len(ps) == 0 {
		return Predicates(), nil
	}
	out := make([]Predicate, 0, len(ps))
	for _, p := range ps {
		p, err := ParsePredicate(string(p))
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// hop is a node on a walk's frontier.
type hop struct {
	ref cgraph.Ref
	id  string
}

// halfEdge is an edge seen from the node a walk reached it from.
type halfEdge struct {
	from  string // the node it was reached from
	pred  Predicate
	dir   string // Out: from -> to; In: to -> from
	to    hop
	count int // contributions behind it, when read by adjacent
}

// adjacent calls each with every edge of the frontier nodes over the
// predicates in follow (all when nil), with its count, in one read
// transaction: for each node, a prefix scan of bucketEdges (edges out) and
// one of bucketEdgesIn (edges in). The other end's ID is given as to,
// valid during the call only (h.to.id is empty): most ends are met again,
// and each would otherwise be copied for nothing. Neighbors is all about counts, which Cayley's quads do not
// hold; reading them beside the edges makes a 2-hop neighbourhood a few
// sequential scans instead of a quad-log read and a count lookup per edge.
// Walking stops once *visited reaches maxVisitedEdges.
func (g *Graph) adjacent(ctx context.Context, frontier []hop, follow map[Predicate]bool, visited *int, each func(h halfEdge, to []byte)) error {
	return g.db.Bolt().View(func(tx *bbolt.Tx) error {
		for _, f := range frontier {
			if err := ctx.Err(); err != nil {
				return err
			}
			prefix := append([]byte(f.id), sep)
			for _, side := range [2]struct{ bucket, dir string }{{bucketEdges, Out}, {bucketEdgesIn, In}} {
				c := tx.Bucket([]byte(side.bucket)).Cursor()
				for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && *visited < maxVisitedEdges; k, v = c.Next() {
					pred, other, ok := bytes.Cut(k[len(prefix):], []byte{sep})
					if !ok {
						return fmt.Errorf("malformed edge key %q", k)
					}
					p, ok := registered(pred)
					if !ok || follow != nil && !follow[p] {
						continue
					}
					*visited++
					each(halfEdge{from: f.id, pred: p, dir: side.dir, count: int(decodeCount(v))}, other)
				}
			}
		}
		return nil
	})
}

func (h halfEdge) edgeKey() string {
	if h.dir == Out {
		return string(edgeKey(h.from, h.pred, h.to.id))
	}
	return string(edgeKey(h.to.id, h.pred, h.from))
}

// walk expands frontiers over Cayley's quad indexes. It is used by one
// goroutine for one query.
type walk struct {
	qs      *ckv.QuadStore
	preds   map[cgraph.Ref]Predicate // refs of the followed predicates that have quads
	ids     map[cgraph.Ref]string    // node IDs already resolved
	visited int
}

func (g *Graph) newWalk(preds []Predicate) *walk {
	if preds == nil {
		preds = Predicates()
	}
	w := &walk{qs: g.qs.Load(), preds: make(map[cgraph.Ref]Predicate), ids: make(map[cgraph.Ref]string)}
	for _, p := range preds {
		if ref := w.qs.ValueOf(quad.IRI(p)); ref != nil {
			w.preds[ref] = p
		}
	}
	return w
}

// expand returns every edge of the frontier nodes over the followed
// predicates. Each Cayley iterator is closed before the next read starts, so
// no goroutine holds two bbolt read transactions at once (which could
// deadlock against a writer growing the file).
func (w *walk) expand(ctx context.Context, frontier []hop) ([]halfEdge, error) {
	var out []halfEdge
	var refs []cgraph.Ref
	for _, f := range frontier {
		for _, d := range [2]quad.Direction{quad.Subject, quad.Object} {
			if w.visited >= maxVisitedEdges {
				break
			}
			other, dir := quad.Object, Out
			if d == quad.Object {
				other, dir = quad.Subject, In
			}
			it := w.qs.QuadIterator(d, f.ref)
			for w.visited < maxVisitedEdges && it.Next(ctx) {
				r := it.Result()
				p, ok := w.preds[w.qs.QuadDirection(r, quad.Predicate)]
				if !ok {
					continue
				}
				w.visited++
				to := w.qs.QuadDirection(r, other)
				if _, ok := w.ids[to]; !ok {
					w.ids[to] = ""
					refs = append(refs, to)
				}
				out = append(out, halfEdge{from: f.id, pred: p, dir: dir, to: hop{ref: to}})
			}
			err := it.Err()
			it.Close()
			if err != nil {
				return nil, fmt.Errorf("reading edges of %s: %w", f.id, err)
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if len(refs) > 0 {
		vals, err := w.qs.ValuesOf(ctx, refs)
		if err != nil {
			return nil, fmt.Errorf("reading node values: %w", err)
		}
		for i, v := range vals {
			if iri, ok := v.(quad.IRI); ok {
				w.ids[refs[i]] = string(iri)
			}
		}
	}
	kept := out[:0]
	for _, h := range out {
		if h.to.id = w.ids[h.to.ref]; h.to.id != "" {
			kept = append(kept, h)
		}
	}
	return kept, nil
}

// fillNodes reads, in one transaction, the node record of each neighbour.
func (g *Graph) fillNodes(ns []Neighbor) error {
	return g.db.Bolt().View(func(tx *bbolt.Tx) error {
		nodes := tx.Bucket([]byte(bucketNodes))
		for i := range ns {
			rec, _, err := getNode(nodes, ns[i].Node.ID)
			if err != nil {
				return err
			}
			ns[i].Node = rec.node(ns[i].Node.ID)
		}
		return nil
	})
}

// lookupInfo holds the node records and edge counts of a set of half edges.
type lookupInfo struct {
	nodes  map[string]nodeRecord
	counts map[string]int
}

func (l lookupInfo) node(id string) Node {
	return l.nodes[id].node(id)
}

// lookup reads, in one transaction, the records of both ends and the count
// of every edge in hs.
func (g *Graph) lookup(hs []halfEdge) (lookupInfo, error) {
	l := lookupInfo{nodes: make(map[string]nodeRecord), counts: make(map[string]int)}
	err := g.db.Bolt().View(func(tx *bbolt.Tx) error {
		nodes, edges := tx.Bucket([]byte(bucketNodes)), tx.Bucket([]byte(bucketEdges))
		for _, h := range hs {
			for _, id := range [2]string{h.from, h.to.id} {
				if _, ok := l.nodes[id]; ok {
					continue
				}
				rec, _, err := getNode(nodes, id)
				if err != nil {
					return err
				}
				l.nodes[id] = rec
			}
			k := h.edgeKey()
			if _, ok := l.counts[k]; !ok {
				l.counts[k] = int(decodeCount(edges.Get([]byte(k))))
			}
		}
		return nil
	})
	return l, err
}

// Stats counts node records and quads.
func (g *Graph) Stats(ctx context.Context) (Stats, error) {
	if err := g.beginAfterPromises(ctx); err != nil {
		return Stats{}, err
	}
	var s Stats
	err := g.db.Bolt().View(func(tx *bbolt.Tx) error {
		s.Nodes = tx.Bucket([]byte(bucketNodes)).Stats().KeyN
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("counting graph: %w", err)
	}
	quads, err := g.quadCount(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("counting graph: %w", err)
	}
	s.Edges = quads
	return s, nil
}

// Docs returns the content hash of every stored contribution, by document
// ID, for doctor to compare with the store.
func (g *Graph) Docs(ctx context.Context) (map[string]string, error) {
	if err := g.beginAfterPromises(ctx); err != nil {
		return nil, err
	}
	out := make(map[string]string)
	err := g.db.Bolt().View(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(bucketDocs)).ForEach(func(k, v []byte) error {
			r, err := decodeDocRecord(v)
			if err != nil {
				return fmt.Errorf("reading contribution %s: %w", k, err)
			}
			out[string(k)] = r.Hash
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("listing graph contributions: %w", err)
	}
	return out, nil
}

// Check reports every edge with an end that has no node record (its
// declaring contributions were removed while others still point at it), and
// a disagreement between the edge counts and Cayley's quads.
func (g *Graph) Check(ctx context.Context) ([]Problem, error) {
	if err := g.beginAfterPromises(ctx); err != nil {
		return nil, err
	}
	var ps []Problem
	edgeN := 0
	err := g.db.Bolt().View(func(tx *bbolt.Tx) error {
		nodes := tx.Bucket([]byte(bucketNodes))
		return tx.Bucket([]byte(bucketEdges)).ForEach(func(k, _ []byte) error {
			if edgeN%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			edgeN++
			e, ok := parseEdgeKey(k)
			if !ok {
				ps = append(ps, Problem{Kind: ProblemEdgeCount, Detail: fmt.Sprintf("malformed edge key %q", k)})
				return nil
			}
			for _, end := range [2]string{e.From, e.To} {
				if nodes.Get([]byte(end)) == nil {
					ps = append(ps, Problem{
						Kind:   ProblemDanglingEdge,
						Edge:   e,
						NodeID: end,
						Detail: fmt.Sprintf("%s %s %s: no node %s", e.From, e.Predicate, e.To, end),
					})
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("checking graph: %w", err)
	}
	// Every node record decodes, and is filed under its own id.
	err = g.db.Bolt().View(func(tx *bbolt.Tx) error {
		n := 0
		return tx.Bucket([]byte(bucketNodes)).ForEach(func(k, v []byte) error {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			var rec nodeRecord
			if err := json.Unmarshal(v, &rec); err != nil {
				ps = append(ps, Problem{Kind: ProblemNodeRecord, NodeID: string(k), Detail: fmt.Sprintf("node %q cannot be read: %v", k, err)})
			} else if _, ok := KindOf(string(k)); !ok {
				ps = append(ps, Problem{Kind: ProblemNodeRecord, NodeID: string(k), Detail: fmt.Sprintf("node key %q has no kind", k)})
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("checking graph: %w", err)
	}
	// Every edge is also in bucketEdgesIn, with the same count.
	err = g.db.Bolt().View(func(tx *bbolt.Tx) error {
		edges, in := tx.Bucket([]byte(bucketEdges)), tx.Bucket([]byte(bucketEdgesIn))
		inN := 0
		err := in.ForEach(func(k, v []byte) error {
			if inN++; inN%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			e, ok := parseEdgeKey(k) // to, pred, from
			if !ok || !bytes.Equal(edges.Get(edgeKey(e.To, e.Predicate, e.From)), v) {
				ps = append(ps, Problem{Kind: ProblemEdgeCount, Detail: fmt.Sprintf("reverse edge %q disagrees with its edge", k)})
			}
			return nil
		})
		if err == nil && inN != edgeN {
			ps = append(ps, Problem{Kind: ProblemEdgeCount, Detail: fmt.Sprintf("%d edges but %d reverse edges", edgeN, inN)})
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("checking graph: %w", err)
	}
	quads, err := g.quadCount(ctx)
	if err != nil {
		return nil, fmt.Errorf("checking graph: %w", err)
	}
	if quads != edgeN {
		ps = append(ps, Problem{
			Kind:   ProblemEdgeCount,
			Detail: fmt.Sprintf("%d counted edges but %d quads", edgeN, quads),
		})
	}
	return ps, nil
}

// quadCount is the number of quads in Cayley's store. Cayley's key-value
// backend makes its buckets with the first quad, so a graph that has none
// yet answers kv.ErrNoBucket: that is zero quads, not damage.
func (g *Graph) quadCount(ctx context.Context) (int, error) {
	cs, err := g.qs.Load().Stats(ctx, false)
	if errors.Is(err, ckv.ErrNoBucket) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return int(cs.Quads.Size), nil
}
