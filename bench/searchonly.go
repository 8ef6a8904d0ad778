package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/bench/corpus"
)

// SearchOptions are those of SearchExisting.
type SearchOptions struct {
	Data     string // a data directory that imported the generated corpus
	Messages int    // the corpus's --messages
	Seed     uint64 // and its --seed
	Clients  int    // 1 to 256
	Queries  int    // 1 to 1,000,000
	Profile  string // a CPU profile of the timed searches goes here, if set
	Facets   bool   // count the facets too (engram search's request)
	// Engram, when set, is an engram binary: the searches are then the
	// control-socket comparison of `engram-bench run` (issue 12), the
	// same `engram search --json` in-process and through `Engram daemon`.
	Engram string
}

// SearchExisting runs the search mix of `engram-bench run` against a data
// directory that imported `engram-bench gen` output of the same size and
// seed, and prints the latencies by kind of query to w: the search rows of
// BENCHMARKS.md without the import before them, for measuring a change to
// search alone. The generator runs again (into a temporary folder, removed
// after) for the vocabulary and the senders the queries are drawn from.
func SearchExisting(ctx context.Context, o SearchOptions, w io.Writer) error {
	if o.Clients < 1 || o.Clients > 256 {
		return fmt.Errorf("--clients %d: give 1 to 256", o.Clients)
	}
	if o.Queries < 1 || o.Queries > 1_000_000 {
		return fmt.Errorf("--queries %d: give 1 to 1,000,000", o.Queries)
	}
	if _, err := os.Stat(o.Data); err != nil {
		return fmt.Errorf("--data: %w", err)
	}
	tmp, err := os.MkdirTemp("", "engram-bench-vocab-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	gen := corpus.New(corpus.Options{Messages: o.Messages, Seed: o.Seed})
	st, err := gen.Generate(tmp)
	if err != nil {
		return fmt.Errorf("generating the vocabulary: %w", err)
	}
	a, err := app.New(app.Config{DataDir: o.Data})
	if err != nil {
		return err
	}
	defer a.Close()
	src := newQuerySource(o.Seed, gen, st)
	if o.Engram != "" {
		if err := a.Close(); err != nil {
			return err
		}
		conc, one := clientQueries(src, o.Queries, clientSerial)
		c := compareClient(ctx, o.Engram, o.Data, conc, one, o.Clients, io.Discard)
		if c.Err != "" {
			return errors.New(c.Err)
		}
		fmt.Fprintf(w, "CPU per search: in-process %.2f ms; owner %.2f ms + client %.2f ms\n", c.InProcessCPU, c.OwnerCPU, c.ClientCPU)
		for _, r := range []struct {
			name     string
			in, sock Latency
		}{{fmt.Sprintf("%d clients", o.Clients), c.InProcess, c.Client}, {"1 client", c.InProcessSerial, c.ClientSerial}} {
			fmt.Fprintf(w, "%-11s in-process p50 %6.2f p99 %6.2f ms; socket p50 %6.2f p99 %6.2f ms; p99 %+.2f ms (%d queries, errors %d/%d)\n",
				r.name, r.in.P50, r.in.P99, r.sock.P50, r.sock.P99, r.sock.P99-r.in.P99, r.in.N, r.in.Errors, r.sock.Errors)
		}
		return nil
	}
	stop := func() {}
	if o.Profile != "" {
		stop = startProfile(filepath.Dir(o.Profile), filepath.Base(o.Profile))
	}
	lat, kinds := searchLoad(ctx, a, src, o.Queries, o.Clients, o.Facets)
	stop()
	fmt.Fprintf(w, "%d queries, %d clients: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f queries/s, %d errors, %d with no hit\n",
		lat.N, o.Clients, lat.P50, lat.P99, lat.Max, lat.QPS, lat.Errors, lat.Empty)
	for _, k := range kinds {
		fmt.Fprintf(w, "  %-16s n %4d  p50 %6.2f ms  p99 %6.2f ms\n", k.Kind, k.N, k.P50, k.P99)
	}
	if lat.FirstError != "" {
		fmt.Fprintln(w, "first error:", lat.FirstError)
	}
	return nil
}
