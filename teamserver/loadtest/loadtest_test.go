package loadtest_test

import (
	"context"
	"testing"

	"github.com/engram-app/engram/teamserver/loadtest"
)

// TestSmallRun: a small run over two instances with pools of 2 and 10%
// cancelled: every request answered or cancelled, no answer with another
// user's canary, and users do find their own.
func TestSmallRun(t *testing.T) {
	r, err := loadtest.Run(context.Background(), loadtest.Options{
		Instances: 2, Pool: 2, Users: 12, NotesPerUser: 3, Requests: 600, Workers: 8, Cancel: 0.1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", r.Markdown())
	if r.Requests != 600 || r.Errors != 0 || r.Leaks != 0 || r.OwnFound == 0 || r.Refused == 0 || r.ByKind["search"] == 0 || r.ByKind["pull"] == 0 || r.ByKind["push"] == 0 {
		t.Fatalf("%+v", r)
	}
	if _, err := loadtest.Run(context.Background(), loadtest.Options{Instances: 0, Pool: 2, Users: 2, NotesPerUser: 1, Requests: 1, Workers: 1}); err == nil {
		t.Fatal("0 instances was accepted")
	}
}
