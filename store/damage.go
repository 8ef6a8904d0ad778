package store

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// CorruptError is one damaged record: which one, and what is wrong with it.
// It wraps ErrCorrupt.
type CorruptError struct {
	Record string // e.g. "document 3f2a… (record #42) of workspace personal"
	Reason string // e.g. "checksum mismatch"
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s is damaged in the store (%s); re-import its source, or restore engram.db from a backup", e.Record, e.Reason)
}

func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// corruptAt names the record of an error wrapping ErrCorrupt; other errors
// (and nil) pass through.
func corruptAt(record string, err error) error {
	if err == nil || !errors.Is(err, ErrCorrupt) {
		return err
	}
	var ce *CorruptError
	if errors.As(err, &ce) {
		return err
	}
	reason := strings.TrimPrefix(err.Error(), ErrCorrupt.Error()+": ")
	return &CorruptError{Record: record, Reason: reason}
}

// DamagedError lists the damaged records a walk skipped; the walk handed
// every readable record on. It wraps ErrCorrupt.
type DamagedError struct {
	Records []*CorruptError
}

func (e *DamagedError) Error() string {
	if len(e.Records) == 1 {
		return e.Records[0].Error()
	}
	return fmt.Sprintf("%d records are damaged in the store, the first: %v", len(e.Records), e.Records[0])
}

func (e *DamagedError) Unwrap() error { return ErrCorrupt }

// FileDamagedError means the store's file itself is damaged: bbolt found its
// pages inconsistent or failed reading them. It wraps ErrCorrupt.
type FileDamagedError struct {
	Path   string
	Detail string
}

func (e *FileDamagedError) Error() string {
	return fmt.Sprintf("the store %s is damaged (%s): restore it from a backup, or run `engram doctor --salvage` to copy every readable record into a new store", e.Path, e.Detail)
}

func (e *FileDamagedError) Unwrap() error { return ErrCorrupt }

// guard runs fn, turning a panic (bbolt asserts on inconsistent pages) and a
// fault reading the memory map (a truncated file) into a FileDamagedError,
// so that a damaged file is an error to report, not a crash.
func (s *Store) guard(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if v := recover(); v != nil {
			err = &FileDamagedError{Path: s.path, Detail: fmt.Sprint(v)}
		}
	}()
	return fn()
}

// view is db.View under guard.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	return s.guard(func() error { return s.db.View(fn) })
}

// update is db.Update under guard; the Generation moves after it.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	defer s.writes.Add(1)
	return s.guard(func() error { return s.db.Update(fn) })
}

// batch is db.Batch under guard; the Generation moves after it.
func (s *Store) batch(fn func(tx *bolt.Tx) error) error {
	defer s.writes.Add(1)
	return s.guard(func() error { return s.db.Batch(fn) })
}
