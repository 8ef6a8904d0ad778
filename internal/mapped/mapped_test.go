package mapped

import (
	"testing"
	"time"
)

func TestPace(t *testing.T) {
	const b = 128 << 20
	for _, c := range []struct {
		resident int64
		busy     bool
		want     time.Duration
	}{
		{0, false, idleEvery},
		{b * 2, false, idleEvery},
		{0, true, 62500 * time.Microsecond}, // 128 MB at 2 GB/s
		{b - 1<<20, true, soonest},          // 1 MB left: sooner than the floor
		{b, true, soonest},
		{b * 4, true, soonest}, // over: as soon as allowed
		{-1 << 40, true, busyLatest},
	} {
		if got := pace(c.resident, b, c.busy); got != c.want {
			t.Errorf("pace(%d, %d, %v) = %v, want %v", c.resident, b, c.busy, got, c.want)
		}
	}
}
