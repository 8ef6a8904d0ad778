package store

import (
	"fmt"
	"slices"
	"testing"

	"github.com/engram-app/engram/document"
)

func TestEmbedQueueKeepsARequeuedDocument(t *testing.T) {
	s := openTest(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.QueueEmbeddings("personal", []string{"b", "a"}))
	first, err := s.EmbedQueue("personal", 10)
	must(err)
	if len(first) != 2 || first[0].ID != "a" || first[1].ID != "b" {
		t.Fatalf("queue %+v, want a, b", first)
	}
	// "a" changes again while the worker embeds the first version.
	must(s.QueueEmbeddings("personal", []string{"a"}))
	must(s.EmbedDone("personal", "m", []DocVectors{{ID: "a", Hashes: []string{"h1"}}, {ID: "b"}}, first))
	left, err := s.EmbedQueue("personal", 10)
	must(err)
	if len(left) != 1 || left[0].ID != "a" {
		t.Fatalf("after done: %+v, want a queued again", left)
	}
	if n, _ := s.EmbedPending("personal"); n != 1 {
		t.Fatalf("pending %d, want 1", n)
	}
	hs, err := s.EmbeddedHashes("personal", "m", "a")
	must(err)
	if !slices.Equal(hs, []string{"h1"}) {
		t.Fatalf("hashes %v", hs)
	}
}

func TestVectorsAndForEachEmbedded(t *testing.T) {
	s := openTest(t)
	// More documents than one page of the walk.
	var docs []DocVectors
	var hashes []string
	var vecs [][]float32
	for i := range 1203 {
		h := fmt.Sprintf("h%d", i)
		hashes = append(hashes, h)
		vecs = append(vecs, []float32{float32(i), -1.5, 0})
		docs = append(docs, DocVectors{ID: fmt.Sprintf("doc%05d", i), Hashes: []string{h, "missing", h}})
	}
	if err := s.PutVectors("personal", "m", hashes, vecs); err != nil {
		t.Fatal(err)
	}
	if err := s.EmbedDone("personal", "m", docs, nil); err != nil {
		t.Fatal(err)
	}
	got, err := s.Vectors("personal", "m", []string{"h7", "nope", "h7"})
	if err != nil || got[1] != nil || !slices.Equal(got[0], []float32{7, -1.5, 0}) || !slices.Equal(got[2], got[0]) {
		t.Fatalf("vectors %v, %v", got, err)
	}
	if got, _ := s.Vectors("personal", "other-model", []string{"h7"}); got[0] != nil {
		t.Fatal("a vector of one model served for another")
	}
	n := 0
	err = s.ForEachEmbedded("personal", "m", func(id string, vs [][]float32) error {
		if id != fmt.Sprintf("doc%05d", n) || len(vs) != 1 || vs[0][0] != float32(n) {
			t.Fatalf("doc %d: %s %v", n, id, vs)
		}
		n++
		return nil
	})
	if err != nil || n != 1203 {
		t.Fatalf("walked %d, %v", n, err)
	}
}

func TestSetEmbedModelQueuesEveryDocument(t *testing.T) {
	s := openTest(t)
	var put []document.Document
	for i := range 5 {
		put = append(put, document.Document{ID: fmt.Sprintf("d%d", i), Source: document.SourceText, Title: "t", Body: "b"})
	}
	if err := s.Apply("personal", Write{Put: put}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		model string
		want  int
	}{{"a", 5}, {"a", 0}, {"b", 5}} {
		n, err := s.SetEmbedModel("personal", tc.model)
		if err != nil || n != tc.want {
			t.Fatalf("SetEmbedModel(%s) queued %d, %v; want %d", tc.model, n, err, tc.want)
		}
	}
	if m, _ := s.EmbedModel("personal"); m != "b" {
		t.Fatalf("model %q", m)
	}
}
