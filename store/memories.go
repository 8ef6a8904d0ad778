package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
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
type Memory struct {
	ID         string     `json:"id"`
	User       string     `json:"user"`
	Text       string     `json:"memory"`
	Kind       string     `json:"kind"`
	Subject    string     `json:"subject"`   // "user", "sister:anna", ...
	Attribute  string     `json:"attribute"` // "lives_in", "pref:bouldering", ...
	Value      string     `json:"value,omitempty"`
	People     []string   `json:"people,omitempty"`
	Places     []string   `json:"places,omitempty"`
	Emotions   []string   `json:"emotions,omitempty"`
	Trigger    string     `json:"trigger,omitempty"`
	When       *time.Time `json:"when,omitempty"` // a plan's date
	Importance float64    `json:"importance"`
	Source     string     `json:"source,omitempty"`
	Said       string     `json:"said,omitempty"` // the sentence it came from
	Created    time.Time  `json:"created"`
	Updated    time.Time  `json:"updated"`
	ValidFrom  time.Time  `json:"valid_from"`
	ValidTo    *time.Time `json:"valid_to"`
	State      string     `json:"state"`
	Version    int        `json:"version"`
}

// MemoryVersion is one version of a memory: its text and span, and the event
// (ADD, UPDATE, DELETE) that made it.
type MemoryVersion struct {
	Version   int        `json:"version"`
	Event     string     `json:"event"`
	Text      string     `json:"memory"`
	Kind      string     `json:"kind"`
	Value     string     `json:"value,omitempty"`
	Source    string     `json:"source,omitempty"`
	Said      string     `json:"said,omitempty"`
	Recorded  time.Time  `json:"recorded"`
	ValidFrom time.Time  `json:"valid_from"`
	ValidTo   *time.Time `json:"valid_to"`
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
	if err := ValidUser(user); err != nil {
		return err
	}
	// Batch: concurrent writers share one commit (one fsync). The function
	// may run twice when another in its batch fails; its puts are idempotent.
	return s.batch(func(tx *bolt.Tx) error {
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
			raw, err := sealValue(m)
			if err != nil {
				return fmt.Errorf("encoding memory %s: %w", m.ID, err)
			}
			if err := mems.Put(memKey(user, m.ID), raw); err != nil {
				return err
			}
			for _, v := range c.Versions {
				raw, err := sealValue(v)
				if err != nil {
					return fmt.Errorf("encoding memory %s version %d: %w", m.ID, v.Version, err)
				}
				if err := vers.Put(memVersionKey(user, m.ID, v.Version), raw); err != nil {
					return err
				}
			}
		}
		return nil
	})
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
			var m Memory
			if err := openValue(v, &m); err != nil {
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
	err := s.view(func(tx *bolt.Tx) error {
		b, err := memBucket(tx, ws, bMemories)
		if err != nil {
			return err
		}
		var v []byte
		if b != nil {
			v = b.Get(memKey(user, id))
		}
		if v == nil {
			return fmt.Errorf("memory %s: %w", id, ErrNotFound)
		}
		return corruptAt(fmt.Sprintf("memory %s", id), openValue(v, &m))
	})
	return m, err
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
			var mv MemoryVersion
			if err := openValue(v, &mv); err != nil {
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
