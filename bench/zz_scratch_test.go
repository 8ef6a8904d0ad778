package bench

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"testing"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/bench/corpus"
)

func TestScratchGraph(t *testing.T) {
	if os.Getenv("SCRATCH") == "" {
		t.Skip()
	}
	dir := "/tmp/scratch-graph"
	gen := corpus.New(corpus.Options{Messages: 20000, Seed: 1})
	var st corpus.Stats
	if _, err := os.Stat(dir + "/d"); err != nil {
		st, _ = gen.Generate(dir + "/c")
		a, _ := app.New(app.Config{DataDir: dir + "/d"})
		a.Import(context.Background(), "", []string{dir + "/c"}, nil)
		a.Close()
	} else {
		st, _ = gen.Generate(t.TempDir())
	}
	a, _ := app.New(app.Config{DataDir: dir + "/d"})
	defer a.Close()
	f, _ := os.Create("/tmp/graph.prof")
	pprof.StartCPUProfile(f)
	defer pprof.StopCPUProfile()
	l := graphLoad(context.Background(), a, gen, st, 1, 200)
	fmt.Printf("graph: p50 %.1f p99 %.1f\n", l.P50, l.P99)
}
