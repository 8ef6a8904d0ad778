package mapped

import (
	"testing"
	"time"
)

func TestPace(t *testing.T) {
	const b = 128 << 20
	for _, c := range []struct {
		resident int64
		idle     time.Duration
		want     time.Duration
	}{
		{0, idleAfter, idleEvery},
		{b * 2, time.Hour, idleEvery},
		{0, 0, 62500 * time.Microsecond}, // 128 MB at 2 GB/s
		// A pause (a commit waiting on the disk) is not idleness.
		{0, 50 * time.Millisecond, 62500 * time.Microsecond},
		{b, idleAfter - time.Millisecond, soonest},
		{b - 1<<20, 0, soonest}, // 1 MB left: sooner than the floor
		{b, 0, soonest},
		{b * 4, 0, soonest}, // over: as soon as allowed
		{-1 << 40, 0, busyLatest},
	} {
		if got := pace(c.resident, b, c.idle); got != c.want {
			t.Errorf("pace(%d, %d, %v) = %v, want %v", c.resident, b, c.idle, got, c.want)
		}
	}
}
