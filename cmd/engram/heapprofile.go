package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// heapProfileEnv names the environment variable that, when set to a file
// path, makes engram write a heap profile there (go tool pprof reads it):
// the heap as it was at its largest sample, taken every two seconds while
// the command runs, and at exit. It is off unless set, for whoever measures
// an import's memory (docs/mbox.md).
const heapProfileEnv = "ENGRAM_HEAP_PROFILE"

// startHeapProfile starts the sampling when path is not empty; the returned
// function stops it and writes the last profile if the heap grew since.
func startHeapProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	var peak uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse <= peak {
			return
		}
		peak = ms.HeapInuse
		f, err := os.Create(path)
		if err != nil {
			return
		}
		_ = pprof.Lookup("heap").WriteTo(f, 0)
		_ = f.Close()
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				sample()
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
