package bench

import (
	"os"
	"syscall"
)

// peakRSS returns the peak resident set size of a finished child. macOS
// reports bytes.
func peakRSS(ps *os.ProcessState) (int64, bool) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil {
		return 0, false
	}
	return ru.Maxrss, true
}
