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
	// fastest is the fastest rate, in bytes a second, at which pages were
	// seen to come back: a merge of Bleve segments or a scan of the store,
	// at up to 1.6 GB a second on a 3 GB mbox import. Bound looks again
	// before that rate could fill what is left of the budget.
	fastest = 2 << 30
	// soonest and busyLatest bound the wait between two looks while the
	// process works; idleEvery is the wait once it has been idle (under a
	// tenth of a core between every two looks) for idleAfter, so an open
	// desktop app wakes once a second for this. A pause shorter than
	// idleAfter is not idleness: an import waits on the disk for tens of
	// milliseconds at each commit, and a look that then slept a whole
	// second let a burst of reads right after (a merge, a graph write at
	// 1.2 GB a second) map 300 MB before the next.
	soonest    = 10 * time.Millisecond
	busyLatest = 250 * time.Millisecond
	idleAfter  = 2 * time.Second
	idleEvery  = time.Second
)

// Bound calls release whenever the process's resident pages of mapped files
// exceed budget bytes, until ctx ends. A look is one read of
// /proc/self/statm (about 5 µs); how soon the next comes is pace's. Where
// the system cannot say (not Linux), it returns at once.
func Bound(ctx context.Context, budget int64, release func()) {
	if _, ok := residentFile(); !ok {
		return
	}
	t := time.NewTimer(soonest)
	defer t.Stop()
	lastCPU, lastAt := cpuTime(), time.Now()
	idleSince := lastAt
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, ok := residentFile()
		if ok && n > budget {
			release()
			n, _ = residentFile()
		}
		cpu, at := cpuTime(), time.Now()
		if cpu-lastCPU >= at.Sub(lastAt)/10 {
			idleSince = at // busy
		}
		lastCPU, lastAt = cpu, at
		t.Reset(pace(n, budget, at.Sub(idleSince)))
	}
}

// pace is the wait before the next look, with resident bytes of mapped
// pages against budget, the process idle for idle: while it works, the
// time the fastest reader would take to fill what is left of the budget,
// from 10 ms to 250 ms; once it has been idle for idleAfter, a second.
func pace(resident, budget int64, idle time.Duration) time.Duration {
	if idle >= idleAfter {
		return idleEvery
	}
	left := max(budget-resident, 0)
	d := time.Duration(float64(left) / fastest * float64(time.Second))
	return min(max(d, soonest), busyLatest)
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
