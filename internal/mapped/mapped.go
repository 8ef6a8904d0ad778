// Package mapped bounds the memory Engram holds in the pages of the files
// it maps: bbolt maps the store and each graph, Bleve maps every index
// segment, all read-only and shared. Every page read through such a map
// stays in the process's resident set until the map goes, so a long import
// (a 3 GB mbox, issue 9) ends up holding hundreds of megabytes of pages it
// read once, on top of the heap, though the kernel keeps them in its page
// cache anyway.
//
// Release drops a file's pages from this process's page tables with
// madvise(MADV_DONTNEED). On a read-only shared map that loses nothing: the
// pages stay in the page cache, and the next read of one maps it again (a
// minor fault, no disk read). What makes it safe is that the map is still
// there while it runs: madvise on an address range the owner has unmapped
// meanwhile, and the system has reused for the heap, would zero live
// memory. So Release is only ever called by the owner of a map, holding what
// keeps that map in place (a bbolt read transaction, a Bleve snapshot that
// references the segment), and it acts only on maps of the files it is
// given, read-only and shared, found by device and inode.
//
// Bound is the loop that calls the owners when the process's mapped file
// pages pass a budget.
package mapped

import (
	"context"
	"time"
)

const (
	// Budget is how much of the resident set may be pages of mapped files
	// (the program's own text included, about 25 MB) before Bound releases
	// them. An import's heap stays under 200 MB, so the two keep it within
	// SPEC.md's 500 MB.
	Budget = 128 << 20
	// every is how often Bound looks; soon, how soon after a release.
	every = 50 * time.Millisecond
	soon  = 10 * time.Millisecond
)

// Bound calls release whenever the process's resident pages of mapped files
// exceed budget bytes, until ctx ends. It looks every 50 ms, and 10 ms
// after a release, since Bleve's merge of large segments or a scan of the
// store maps pages at hundreds of megabytes a second; a look is one read of
// /proc/self/statm. Where the system cannot say (not Linux), it returns
// at once.
func Bound(ctx context.Context, budget int64, release func()) {
	if _, ok := residentFile(); !ok {
		return
	}
	t := time.NewTimer(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			next := every
			if n, ok := residentFile(); ok && n > budget {
				release()
				next = soon // pages come back fast while a merge or a scan runs
			}
			t.Reset(next)
		}
	}
}

// Release drops this process's page-table entries for its read-only shared
// maps of the files at paths, and returns how many bytes of address space
// it advised. The caller must hold what keeps those maps mapped for the
// whole call (see the package comment). A path that cannot be read is
// skipped; an error is one the system gave for reading the process's maps.
func Release(paths ...string) (int64, error) {
	return release(paths)
}

// Resident is how many bytes of the files at paths this process's
// read-only shared maps hold resident (0 where the system cannot say).
func Resident(paths ...string) (int64, error) {
	return resident(paths)
}
