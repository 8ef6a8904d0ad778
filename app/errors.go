package app

import (
	"errors"
	"fmt"
)

// ErrInvalid matches (errors.Is) every error that is a value the caller
// gave that Engram cannot take: an empty text to remember, an unknown
// dictionary kind, a setting's bad value. The web API answers 400.
var ErrInvalid = errors.New("invalid value")

// ErrInUse matches every error that refuses what would pull a resource
// from under someone using it (a workspace in use, the default workspace
// deleted). The web API answers 409; trying again later may work.
var ErrInUse = errors.New("in use")

// ErrNoDialog means a native dialog was asked of a face that has none (the
// browser face of `engram serve`): the user types the path instead. The web
// API answers 501.
var ErrNoDialog = errors.New("no folder dialog here")

// kindError is an error of a kind (ErrInvalid, ErrInUse) whose message is
// its own: the kind adds no words to it.
type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string        { return e.err.Error() }
func (e *kindError) Unwrap() error        { return e.err }
func (e *kindError) Is(target error) bool { return target == e.kind }

// invalidf is an ErrInvalid error with fmt.Errorf's message (and %w).
func invalidf(format string, args ...any) error {
	return &kindError{kind: ErrInvalid, err: fmt.Errorf(format, args...)}
}

// inUsef is an ErrInUse error with fmt.Errorf's message (and %w).
func inUsef(format string, args ...any) error {
	return &kindError{kind: ErrInUse, err: fmt.Errorf(format, args...)}
}
