package search

import "errors"

var (
	// ErrIndexCorrupt means the index directory exists but cannot be opened
	// as a Bleve index (missing or damaged metadata or segments). The index
	// is derived data: delete the directory and rebuild it from the store
	// (engram doctor does this).
	ErrIndexCorrupt = errors.New("search index is corrupt")

	// ErrIndexLocked means another process holds the index open. Close the
	// other Engram process (desktop app or CLI) and try again.
	ErrIndexLocked = errors.New("search index is in use by another process")

	// ErrMappingChanged means the index was built by a different version of
	// the field mapping and must be rebuilt from the store.
	ErrMappingChanged = errors.New("search index was built with another mapping version")

	// ErrClosed is returned by every method called after Close.
	ErrClosed = errors.New("search index is closed")

	// ErrEmptyID is returned by Put for a document without an ID.
	ErrEmptyID = errors.New("document has no id")
)
