package memory

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"time"
)

// idSource gives memory IDs in the order they are made: 20 hex digits, the
// first 12 the milliseconds since the Unix epoch when the memory was made,
// the last 8 random, each ID greater than every one it gave before.
//
// The order is for the store and the graph. Their bbolt keys start with the
// memory's ID (after the user), so a new memory lands beside the user's
// last one: a commit of many new memories rewrites one leaf page per bucket
// instead of one per memory, as random IDs did (a 16-client burst of adds
// spent most of its CPU rewriting and syncing pages). The random part keeps
// IDs made on two machines in the same millisecond (one user's laptop and
// desktop, synced to a team server) apart.
type idSource struct {
	mu   sync.Mutex
	ms   uint64 // of the last ID given
	rand uint32
}

// next is a new ID made at now. taken says whether the user already has
// an ID (the clock was set back since it was made, or another machine made
// it); such an ID is passed over.
func (g *idSource) next(now time.Time, taken func(string) bool) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	ms := uint64(max(now.UnixMilli(), 0)) & (1<<48 - 1)
	var r [4]byte
	_, _ = rand.Read(r[:])
	g.ms, g.rand = later(g.ms, g.rand, ms, binary.BigEndian.Uint32(r[:]))
	for {
		id := idString(g.ms, g.rand)
		if taken == nil || !taken(id) {
			return id
		}
		g.ms, g.rand = step(g.ms, g.rand)
	}
}

// later is (ms, r) when it comes after (lastMS, lastR), else the ID just
// after the last one.
func later(lastMS uint64, lastR uint32, ms uint64, r uint32) (uint64, uint32) {
	if ms > lastMS || ms == lastMS && r > lastR {
		return ms, r
	}
	return step(lastMS, lastR)
}

// step is the ID just after (ms, r).
func step(ms uint64, r uint32) (uint64, uint32) {
	if r == 1<<32-1 {
		return ms + 1, 0
	}
	return ms, r + 1
}

func idString(ms uint64, r uint32) string {
	var b [10]byte
	binary.BigEndian.PutUint64(b[:8], ms<<16)
	binary.BigEndian.PutUint32(b[6:], r)
	return hex.EncodeToString(b[:])
}
