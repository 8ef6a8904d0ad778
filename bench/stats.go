package bench

import (
	"math"
	"slices"
	"time"
)

// Latency summarises a set of timed calls.
type Latency struct {
	N      int     `json:"n"`      // calls made
	Errors int     `json:"errors"` // calls that returned an error
	Empty  int     `json:"empty"`  // calls that answered but found nothing
	P50    float64 `json:"p50_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
	QPS    float64 `json:"qps,omitempty"` // calls per second of wall time, for concurrent runs
	// FirstError is one error message, for the report.
	FirstError string `json:"first_error,omitempty"`
}

// summarise computes the percentiles of ms (it sorts ms in place), nearest
// rank.
func summarise(ms []float64) Latency {
	l := Latency{N: len(ms)}
	if len(ms) == 0 {
		return l
	}
	slices.Sort(ms)
	l.P50 = percentile(ms, 0.50)
	l.P99 = percentile(ms, 0.99)
	l.Max = ms[len(ms)-1]
	return l
}

func percentile(sorted []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func millis(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
