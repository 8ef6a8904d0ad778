package bench

import (
	"os"
	"syscall"
)

// peakRSS returns the peak resident set size of a finished child, from the
// rusage wait4 returned for it (the per-child figure that
// getrusage(RUSAGE_CHILDREN) takes its maximum over). Linux reports KiB.
func peakRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0, false
	}
	return ru.Maxrss * 1024, true
}
