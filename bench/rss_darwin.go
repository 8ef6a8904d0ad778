package bench

import (
	"os"
	"syscall"
	"time"
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

// selfCPU and procCPU are not measured on this platform.
func selfCPU() time.Duration    { return 0 }
func procCPU(int) time.Duration { return 0 }
