package store

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Workspace is one independent knowledge base in the data directory.
type Workspace struct {
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

var nestedBuckets = [][]byte{bDocSeq, bDocIDs, bAuthors, bFiles, bDocFiles, bNames, bDangling, bDict, bJobs}

var (
	bFiles    = []byte("files")
	bDocFiles = []byte("docfiles")
	bNames    = []byte("names")
	bDangling = []byte("dangling")
	bDict     = []byte("dict")
	bJobs     = []byte("jobs")
)

var workspaceName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// ValidWorkspaceName reports whether name may name a workspace: 1 to 64
// lower-case letters, digits, '-' or '_', starting with a letter or digit.
func ValidWorkspaceName(name string) error {
	if !workspaceName.MatchString(name) {
		return fmt.Errorf("%w %q: use 1-64 lower-case letters, digits, '-' or '_'", ErrBadName, name)
	}
	return nil
}

func wsBucketName(name string) []byte { return []byte("ws:" + name) }

// CreateWorkspace adds a workspace. It returns ErrWorkspaceExists when one
// of that name exists, unless ifMissing is set.
func (s *Store) CreateWorkspace(name string, ifMissing bool) error {
	if err := ValidWorkspaceName(name); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		wss := tx.Bucket(bucketWorkspaces)
		if wss.Get([]byte(name)) != nil {
			if ifMissing {
				return nil
			}
			return fmt.Errorf("%w: %s", ErrWorkspaceExists, name)
		}
		raw, _ := json.Marshal(Workspace{Name: name, Created: time.Now().UTC()})
		if err := wss.Put([]byte(name), raw); err != nil {
			return err
		}
		root, err := tx.CreateBucketIfNotExists(wsBucketName(name))
		if err != nil {
			return err
		}
		for _, b := range nestedBuckets {
			if _, err := root.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
}

// Workspaces lists the workspaces by name.
func (s *Store) Workspaces() ([]Workspace, error) {
	var out []Workspace
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketWorkspaces).ForEach(func(_, v []byte) error {
			var w Workspace
			if err := json.Unmarshal(v, &w); err != nil {
				return err
			}
			out = append(out, w)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// HasWorkspace reports whether the workspace exists.
func (s *Store) HasWorkspace(name string) (bool, error) {
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketWorkspaces).Get([]byte(name)) != nil
		return nil
	})
	return ok, err
}

// DeleteWorkspace removes a workspace and everything stored in it. The
// caller removes the workspace's derived files (index, graph).
func (s *Store) DeleteWorkspace(name string) error {
	return s.update(func(tx *bolt.Tx) error {
		wss := tx.Bucket(bucketWorkspaces)
		if wss.Get([]byte(name)) == nil {
			return fmt.Errorf("%w: %s", ErrNoWorkspace, name)
		}
		if err := wss.Delete([]byte(name)); err != nil {
			return err
		}
		if tx.Bucket(wsBucketName(name)) != nil {
			return tx.DeleteBucket(wsBucketName(name))
		}
		return nil
	})
}

// wsBucket returns a workspace's nested bucket, or ErrNoWorkspace.
func wsBucket(tx *bolt.Tx, ws string, name []byte) (*bolt.Bucket, error) {
	root := tx.Bucket(wsBucketName(ws))
	if root == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoWorkspace, ws)
	}
	b := root.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("workspace %s has no %s bucket: %w", ws, name, ErrNotFound)
	}
	return b, nil
}
