package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names the environment variable that, when set to a file
// path, makes engram write a CPU profile of the whole command there (go tool
// pprof reads it), the work left to closing the container included. It is
// off unless set, for whoever measures where an import's time goes
// (BENCHMARKS.md's phase table is made from it).
const cpuProfileEnv = "ENGRAM_CPU_PROFILE"

// startCPUProfile starts profiling when path is not empty; the returned
// function stops it and closes the file.
func startCPUProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "engram: %s: %v; running without a CPU profile\n", cpuProfileEnv, err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "engram: %s: %v; running without a CPU profile\n", cpuProfileEnv, err)
		_ = f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
