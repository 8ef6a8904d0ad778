package memory

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/engram-app/engram/store"
)

// Profile is a short summary of what Engram knows about a user, for
// context packs.
type Profile struct {
	User     string    `json:"user"`
	Summary  string    `json:"summary"`
	Memories int       `json:"memories"`
	Built    time.Time `json:"built"`
}

// profileOrder is the order of the summary's sections.
func profileOrder(kind string) int {
	switch kind {
	case KindFact:
		return 0
	case KindPlace:
		return 1
	case KindWork:
		return 2
	case KindRelationship:
		return 3
	case KindPreference:
		return 4
	case KindPlan:
		return 5
	case KindFeeling:
		return 6
	}
	return 7
}

// maxProfileMemories bounds the summary however many memories a user has.
const maxProfileMemories = 60

// Profile returns k's profile summary. It is cached per (workspace, user)
// in a bounded LRU and dropped by every write to that user's memories;
// concurrent requests for the same user share one build.
func (s *Service) Profile(ctx context.Context, k Key) (*Profile, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	if p, ok := s.profiles.Get(k); ok {
		return p, nil
	}
	v, err, _ := s.builds.Do(k.String(), func() (any, error) {
		// Under k's lock, so that a write cannot slip between reading the
		// index and caching the profile built from it.
		mu := s.lock(k)
		mu.Lock()
		defer mu.Unlock()
		if p, ok := s.profiles.Get(k); ok {
			return p, nil
		}
		ix, err := s.indexLocked(k)
		if err != nil {
			return nil, err
		}
		ix.mu.RLock()
		ms := ix.currentMemories()
		ix.mu.RUnlock()
		p := buildProfile(k.User, ms, s.now())
		s.profileBuilds.Add(1)
		s.profiles.Add(k, p)
		return p, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Profile), nil
}

func buildProfile(user string, ms []store.Memory, now time.Time) *Profile {
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].Importance != ms[j].Importance {
			return ms[i].Importance > ms[j].Importance
		}
		if !ms[i].Updated.Equal(ms[j].Updated) {
			return ms[i].Updated.After(ms[j].Updated)
		}
		return ms[i].ID < ms[j].ID
	})
	if len(ms) > maxProfileMemories {
		ms = ms[:maxProfileMemories]
	}
	sort.SliceStable(ms, func(i, j int) bool { return profileOrder(ms[i].Kind) < profileOrder(ms[j].Kind) })
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString(" ")
		}
		t := strings.TrimSpace(m.Text)
		b.WriteString(t)
		if !strings.HasSuffix(t, ".") {
			b.WriteString(".")
		}
	}
	return &Profile{User: user, Summary: b.String(), Memories: len(ms), Built: now.UTC()}
}

// ProfileBuilds counts the profile summaries built so far (for tests and
// stats: a cached or shared profile does not count).
func (s *Service) ProfileBuilds() int64 { return s.profileBuilds.Load() }
