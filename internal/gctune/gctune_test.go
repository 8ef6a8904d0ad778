package gctune

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

func TestLimitFollowsTheLiveHeap(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, Floor},
		{50 << 20, Floor},
		{Floor / 2, Floor},
		{300 << 20, 600 << 20},
		{1 << 62, 1 << 41}, // bounded, no overflow
	} {
		if got := Limit(c.live); got != c.want {
			t.Errorf("Limit(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// TestTuneSetsAndRestores: Tune sets GOGC and the limit, and its context's
// end puts back what was there; a user's GOGC turns it off.
func TestTuneSetsAndRestores(t *testing.T) {
	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		if v, ok := os.LookupEnv(k); ok {
			t.Cleanup(func() { os.Setenv(k, v) })
			os.Unsetenv(k)
		}
	}
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	ctx, cancel := context.WithCancel(context.Background())
	Tune(ctx)
	if got := gogc(); got != Percent {
		t.Fatalf("GOGC while tuned: %d, want %d", got, Percent)
	}
	if got := debug.SetMemoryLimit(-1); got < Floor {
		t.Fatalf("limit while tuned: %d, want at least %d", got, Floor)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for gogc() != 100 {
		if time.Now().After(deadline) {
			t.Fatal("GOGC not restored after the context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	Tune(context.Background())
	if got := gogc(); got != 150 {
		t.Fatalf("a user's GOGC was overridden: %d", got)
	}
}

// gogc reads GOGC without changing it.
func gogc() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}
