package contextpack

import (
	"context"
	"slices"
	"strings"

	"github.com/engram-app/engram/gaps"
	"github.com/engram-app/engram/internal/bounds"
)

// Pack is the CLI contract of `engram context --json`: what an assistant
// needs to answer a user's question, within a token budget, each piece with
// the ID to cite it by.
type Pack struct {
	User      string    `json:"user"`
	Question  string    `json:"question"`
	Budget    int       `json:"budget"`
	Tokens    int       `json:"tokens"`
	Profile   string    `json:"profile"`
	Memories  []Memory  `json:"memories"`
	Entities  []Entity  `json:"entities"`
	Passages  []Passage `json:"passages"`
	Truncated bool      `json:"truncated"`
	// Degraded names the parts left out because their engine is down
	// ("graph", "search").
	Degraded []string `json:"degraded,omitempty"`
	// Gaps are the knowledge gaps citing the passages.
	Gaps []Gap `json:"gaps,omitempty"`
}

// Memory is a memory in a pack.
type Memory struct {
	ID        string  `json:"id"`
	Memory    string  `json:"memory"`
	Kind      string  `json:"kind"`
	Score     float64 `json:"score"`
	ValidFrom string  `json:"valid_from,omitempty"` // empty when unknown
}

// Entity is a graph entity related to the user.
type Entity struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Predicate string `json:"predicate"`
}

// Gap is a knowledge gap in a pack: one that cites a document the question
// found.
type Gap struct {
	ID       string    `json:"id"`
	Kind     gaps.Kind `json:"kind"`
	Summary  string    `json:"summary"`
	Question string    `json:"question"`
}

// DefaultBudget is the token budget of a pack when none is given.
const DefaultBudget = 1500

// Tokens approximates the tokens of s as its length over four.
func Tokens(s string) int { return (len(s) + 3) / 4 }

// Parts are where a pack's pieces come from; the container adapts the
// memory service, the graph, the search and the gap analysis to them. The
// builder calls Profile, then Memories, then Entities, one after the other,
// and Passages (nil when the question is empty) beside them.
type Parts struct {
	// Profile is the user's profile summary.
	Profile func(context.Context) (string, error)
	// Memories are the user's memories most relevant to the question,
	// best first.
	Memories func(context.Context) ([]Memory, error)
	// Entities are the entities linked to those memories. An error leaves
	// them out and marks the pack degraded ("graph").
	Entities func(context.Context) ([]Entity, error)
	// Passages are the best document passages for the question. An error
	// leaves them out and marks the pack degraded ("search").
	Passages func(context.Context) ([]Passage, error)
	// Gaps are the open gaps citing the passages kept, most relevant first.
	Gaps func([]Passage) []Gap
}

// Build builds a pack for user and question within budget tokens: the
// profile summary (at most a third of the budget, cut at a sentence), then
// the memories, the entities, the passages and the gaps, each while the
// budget allows; what does not fit sets Truncated.
func Build(ctx context.Context, user, question string, budget int, parts Parts) (*Pack, error) {
	pack := &Pack{User: user, Question: question, Budget: budget,
		Memories: []Memory{}, Entities: []Entity{}, Passages: []Passage{}}

	type passages struct {
		ps  []Passage
		err error
	}
	var docs chan passages
	if parts.Passages != nil {
		docs = make(chan passages, 1)
		go func() {
			ps, err := parts.Passages(ctx)
			docs <- passages{ps, err}
		}()
	}
	// wait collects the document part however the rest ends.
	wait := func() passages {
		if docs == nil {
			return passages{}
		}
		return <-docs
	}

	left := budget
	take := func(n int) bool {
		if n > left {
			pack.Truncated = true
			return false
		}
		left -= n
		return true
	}

	summary, err := parts.Profile(ctx)
	if err != nil {
		wait()
		return nil, err
	}
	if max := budget / 3 * 4; len(summary) > max {
		cut := strings.LastIndex(summary[:max], ". ")
		if cut <= 0 {
			cut = max - 1
		}
		summary = summary[:cut+1]
		pack.Truncated = true
	}
	if take(Tokens(summary)) {
		pack.Profile = summary
	}

	mems, err := parts.Memories(ctx)
	if err != nil {
		wait()
		return nil, err
	}
	for _, m := range mems {
		if !take(Tokens(m.Memory) + 8) {
			break
		}
		pack.Memories = append(pack.Memories, m)
	}

	if ents, err := parts.Entities(ctx); err != nil {
		pack.Degraded = append(pack.Degraded, "graph")
	} else {
		for _, e := range ents {
			if !take(Tokens(e.Name) + 6) {
				break
			}
			pack.Entities = append(pack.Entities, e)
		}
	}

	if docs != nil {
		if d := wait(); d.err != nil {
			pack.Degraded = append(pack.Degraded, "search")
		} else {
			for _, p := range d.ps {
				if !take(Tokens(p.Title) + Tokens(p.Text) + 8) {
					break
				}
				pack.Passages = append(pack.Passages, p)
			}
			if parts.Gaps != nil {
				for _, g := range parts.Gaps(pack.Passages) {
					if !take(Tokens(g.Summary) + Tokens(g.Question) + 6) {
						break
					}
					pack.Gaps = append(pack.Gaps, g)
				}
			}
		}
	}
	pack.Tokens = budget - left
	return pack, nil
}

// Request is what a pack is asked for.
type Request struct {
	Workspace, User, Question string
	// Budget is in tokens, clamped to bounds.ContextBudget; <= 0 is
	// DefaultBudget.
	Budget int
}

// Builder builds packs, at most a fixed number at once, and keeps the
// finished ones in a Cache. It is safe for concurrent use.
type Builder struct {
	cache *Cache
	// slots bound the packs built at once: a build is CPU work, and beyond
	// the processors Go runs on they only take turns on the cores, which
	// makes the slowest wait for all the others. The rest queue.
	slots chan struct{}
}

// NewBuilder returns a builder of at most concurrent packs at once (at
// least 1) caching at most packs of them (DefaultPacks when <= 0).
func NewBuilder(packs, concurrent int) (*Builder, error) {
	c, err := NewCache(packs)
	if err != nil {
		return nil, err
	}
	return &Builder{cache: c, slots: make(chan struct{}, max(concurrent, 1))}, nil
}

// Pack returns the pack for r: the cached one built at stamp when there is
// one (a copy, asked as r.Question), else a new build from parts, cached
// unless degraded. Stamp must be read before parts are, so that a write
// during the build makes the cached pack stale at once.
func (b *Builder) Pack(ctx context.Context, r Request, stamp Stamp, parts Parts) (*Pack, error) {
	budget := bounds.ContextBudget().Clamp(int64(r.Budget))
	if budget <= 0 {
		budget = DefaultBudget
	}
	if p, ok := b.cache.Get(r.Workspace, r.User, r.Question, budget, stamp); ok {
		return p.copyFor(r.Question), nil
	}
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	pack, err := Build(ctx, r.User, r.Question, budget, parts)
	<-b.slots
	if err != nil {
		return nil, err
	}
	if len(pack.Degraded) == 0 {
		b.cache.Add(r.Workspace, r.User, r.Question, budget, stamp, pack.copyFor(r.Question))
	}
	return pack, nil
}

// copyFor returns a copy of p (its own slices) asked as question.
func (p *Pack) copyFor(question string) *Pack {
	c := *p
	c.Question = question
	c.Memories = slices.Clone(p.Memories)
	c.Entities = slices.Clone(p.Entities)
	c.Passages = slices.Clone(p.Passages)
	c.Degraded = slices.Clone(p.Degraded)
	c.Gaps = slices.Clone(p.Gaps)
	return &c
}
