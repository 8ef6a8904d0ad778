package bounds

import (
	"errors"
	"math"
	"testing"
)

func TestClampAndCheck(t *testing.T) {
	r := Range{Name: "limit", Min: 1, Max: 100, Default: 20}
	for _, c := range []struct {
		name    string
		in      int64
		clamped int
		checked int
		bad     bool
	}{
		{"zero takes the default", 0, 20, 20, false},
		{"inside", 7, 7, 7, false},
		{"the ends", 100, 100, 100, false},
		{"negative", -5, 1, 0, true},
		{"a trillion", 1e12, 100, 0, true},
		{"the largest int64", math.MaxInt64, 100, 0, true},
		{"the smallest int64", math.MinInt64, 1, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := r.Clamp(c.in); got != c.clamped {
				t.Errorf("Clamp(%d) = %d, want %d", c.in, got, c.clamped)
			}
			got, err := r.Check(c.in)
			if c.bad {
				var re *RangeError
				if !errors.As(err, &re) || !errors.Is(err, ErrOutOfRange) || re.Name != "limit" {
					t.Fatalf("Check(%d) = %d, %v; want a RangeError for limit", c.in, got, err)
				}
				return
			}
			if err != nil || got != c.checked {
				t.Errorf("Check(%d) = %d, %v; want %d", c.in, got, err, c.checked)
			}
		})
	}
}
