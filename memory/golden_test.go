package memory

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/engram-app/engram/store"
)

// loadGolden reads the shipped golden set.
func loadGolden(tb testing.TB) []GoldenSequence {
	tb.Helper()
	seqs, err := GoldenSet()
	if err != nil || len(seqs) == 0 {
		tb.Fatalf("golden set: %d sequences, %v", len(seqs), err)
	}
	return seqs
}

// TestGolden runs every statement of the golden set; a failing statement
// names its file, sequence, line and text.
func TestGolden(t *testing.T) {
	seqs := loadGolden(t)
	_, st := newTestService(t, Options{})
	results, score, err := EvaluateGolden(context.Background(), st, "personal", nil, seqs)
	if err != nil {
		t.Fatal(err)
	}
	if score.Statements < 300 {
		t.Errorf("the golden set has %d statements, want at least 300", score.Statements)
	}
	for _, r := range results {
		if len(r.Problems) == 0 {
			continue
		}
		t.Errorf("%s line %d %q:\n\t%v", r.Sequence, r.Step.Line, r.Step.Text, r.Problems)
	}
	// No version of any memory the set made ends before it starts.
	users, err := st.MemoryUsers("personal")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		ms, err := st.Memories("personal", u)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			vs, err := st.MemoryHistory("personal", u, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			noVersionEndsBeforeItStarts(t, vs)
		}
	}
	t.Logf("golden set: %d statements in %d sequences, %d failed; events precision %.3f recall %.3f (%d expected, %d given, %d right); %d of %d statements that must change nothing did not",
		score.Statements, len(seqs), score.Failed, score.Precision(), score.Recall(), score.Expected, score.Got, score.TruePositive, score.Nothings, score.StatementsWithNothing)
}

// TestGoldenDeterministic runs the golden set twice in fresh stores: the
// same statements must give the same events and memories.
func TestGoldenDeterministic(t *testing.T) {
	seqs := loadGolden(t)
	run := func() string {
		st, err := store.Open(filepath.Join(t.TempDir(), "engram.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.CreateWorkspace("personal", true); err != nil {
			t.Fatal(err)
		}
		results, _, err := EvaluateGolden(context.Background(), st, "personal", nil, seqs)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(results)
	}
	if a, b := run(), run(); a != b {
		t.Error("two runs of the golden set differ")
	}
}
