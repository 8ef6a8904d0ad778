package vector

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
)

// Options tune an Index. Zero values take the defaults noted.
type Options struct {
	// Threshold is the number of live vectors from which Search uses the
	// approximate graph, once Build made one; zero means 20,000. Below it
	// an exact scan is as fast.
	Threshold int
	// Quantize keeps vectors as int8 with a per-vector scale instead of
	// float32.
	Quantize bool
	// M is the graph's links per node and layer (twice that on layer 0),
	// 4 to 64; zero means 16.
	M int
	// EfConstruction is the candidate list while building, 16 to 1,000;
	// zero means 40 (measured: the recall of 100 at a third of the build
	// time, on clustered vectors).
	EfConstruction int
	// EfSearch is the candidate list while searching, 16 to 1,000 (and at
	// least k); zero means 256 (recall@10 of 0.95 or more at 100,000
	// clustered vectors; engram-bench semantic measures it).
	EfSearch int
	// Seed makes the graph's random layers reproducible; zero means 1.
	Seed uint64
}

func (o Options) norm() Options {
	if o.Threshold <= 0 {
		o.Threshold = 20000
	}
	o.M = clampInt(o.M, 16, 4, 64)
	o.EfConstruction = clampInt(o.EfConstruction, 40, 16, 1000)
	o.EfSearch = clampInt(o.EfSearch, 256, 16, 1000)
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

func clampInt(v, def, lo, hi int) int {
	if v == 0 {
		return def
	}
	return min(max(v, lo), hi)
}

// Hit is a document found by Search: its best-scoring chunk and that
// chunk's cosine with the query.
type Hit struct {
	Doc   string  `json:"doc"`
	Chunk int     `json:"chunk"`
	Score float32 `json:"score"`
}

// Index holds the chunk vectors of one workspace under one model.
type Index struct {
	opts Options

	mu    sync.RWMutex
	data  *slab           // the vectors by slot; replaced whole by compaction
	owner []int32         // slot -> document number
	chunk []int32         // slot -> chunk number within its document
	dead  []bool          // slot -> deleted
	docs  []string        // document number -> ID
	byDoc map[string]*doc // ID -> its slots
	live  int
	epoch uint64 // bumped by compaction: slots renumbered
	graph *hnsw  // nil until Build; nil again after compaction
}

type doc struct {
	num   int32
	slots []int32
}

// New returns an empty index.
func New(opts Options) *Index {
	opts = opts.norm()
	return &Index{opts: opts, data: newSlab(0, opts.Quantize), byDoc: map[string]*doc{}}
}

// Len counts the live vectors.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.live
}

// Docs counts the documents with vectors.
func (x *Index) Docs() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byDoc)
}

// Dim is the dimension of the vectors, 0 while empty.
func (x *Index) Dim() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.data.dim
}

// Approximate reports whether Search uses the graph.
func (x *Index) Approximate() bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.useGraph()
}

func (x *Index) useGraph() bool { return x.graph != nil && x.live >= x.opts.Threshold }

// NeedsBuild reports whether the index is big enough for the graph and has
// none: the owner should run Build (in the background).
func (x *Index) NeedsBuild() bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.graph == nil && x.live >= x.opts.Threshold
}

// Put replaces the vectors of a document (none deletes it). It returns
// ErrDimension, storing nothing, when a vector's dimension differs from
// the index's.
func (x *Index) Put(id string, vecs [][]float32) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	dim := x.data.dim
	for _, v := range vecs {
		if dim == 0 {
			dim = len(v)
		}
		if len(v) != dim || dim == 0 {
			return fmt.Errorf("%w: %d, not %d", ErrDimension, len(v), dim)
		}
	}
	x.deleteLocked(id)
	if len(vecs) == 0 {
		return nil
	}
	if x.data.dim == 0 {
		x.data = newSlab(dim, x.opts.Quantize)
	}
	d := &doc{num: int32(len(x.docs))}
	x.docs = append(x.docs, id)
	x.byDoc[id] = d
	for i, v := range vecs {
		slot := int32(x.data.len())
		x.data.add(v)
		x.owner = append(x.owner, d.num)
		x.chunk = append(x.chunk, int32(i))
		x.dead = append(x.dead, false)
		d.slots = append(d.slots, slot)
		x.live++
		if x.graph != nil {
			x.graph.insert(x.data, slot)
		}
	}
	return nil
}

// Delete removes a document's vectors; an unknown document is no error.
func (x *Index) Delete(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.deleteLocked(id)
}

func (x *Index) deleteLocked(id string) {
	d, ok := x.byDoc[id]
	if !ok {
		return
	}
	for _, s := range d.slots {
		x.dead[s] = true
		x.live--
	}
	delete(x.byDoc, id)
	x.docs[d.num] = ""
	if dead := len(x.dead) - x.live; dead > 1024 && dead > x.live {
		x.compactLocked()
	}
}

// compactLocked drops the dead slots and renumbers the rest; the graph
// goes (NeedsBuild says when to build it again).
func (x *Index) compactLocked() {
	data := newSlab(x.data.dim, x.opts.Quantize)
	var owner, chunk []int32
	var docs []string
	byDoc := make(map[string]*doc, len(x.byDoc))
	ids := make([]string, 0, len(x.byDoc))
	for id := range x.byDoc {
		ids = append(ids, id)
	}
	// In the order they were added, so the same history gives the same layout.
	slices.SortFunc(ids, func(a, b string) int { return cmp.Compare(x.byDoc[a].num, x.byDoc[b].num) })
	for _, id := range ids {
		old := x.byDoc[id]
		d := &doc{num: int32(len(docs))}
		docs = append(docs, id)
		for _, s := range old.slots {
			d.slots = append(d.slots, int32(data.len()))
			data.copyFrom(x.data, s)
			owner = append(owner, d.num)
			chunk = append(chunk, x.chunk[s])
		}
		byDoc[id] = d
	}
	x.data, x.owner, x.chunk, x.docs, x.byDoc = data, owner, chunk, docs, byDoc
	x.dead = make([]bool, data.len())
	x.graph = nil
	x.epoch++
}

// Search returns the k documents whose best chunk is nearest to q, best
// first (ties by document ID): from the graph when the index is at the
// threshold and built, else by an exact scan.
func (x *Index) Search(q []float32, k int) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.useGraph() {
		return x.searchGraphLocked(q, k, 0)
	}
	return x.exactLocked(q, k)
}

// Exact is Search by exact scan, whatever the size.
func (x *Index) Exact(q []float32, k int) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.exactLocked(q, k)
}

// Approx is Search through the graph, or nil when there is none.
func (x *Index) Approx(q []float32, k int) []Hit { return x.ApproxEf(q, k, 0) }

// ApproxEf is Approx with a candidate list of ef (at least what k needs;
// 0 means Options.EfSearch), for measuring recall against speed.
func (x *Index) ApproxEf(q []float32, k, ef int) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.graph == nil {
		return nil
	}
	return x.searchGraphLocked(q, k, ef)
}

// chunksFor is how many chunks are gathered to find k documents: a document
// may hold several of the nearest chunks.
func chunksFor(k int) int { return min(k*4, k+256) }

func (x *Index) exactLocked(q []float32, k int) []Hit {
	if k <= 0 || len(q) != x.data.dim || x.live == 0 {
		return nil
	}
	top := newTopK(chunksFor(k))
	n := x.data.len()
	for s := range n {
		if x.dead[s] {
			continue
		}
		top.push(int32(s), x.data.score(q, int32(s)))
	}
	return x.group(top.items(), k)
}

func (x *Index) searchGraphLocked(q []float32, k, ef int) []Hit {
	if k <= 0 || len(q) != x.data.dim || x.live == 0 {
		return nil
	}
	want := chunksFor(k)
	if ef <= 0 {
		ef = x.opts.EfSearch
	}
	ef = max(ef, want)
	found := x.graph.search(x.data, q, ef, x.dead)
	if len(found) > want {
		found = found[:want]
	}
	return x.group(found, k)
}

// group keeps each document's best chunk and the k best documents.
func (x *Index) group(cands []scored, k int) []Hit {
	best := map[int32]Hit{}
	for _, c := range cands {
		d := x.owner[c.slot]
		if h, ok := best[d]; !ok || c.score > h.Score {
			best[d] = Hit{Doc: x.docs[d], Chunk: int(x.chunk[c.slot]), Score: c.score}
		}
	}
	out := make([]Hit, 0, len(best))
	for _, h := range best {
		out = append(out, h)
	}
	slices.SortFunc(out, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.Doc, b.Doc)
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}

// Build makes the approximate graph over the index as it is now, without
// holding the lock, then attaches it, adding what was put meanwhile. A
// compaction during the build discards it (NeedsBuild says so again).
// Cancelling ctx stops it with ctx.Err().
func (x *Index) Build(ctx context.Context) error {
	x.mu.RLock()
	snap := *x.data // its slices end where the index is now; writers append past them
	data, n, epoch := &snap, snap.len(), x.epoch
	x.mu.RUnlock()
	g := newHNSW(x.opts)
	for s := range n {
		if s%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		g.insert(data, int32(s))
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.epoch != epoch {
		return nil
	}
	for s := n; s < x.data.len(); s++ {
		g.insert(x.data, int32(s))
	}
	x.graph = g
	return nil
}

// MemoryBytes estimates the memory of the vectors and the graph.
func (x *Index) MemoryBytes() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	b := x.data.bytes() + int64(len(x.owner))*9
	if x.graph != nil {
		b += x.graph.bytes()
	}
	return b
}

// slab is the vectors, contiguous: float32, or int8 plus a scale each.
// Slots are only appended, never changed, so a reader holding an old slab
// (Build) sees stable data.
type slab struct {
	dim   int
	f32   []float32
	q8    []int8
	scale []float32
	quant bool
	n     int
}

func newSlab(dim int, quant bool) *slab { return &slab{dim: dim, quant: quant} }

func (s *slab) len() int { return s.n }

func (s *slab) add(v []float32) {
	s.n++
	if !s.quant {
		s.f32 = append(s.f32, v...)
		return
	}
	var m float32
	for _, x := range v {
		m = max(m, float32(math.Abs(float64(x))))
	}
	sc := m / 127
	s.scale = append(s.scale, sc)
	for _, x := range v {
		var q int8
		if sc > 0 {
			q = int8(math.Round(float64(x / sc)))
		}
		s.q8 = append(s.q8, q)
	}
}

func (s *slab) copyFrom(o *slab, slot int32) {
	s.n++
	i, j := int(slot)*o.dim, int(slot+1)*o.dim
	if !s.quant {
		s.f32 = append(s.f32, o.f32[i:j]...)
		return
	}
	s.q8 = append(s.q8, o.q8[i:j]...)
	s.scale = append(s.scale, o.scale[slot])
}

// vector returns slot's vector as float32, into buf when quantised.
func (s *slab) vector(slot int32, buf []float32) []float32 {
	i := int(slot) * s.dim
	if !s.quant {
		return s.f32[i : i+s.dim : i+s.dim]
	}
	buf = buf[:0]
	sc := s.scale[slot]
	for _, q := range s.q8[i : i+s.dim] {
		buf = append(buf, float32(q)*sc)
	}
	return buf
}

// score is the dot product of q with slot's vector.
func (s *slab) score(q []float32, slot int32) float32 {
	i := int(slot) * s.dim
	if !s.quant {
		return dot(q, s.f32[i:i+s.dim])
	}
	return dot8(q, s.q8[i:i+s.dim]) * s.scale[slot]
}

func (s *slab) bytes() int64 {
	return int64(len(s.f32))*4 + int64(len(s.q8)) + int64(len(s.scale))*4
}

func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

func dot8(a []float32, b []int8) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * float32(b[i])
		s1 += a[i+1] * float32(b[i+1])
		s2 += a[i+2] * float32(b[i+2])
		s3 += a[i+3] * float32(b[i+3])
	}
	for ; i < len(a); i++ {
		s0 += a[i] * float32(b[i])
	}
	return s0 + s1 + s2 + s3
}
