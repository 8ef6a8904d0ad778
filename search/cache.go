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
	c, err := lru.New[cacheKey, *textResult](n)
	if err != nil {
		panic(err) // only for n <= 0
	}
	return &resultCache{c: c}
}

func (rc *resultCache) Get(k cacheKey) (*textResult, bool) { return rc.c.Get(k) }
func (rc *resultCache) Add(k cacheKey, tr *textResult)     { rc.c.Add(k, tr) }

// Purge drops every entry; the index calls it after each write, so old
// versions do not hold memory until they are evicted.
func (rc *resultCache) Purge() { rc.c.Purge() }
