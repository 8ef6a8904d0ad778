package vector

import (
	"math"
	"math/rand/v2"
	"sync"
)

// hnsw is a hierarchical navigable small world graph over a slab's slots,
// which it is given in order (slot i is the i-th insert). Scores are dot
// products: higher is nearer. It is not safe for concurrent writes; Index
// serialises them.
type hnsw struct {
	m, m0, efC int
	ml         float64
	rng        *rand.Rand
	links      [][][]scored // node -> layer -> neighbours, with their score to the node
	entry      int32
	top        int
	visits     sync.Pool // *visitSet
}

// maxLayer bounds a node's layer (the chance of passing it is M^-16).
const maxLayer = 16

func newHNSW(o Options) *hnsw {
	return &hnsw{
		m: o.M, m0: 2 * o.M, efC: o.EfConstruction,
		ml:  1 / math.Log(float64(o.M)),
		rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)),
	}
}

func (g *hnsw) bytes() int64 {
	var b int64
	for _, ls := range g.links {
		b += 24
		for _, l := range ls {
			b += 24 + int64(cap(l))*8
		}
	}
	return b
}

// visitSet marks visited nodes with a generation number, so clearing it
// is free.
type visitSet struct {
	gen   uint32
	marks []uint32
}

func (g *hnsw) visitSet() *visitSet {
	v, _ := g.visits.Get().(*visitSet)
	if v == nil {
		v = &visitSet{}
	}
	if len(v.marks) < len(g.links) {
		v.marks = make([]uint32, len(g.links)+len(g.links)/4+64)
		v.gen = 0
	}
	v.gen++
	if v.gen == 0 { // wrapped: clear once
		clear(v.marks)
		v.gen = 1
	}
	return v
}

// visit marks n and reports whether it was unmarked.
func (v *visitSet) visit(n int32) bool {
	if v.marks[n] == v.gen {
		return false
	}
	v.marks[n] = v.gen
	return true
}

func (g *hnsw) insert(data *slab, slot int32) {
	level := min(int(math.Floor(-math.Log(1-g.rng.Float64())*g.ml)), maxLayer)
	g.links = append(g.links, make([][]scored, level+1))
	if slot == 0 {
		g.entry, g.top = 0, level
		return
	}
	q := data.vector(slot, make([]float32, 0, data.dim))
	ep := scored{g.entry, data.score(q, g.entry)}
	for l := g.top; l > level; l-- {
		ep = g.greedy(data, q, ep, l)
	}
	eps := []scored{ep}
	buf := make([]float32, 0, data.dim)
	for l := min(level, g.top); l >= 0; l-- {
		w := g.searchLayer(data, q, eps, g.efC, l, nil)
		nb := g.selectNeighbors(data, w, g.m, buf)
		mmax := g.m
		if l == 0 {
			mmax = g.m0
		}
		g.links[slot][l] = append(make([]scored, 0, mmax+1), nb...)
		for _, n := range nb {
			g.connect(n.slot, scored{slot, n.score}, l, mmax)
		}
		eps = w
	}
	if level > g.top {
		g.top, g.entry = level, slot
	}
}

// greedy walks layer l towards q from ep while a neighbour is nearer.
func (g *hnsw) greedy(data *slab, q []float32, ep scored, l int) scored {
	for changed := true; changed; {
		changed = false
		for _, n := range g.links[ep.slot][l] {
			if s := data.score(q, n.slot); s > ep.score {
				ep, changed = scored{n.slot, s}, true
			}
		}
	}
	return ep
}

// searchLayer is the beam search of layer l from eps with a list of ef,
// best first. Dead nodes (when dead is not nil) are walked through but not
// returned.
func (g *hnsw) searchLayer(data *slab, q []float32, eps []scored, ef, l int, dead []bool) []scored {
	vs := g.visitSet()
	defer g.visits.Put(vs)
	cand := make(maxHeap, 0, ef)
	res := make(minHeap, 0, ef+1)
	for _, e := range eps {
		if !vs.visit(e.slot) {
			continue
		}
		cand.push(e)
		if dead == nil || !dead[e.slot] {
			res.push(e)
		}
	}
	for len(cand) > 0 {
		c := cand.pop()
		if len(res) >= ef && c.score < res[0].score {
			break
		}
		for _, nb := range g.links[c.slot][l] {
			n := nb.slot
			if !vs.visit(n) {
				continue
			}
			s := data.score(q, n)
			if len(res) < ef || s > res[0].score {
				cand.push(scored{n, s})
				if dead == nil || !dead[n] {
					res.push(scored{n, s})
					if len(res) > ef {
						res.pop()
					}
				}
			}
		}
	}
	out := []scored(res)
	sortScored(out)
	return out
}

// selectNeighbors is the paper's heuristic (algorithm 4, keeping pruned
// candidates): a candidate is taken when it is nearer to q than to every
// neighbour taken so far, which spreads the links in every direction;
// the nearest pruned ones fill what is left of m.
func (g *hnsw) selectNeighbors(data *slab, w []scored, m int, buf []float32) []scored {
	if len(w) <= m {
		return w
	}
	out := make([]scored, 0, m)
	var pruned []scored
	for _, c := range w {
		if len(out) >= m {
			break
		}
		cv := data.vector(c.slot, buf)
		ok := true
		for _, r := range out {
			if data.score(cv, r.slot) > c.score {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, c)
		} else {
			pruned = append(pruned, c)
		}
	}
	for _, p := range pruned {
		if len(out) >= m {
			break
		}
		out = append(out, p)
	}
	return out
}

// connect links e to n (scored to e) on layer l, keeping e's mmax
// nearest when it has too many: the scores are kept with the links, so
// this costs no dot product.
func (g *hnsw) connect(e int32, n scored, l, mmax int) {
	ls := append(g.links[e][l], n)
	if len(ls) > mmax {
		sortScored(ls)
		ls = ls[:mmax]
	}
	g.links[e][l] = ls
}

// search returns up to ef live slots nearest to q, best first.
func (g *hnsw) search(data *slab, q []float32, ef int, dead []bool) []scored {
	if len(g.links) == 0 {
		return nil
	}
	ep := scored{g.entry, data.score(q, g.entry)}
	for l := g.top; l > 0; l-- {
		ep = g.greedy(data, q, ep, l)
	}
	return g.searchLayer(data, q, []scored{ep}, ef, 0, dead)
}
