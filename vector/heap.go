package vector

import (
	"cmp"
	"slices"
)

// scored is a slot and its score with the query (higher is nearer).
type scored struct {
	slot  int32
	score float32
}

// topK keeps the k highest scores seen (a min-heap on score).
type topK struct {
	k int
	h minHeap
}

func newTopK(k int) *topK { return &topK{k: k, h: make(minHeap, 0, k)} }

func (t *topK) push(slot int32, score float32) {
	if len(t.h) < t.k {
		t.h.push(scored{slot, score})
		return
	}
	if score > t.h[0].score || (score == t.h[0].score && slot < t.h[0].slot) {
		t.h[0] = scored{slot, score}
		t.h.down(0)
	}
}

// items returns what it kept, best first (ties by slot).
func (t *topK) items() []scored {
	out := slices.Clone(t.h)
	sortScored(out)
	return out
}

func sortScored(s []scored) {
	slices.SortFunc(s, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.slot, b.slot)
	})
}

// minHeap has the lowest score on top (ties: the higher slot, so that the
// lower slot is kept).
type minHeap []scored

func minLess(a, b scored) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.slot > b.slot
}

func (h *minHeap) push(x scored) { *h = append(*h, x); up(*h, minLess) }
func (h *minHeap) pop() scored   { return pop((*[]scored)(h), minLess) }
func (h minHeap) down(i int)     { down(h, i, minLess) }

// maxHeap has the highest score on top.
type maxHeap []scored

func maxLess(a, b scored) bool { return a.score > b.score }

func (h *maxHeap) push(x scored) { *h = append(*h, x); up(*h, maxLess) }
func (h *maxHeap) pop() scored   { return pop((*[]scored)(h), maxLess) }

// up moves the last element of a heap ordered by less to its place.
func up(s []scored, less func(a, b scored) bool) {
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !less(s[i], s[p]) {
			return
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

// down moves element i of a heap ordered by less to its place.
func down(s []scored, i int, less func(a, b scored) bool) {
	n := len(s)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && less(s[r], s[l]) {
			m = r
		}
		if !less(s[m], s[i]) {
			return
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
}

// pop removes and returns the top of a heap ordered by less.
func pop(h *[]scored, less func(a, b scored) bool) scored {
	s := *h
	x := s[0]
	n := len(s) - 1
	s[0] = s[n]
	*h = s[:n]
	down(*h, 0, less)
	return x
}
