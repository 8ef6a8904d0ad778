package memory

import (
	"strings"
	"time"
)

// Context packs are built by the container (they mix memories, the graph
// and documents), but cached here, beside the memories they are built from,
// so that a write to a user's memories invalidates them: each cached pack
// carries the version of its user's memories when its build began, and a
// pack of an older version is never returned.

// PackTTL bounds how long a cached context pack is served: the packs also
// hold document passages, which change without a memory write.
const PackTTL = 30 * time.Second

// packKey names one cached pack. It carries the workspace and the user (in
// Key), so no pack is ever served to another user.
type packKey struct {
	Key
	question string // normalised
	budget   int
	extra    uint64 // the caller's own validity stamp (the document count)
}

type cachedPack struct {
	version uint64
	built   time.Time
	v       any
}

// NormaliseQuestion is the form of a question a cached pack is keyed by:
// lower case, single spaces, no trailing punctuation.
func NormaliseQuestion(q string) string {
	q = strings.Join(strings.Fields(strings.ToLower(q)), " ")
	return strings.TrimRight(q, "?!. ")
}

// Version is the version of k's memories: it changes with every write to
// them, and never repeats (also after k's index is dropped from the cache
// and built again).
func (s *Service) Version(k Key) (uint64, error) {
	ix, err := s.index(k)
	if err != nil {
		return 0, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.version, nil
}

// CachedPack returns the pack cached for k, question, budget and extra
// when it was built from k's current memories (version, from Version
// before the build) and is younger than PackTTL.
func (s *Service) CachedPack(k Key, question string, budget int, extra, version uint64) (any, bool) {
	pk := packKey{k, NormaliseQuestion(question), budget, extra}
	p, ok := s.packs.Get(pk)
	if !ok {
		return nil, false
	}
	if p.version != version || s.now().Sub(p.built) > PackTTL {
		s.packs.Remove(pk)
		return nil, false
	}
	return p.v, true
}

// CachePack caches a pack built from k's memories at version.
func (s *Service) CachePack(k Key, question string, budget int, extra, version uint64, v any) {
	s.packs.Add(packKey{k, NormaliseQuestion(question), budget, extra}, cachedPack{version: version, built: s.now(), v: v})
}
