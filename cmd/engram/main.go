// Command engram is Engram's command-line interface: import, search, show,
// graph, stats, doctor, workspaces and dictionaries over one data directory.
// Every read command takes --json. Exit codes: 0 success, 1 error, 2 usage.
// The commands themselves are package cli, which the desktop app serves to
// its clients too.
package main

import (
	"context"
	"os"

	"github.com/engram-app/engram/cli"
	"github.com/engram-app/engram/ingest/pdf"
	"github.com/engram-app/engram/internal/gctune"
)

func main() {
	// A PDF import runs this binary again as its extraction worker, so a
	// hostile PDF cannot take Engram down.
	if pdf.WorkerMain() {
		return
	}
	gctune.Tune(context.Background())
	stopHeap := startHeapProfile(os.Getenv(heapProfileEnv))
	stopCPU := startCPUProfile(os.Getenv(cpuProfileEnv))
	code := cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stopCPU()
	stopHeap()
	os.Exit(code)
}
