package bench

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestWithinFactorAndOverBy(t *testing.T) {
	for _, c := range []struct {
		v, base, factor float64
		want            string
	}{
		{10, 6, 2, "within budget"},
		{12, 6, 2, "within budget"},
		{18, 6, 2, "over budget (x1.5)"},
		{5, 0, 2, notMeasured},
	} {
		if got := withinFactor(c.v, c.base, c.factor); got != c.want {
			t.Errorf("withinFactor(%v, %v, %v) = %q, want %q", c.v, c.base, c.factor, got, c.want)
		}
	}
	for _, c := range []struct {
		v, base float64
		want    string
	}{
		{7.5, 6, "within budget"},
		{8, 6, "within budget"},
		{3, 6, "within budget"},
		{9.5, 6, "over budget (+3.50 ms over in-process, allowed +2.00 ms)"},
	} {
		if got := overBy(c.v, c.base, 2); got != c.want {
			t.Errorf("overBy(%v, %v, 2) = %q, want %q", c.v, c.base, got, c.want)
		}
	}
}

// TestCallsSummaryKeepsOnlyTheMarkedCalls checks the "during" summary: only
// the calls marked count, failed ones as errors, and QPS is every call.
func TestCallsSummaryKeepsOnlyTheMarkedCalls(t *testing.T) {
	c := calls{
		ms:     []float64{1, 2, 3, 100, 5, 6},
		failed: []bool{false, false, false, false, true, false},
		empty:  []bool{true, false, false, false, false, false},
		first:  "boom",
		wall:   2e9, // 2 s
	}
	keep := []bool{true, true, true, false, true, false}
	l := c.summary(keep)
	if l.N != 4 || l.Errors != 1 || l.Empty != 1 || l.Max != 3 || l.P50 != 2 || l.P99 != 3 || l.QPS != 3 {
		t.Errorf("summary of the kept calls: %+v", l)
	}
	all := c.summary(nil)
	if all.N != 6 || all.Errors != 1 || all.Max != 100 {
		t.Errorf("summary of every call: %+v", all)
	}
}

func TestTimedCallsRecordsEveryCall(t *testing.T) {
	c := timedCalls(context.Background(), 50, 4, func(i int) (bool, error) {
		if i%10 == 3 {
			return false, errors.New("odd")
		}
		return i%2 == 0, nil
	})
	l := c.summary(nil)
	if l.N != 50 || l.Errors != 5 || l.FirstError != "odd" || l.Empty != 25 {
		t.Errorf("%+v", l)
	}
}

func TestGoldenShares(t *testing.T) {
	g := GoldenResult{Expected: 200, Got: 190, Right: 180}
	if p, r := g.Precision(), g.Recall(); p != 180.0/190 || r != 0.9 {
		t.Errorf("precision %v recall %v", p, r)
	}
	if (GoldenResult{}).Precision() != 1 || (GoldenResult{}).Recall() != 1 {
		t.Error("no events given or expected: both shares are 1")
	}
}

// TestGapsAndClientRows checks that the gap and client rows rate their
// measurements against the budgets and say why a row was not measured.
func TestGapsAndClientRows(t *testing.T) {
	g := GapsResult{
		Analysis:   GapsAnalysis{Documents: 9000, Owners: 4000, Gaps: 300, Seconds: 10, PeakRSS: 600 << 20},
		Background: GapsAnalysis{Documents: 1000, Seconds: 5},
		Idle:       Latency{N: 2000, P50: 2, P99: 6},
		During:     Latency{N: 1500, P50: 3, P99: 13},
	}
	rs := g.rows(16)
	want := map[string]string{
		RowGapsRate:   "over budget (x1.1)",
		RowGapsMemory: "over budget (x1.2)",
		RowGapsIdle:   noBudget,
		RowGapsDuring: "over budget (x1.1)",
	}
	if len(rs) != len(want) {
		t.Fatalf("%d rows: %v", len(rs), rs)
	}
	for _, r := range rs {
		if w, ok := want[r.what]; !ok || r.status != w {
			t.Errorf("row %q: status %q, want %q (%s)", r.what, r.status, w, r.measured)
		}
	}
	if !strings.Contains(rs[0].measured, "900 messages/s") || !strings.Contains(rs[0].measured, "had analysed 1,000") {
		t.Errorf("rate cell: %s", rs[0].measured)
	}
	g.During = Latency{}
	g.Err = "the background analysis ended before the searches"
	if r := g.rows(16)[3]; r.status != notMeasured || !strings.Contains(r.measured, g.Err) {
		t.Errorf("unmeasured during row: %+v", r)
	}

	c := ClientResult{
		InProcessSerial: Latency{N: 300, P50: 1, P99: 5},
		ClientSerial:    Latency{N: 300, P50: 1.5, P99: 6},
		InProcess:       Latency{N: 1000, P50: 8, P99: 20},
		Client:          Latency{N: 1000, P50: 12, P99: 25},
	}
	cr := c.rows(16)
	if len(cr) != 2 || cr[0].status != "within budget" || !strings.HasPrefix(cr[1].status, "over budget (+5.00 ms") {
		t.Errorf("client rows: %+v", cr)
	}
	c.Client = Latency{N: 1000, Errors: 1000, FirstError: "no Engram is running"}
	if r := c.rows(16)[1]; r.status != notMeasured || !strings.Contains(r.measured, "no Engram is running") {
		t.Errorf("failed client row: %+v", r)
	}
}
