package loadtest

import "testing"

// TestScanCounts: the leak counter sees another user's canary and the
// asker's own, and not a longer number that merely starts the same.
func TestScanCounts(t *testing.T) {
	leak, own := scan([]byte(`{"hits":[{"snippet":"a canary7x b"},{"snippet":"canary12x canary1x"}]}`), 7)
	if leak != 2 || own != 1 {
		t.Fatalf("leak %d own %d, want 2 and 1", leak, own)
	}
	if leak, own := scan([]byte(`canary70x`), 7); leak != 1 || own != 0 {
		t.Fatalf("canary70x for user 7: leak %d own %d", leak, own)
	}
}
