package vector

import (
	"cmp"
	"slices"
)

// RRFK is the constant of reciprocal rank fusion: a hit at rank r (from 1)
// of a list adds 1/(RRFK+r). 60 is the value of Cormack et al., which damps
// the difference between the very top ranks.
const RRFK = 60

// Fused is one ID of the fused ranking: its fused score and, for each input
// list, its rank there (from 1), or 0 when that list lacks it.
type Fused struct {
	ID    string
	Score float64
	Ranks []int
}

// Fuse merges ranked lists of IDs (best first, each ID at most once per
// list; repeats are ignored) by reciprocal rank fusion. Ties go to the ID
// with the better rank in the earliest list that has it, then to the lower
// ID, so the same lists always give the same order.
func Fuse(lists ...[]string) []Fused {
	at := map[string]int{}
	var out []Fused
	for li, l := range lists {
		for r, id := range l {
			i, ok := at[id]
			if !ok {
				i = len(out)
				at[id] = i
				out = append(out, Fused{ID: id, Ranks: make([]int, len(lists))})
			}
			if out[i].Ranks[li] != 0 {
				continue
			}
			out[i].Ranks[li] = r + 1
			out[i].Score += 1 / float64(RRFK+r+1)
		}
	}
	slices.SortFunc(out, func(a, b Fused) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		for li := range lists {
			ra, rb := a.Ranks[li], b.Ranks[li]
			if ra != rb {
				if ra == 0 {
					return 1
				}
				if rb == 0 {
					return -1
				}
				return cmp.Compare(ra, rb)
			}
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}
