package bench_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/engram-app/engram/bench"
)

// TestRunSemanticSmoke runs the search-by-meaning benchmark on tiny sizes:
// every phase measures something and none fails. It says nothing about
// speed.
func TestRunSemanticSmoke(t *testing.T) {
	var log bytes.Buffer
	r, err := bench.RunSemantic(context.Background(), bench.SemanticOptions{
		Chunks: 600, Dim: 32, Queries: 50, EmbedTexts: 100, Docs: 40, HybridQueries: 40,
		WorkDir: t.TempDir(), Log: &log,
	})
	if err != nil || len(r.Problems) > 0 {
		t.Fatalf("%v %v\n%s", err, r.Problems, log.String())
	}
	if r.EmbedClient.Items != 100 || r.EmbedPipeline.Items != 40 || r.EmbedPipeline.Chunks < 40 {
		t.Fatalf("throughput phases: %+v %+v", r.EmbedClient, r.EmbedPipeline)
	}
	for _, v := range r.Vectors {
		if v.Exact.N == 0 || v.Approx.N == 0 || v.Recall <= 0 {
			t.Fatalf("%s index: %+v", v.Kind, v)
		}
	}
	if r.Hybrid.N != 40 || r.Hybrid.Errors != 0 || r.Text.N != 40 {
		t.Fatalf("searches: hybrid %+v, text %+v", r.Hybrid, r.Text)
	}
	if md := r.Markdown(); !bytes.Contains([]byte(md), []byte("recall@10")) {
		t.Fatalf("table:\n%s", md)
	}
}
