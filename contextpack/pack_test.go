package contextpack

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// parts returns Parts with n memories, entities and passages of the given
// text, counting the builds (Profile calls).
func testParts(n int, text string, builds *atomic.Int32) Parts {
	mems := make([]Memory, n)
	ents := make([]Entity, n)
	ps := make([]Passage, n)
	for i := range n {
		id := string(rune('a' + i))
		mems[i] = Memory{ID: "m" + id, Memory: text}
		ents[i] = Entity{ID: "e" + id, Name: text}
		ps[i] = Passage{ID: "d" + id, Title: "t", Text: text}
	}
	return Parts{
		Profile: func(context.Context) (string, error) {
			builds.Add(1)
			return "Lives in Utrecht. Works at a bakery. Sings in a choir.", nil
		},
		Memories: func(context.Context) ([]Memory, error) { return mems, nil },
		Entities: func(context.Context) ([]Entity, error) { return ents, nil },
		Passages: func(context.Context) ([]Passage, error) { return ps, nil },
		Gaps: func(kept []Passage) []Gap {
			if len(kept) == 0 {
				return nil
			}
			return []Gap{{ID: "g1", Summary: "who signed", Question: "who signed it?"}}
		},
	}
}

func TestBuildWithinBudget(t *testing.T) {
	var builds atomic.Int32
	for _, budget := range []int{10, 40, 100, 1500} {
		p, err := Build(context.Background(), "maya", "q", budget, testParts(5, strings.Repeat("word ", 8), &builds))
		if err != nil {
			t.Fatal(err)
		}
		if p.Tokens > budget {
			t.Errorf("budget %d: %d tokens", budget, p.Tokens)
		}
		full := len(p.Memories) == 5 && len(p.Entities) == 5 && len(p.Passages) == 5 && len(p.Gaps) == 1
		if p.Truncated == full {
			t.Errorf("budget %d: truncated %v with %d/%d/%d/%d parts", budget, p.Truncated, len(p.Memories), len(p.Entities), len(p.Passages), len(p.Gaps))
		}
		if budget == 10 && (p.Profile == "" || len(p.Profile) > 40) {
			t.Errorf("budget 10: profile %q is not cut at a sentence within a third", p.Profile)
		}
	}
}

func TestBuildDegraded(t *testing.T) {
	var builds atomic.Int32
	parts := testParts(2, "x", &builds)
	parts.Entities = func(context.Context) ([]Entity, error) { return nil, errors.New("graph down") }
	parts.Passages = func(context.Context) ([]Passage, error) { return nil, errors.New("index down") }
	p, err := Build(context.Background(), "maya", "q", 1500, parts)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(p.Degraded, ",") != "graph,search" || len(p.Memories) != 2 || len(p.Gaps) != 0 {
		t.Errorf("got %+v", p)
	}
	// A memory part that fails fails the pack (and waits for the passages).
	parts.Memories = func(context.Context) ([]Memory, error) { return nil, errors.New("store down") }
	if _, err := Build(context.Background(), "maya", "q", 1500, parts); err == nil {
		t.Error("a failed memory part built a pack")
	}
}

func TestBuilderCaches(t *testing.T) {
	b, err := NewBuilder(8, 2)
	if err != nil {
		t.Fatal(err)
	}
	var builds atomic.Int32
	ctx := context.Background()
	r := Request{Workspace: "w", User: "maya", Question: "Where do I live?", Budget: 0}
	p1, err := b.Pack(ctx, r, Stamp{1, 1}, testParts(2, "x", &builds))
	if err != nil || p1.Budget != DefaultBudget {
		t.Fatalf("%+v %v", p1, err)
	}
	r.Question = "where do i live"
	p2, _ := b.Pack(ctx, r, Stamp{1, 1}, testParts(2, "x", &builds))
	if builds.Load() != 1 || p2.Question != "where do i live" {
		t.Errorf("builds %d, question %q: the same question was not served from the cache", builds.Load(), p2.Question)
	}
	p2.Memories[0].Memory = "changed"
	if p3, _ := b.Pack(ctx, r, Stamp{1, 1}, testParts(2, "x", &builds)); p3.Memories[0].Memory != "x" {
		t.Error("a served pack shares its slices with the cache")
	}
	for _, o := range []Request{{Workspace: "w", User: "theo", Question: r.Question}, {Workspace: "v", User: "maya", Question: r.Question}} {
		before := builds.Load()
		b.Pack(ctx, o, Stamp{1, 1}, testParts(2, "x", &builds))
		if builds.Load() != before+1 {
			t.Errorf("%+v was served another user's or workspace's pack", o)
		}
	}
	before := builds.Load()
	b.Pack(ctx, r, Stamp{2, 1}, testParts(2, "x", &builds))
	if builds.Load() != before+1 {
		t.Error("a pack of an older stamp was served")
	}
	// A degraded pack is not cached.
	deg := testParts(2, "x", &builds)
	deg.Entities = func(context.Context) ([]Entity, error) { return nil, errors.New("down") }
	r.Question = "anything else"
	before = builds.Load()
	b.Pack(ctx, r, Stamp{2, 1}, deg)
	b.Pack(ctx, r, Stamp{2, 1}, deg)
	if builds.Load() != before+2 {
		t.Error("a degraded pack was cached")
	}
}
