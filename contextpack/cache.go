package contextpack

import (
	"fmt"
	"strings"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// TTL bounds how long a cached pack is served: packs hold document
// passages, which can change without any write the stamps see (a document
// edited in place).
const TTL = 30 * time.Second

// DefaultPacks is how many packs a Cache keeps when asked for none.
const DefaultPacks = 1024

// Stamp is what a cached pack is valid for: the version of its user's
// memories when its build began (memory.Service.Version, which changes with
// every write to them and never repeats) and the caller's stamp of the
// documents (their count). A pack of another stamp is never served.
type Stamp struct {
	Memories, Documents uint64
}

// Cache is a bounded LRU of finished context packs, safe for concurrent
// use. A pack is keyed by the workspace and the user, so no pack is ever
// served to another user, and by the question (normalised) and the token
// budget it was built for.
type Cache struct {
	c   *lru.Cache[cacheKey, cached]
	now func() time.Time
}

type cacheKey struct {
	workspace, user string
	question        string // normalised
	budget          int
}

type cached struct {
	stamp Stamp
	built time.Time
	pack  *Pack
}

// NewCache returns a cache of at most n packs (DefaultPacks when n <= 0),
// each served for at most TTL.
func NewCache(n int) (*Cache, error) {
	if n <= 0 {
		n = DefaultPacks
	}
	c, err := lru.New[cacheKey, cached](n)
	if err != nil {
		return nil, fmt.Errorf("context pack cache: %w", err)
	}
	return &Cache{c: c, now: time.Now}, nil
}

// NormaliseQuestion is the form of a question a pack is cached by: lower
// case, single spaces, no trailing punctuation.
func NormaliseQuestion(q string) string {
	q = strings.Join(strings.Fields(strings.ToLower(q)), " ")
	return strings.TrimRight(q, "?!. ")
}

// Get returns the pack cached for user in workspace, question and budget
// when it was built at stamp and is younger than TTL.
func (c *Cache) Get(workspace, user, question string, budget int, stamp Stamp) (*Pack, bool) {
	k := cacheKey{workspace, user, NormaliseQuestion(question), budget}
	p, ok := c.c.Get(k)
	if !ok {
		return nil, false
	}
	if p.stamp != stamp || c.now().Sub(p.built) > TTL {
		c.c.Remove(k)
		return nil, false
	}
	return p.pack, true
}

// Add caches pack, built at stamp, for user in workspace, question and
// budget.
func (c *Cache) Add(workspace, user, question string, budget int, stamp Stamp, pack *Pack) {
	c.c.Add(cacheKey{workspace, user, NormaliseQuestion(question), budget}, cached{stamp: stamp, built: c.now(), pack: pack})
}
