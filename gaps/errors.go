package gaps

import "errors"

var (
	// ErrNotFound means no gap has the given ID.
	ErrNotFound = errors.New("no such gap")
	// ErrBadKind means a gap kind's name is not one of Kinds.
	ErrBadKind = errors.New("unknown gap kind")
)
