package memory

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/engram-app/engram/store"
)

// userIndex is the in-memory search index of one user's memories in one
// workspace. Its fields are guarded by mu; the Service replaces entries only
// while holding the (workspace, user) write lock as well.
type userIndex struct {
	mu      sync.RWMutex
	entries map[string]*entry // by memory ID, deleted ones included
	df      map[string]int    // term -> current memories holding it
	byAttr  map[string]*entry // subject \x00 attribute -> the current memory
	// post holds, by term, the memories whose text has it (deleted ones
	// included), so a search with words scores those only, not every
	// memory of the user.
	post    map[string]map[string]*entry
	current int
	version uint64 // Service.Version; set under mu
	// dead is set when a write staged on the index failed to reach the
	// store (commit.go): the index is ahead of the store, and is rebuilt.
	dead error
}

// live reports whether the index is not dead.
func (ix *userIndex) live() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.dead == nil
}

func attrKey(subject, attribute string) string { return subject + "\x00" + attribute }

type entry struct {
	m  store.Memory
	tf map[string]int
}

func newUserIndex(a *analyzer, ms []store.Memory) *userIndex {
	ix := &userIndex{entries: make(map[string]*entry, len(ms)), df: map[string]int{}, byAttr: map[string]*entry{}, post: map[string]map[string]*entry{}}
	for _, m := range ms {
		ix.put(a, m)
	}
	return ix
}

// has says whether the user has a memory of the ID, deleted ones included.
func (ix *userIndex) has(id string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	_, ok := ix.entries[id]
	return ok
}

// put adds or replaces a memory; the caller holds mu for writing (or owns
// ix alone).
func (ix *userIndex) put(a *analyzer, m store.Memory) {
	if old, ok := ix.entries[m.ID]; ok {
		ix.account(old, -1)
		for t := range old.tf {
			if delete(ix.post[t], m.ID); len(ix.post[t]) == 0 {
				delete(ix.post, t)
			}
		}
	}
	e := &entry{m: m, tf: map[string]int{}}
	for _, t := range a.terms(indexText(m)) {
		e.tf[t]++
	}
	ix.entries[m.ID] = e
	for t := range e.tf {
		if ix.post[t] == nil {
			ix.post[t] = map[string]*entry{}
		}
		ix.post[t][m.ID] = e
	}
	ix.account(e, 1)
}

func (ix *userIndex) account(e *entry, sign int) {
	if e.m.State != store.MemoryCurrent {
		return
	}
	ak := attrKey(e.m.Subject, e.m.Attribute)
	if sign > 0 {
		ix.byAttr[ak] = e
	} else if ix.byAttr[ak] == e {
		delete(ix.byAttr, ak)
	}
	ix.current += sign
	for t := range e.tf {
		ix.df[t] += sign
		if ix.df[t] <= 0 {
			delete(ix.df, t)
		}
	}
}

// indexText is what a memory is found by: its text, the sentence it came
// from, its value, the people, places, emotions and trigger it involves,
// and the words of its subject and attribute ("sister:anna", "lives_in").
func indexText(m store.Memory) string {
	parts := []string{m.Text, m.Said, m.Value, m.Trigger, m.Kind,
		strings.NewReplacer(":", " ", "_", " ", "-", " ").Replace(m.Subject + " " + m.Attribute)}
	switch m.Attribute {
	case "from", "grew_up_in":
		parts = append(parts, "origin")
	}
	switch m.Value {
	case "loves", "likes", "enjoys", "prefers":
		parts = append(parts, "like love enjoy")
	case "hates", "dislikes":
		parts = append(parts, "dislike hate")
	}
	parts = append(parts, m.People...)
	parts = append(parts, m.Places...)
	parts = append(parts, m.Emotions...)
	return strings.Join(parts, " ")
}

// current returns the user's current memories.
func (ix *userIndex) currentMemories() []store.Memory {
	out := make([]store.Memory, 0, ix.current)
	for _, e := range ix.entries {
		if e.m.State == store.MemoryCurrent {
			out = append(out, e.m)
		}
	}
	// The map's order must not reach a decision (which memory a loose
	// retraction picks on a tie).
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// currentAbout returns the current memories with the given subject and
// attribute keys; all of them when keys holds "" (a free-text retraction).
func (ix *userIndex) currentAbout(keys map[string]bool) []store.Memory {
	if keys[""] {
		return ix.currentMemories()
	}
	var out []store.Memory
	for k := range keys {
		if e, ok := ix.byAttr[k]; ok {
			out = append(out, e.m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Hit is one memory found by Search.
type Hit struct {
	store.Memory
	Score float64 `json:"score"`
}

// query is an analysed question.
type query struct {
	terms       []string
	weights     []float64 // of terms: 1 for the query's own words, less for expansions
	intents     map[string]bool
	firstPerson bool
	textMatches int      // query terms some memory holds (set by search)
	strong      []string // kinds asked for by content words, not question words
}

func (a *analyzer) parseQuery(q string) query {
	pq := query{intents: map[string]bool{}}
	seen := map[string]bool{}
	for _, w := range words(q) {
		if k, ok := a.intents[w]; ok {
			pq.intents[k] = true
			if w != "where" && w != "who" && w != "when" {
				// A content word says more than a question word:
				// "where am I travelling" asks for a plan first.
				pq.strong = append(pq.strong, k)
			}
		}
		switch w {
		case "i", "me", "my", "mine", "myself", "i'm", "i've":
			pq.firstPerson = true
		}
		if w == "from" {
			// "where am I from": the user's origin (indexText).
			w = "origin"
		}
		if a.stop[w] {
			continue
		}
		t := a.stem(w)
		if !seen[t] {
			seen[t] = true
			pq.terms = append(pq.terms, t)
			pq.weights = append(pq.weights, 1)
		}
	}
	// Synonyms and hyponyms of the query's words, after all its own words
	// (which keep their full weight when the table also names them).
	own := len(pq.terms)
	for i := 0; i < own; i++ {
		for _, e := range a.expand[pq.terms[i]] {
			if !seen[e.term] && len(pq.terms) < own+maxExpansions {
				seen[e.term] = true
				pq.terms = append(pq.terms, e.term)
				pq.weights = append(pq.weights, e.weight)
			}
		}
	}
	return pq
}

// search scores the memories against q: text relevance (tf-idf over the
// user's memories), a boost when the memory's kind is what the question
// asks about ("where" -> place) and, for first-person questions, when it is
// about the user, then weighted by importance and recency. all includes
// deleted memories. The caller holds mu for reading.
func (ix *userIndex) search(q query, limit int, all bool, now time.Time) []Hit {
	return ix.searchScanning(q, limit, all, now, false)
}

// searchScanning is search; with scanAll it scores every memory instead
// of only those the postings give (tests compare the two).
func (ix *userIndex) searchScanning(q query, limit int, all bool, now time.Time, scanAll bool) []Hit {
	n := float64(ix.current + 1)
	q.textMatches = 0
	for _, t := range q.terms {
		if ix.df[t] > 0 {
			q.textMatches++
		}
	}
	if all && q.textMatches == 0 {
		// df counts current memories only: a deleted one may still match.
		q.textMatches = ix.anyTextMatch(q, all)
	}
	type scored struct {
		e     *entry
		score float64
	}
	var top []scored
	consider := func(e *entry) {
		if !all && e.m.State != store.MemoryCurrent {
			return
		}
		var text float64
		for i, t := range q.terms {
			if tf := e.tf[t]; tf > 0 {
				df := float64(ix.df[t])
				text += q.weights[i] * (1 + math.Log(float64(tf))) * math.Log(1+n/(df+0.5))
			}
		}
		var boost float64
		if q.intents[e.m.Kind] {
			boost += 1.5
			if len(q.strong) > 0 && !slices.Contains(q.strong, e.m.Kind) {
				boost -= 0.75
			}
		}
		if q.intents[KindPlace] && len(e.m.Places) > 0 && e.m.Kind != KindPlace {
			boost += 0.5
		}
		if q.intents[KindRelationship] && len(e.m.People) > 0 && e.m.Kind != KindRelationship {
			boost += 0.5
		}
		if text == 0 && boost == 0 && len(q.terms)+len(q.intents) > 0 {
			return
		}
		if text == 0 && q.textMatches > 0 {
			// Some memory matches the question's words: one that only has
			// the kind asked about ("who": the manager, for "who is in my
			// family") is not an answer.
			return
		}
		if q.firstPerson && e.m.Subject == SubjectUser {
			boost += 0.5
		}
		age := now.Sub(e.m.Updated).Hours() / 24
		recency := math.Exp(-math.Max(age, 0) / 365)
		score := math.Round(((text+boost)*(1+0.5*e.m.Importance)+0.3*recency)*1000) / 1000
		if e.m.State != store.MemoryCurrent {
			score *= 0.5
		}
		// Keep the best limit only: a sorted slice, since limit is small.
		better := func(a, b scored) bool {
			if a.score != b.score {
				return a.score > b.score
			}
			return a.e.m.ID < b.e.m.ID
		}
		cand := scored{e, score}
		if limit > 0 && len(top) == limit && !better(cand, top[len(top)-1]) {
			return
		}
		i := sort.Search(len(top), func(i int) bool { return better(cand, top[i]) })
		top = append(top, scored{})
		copy(top[i+1:], top[i:])
		top[i] = cand
		if limit > 0 && len(top) > limit {
			top = top[:limit]
		}
	}
	if q.textMatches > 0 && !scanAll {
		// Only a memory with one of the words can be an answer then
		// (see the text == 0 case above): those of the terms' postings.
		seen := map[string]bool{}
		for _, t := range q.terms {
			for id, e := range ix.post[t] {
				if !seen[id] {
					seen[id] = true
					consider(e)
				}
			}
		}
	} else {
		for _, e := range ix.entries {
			consider(e)
		}
	}
	hits := make([]Hit, len(top))
	for i, sc := range top {
		hits[i] = Hit{Memory: sc.e.m, Score: sc.score}
	}
	return hits
}

// anyTextMatch reports (as 1 or 0) whether any memory, deleted ones
// included when all, holds a query term.
func (ix *userIndex) anyTextMatch(q query, all bool) int {
	for _, t := range q.terms {
		for _, e := range ix.post[t] {
			if all || e.m.State == store.MemoryCurrent {
				return 1
			}
		}
	}
	return 0
}
