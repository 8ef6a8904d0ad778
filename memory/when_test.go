package memory

import (
	"testing"
	"time"
)

// TestDatesResolveFromWhenSaid resolves relative dates against the day
// they were said, each asked 20 times: the answer never changes.
func TestDatesResolveFromWhenSaid(t *testing.T) {
	p := newTimeParser()
	wed := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC) // a Wednesday
	mon := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	sun := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		phrase   string
		said     time.Time
		from, to string // "" when unresolved / a single day
		past     bool
	}{
		{"next Tuesday", wed, "2026-12-08", "", false},
		{"next Tuesday", mon, "2026-12-08", "", false},
		{"on Tuesday", mon, "2026-12-01", "", false},
		{"on Wednesday", wed, "2026-12-09", "", false},
		{"next Monday", sun, "2026-03-02", "", false},
		{"in two weeks", wed, "2026-12-16", "", false},
		{"in 3 days", wed, "2026-12-05", "", false},
		{"on the 3rd", wed, "2026-12-03", "", false},
		{"on the 1st", wed, "2027-01-01", "", false},
		{"on the 31st", time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC), "2026-03-31", "", false},
		{"between Monday and Friday", wed, "2026-12-07", "2026-12-11", false},
		{"between Friday and Monday", wed, "2026-12-04", "2026-12-07", false},
		{"from the 14th to the 18th", wed, "2026-12-14", "2026-12-18", false},
		{"in April", wed, "2027-04-01", "", false},
		{"next month", wed, "2027-01-01", "", false},
		{"tomorrow", wed, "2026-12-03", "", false},
		{"this weekend", wed, "2026-12-05", "", false},
		{"next weekend", wed, "2026-12-12", "", false},
		{"someday", wed, "", "", false},
		{"after the wedding", wed, "", "", false},
		{"last year", wed, "2025-01-01", "", true},
		{"in April", wed, "2026-04-01", "", true},
		{"in April", sun, "2025-04-01", "", true},
		{"last Tuesday", wed, "2026-12-01", "", true},
		{"three years ago", wed, "2023-01-01", "", true},
		{"since 2019", wed, "2019-01-01", "", true},
		{"on the 3rd", wed, "2026-11-03", "", true},
		{"a while", wed, "", "", true},
		{"last spring", wed, "2026-03-01", "", true},
		{"in the summer", sun, "2025-06-01", "", true},
		{"last winter", time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC), "2025-12-01", "", true},
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	for _, tc := range tests {
		for range 20 {
			var from, to time.Time
			if tc.past {
				from, _ = p.past(tc.phrase, tc.said)
			} else {
				from, to, _ = p.futureRange(tc.phrase, tc.said)
			}
			if day(from) != tc.from || day(to) != tc.to {
				t.Fatalf("%q said %s (past %v): %q..%q, want %q..%q", tc.phrase, tc.said.Format("Mon 2006-01-02"), tc.past, day(from), day(to), tc.from, tc.to)
			}
		}
	}
}
