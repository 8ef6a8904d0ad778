package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/engram-app/engram/bench"
)

// semantic measures search by meaning and prints its table.
func semantic(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("semantic", flag.ContinueOnError)
	var o bench.SemanticOptions
	fs.IntVar(&o.Chunks, "chunks", 100000, "vectors of the vector benchmark")
	fs.IntVar(&o.Dim, "dim", 384, "their dimension")
	fs.IntVar(&o.Queries, "queries", 1000, "timed vector queries per index")
	fs.IntVar(&o.EmbedTexts, "texts", 20000, "texts of the embedding throughput benchmark")
	fs.IntVar(&o.Docs, "docs", 2000, "generated emails searched in hybrid mode")
	fs.IntVar(&o.HybridQueries, "hybrid-queries", 2000, "timed hybrid searches")
	fs.StringVar(&o.WorkDir, "workdir", "", "where to put the temporary corpus and data")
	out := fs.String("out", "", "also write the table to this file")
	kinds := fs.String("kinds", "float32,int8", "vector encodings to measure")
	fs.BoolVar(&o.SkipHybrid, "skip-hybrid", false, "leave out the embedding pipeline and hybrid search")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.Kinds = strings.Split(*kinds, ",")
	r, err := bench.RunSemantic(ctx, o)
	if r != nil {
		md := r.Markdown()
		fmt.Print(md)
		if *out != "" {
			if werr := os.WriteFile(*out, []byte(md), 0o644); werr != nil {
				return werr
			}
		}
	}
	return err
}
