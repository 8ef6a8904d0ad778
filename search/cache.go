package search

import (
	lru "github.com/hashicorp/golang-lru/v2"
)

// resultCacheSize is how many text results an index keeps: the queries a
// user types again (going back, paging, the same search from another
// view) and the prefixes of search-as-you-type.
const resultCacheSize = 512

// cacheKey identifies a text result. index is the index's directory, which
// names its workspace (each Index owns its cache, but the key says whose
// result it is all the same); version is the index's
// write counter, so a result is never served after a Put or Delete;
// query is the parsed query written back and expanded the dictionary
// alternatives the builder used, so a changed dictionary is a different
// key.
type cacheKey struct {
	index      string
	version    uint64
	query      string
	expanded   string
	size, skip int
	facets     bool
}

// resultCache is a bounded LRU of text results (see textResult), safe for
// concurrent use.
type resultCache struct {
	c *lru.Cache[cacheKey, *textResult]
}

func newResultCache(n int) *resultCache {
	return &resultCache{c: newLRU[cacheKey, *textResult](n)}
}

// newLRU returns a bounded LRU of n entries; n is one of this package's
// constants, never 0.
func newLRU[K comparable, V any](n int) *lru.Cache[K, V] {
	c, err := lru.New[K, V](n)
	if err != nil {
		panic(err) // only for n <= 0
	}
	return c
}

func (rc *resultCache) Get(k cacheKey) (*textResult, bool) { return rc.c.Get(k) }
func (rc *resultCache) Add(k cacheKey, tr *textResult)     { rc.c.Add(k, tr) }

// Purge drops every entry; the index calls it after each write, so old
// versions do not hold memory until they are evicted.
func (rc *resultCache) Purge() { rc.c.Purge() }

// correctionCacheSize is how many typo corrections an index keeps: looking
// one up builds a Levenshtein automaton for each form of the word (a
// millisecond or more), and the same unknown words come back (the search
// box's keystrokes, the names and places of an assistant's questions).
const correctionCacheSize = 4096

// correctionKey identifies a correction: the index's directory (its
// workspace) and write counter, as for results, the forms of the word
// looked for (see corrector.correct) and the edits allowed.
type correctionKey struct {
	index   string
	version uint64
	sources string
	edits   int
}

// correctionResult is what corrector.correct found: the term, or none.
type correctionResult struct {
	term  string
	found bool
}
