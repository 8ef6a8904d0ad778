//go:build !linux

package mapped

import "time"

// On other systems the resident file pages are not read, and Bound does
// not run.
func release([]string) (int64, error) { return 0, nil }

func resident([]string) (int64, error) { return 0, nil }

func residentFile() (int64, bool) { return 0, false }

func cpuTime() time.Duration { return 0 }
