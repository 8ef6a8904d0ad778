package memory

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// Search scores only the memories the postings give for the query's words,
// and answers as scoring every memory did: the golden set's statements,
// all said by one user (updates and deletions leave deleted memories),
// asked words, questions and words no memory has, current memories and
// all, at several limits.
func TestPostingsAnswerAsAFullScan(t *testing.T) {
	s, _ := newTestService(t, Options{})
	seqs, err := GoldenSet()
	if err != nil {
		t.Fatal(err)
	}
	k := Key{Workspace: "personal", User: "maya"}
	ctx := context.Background()
	for _, seq := range seqs {
		for _, st := range seq.Steps {
			if _, err := s.AddConversation(ctx, k, []Message{{Role: "user", Content: st.Text, Date: st.Said}}, "test"); err != nil && err != ErrEmpty {
				t.Fatal(err)
			}
		}
	}
	ix, err := s.index(k)
	if err != nil {
		t.Fatal(err)
	}
	if len(ix.entries) < 100 {
		t.Fatalf("only %d memories: the test needs more", len(ix.entries))
	}
	queries := []string{"allergy", "where do I live", "who is in my family", "sister", "what do I like", "coffee",
		"why do I get anxious", "Oslo", "piano lessons", "zzyzx", "", "the", "my brother lives in Leeds", "work"}
	ids := make([]string, 0, len(ix.entries))
	for id := range ix.entries {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids[:20] { // memories' own texts, deleted ones among them
		queries = append(queries, ix.entries[id].m.Text)
	}
	for _, q := range queries {
		pq := s.a.parseQuery(q)
		for _, all := range []bool{false, true} {
			for _, limit := range []int{1, 3, 10, 0} {
				ix.mu.RLock()
				got := ix.searchScanning(pq, limit, all, s.now(), false)
				want := ix.searchScanning(pq, limit, all, s.now(), true)
				ix.mu.RUnlock()
				if g, w := hitIDs(got), hitIDs(want); !slices.Equal(g, w) {
					t.Errorf("%q all=%v limit %d: postings %v, full scan %v", q, all, limit, g, w)
				}
			}
		}
	}
}

func hitIDs(hs []Hit) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = fmt.Sprintf("%s %.3f", h.ID, h.Score)
	}
	return out
}
