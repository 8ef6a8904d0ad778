package store

import "errors"

var (
	// ErrLocked means another process holds the data directory's store.
	ErrLocked = errors.New("engram is already running")
	// ErrNotFound means the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrWorkspaceExists means a workspace of that name already exists.
	ErrWorkspaceExists = errors.New("workspace already exists")
	// ErrNoWorkspace means the named workspace does not exist.
	ErrNoWorkspace = errors.New("no such workspace")
	// ErrBadName means a workspace name is not allowed.
	ErrBadName = errors.New("invalid workspace name")
	// ErrNewerSchema means the store was written by a newer Engram.
	ErrNewerSchema = errors.New("store was written by a newer version of Engram")
)

// ErrCorrupt means a record or a page of the store is damaged: its
// checksum does not match, it does not decode, or bbolt found the file
// inconsistent. CorruptError and DamagedError wrap it with which records.
var ErrCorrupt = errors.New("store is damaged")
