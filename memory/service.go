package memory

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/engram-app/engram/store"
)

// Events of a memory write.
const (
	EventAdd    = "ADD"
	EventUpdate = "UPDATE"
	EventDelete = "DELETE"
	EventNone   = "NONE"
)

// Key names whose memories an operation is about. Every cache key and every
// store key of this package is a Key or starts with one.
type Key struct {
	Workspace string
	User      string
}

func (k Key) String() string { return k.Workspace + "\x00" + k.User }

// Options configure New. Zero values take the defaults.
type Options struct {
	// Extractor turns text into candidates; nil means NewRules().
	Extractor Extractor
	// MaxIndexes bounds how many (workspace, user) search indexes stay in
	// memory; 256 when zero.
	MaxIndexes int
	// MaxProfiles bounds the cached profile summaries; 256 when zero.
	MaxProfiles int
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Service remembers, updates, forgets and finds memories. It is built once
// by the container and is safe for concurrent use: writes for one
// (workspace, user) are serialised, everything else runs in parallel.
type Service struct {
	st       *store.Store
	ex       Extractor
	a        *analyzer
	now      func() time.Time
	indexes  *lru.Cache[Key, *userIndex]
	profiles *lru.Cache[Key, *Profile]
	builds   singleflight.Group
	versions atomic.Uint64  // the last version given to a user index
	locks    [64]sync.Mutex // striped by Key; bounded however many users
	// commits writes the decided changes to the store (commit.go).
	commits *committer
	// ids names new memories (ids.go).
	ids idSource

	profileBuilds atomic.Int64
	// rules extract when another extractor (an LLM) fails; built once.
	rules *Rules
}

// New builds the service over the store.
func New(st *store.Store, opts Options) (*Service, error) {
	rules := NewRules()
	if opts.Extractor == nil {
		opts.Extractor = rules
	}
	if opts.MaxIndexes <= 0 {
		opts.MaxIndexes = 256
	}
	if opts.MaxProfiles <= 0 {
		opts.MaxProfiles = 256
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Service{st: st, ex: opts.Extractor, a: newAnalyzer(), now: opts.Now, rules: rules, commits: newCommitter(st)}
	var err error
	if s.indexes, err = lru.New[Key, *userIndex](opts.MaxIndexes); err != nil {
		return nil, err
	}
	if s.profiles, err = lru.New[Key, *Profile](opts.MaxProfiles); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) lock(k Key) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(k.String()))
	return &s.locks[h.Sum32()%uint32(len(s.locks))]
}

func checkKey(k Key) error {
	if k.Workspace == "" {
		return errors.New("memory: no workspace given")
	}
	return store.ValidUser(k.User)
}

// index returns k's index, building it from the store on a miss. The
// caller holds k's lock.
func (s *Service) indexLocked(k Key) (*userIndex, error) {
	if ix, ok := s.indexes.Get(k); ok && ix.live() {
		return ix, nil
	}
	// Built from the store once every write of k decided on the index
	// before (evicted, or dead) is there or has failed.
	s.commits.settle(k)
	ms, err := s.st.Memories(k.Workspace, k.User)
	if err != nil {
		return nil, err
	}
	ix := newUserIndex(s.a, ms)
	ix.version = s.versions.Add(1)
	s.indexes.Add(k, ix)
	return ix, nil
}

// index returns k's index for reading.
func (s *Service) index(k Key) (*userIndex, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	if ix, ok := s.indexes.Get(k); ok && ix.live() {
		return ix, nil
	}
	mu := s.lock(k)
	mu.Lock()
	defer mu.Unlock()
	return s.indexLocked(k)
}

// Event is what one candidate did to the user's memories.
//
// EventID names the event for `memory undo` ("<memory ID>@<version>"); a
// NONE has none.
type Event struct {
	Event    string `json:"event"`
	ID       string `json:"id"`
	EventID  string `json:"event_id,omitempty"`
	Memory   string `json:"memory"`
	Previous string `json:"previous,omitempty"`
	Kind     string `json:"kind,omitempty"`
}

// Result is the outcome of a write: the events, and the memories that
// changed (for the graph).
type Result struct {
	Events  []Event
	Changed []store.Memory
}

// Message is one line of a conversation.
// Date, when set, is when it was said: relative dates in it ("next
// Tuesday", "last year") count from it rather than from now.
type Message struct {
	Role    string    `json:"role"`
	Content string    `json:"content"`
	Date    time.Time `json:"date,omitzero"`
}

// Add extracts candidate facts from text and applies them to k's memories
// (see the package comment for ADD, UPDATE, DELETE and NONE). source says
// where the text came from. Text with nothing to remember gives no events
// and no error.
func (s *Service) Add(ctx context.Context, k Key, text, source string) (*Result, error) {
	if strings.TrimSpace(text) == "" {
		return nil, ErrEmpty
	}
	return s.AddConversation(ctx, k, []Message{{Role: "user", Content: text}}, source)
}

// AddConversation is Add for a conversation: only the user's messages are
// read for facts about the user; each memory's source is source plus the
// message's position ("chat#3").
func (s *Service) AddConversation(ctx context.Context, k Key, msgs []Message, source string) (*Result, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var cands []sourced
	for i, m := range msgs {
		if !strings.EqualFold(strings.TrimSpace(m.Role), "user") {
			continue
		}
		said := now
		if !m.Date.IsZero() {
			said = m.Date.UTC()
		}
		cs, err := s.extract(ctx, m.Content, said)
		if err != nil {
			return nil, err
		}
		src := source
		if len(msgs) > 1 {
			src = fmt.Sprintf("%s#%d", source, i+1)
		}
		for _, c := range cs {
			cands = append(cands, sourced{c, src, said})
		}
	}
	res, p, err := s.decide(k, cands, now)
	if err != nil {
		return nil, err
	}
	// Durable before the answer, waited for outside k's lock: the next
	// write of k decides meanwhile.
	if err := s.settleWrite(p); err != nil {
		return nil, err
	}
	return res, nil
}

// decide applies the candidates to k's memories under k's lock: the
// decisions, the index, and the write queued for the store (p, nil when
// nothing changed).
func (s *Service) decide(k Key, cands []sourced, now time.Time) (*Result, *pendingWrite, error) {
	mu := s.lock(k)
	mu.Lock()
	defer mu.Unlock()
	ix, err := s.indexLocked(k)
	if err != nil {
		return nil, nil, err
	}
	// The decisions need the current memories with the candidates' subject
	// and attribute only, except for a free-text "forget ...".
	subjects := map[string]bool{}
	for _, sc := range cands {
		if sc.c.Subject == "" || sc.c.Retract || sc.c.Attribute == "" {
			// Free-text retractions and bare corrections look at them all.
			subjects[""] = true
		} else {
			subjects[attrKey(sc.c.Subject, sc.c.Attribute)] = true
		}
	}
	ix.mu.RLock()
	cur := ix.currentAbout(subjects)
	ix.mu.RUnlock()
	w := &writeSet{byID: map[string]*store.MemoryChange{}, taken: ix.has}
	res := &Result{}
	for _, sc := range cands {
		if ev := s.apply(&cur, w, sc.c, sc.src, clocks{now: now, said: sc.said}, k); ev.Event != "" {
			res.Events = append(res.Events, ev)
		}
	}
	res.Changed = w.memories()
	return res, s.stage(k, ix, w), nil
}

func (s *Service) extract(ctx context.Context, text string, now time.Time) ([]Candidate, error) {
	cs, err := s.ex.Extract(ctx, text, now)
	if err != nil {
		if _, isRules := s.ex.(*Rules); isRules {
			return nil, err
		}
		// Any failure of another extractor (an LLM) falls back to the rules.
		return s.rules.Extract(ctx, text, now)
	}
	return cs, nil
}

// sourced is a candidate with where and when it was said.
type sourced struct {
	c    Candidate
	src  string
	said time.Time
}

// writeSet gathers the changes of one write, in order.
type writeSet struct {
	order []string
	byID  map[string]*store.MemoryChange
	// taken says whether the user has a memory of an ID (nil: not asked).
	taken func(id string) bool
}

func (w *writeSet) change(m store.Memory, vs ...store.MemoryVersion) {
	c, ok := w.byID[m.ID]
	if !ok {
		c = &store.MemoryChange{}
		w.byID[m.ID] = c
		w.order = append(w.order, m.ID)
	}
	c.Memory = m
	for _, v := range vs {
		replaced := false
		for i := range c.Versions {
			if c.Versions[i].Version == v.Version {
				c.Versions[i], replaced = v, true
			}
		}
		if !replaced {
			c.Versions = append(c.Versions, v)
		}
	}
}

func (w *writeSet) list() []store.MemoryChange {
	out := make([]store.MemoryChange, 0, len(w.order))
	for _, id := range w.order {
		out = append(out, *w.byID[id])
	}
	return out
}

func (w *writeSet) memories() []store.Memory {
	out := make([]store.Memory, 0, len(w.order))
	for _, id := range w.order {
		out = append(out, w.byID[id].Memory)
	}
	return out
}

// lookupLocked is k's index and its entry of memory id (ok false when it
// has none). The caller holds k's lock.
func (s *Service) lookupLocked(k Key, id string) (*userIndex, *entry, bool, error) {
	ix, err := s.indexLocked(k)
	if err != nil {
		return nil, nil, false, err
	}
	ix.mu.RLock()
	e, ok := ix.entries[id]
	ix.mu.RUnlock()
	return ix, e, ok, nil
}

// commit writes the set to the index and the store (stage, then
// settleWrite), holding k's lock throughout. The caller holds it.
func (s *Service) commit(k Key, ix *userIndex, w *writeSet) error {
	return s.settleWrite(s.stage(k, ix, w))
}

// stage applies the set to k's index (so the next decision sees it), drops
// k's profile and queues the set for the store (commit.go); nil when the
// set is empty. The caller holds k's lock.
func (s *Service) stage(k Key, ix *userIndex, w *writeSet) *pendingWrite {
	if len(w.order) == 0 {
		return nil
	}
	ix.mu.Lock()
	for _, id := range w.order {
		ix.put(s.a, w.byID[id].Memory)
	}
	ix.version = s.versions.Add(1)
	ix.mu.Unlock()
	s.profiles.Remove(k)
	p := &pendingWrite{k: k, ix: ix, changes: w.list(), done: make(chan turn, 1)}
	s.commits.submit(p)
	return p
}

// settleWrite waits until p is in the store. When it is not, the index it
// was staged on is dead (the next call rebuilds it from the store) and so
// is any profile built from it.
func (s *Service) settleWrite(p *pendingWrite) error {
	if p == nil {
		return nil
	}
	if err := s.commits.wait(p); err != nil {
		s.profiles.Remove(p.k)
		return err
	}
	return nil
}

// clocks are the two times of a write: now is record time (when Engram
// learns it), said is when it was said (relative dates count from it).
type clocks struct{ now, said time.Time }

// apply decides what one candidate does and records it in w and cur. A
// zero Event (no Event field) means it did nothing worth an event.
func (s *Service) apply(cur *[]store.Memory, w *writeSet, c Candidate, src string, t clocks, k Key) Event {
	if c.Retract {
		i := s.findRetracted(*cur, c)
		if c.Yield {
			if i >= 0 || c.Fallback == nil {
				return Event{} // the clause after it updates the memory
			}
			return s.apply(cur, w, *c.Fallback, src, t, k)
		}
		if i < 0 {
			if c.Fallback != nil {
				return s.apply(cur, w, *c.Fallback, src, t, k)
			}
			return Event{Event: EventNone, Memory: c.Text, Kind: c.Kind}
		}
		m := (*cur)[i]
		*cur = append((*cur)[:i], (*cur)[i+1:]...)
		end := t.said
		if !c.ValidTo.IsZero() {
			end = c.ValidTo
		}
		if c.Forget {
			end = time.Time{}
		}
		return s.deleteLocked(k, w, m, src, t.now, end, c.Said)
	}
	if c.Attribute == "" && c.Correction {
		return s.correct(cur, w, c, src, t, k)
	}
	for i := range *cur {
		// By index: a Memory is large, and a conversation's candidates
		// each look through every memory added before them.
		if p := &(*cur)[i]; p.Subject != c.Subject || p.Attribute != c.Attribute {
			continue
		}
		m := (*cur)[i]
		if s.a.sameValue(m.Value, c.Value) {
			return Event{Event: EventNone, ID: m.ID, Memory: m.Text, Kind: m.Kind}
		}
		nm := fromCandidate(c, k, src, t.now)
		old := s.version(k, w, m)
		// When the old version stopped being true: when the new one began
		// if the statement says so, else when it was said. A new start
		// before the old one, or a correction, means the old value was
		// never right: it is retired in record time only.
		// A version whose start is unknown begins, in effect, where the one
		// before it ended.
		start := m.ValidFrom
		if start == nil {
			start = s.inheritedStart(k, w, m)
		}
		var end *time.Time
		switch {
		case c.Correction:
			if nm.ValidFrom == nil {
				nm.ValidFrom = m.ValidFrom
			}
		case nm.ValidFrom != nil:
			if start == nil || nm.ValidFrom.After(*start) {
				end = ptr(*nm.ValidFrom)
			}
		case start == nil || t.said.After(*start):
			end = ptr(t.said)
		}
		closeVersion(&old, end, t.now)
		nm.ID, nm.Created, nm.Version = m.ID, m.Created, m.Version+1
		nv := versionOf(nm, EventUpdate)
		nv.Before = &m
		w.change(nm, old, nv)
		(*cur)[i] = nm
		return Event{Event: EventUpdate, ID: nm.ID, EventID: EventID(nm.ID, nm.Version), Memory: nm.Text, Previous: m.Text, Kind: nm.Kind}
	}
	nm := fromCandidate(c, k, src, t.now)
	nm.ID, nm.Created, nm.Version = s.ids.next(t.now, w.taken), t.now, 1
	w.change(nm, versionOf(nm, EventAdd))
	*cur = append(*cur, nm)
	return Event{Event: EventAdd, ID: nm.ID, EventID: EventID(nm.ID, nm.Version), Memory: nm.Text, Kind: nm.Kind}
}

// correct applies a bare correction ("I meant Bergen") to the memory told
// most recently: its value is replaced in its text, in record time only.
func (s *Service) correct(cur *[]store.Memory, w *writeSet, c Candidate, src string, t clocks, k Key) Event {
	best := -1
	for i, m := range *cur {
		if m.Value == "" || !strings.Contains(strings.ToLower(m.Text), strings.ToLower(m.Value)) {
			continue
		}
		if best < 0 || m.Updated.After((*cur)[best].Updated) || (m.Updated.Equal((*cur)[best].Updated) && m.ID > (*cur)[best].ID) {
			best = i
		}
	}
	if best < 0 {
		return Event{Event: EventNone, Memory: c.Text, Kind: c.Kind}
	}
	m := (*cur)[best]
	if s.a.sameValue(m.Value, c.Value) {
		return Event{Event: EventNone, ID: m.ID, Memory: m.Text, Kind: m.Kind}
	}
	nm := m
	lower := strings.ToLower(m.Text)
	i := strings.Index(lower, strings.ToLower(m.Value))
	nm.Text = m.Text[:i] + c.Value + m.Text[i+len(m.Value):]
	for j, p := range nm.Places {
		if strings.EqualFold(p, m.Value) {
			nm.Places = append(append(append([]string{}, nm.Places[:j]...), c.Value), nm.Places[j+1:]...)
		}
	}
	for j, p := range nm.People {
		if strings.EqualFold(p, m.Value) {
			nm.People = append(append(append([]string{}, nm.People[:j]...), c.Value), nm.People[j+1:]...)
		}
	}
	nm.Value, nm.Said, nm.Source, nm.Updated, nm.Recorded = c.Value, c.Said, src, t.now, t.now
	nm.Version = m.Version + 1
	old := s.version(k, w, m)
	closeVersion(&old, nil, t.now)
	nv := versionOf(nm, EventUpdate)
	nv.Before = &m
	w.change(nm, old, nv)
	(*cur)[best] = nm
	return Event{Event: EventUpdate, ID: nm.ID, EventID: EventID(nm.ID, nm.Version), Memory: nm.Text, Previous: m.Text, Kind: nm.Kind}
}

// closeVersion retires v in record time at now and, when end is known,
// in valid time at end (never before v's own start).
func closeVersion(v *store.MemoryVersion, end *time.Time, now time.Time) {
	if v.Superseded == nil {
		v.Superseded = ptr(now)
	}
	if end != nil && v.ValidTo == nil && (v.ValidFrom == nil || end.After(*v.ValidFrom)) {
		v.ValidTo = ptr(*end)
	}
}

func ptr(t time.Time) *time.Time { return &t }

// EventID names the event that made version v of memory id.
func EventID(id string, v int) string { return fmt.Sprintf("%s@%d", id, v) }

// findRetracted finds the current memory a retraction names: same subject
// and attribute (and value, for single-valued attributes such as
// lives_in); else the memory whose words cover the retraction's content
// words best ("I stopped going to the choir" finds "Sings in a choir").
// -1 when none.
func (s *Service) findRetracted(cur []store.Memory, c Candidate) int {
	// A retraction of a liking does not take back a dislike ("I used to
	// love fantasy" leaves "Dislikes fantasy"), nor the other way round.
	opposite := func(m store.Memory) bool {
		return c.Kind == KindPreference && m.Kind == KindPreference && polarity(m.Value)*polarity(c.Value) < 0
	}
	if c.Subject != "" && c.Attribute != "" {
		for i, m := range cur {
			if m.Subject == c.Subject && m.Attribute == c.Attribute && !opposite(m) &&
				(strings.Contains(c.Attribute, ":") || c.Value == "" || s.a.sameValue(m.Value, c.Value)) {
				return i
			}
		}
		if !c.Loose {
			return -1
		}
	}
	want := s.a.matchTerms(c.Match)
	if len(want) == 0 {
		return -1
	}
	best, bestScore := -1, 0.0
	for i, m := range cur {
		if (c.Subject != "" && m.Subject != c.Subject) || opposite(m) {
			continue
		}
		have := map[string]bool{}
		for _, t := range s.a.terms(m.Text + " " + m.Said + " " + m.Value + " " + m.Subject + " " + m.Attribute) {
			have[t] = true
		}
		if len(c.MatchAny) > 0 && !slices.ContainsFunc(c.MatchAny, func(w string) bool { return have[s.a.stem(w)] }) {
			continue
		}
		n := 0
		for _, t := range want {
			if have[t] {
				n++
			}
		}
		sc := float64(n) / float64(len(want))
		if sc > bestScore || (sc == bestScore && best >= 0 && sc > 0 && m.Updated.After(cur[best].Updated)) {
			best, bestScore = i, sc
		}
	}
	if bestScore < 0.6 {
		return -1
	}
	return best
}

// polarity is +1 for a liking, -1 for a dislike, 0 for any other value.
func polarity(v string) int {
	switch v {
	case "loves", "likes", "enjoys", "prefers":
		return 1
	case "hates", "dislikes":
		return -1
	}
	return 0
}

// inheritedStart is where the version before m's current one ended in
// valid time (nil when unknown or when m has no earlier version).
func (s *Service) inheritedStart(k Key, w *writeSet, m store.Memory) *time.Time {
	if m.Version < 2 {
		return nil
	}
	prev := m
	prev.Version = m.Version - 1
	if v := s.version(k, w, prev); v.Version == prev.Version && v.Event != EventDelete {
		return v.ValidTo
	}
	return nil
}

// version returns the stored version m is at, for closing it.
func (s *Service) version(k Key, w *writeSet, m store.Memory) store.MemoryVersion {
	if c, ok := w.byID[m.ID]; ok {
		for _, v := range c.Versions {
			if v.Version == m.Version {
				return v
			}
		}
	}
	if v, err := s.st.MemoryVersion(k.Workspace, k.User, m.ID, m.Version); err == nil {
		return v
	}
	return versionOf(m, EventAdd)
}

// deleteLocked retires m: in record time at now and, when end is not zero,
// in valid time at end (a retraction: "I no longer ..."). A forget or a
// delete by ID leaves valid time alone.
func (s *Service) deleteLocked(k Key, w *writeSet, m store.Memory, src string, now, end time.Time, said string) Event {
	old := s.version(k, w, m)
	var endp *time.Time
	if !end.IsZero() {
		endp = &end
	}
	closeVersion(&old, endp, now)
	dm := m
	dm.State = store.MemoryDeleted
	dm.ValidTo = old.ValidTo
	dm.Updated = now
	dm.Superseded = ptr(now)
	dm.Version = m.Version + 1
	dv := versionOf(dm, EventDelete)
	dv.Source, dv.Said, dv.Recorded = src, said, now
	dv.Before = &m
	w.change(dm, old, dv)
	return Event{Event: EventDelete, ID: m.ID, EventID: EventID(m.ID, dm.Version), Memory: m.Text, Previous: m.Text, Kind: m.Kind}
}

func fromCandidate(c Candidate, k Key, src string, now time.Time) store.Memory {
	m := store.Memory{
		User: k.User, Text: c.Text, Kind: c.Kind, Subject: c.Subject, Attribute: c.Attribute, Value: c.Value,
		People: c.People, Places: c.Places, Emotions: c.Emotions, Trigger: c.Trigger, When: c.When, WhenTo: c.WhenTo,
		Importance: c.Importance, Source: src, Said: c.Said, Updated: now, Recorded: now,
		State: store.MemoryCurrent,
	}
	if !c.ValidFrom.IsZero() {
		m.ValidFrom = ptr(c.ValidFrom)
	}
	if !c.ValidTo.IsZero() && (m.ValidFrom == nil || c.ValidTo.After(*m.ValidFrom)) {
		// No version ends before it starts, whatever an extractor says.
		m.ValidTo = ptr(c.ValidTo)
	}
	return m
}

func versionOf(m store.Memory, event string) store.MemoryVersion {
	return store.MemoryVersion{Version: m.Version, Event: event, Text: m.Text, Kind: m.Kind, Value: m.Value,
		Source: m.Source, Said: m.Said, State: m.State, Recorded: m.Recorded, ValidFrom: m.ValidFrom, ValidTo: m.ValidTo}
}

// Search finds k's memories for a query or question, best first: current
// ones only unless all. limit <= 0 means 10.
func (s *Service) Search(ctx context.Context, k Key, q string, limit int, all bool) ([]Hit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix, err := s.index(k)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 10
	}
	pq := s.a.parseQuery(q)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.search(pq, limit, all, s.now()), nil
}

// List returns k's memories, most important and most recent first; current
// ones only unless all.
func (s *Service) List(ctx context.Context, k Key, all bool) ([]store.Memory, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ix, err := s.index(k)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	out := make([]store.Memory, 0, len(ix.entries))
	for _, e := range ix.entries {
		if all || e.m.State == store.MemoryCurrent {
			out = append(out, e.m)
		}
	}
	ix.mu.RUnlock()
	sortMemories(out)
	return out, nil
}

func sortMemories(ms []store.Memory) {
	sort.Slice(ms, func(i, j int) bool {
		if ms[i].Updated != ms[j].Updated {
			return ms[i].Updated.After(ms[j].Updated)
		}
		return ms[i].ID < ms[j].ID
	})
}

// Get returns one of k's memories; ErrNotFound when k's user has none with
// that ID.
func (s *Service) Get(ctx context.Context, k Key, id string) (store.Memory, error) {
	ix, err := s.index(k)
	if err != nil {
		return store.Memory{}, err
	}
	ix.mu.RLock()
	e, ok := ix.entries[id]
	ix.mu.RUnlock()
	if !ok {
		return store.Memory{}, fmt.Errorf("%w %s for user %s; `engram memory list --all` shows their IDs", ErrNotFound, id, k.User)
	}
	return e.m, nil
}

// History returns every version of one of k's memories, oldest first.
func (s *Service) History(ctx context.Context, k Key, id string) ([]store.MemoryVersion, error) {
	if _, err := s.Get(ctx, k, id); err != nil {
		return nil, err
	}
	return s.st.MemoryHistory(k.Workspace, k.User, id)
}

// Delete forgets one of k's memories by ID; the history keeps it.
// Deleting a deleted memory is NONE.
func (s *Service) Delete(ctx context.Context, k Key, id string) (*Result, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	mu := s.lock(k)
	mu.Lock()
	defer mu.Unlock()
	ix, e, ok, err := s.lookupLocked(k, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w %s for user %s; `engram memory list` shows their IDs", ErrNotFound, id, k.User)
	}
	if e.m.State != store.MemoryCurrent {
		return &Result{Events: []Event{{Event: EventNone, ID: id, Memory: e.m.Text, Kind: e.m.Kind}}}, nil
	}
	w := &writeSet{byID: map[string]*store.MemoryChange{}}
	now := s.now().UTC()
	ev := s.deleteLocked(k, w, e.m, "delete", now, time.Time{}, "")
	if err := s.commit(k, ix, w); err != nil {
		return nil, err
	}
	return &Result{Events: []Event{ev}, Changed: w.memories()}, nil
}

// Edit replaces the text of one of k's current memories: a new version,
// with the old one closed and kept in the history. When the new text is a
// statement the extractor understands, its kind, value and entities are
// taken from it.
func (s *Service) Edit(ctx context.Context, k Key, id, text string) (*Result, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, ErrEmpty
	}
	now := s.now().UTC()
	cs, err := s.extract(ctx, text, now)
	if err != nil {
		return nil, err
	}
	mu := s.lock(k)
	mu.Lock()
	defer mu.Unlock()
	ix, e, ok, err := s.lookupLocked(k, id)
	if err != nil {
		return nil, err
	}
	if !ok || e.m.State != store.MemoryCurrent {
		return nil, fmt.Errorf("%w %s for user %s (or it was deleted); `engram memory list` shows their IDs", ErrNotFound, id, k.User)
	}
	m := e.m
	w := &writeSet{byID: map[string]*store.MemoryChange{}}
	// An edit is a correction: the old text was never right, so it is
	// retired in record time only and the valid time carries over.
	old := s.version(k, w, m)
	closeVersion(&old, nil, now)
	nm := m
	if len(cs) == 1 && !cs[0].Retract && cs[0].Attribute != "" {
		nm = fromCandidate(cs[0], k, "edit", now)
		nm.ID, nm.Created = m.ID, m.Created
		nm.Subject, nm.Attribute = m.Subject, m.Attribute
		if nm.ValidFrom == nil {
			nm.ValidFrom = m.ValidFrom
		}
		if nm.ValidTo == nil {
			nm.ValidTo = m.ValidTo
		}
	} else {
		nm.Text, nm.Said, nm.Source, nm.Updated, nm.Recorded = text, text, "edit", now, now
	}
	nm.Text = text
	nm.Confirmed = true
	nm.Version = m.Version + 1
	nv := versionOf(nm, EventUpdate)
	nv.Before = &m
	w.change(nm, old, nv)
	if err := s.commit(k, ix, w); err != nil {
		return nil, err
	}
	return &Result{Events: []Event{{Event: EventUpdate, ID: id, EventID: EventID(id, nm.Version), Memory: nm.Text, Previous: m.Text, Kind: nm.Kind}}, Changed: w.memories()}, nil
}

// Users lists the users with memories in the workspace.
func (s *Service) Users(ws string) ([]string, error) { return s.st.MemoryUsers(ws) }

// AllMemories returns every memory of every user in the workspace, for the
// graph derivation.
func (s *Service) AllMemories(ws string) ([]store.Memory, error) {
	users, err := s.st.MemoryUsers(ws)
	if err != nil {
		return nil, err
	}
	var out []store.Memory
	for _, u := range users {
		ms, err := s.st.Memories(ws, u)
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}

// Forget drops every cached index and profile of a workspace (after the
// workspace is deleted).
func (s *Service) Forget(ws string) {
	for _, k := range s.indexes.Keys() {
		if k.Workspace == ws {
			s.indexes.Remove(k)
		}
	}
	for _, k := range s.profiles.Keys() {
		if k.Workspace == ws {
			s.profiles.Remove(k)
		}
	}
}
