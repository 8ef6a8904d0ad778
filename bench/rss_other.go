//go:build !linux && !darwin

package bench

import (
	"os"
	"time"
)

// peakRSS is not measured on this platform.
func peakRSS(*os.ProcessState) (int64, bool) { return 0, false }

// selfCPU and procCPU are not measured on this platform.
func selfCPU() time.Duration    { return 0 }
func procCPU(int) time.Duration { return 0 }
