package memory

import "errors"

var (
	// ErrNotFound means the user has no memory with that ID.
	ErrNotFound = errors.New("no such memory")
	// ErrNothingToRemember means the text held no statement to remember.
	ErrNothingToRemember = errors.New("nothing to remember in that text")
	// ErrEmpty means a required text or query was empty.
	ErrEmpty = errors.New("empty text")
	// ErrBadFilter means a search filter (a date, a kind) is not one this
	// package knows.
	ErrBadFilter = errors.New("bad memory filter")
)
