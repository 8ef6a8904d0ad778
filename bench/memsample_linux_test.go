package bench

import "testing"

// TestProcStatus: this process's own peak and its resident parts are read
// from /proc/self/status, and the peak is at least what is resident now.
func TestProcStatus(t *testing.T) {
	anon, file, ok := residentParts()
	hwm := highWater()
	if !ok || anon <= 0 || hwm <= 0 {
		t.Fatalf("anon %d, file %d, ok %v, VmHWM %d", anon, file, ok, hwm)
	}
	if hwm < anon {
		t.Fatalf("VmHWM %d is below the anonymous memory resident now, %d", hwm, anon)
	}
}
