// Package gctune sets the Go garbage collector for Engram's processes.
//
// An import allocates a great deal of short-lived memory (Bleve's analysis
// and segment building, parsed messages) over a small live heap, about 50
// to 100 MB. With Go's default GOGC=100 the collector runs every time the
// heap doubles, which on the 2-core machine of BENCHMARKS.md took a fifth
// of the import's CPU. Tune lets the heap grow to Percent of the live heap
// between collections, but never past a soft limit of twice the live heap
// or Floor, whichever is larger: small heaps are collected rarely, and a
// large live heap (a huge mailbox) is collected as often as with the
// defaults, so memory stays what it was there. A user's GOGC or GOMEMLIMIT
// wins over both.
package gctune

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

const (
	// Percent is GOGC while the heap is small.
	Percent = 400
	// Floor is the least soft memory limit, in bytes.
	Floor = 192 << 20
	// every is how often the limit follows the live heap.
	every = 500 * time.Millisecond
)

// Tune applies the settings until ctx ends, when it restores Go's defaults
// (or the user's). It returns at once; the limit follows the live heap in
// a goroutine of its own.
func Tune(ctx context.Context) {
	userGC, userLimit := os.Getenv("GOGC") != "", os.Getenv("GOMEMLIMIT") != ""
	if userGC || userLimit {
		return // the user measures with their own settings
	}
	old := debug.SetGCPercent(Percent)
	oldLimit := debug.SetMemoryLimit(Floor)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		for {
			select {
			case <-ctx.Done():
				debug.SetGCPercent(old)
				debug.SetMemoryLimit(oldLimit)
				return
			case <-t.C:
				metrics.Read(sample)
				if sample[0].Value.Kind() != metrics.KindUint64 {
					continue
				}
				debug.SetMemoryLimit(Limit(sample[0].Value.Uint64()))
			}
		}
	}()
}

// Limit is the soft memory limit for a live heap of live bytes.
func Limit(live uint64) int64 {
	return max(Floor, int64(min(live, 1<<40))*2)
}
