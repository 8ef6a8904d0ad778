package text

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

func TestParse(t *testing.T) {
	tests := []struct {
		file    string
		title   string
		body    string // substring of the body
		wantErr error
	}{
		{file: "shopping.txt", title: "Shopping list", body: "milk\neggs"},
		{file: "einkauf.txt", title: "Einkaufsliste für Montag", body: "Äpfel\n"},
		{file: "会議.txt", title: "会議メモ", body: "来週の予定を確認する。"},
		{file: "longline.txt", title: "longline", body: "second line"},
		{file: "blank.txt", title: "blank"},
		{file: "binary.txt", wantErr: ingest.ErrBadInput},
		{file: "latin1.txt", wantErr: ingest.ErrBadInput},
	}
	p := New()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			docs, err := p.Parse(context.Background(), ingest.File{Path: "/notes/" + tt.file, Data: data}, ingest.DefaultLimits())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 {
				t.Fatalf("got %d documents", len(docs))
			}
			d := docs[0]
			if d.Source != document.SourceText {
				t.Errorf("Source = %q", d.Source)
			}
			if d.Title != tt.title {
				t.Errorf("Title = %q, want %q", d.Title, tt.title)
			}
			if !strings.Contains(d.Body, tt.body) {
				t.Errorf("Body = %q, want it to contain %q", d.Body, tt.body)
			}
			if strings.Contains(d.Body, "\r") {
				t.Errorf("Body keeps CR: %q", d.Body)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := New().Parse(ctx, ingest.File{Path: "/a.txt", Data: []byte("x")}, ingest.DefaultLimits()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func FuzzText(f *testing.F) {
	f.Add([]byte("title\nbody"))
	p := New()
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := p.Parse(context.Background(), ingest.File{Path: "/f.txt", Data: data}, ingest.DefaultLimits())
		if err == nil && len(docs) != 1 {
			t.Fatalf("got %d documents", len(docs))
		}
	})
}
