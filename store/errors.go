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
