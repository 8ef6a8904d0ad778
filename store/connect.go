package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The connectors' records (package connect) live in two top-level buckets,
// created on first write, so a store that never connected anything has
// neither and no migration is needed:
//
//	oauth_pending   state (base64url) -> JSON PendingAuth
//	connectors      connector name -> JSON Connector
var (
	bucketPending    = []byte("oauth_pending")
	bucketConnectors = []byte("connectors")
)

// ErrExpired means a record was found but its time to live had passed; it
// is removed as it is read.
var ErrExpired = errors.New("expired")

// PendingAuth is a sign-in in progress: the OAuth state the browser will
// bring back, what it is bound to (provider and flow), the PKCE verifier and
// the redirect URI the token request must repeat. It holds no token. It
// lives until Expires and is taken (read and deleted) once.
type PendingAuth struct {
	State       string    `json:"state"`
	Provider    string    `json:"provider"`
	FlowID      string    `json:"flow_id"`
	Verifier    string    `json:"verifier"`
	RedirectURI string    `json:"redirect_uri"`
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
}

// PutPending records a sign-in in progress under its state.
func (s *Store) PutPending(p PendingAuth) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketPending)
		if err != nil {
			return err
		}
		return b.Put([]byte(p.State), raw)
	})
}

// TakePending reads and deletes, in one transaction, the sign-in recorded
// under state, so a state is accepted at most once even by two callers at
// the same time. It returns ErrNotFound when there is none (never issued,
// already used) and ErrExpired when it outlived its Expires (it is deleted
// all the same). check, if not nil, sees the record first: when it returns
// an error the record stays and TakePending returns that error, so a state
// shown to the wrong provider or redirect is refused without being spent.
func (s *Store) TakePending(state string, now time.Time, check func(PendingAuth) error) (PendingAuth, error) {
	var p PendingAuth
	expired := false
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPending)
		if b == nil {
			return ErrNotFound
		}
		raw := b.Get([]byte(state))
		if raw == nil {
			return ErrNotFound
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			return fmt.Errorf("decoding pending sign-in: %w", err)
		}
		if now.Before(p.Expires) && check != nil {
			if err := check(p); err != nil {
				return err
			}
		}
		expired = !now.Before(p.Expires)
		return b.Delete([]byte(state)) // an expired one goes too, and the deletion commits
	})
	if err == nil && expired {
		err = ErrExpired
	}
	if err != nil {
		return PendingAuth{}, err
	}
	return p, nil
}

// PendingFor lists the unexpired sign-ins in progress for a provider, newest
// first, and deletes every expired one it meets (of any provider).
func (s *Store) PendingFor(provider string, now time.Time) ([]PendingAuth, error) {
	var out []PendingAuth
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPending)
		if b == nil {
			return nil
		}
		var stale [][]byte
		err := b.ForEach(func(k, v []byte) error {
			var p PendingAuth
			if json.Unmarshal(v, &p) != nil || !now.Before(p.Expires) {
				stale = append(stale, append([]byte(nil), k...))
				return nil
			}
			if p.Provider == provider {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range stale {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, err
}

// Connector is the persisted state of one connected account: who it is,
// where its documents go, how far its sync got (Cursor, opaque JSON owned by
// the connector, written after every page) and what the last sync did. It
// never holds a token or a client secret; those are in the secret store.
type Connector struct {
	Name      string          `json:"name"`
	Account   string          `json:"account,omitempty"`
	Workspace string          `json:"workspace"`
	Status    string          `json:"status"` // connected, syncing, reconnect_needed, error
	Connected time.Time       `json:"connected,omitzero"`
	LastSync  time.Time       `json:"last_sync,omitzero"`
	LastError string          `json:"last_error,omitempty"`
	Documents int             `json:"documents"`
	Added     int             `json:"added"`   // by the last sync
	Updated   int             `json:"updated"` // by the last sync
	Removed   int             `json:"removed"` // by the last sync
	Cursor    json.RawMessage `json:"cursor,omitempty"`
}

// PutConnector stores a connector's record (insert or replace).
func (s *Store) PutConnector(c Connector) error {
	raw, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketConnectors)
		if err != nil {
			return err
		}
		return b.Put([]byte(c.Name), raw)
	})
}

// UpdateConnector reads a connector's record, lets fn change it and writes
// it back in one transaction. A connector never stored starts as its zero
// value with Name set; fn returning an error writes nothing.
func (s *Store) UpdateConnector(name string, fn func(c *Connector) error) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketConnectors)
		if err != nil {
			return err
		}
		c := Connector{Name: name}
		if raw := b.Get([]byte(name)); raw != nil {
			if err := json.Unmarshal(raw, &c); err != nil {
				return fmt.Errorf("decoding connector %s: %w", name, err)
			}
		}
		if err := fn(&c); err != nil {
			return err
		}
		raw, err := json.Marshal(c)
		if err != nil {
			return err
		}
		return b.Put([]byte(name), raw)
	})
}

// ConnectorRecord returns a connector's record; ErrNotFound when it was
// never connected (or was disconnected).
func (s *Store) ConnectorRecord(name string) (Connector, error) {
	var c Connector
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketConnectors)
		if b == nil {
			return ErrNotFound
		}
		raw := b.Get([]byte(name))
		if raw == nil {
			return ErrNotFound
		}
		return json.Unmarshal(raw, &c)
	})
	return c, err
}

// Connectors lists every connector's record, by name.
func (s *Store) Connectors() ([]Connector, error) {
	var out []Connector
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketConnectors)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var c Connector
			if err := json.Unmarshal(v, &c); err != nil {
				return err
			}
			out = append(out, c)
			return nil
		})
	})
	return out, err
}

// DeleteConnector removes a connector's record; no error when there is none.
func (s *Store) DeleteConnector(name string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketConnectors)
		if b == nil {
			return nil
		}
		return b.Delete([]byte(name))
	})
}
