package store

import (
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Setting returns a setting's value; ok is false when it was never set.
func (s *Store) Setting(key string) (value string, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketSettings).Get([]byte(key)); v != nil {
			// A damaged value reads as unset: the default applies.
			ok = openValue(v, &value) == nil
		}
		return nil
	})
	return value, ok, err
}

// SetSetting stores a setting; an empty value removes it.
func (s *Store) SetSetting(key, value string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSettings)
		if value == "" {
			return b.Delete([]byte(key))
		}
		raw, err := sealValue(value)
		if err != nil {
			return err
		}
		return b.Put([]byte(key), raw)
	})
}

// Settings returns every stored setting.
func (s *Store) Settings() (map[string]string, error) {
	out := map[string]string{}
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSettings).ForEach(func(k, v []byte) error {
			var value string
			if openValue(v, &value) == nil {
				out[string(k)] = value
			}
			return nil
		})
	})
	return out, err
}

// DictEntry is one of the user's dictionary entries: an acronym with its
// expansions, or a group of synonyms.
type DictEntry struct {
	Kind       string   `json:"kind"` // "acronym" or "synonym"
	Term       string   `json:"term"`
	Expansions []string `json:"expansions"`
	// Off switches a built-in entry of the same kind and term off: the
	// term then expands to nothing. Such an entry has no expansions.
	Off bool `json:"off,omitempty"`
}

func dictKey(kind, term string) []byte { return []byte(kind + "\x00" + term) }

// PutDictEntry adds or replaces a dictionary entry.
func (s *Store) PutDictEntry(ws string, e DictEntry) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bDict)
		if err != nil {
			return err
		}
		raw, _ := sealValue(e)
		return b.Put(dictKey(e.Kind, e.Term), raw)
	})
}

// DeleteDictEntry removes an entry; ErrNotFound when there is none.
func (s *Store) DeleteDictEntry(ws, kind, term string) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bDict)
		if err != nil {
			return err
		}
		if b.Get(dictKey(kind, term)) == nil {
			return fmt.Errorf("%s %q: %w", kind, term, ErrNotFound)
		}
		return b.Delete(dictKey(kind, term))
	})
}

// DictEntries lists the workspace's own dictionary entries.
func (s *Store) DictEntries(ws string) ([]DictEntry, error) {
	var out []DictEntry
	err := s.view(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bDict)
		if err != nil {
			return err
		}
		return b.ForEach(func(_, v []byte) error {
			var e DictEntry
			if openValue(v, &e) != nil {
				return nil // damaged: left out (Verify reports it)
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// Job is the persisted record of an import: what it read, how far it got,
// and what went wrong, item by item.
type Job struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"` // "import"
	Sources  []string   `json:"sources"`
	State    string     `json:"state"` // running, done, failed, cancelled
	Started  time.Time  `json:"started"`
	Finished time.Time  `json:"finished,omitzero"`
	Total    int        `json:"total"`
	Done     int        `json:"done"`
	Imported int        `json:"imported"`
	Updated  int        `json:"updated"`
	Skipped  int        `json:"skipped"`
	Failed   int        `json:"failed"`
	Removed  int        `json:"removed"`
	Current  string     `json:"current,omitempty"`
	Errors   []JobError `json:"errors,omitempty"`
}

// JobError is one item an import could not take.
type JobError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// PutJob stores a job record (insert or update).
func (s *Store) PutJob(ws string, j Job) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bJobs)
		if err != nil {
			return err
		}
		raw, err := sealValue(j)
		if err != nil {
			return err
		}
		return b.Put([]byte(j.ID), raw)
	})
}

// Jobs lists the workspace's jobs, newest first.
func (s *Store) Jobs(ws string) ([]Job, error) {
	var out []Job
	err := s.view(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bJobs)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var j Job
			if openValue(v, &j) != nil {
				j = Job{ID: string(k), State: "damaged"}
			}
			out = append(out, j)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, err
}
