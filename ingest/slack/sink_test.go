package slack_test

import (
	"context"
	"testing"

	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/ingesttest"
	"github.com/engram-app/engram/ingest/slack"
)

// run imports paths the way the app does: a registry with the Slack parser
// registered, the real pipeline, and a sink.
func run(t testing.TB, sink *ingesttest.MemSink, lim ingest.Limits, paths ...string) ingest.Progress {
	t.Helper()
	reg := ingest.NewRegistry()
	slack.Register(reg)
	prog, err := ingest.NewPipeline(reg).Run(context.Background(), sink, ingest.Options{Paths: paths, Limits: lim})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return prog
}
