package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"regexp"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Memory buckets, nested in each workspace's bucket (schema 3). Every key
// starts with the user, so a prefix scan for one user can never reach
// another's records.
var (
	bMemories   = []byte("memories")    // "<user>\x00<id>" -> JSON Memory
	bMemVersion = []byte("memory_hist") // "<user>\x00<id>\x00<version uint32 BE>" -> JSON MemoryVersion
	bMemMeta    = []byte("memory_meta") // "graph_pending" -> "1" when a graph write failed
)

var keyGraphPending = []byte("graph_pending")

// ErrBadUser means a user name is not allowed, or a memory was written or
// asked for under a user it does not belong to.
var ErrBadUser = errors.New("invalid user")

// Memory states.
const (
	MemoryCurrent = "current"
	MemoryDeleted = "deleted"
)

// Memory is the current state of one remembered fact about a user. Its
// older values live in its versions (MemoryHistory).
//
// A memory keeps two clocks. Valid time is when the fact was true in the
// world: ValidFrom and ValidTo, nil when unknown (a statement without a date
// does not say when the fact began). Record time is when Engram learnt it
// (Recorded) and retired it (Superseded). Subject and Attribute are the
// internal identity of the fact (how a later statement finds it); they are
// stored but never shown: the JSON of a Memory leaves them out.
type Memory struct {
	ID         string     `json:"id"`
	User       string     `json:"user"`
	Text       string     `json:"memory"`
	Kind       string     `json:"kind"`
	Subject    string     `json:"-"` // "user", "sister:anna", ...
	Attribute  string     `json:"-"` // "lives_in", "pref:bouldering", ...
	Value      string     `json:"value,omitempty"`
	People     []string   `json:"people,omitempty"`
	Places     []string   `json:"places,omitempty"`
	Emotions   []string   `json:"emotions,omitempty"`
	Trigger    string     `json:"trigger,omitempty"`
	When       *time.Time `json:"when,omitempty"`    // a plan's date, or the start of its range
	WhenTo     *time.Time `json:"when_to,omitempty"` // the end of a plan's range ("between Monday and Friday")
	Importance float64    `json:"importance"`
	Source     string     `json:"source,omitempty"`
	Said       string     `json:"said,omitempty"` // the sentence it came from
	Created    time.Time  `json:"created"`
	Updated    time.Time  `json:"updated"`
	ValidFrom  *time.Time `json:"valid_from"`
	ValidTo    *time.Time `json:"valid_to"`
	Recorded   time.Time  `json:"recorded"`
	Superseded *time.Time `json:"superseded,omitempty"`
	// Confirmed is set when the user confirmed a machine-made memory.
	Confirmed bool   `json:"confirmed,omitempty"`
	State     string `json:"state"`
	Version   int    `json:"version"`
}

// MemoryVersion is one version of a memory: its text, its two clocks (valid
// time: ValidFrom, ValidTo; record time: Recorded, Superseded) and the event
// (ADD, UPDATE, DELETE, CONFIRM, UNDO) that made it. Before is the memory as
// it was just before this event, for an exact undo; it is stored, never
// shown.
type MemoryVersion struct {
	Version    int        `json:"version"`
	Event      string     `json:"event"`
	Text       string     `json:"memory"`
	Kind       string     `json:"kind"`
	Value      string     `json:"value,omitempty"`
	Source     string     `json:"source,omitempty"`
	Said       string     `json:"said,omitempty"`
	State      string     `json:"state,omitempty"`
	Recorded   time.Time  `json:"recorded"`
	Superseded *time.Time `json:"superseded,omitempty"`
	ValidFrom  *time.Time `json:"valid_from"`
	ValidTo    *time.Time `json:"valid_to"`
	// Undoes names the event ("<memory ID>@<version>") an UNDO reverted.
	Undoes string  `json:"undoes,omitempty"`
	Before *Memory `json:"-"`
}

// memoryRecord is how a Memory is stored: with its subject and attribute.
type memoryRecord struct {
	Memory
	Subject   string `json:"subject"`
	Attribute string `json:"attribute"`
}

func toRecord(m Memory) memoryRecord {
	return memoryRecord{Memory: m, Subject: m.Subject, Attribute: m.Attribute}
}

func (r memoryRecord) memory() Memory {
	m := r.Memory
	m.Subject, m.Attribute = r.Subject, r.Attribute
	return m
}

// versionRecord is how a MemoryVersion is stored: with the state before it.
type versionRecord struct {
	MemoryVersion
	Before *memoryRecord `json:"before,omitempty"`
}

// encodeVersion stores a version as JSON behind a checksum (sealValue).
func encodeVersion(v MemoryVersion) ([]byte, error) {
	r := versionRecord{MemoryVersion: v}
	if v.Before != nil {
		b := toRecord(*v.Before)
		r.Before = &b
	}
	return sealValue(r)
}

// decodeVersion reads a version written by encodeVersion; a damaged one is
// an error wrapping ErrCorrupt.
func decodeVersion(raw []byte) (MemoryVersion, error) { return decodeVersionWith(openValue, raw) }

// decodeLegacyVersion is decodeVersion for the migrations that run before
// the checksums (schema 5), which read plain JSON too.
func decodeLegacyVersion(raw []byte) (MemoryVersion, error) {
	return decodeVersionWith(openLegacyValue, raw)
}

func decodeVersionWith(open func([]byte, any) error, raw []byte) (MemoryVersion, error) {
	var r versionRecord
	if err := open(raw, &r); err != nil {
		return MemoryVersion{}, err
	}
	v := r.MemoryVersion
	if r.Before != nil {
		b := r.Before.memory()
		v.Before = &b
	}
	return v, nil
}

// encodeMemory stores a memory's current state as JSON behind a checksum.
func encodeMemory(m Memory) ([]byte, error) { return sealValue(toRecord(m)) }

// decodeMemory reads a value written by encodeMemory; a damaged one is an
// error wrapping ErrCorrupt.
func decodeMemory(raw []byte) (Memory, error) {
	var r memoryRecord
	err := openValue(raw, &r)
	return r.memory(), err
}

// decodeLegacyMemory is decodeMemory for the migrations that run before the
// checksums (schema 5), which read plain JSON too.
func decodeLegacyMemory(raw []byte) (Memory, error) {
	var r memoryRecord
	err := openLegacyValue(raw, &r)
	return r.memory(), err
}

// MemoryChange is one memory written with the versions it adds or closes.
type MemoryChange struct {
	Memory   Memory
	Versions []MemoryVersion
}

var userName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$`)

// ValidUser reports whether name may name a memory user: 1 to 128 letters,
// digits, '.', '_', '@', '+' or '-', starting with a letter or digit.
func ValidUser(name string) error {
	if !userName.MatchString(name) {
		return fmt.Errorf("%w %q: use 1-128 letters, digits, '.', '_', '@', '+' or '-'", ErrBadUser, name)
	}
	return nil
}

func memKey(user, id string) []byte { return []byte(user + "\x00" + id) }

func memVersionKey(user, id string, v int) []byte {
	k := make([]byte, 0, len(user)+len(id)+6)
	k = append(k, user...)
	k = append(k, 0)
	k = append(k, id...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, uint32(v))
}

// memBucket returns one of a workspace's memory buckets, creating it in a
// writable transaction (workspaces made before schema 3 get them from the
// migration, new ones on first write). Nil in a read-only transaction means
// no memories yet.
func memBucket(tx *bolt.Tx, ws string, name []byte) (*bolt.Bucket, error) {
	root := tx.Bucket(wsBucketName(ws))
	if root == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoWorkspace, ws)
	}
	if b := root.Bucket(name); b != nil || !tx.Writable() {
		return b, nil
	}
	return root.CreateBucketIfNotExists(name)
}

// ApplyMemories writes the changes for one user atomically. Every
// memory must belong to user; a change for another user is refused with
// ErrBadUser and nothing is written.
func (s *Store) ApplyMemories(ws, user string, changes []MemoryChange) error {
	return s.ApplyMemoryWrites([]MemoryWrite{{Workspace: ws, User: user, Changes: changes}})
}

// MemoryWrite is the changes of one user's memories in one workspace.
type MemoryWrite struct {
	Workspace, User string
	Changes         []MemoryChange
}

// ApplyMemoryWrites applies the writes in order, all or none, in one
// transaction (one commit, one fsync, for writes gathered from many
// callers). A write whose memory belongs to another user fails them all
// with ErrBadUser.
func (s *Store) ApplyMemoryWrites(writes []MemoryWrite) error {
	for _, w := range writes {
		if err := ValidUser(w.User); err != nil {
			return err
		}
	}
	// One transaction of its own, at once: the caller gathers (memory's
	// committer), so waiting for a db.Batch to fill would only add delay.
	return s.update(func(tx *bolt.Tx) error {
		for _, w := range writes {
			if err := putMemories(tx, w.Workspace, w.User, w.Changes); err != nil {
				return err
			}
		}
		return nil
	})
}

func putMemories(tx *bolt.Tx, ws, user string, changes []MemoryChange) error {
	mems, err := memBucket(tx, ws, bMemories)
	if err != nil {
		return err
	}
	vers, err := memBucket(tx, ws, bMemVersion)
	if err != nil {
		return err
	}
	for _, c := range changes {
		m := c.Memory
		if m.User != user {
			return fmt.Errorf("%w: memory %s belongs to %q, not %q", ErrBadUser, m.ID, m.User, user)
		}
		if m.ID == "" || bytes.IndexByte([]byte(m.ID), 0) >= 0 {
			return fmt.Errorf("memory ID %q: %w", m.ID, ErrNotFound)
		}
		raw, err := encodeMemory(m)
		if err != nil {
			return fmt.Errorf("encoding memory %s: %w", m.ID, err)
		}
		if err := mems.Put(memKey(user, m.ID), raw); err != nil {
			return err
		}
		for _, v := range c.Versions {
			raw, err := encodeVersion(v)
			if err != nil {
				return fmt.Errorf("encoding memory %s version %d: %w", m.ID, v.Version, err)
			}
			if err := vers.Put(memVersionKey(user, m.ID, v.Version), raw); err != nil {
				return err
			}
		}
	}
	return nil
}

// Memories returns every memory of user in the workspace, deleted ones
// included, in ID order.
func (s *Store) Memories(ws, user string) ([]Memory, error) {
	if err := ValidUser(user); err != nil {
		return nil, err
	}
	var out []Memory
	err := s.view(func(tx *bolt.Tx) error {
		b, err := memBucket(tx, ws, bMemories)
		if err != nil || b == nil {
			return err
		}
		prefix := []byte(user + "\x00")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			m, err := decodeMemory(v)
			if err != nil {
				return fmt.Errorf("decoding memory %q: %w", k, err)
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// Memory returns one memory of user; ErrNotFound when user has none with
// that ID (another user's memory of the same ID is never returned).
func (s *Store) Memory(ws, user, id string) (Memory, error) {
	var m Memory
	if err := ValidUser(user); err != nil {
		return m, err
	}
	found, err := s.memValue(ws, bMemories, memKey(user, id), func(v []byte) (err error) {
		m, err = decodeMemory(v)
		return err
	})
	if err == nil && !found {
		err = fmt.Errorf("memory %s: %w", id, ErrNotFound)
	}
	return m, err
}

// memValue calls decode, inside the read, with the value at key of one of
// workspace ws's memory buckets; found is false when there is none.
func (s *Store) memValue(ws string, bucket, key []byte, decode func([]byte) error) (found bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		b, err := memBucket(tx, ws, bucket)
		if err != nil || b == nil {
			return err
		}
		v := b.Get(key)
		if v == nil {
			return nil
		}
		found = true
		return decode(v)
	})
	return found, err
}

// MemoryVersion returns version v of one of user's memories, read by its
// key: a write that closes the version before it reads that one alone, not
// the memory's whole history (a place lived in, updated at every move,
// gathers hundreds). ErrNotFound when there is no such version.
func (s *Store) MemoryVersion(ws, user, id string, v int) (MemoryVersion, error) {
	var mv MemoryVersion
	if err := ValidUser(user); err != nil {
		return mv, err
	}
	if v < 1 || v > math.MaxUint32 {
		return mv, fmt.Errorf("memory %s version %d: %w", id, v, ErrNotFound)
	}
	found, err := s.memValue(ws, bMemVersion, memVersionKey(user, id, v), func(raw []byte) (err error) {
		if mv, err = decodeVersion(raw); err != nil {
			return fmt.Errorf("decoding memory %s version %d: %w", id, v, err)
		}
		return nil
	})
	if err == nil && !found {
		err = fmt.Errorf("memory %s version %d: %w", id, v, ErrNotFound)
	}
	return mv, err
}

// MemoryHistory returns every version of one of user's memories, oldest
// first; ErrNotFound when user has no such memory.
func (s *Store) MemoryHistory(ws, user, id string) ([]MemoryVersion, error) {
	if err := ValidUser(user); err != nil {
		return nil, err
	}
	var out []MemoryVersion
	err := s.view(func(tx *bolt.Tx) error {
		b, err := memBucket(tx, ws, bMemVersion)
		if err != nil || b == nil {
			return err
		}
		prefix := []byte(user + "\x00" + id + "\x00")
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(k) != len(prefix)+4 {
				continue
			}
			mv, err := decodeVersion(v)
			if err != nil {
				return fmt.Errorf("decoding memory version %q: %w", k, err)
			}
			out = append(out, mv)
		}
		return nil
	})
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("memory %s: %w", id, ErrNotFound)
	}
	return out, err
}

// MemoryUsers lists the users that have memories in the workspace.
func (s *Store) MemoryUsers(ws string) ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		b, err := memBucket(tx, ws, bMemories)
		if err != nil || b == nil {
			return err
		}
		c := b.Cursor()
		for k, _ := c.First(); k != nil; {
			i := bytes.IndexByte(k, 0)
			if i < 0 {
				k, _ = c.Next()
				continue
			}
			out = append(out, string(k[:i]))
			// Skip to the first key after this user's prefix.
			next := append([]byte(string(k[:i])), 1)
			k, _ = c.Seek(next)
		}
		return nil
	})
	return out, err
}

// SetMemoryGraphPending records (or clears) that some memories' graph edges
// could not be written, so the next start derives them.
func (s *Store) SetMemoryGraphPending(ws string, pending bool) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := memBucket(tx, ws, bMemMeta)
		if err != nil {
			return err
		}
		if !pending {
			return b.Delete(keyGraphPending)
		}
		return b.Put(keyGraphPending, []byte("1"))
	})
}

// MemoryGraphPending reports whether the graph lacks some memories' edges.
func (s *Store) MemoryGraphPending(ws string) (bool, error) {
	var pending bool
	err := s.view(func(tx *bolt.Tx) error {
		b, err := memBucket(tx, ws, bMemMeta)
		if err != nil || b == nil {
			return err
		}
		pending = b.Get(keyGraphPending) != nil
		return nil
	})
	return pending, err
}

// migrateMemories (schema 2 -> 3) adds the memory buckets to every
// workspace. There are no memories before schema 3, so no graph edges are
// pending; graph_pending is set later only when a memory's graph write
// fails, and the next memory write or `engram doctor --repair` derives them.
func migrateMemories(tx *bolt.Tx) error {
	return tx.Bucket(bucketWorkspaces).ForEach(func(name, _ []byte) error {
		root := tx.Bucket(wsBucketName(string(name)))
		if root == nil {
			return nil
		}
		for _, b := range [][]byte{bMemories, bMemVersion, bMemMeta} {
			if _, err := root.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
}

// migrateMemoryClocks (schema 4 -> 5) gives every stored memory version its
// two clocks. Before schema 5 a version whose start was unknown was given
// the time it was recorded as its valid-from (so a fact told today read as
// true "from today"), an update closed the old version no earlier than that
// invented start (an instant), and record time was not kept apart. The
// migration:
//   - clears a valid-from equal to the version's recorded time (it was
//     invented, not said);
//   - sets each version's superseded to the next version's recorded time;
//   - closes a version's valid time at the start the next version was
//     given, when that start is known and not before its own start, and
//     never leaves a version ending before it starts;
//   - copies the newest version's clocks into the memory record.
func migrateMemoryClocks(tx *bolt.Tx) error {
	return tx.Bucket(bucketWorkspaces).ForEach(func(name, _ []byte) error {
		root := tx.Bucket(wsBucketName(string(name)))
		if root == nil {
			return nil
		}
		mems, vers := root.Bucket(bMemories), root.Bucket(bMemVersion)
		if mems == nil || vers == nil {
			return nil
		}
		type rec struct {
			key []byte
			m   Memory
		}
		var all []rec
		if err := mems.ForEach(func(k, v []byte) error {
			m, err := decodeLegacyMemory(v)
			if err != nil {
				return fmt.Errorf("decoding memory %q: %w", k, err)
			}
			all = append(all, rec{append([]byte(nil), k...), m})
			return nil
		}); err != nil {
			return err
		}
		for _, r := range all {
			prefix := append(append([]byte(nil), r.key...), 0)
			var keys [][]byte
			var vs []MemoryVersion
			c := vers.Cursor()
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if len(k) != len(prefix)+4 {
					continue
				}
				mv, err := decodeLegacyVersion(v)
				if err != nil {
					return fmt.Errorf("decoding memory version %q: %w", k, err)
				}
				keys = append(keys, append([]byte(nil), k...))
				vs = append(vs, mv)
			}
			fixMemoryClocks(vs)
			for i, v := range vs {
				raw, err := encodeVersion(v)
				if err != nil {
					return err
				}
				if err := vers.Put(keys[i], raw); err != nil {
					return err
				}
			}
			m := r.m
			if m.ValidFrom != nil && m.ValidFrom.Equal(m.Updated) {
				m.ValidFrom = nil
			}
			m.Recorded = m.Updated
			if n := len(vs); n > 0 {
				last := vs[n-1]
				m.ValidFrom, m.ValidTo, m.Recorded = last.ValidFrom, last.ValidTo, last.Recorded
				if m.State == MemoryDeleted {
					m.Superseded = &last.Recorded
				}
			}
			raw, err := encodeMemory(m)
			if err != nil {
				return err
			}
			if err := mems.Put(r.key, raw); err != nil {
				return err
			}
		}
		return nil
	})
}

// fixMemoryClocks repairs the clocks of one memory's versions, oldest
// first (see migrateMemoryClocks).
func fixMemoryClocks(vs []MemoryVersion) {
	for i := range vs {
		if vs[i].ValidFrom != nil && vs[i].ValidFrom.Equal(vs[i].Recorded) {
			vs[i].ValidFrom = nil
		}
	}
	for i := range vs {
		v := &vs[i]
		if i+1 < len(vs) {
			next := vs[i+1]
			if v.Superseded == nil {
				t := next.Recorded
				v.Superseded = &t
			}
			if next.Event == "UPDATE" && next.ValidFrom != nil && (v.ValidFrom == nil || !next.ValidFrom.Before(*v.ValidFrom)) {
				t := *next.ValidFrom
				v.ValidTo = &t
			}
		}
		if v.ValidTo != nil && v.ValidFrom != nil && !v.ValidTo.After(*v.ValidFrom) {
			// An instant or worse: the old code's clamp; the end is unknown.
			if i+1 < len(vs) {
				t := vs[i+1].Recorded
				if t.After(*v.ValidFrom) {
					v.ValidTo = &t
					continue
				}
			}
			v.ValidTo = nil
		}
	}
}
