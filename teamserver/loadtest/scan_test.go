package loadtest

import "testing"

// TestScanCounts: the leak counter sees the canaries of users outside the
// asker's team and those of the asker and teammates, and not a longer
// number that merely starts the same.
func TestScanCounts(t *testing.T) {
	seven := user{n: 7, team: 7 / 4}
	leak, own := scan([]byte(`{"hits":[{"snippet":"a canary7x b"},{"snippet":"canary12x canary1x canary5x"}]}`), seven, 4)
	if leak != 2 || own != 2 {
		t.Fatalf("leak %d own %d, want 2 (12, 1) and 2 (7, its teammate 5)", leak, own)
	}
	if leak, own := scan([]byte(`canary70x`), seven, 4); leak != 1 || own != 0 {
		t.Fatalf("canary70x for user 7: leak %d own %d", leak, own)
	}
	if leak, own := scan([]byte(`canary6x`), user{n: 7, team: 7}, 1); leak != 1 || own != 0 {
		t.Fatalf("teams of one: leak %d own %d", leak, own)
	}
}
