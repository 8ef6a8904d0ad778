package derive

import (
	"testing"

	"github.com/engram-app/engram/store"
)

func TestResolveLink(t *testing.T) {
	notes := []store.NotePath{
		{ID: "root", Path: "/v/Plan.md"},
		{ID: "work", Path: "/v/work/Plan.md"},
		{ID: "home", Path: "/v/home/Plan.md"},
		{ID: "deep", Path: "/v/work/2024/Plan.md"},
	}
	tests := []struct {
		name, source, target string
		cands                []store.NotePath
		want                 string
	}{
		{"bare name: the shortest path wins over the same folder", "/v/work/a.md", "Plan", notes, "root"},
		{"bare name: same depth, the same folder wins", "/v/home/a.md", "Plan", notes[1:], "home"},
		{"bare name: same depth, other folder: first by path", "/v/misc/a.md", "Plan", notes[1:], "home"},
		{"bare name: same depth, the shorter path name", "/v/misc/a.md", "Plan", []store.NotePath{{ID: "long", Path: "/v/aaaa/Plan.md"}, {ID: "short", Path: "/v/zz/Plan.md"}}, "short"},
		{"folder path goes to that path", "/v/home/a.md", "work/Plan", notes, "work"},
		{"folder path with .md", "/v/a.md", "work/2024/Plan.md", notes, "deep"},
		{"folder path any case", "/v/a.md", "Work/plan", notes, "work"},
		{"folder path that no note has stays unresolved", "/v/a.md", "archive/Plan", notes, ""},
		{"partial folder name does not match", "/v/a.md", "ork/Plan", notes, ""},
		{"no note of that name", "/v/a.md", "Plan", nil, ""},
		{"relative to the linking note", "/v/work/a.md", "./Plan", notes, "work"},
		{"relative up and down", "/v/work/2024/a.md", "../../home/Plan", notes, "home"},
		{"relative to a missing note", "/v/misc/a.md", "./Plan", notes, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := resolveLink(tt.source, tt.target, tt.cands)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("resolveLink(%q, %q) = %q, %v, want %q", tt.source, tt.target, got, ok, tt.want)
			}
		})
	}
}
