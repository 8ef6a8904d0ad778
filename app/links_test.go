package app

import (
	"context"
	"path/filepath"
	"strings"
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

func TestVaultLinksResolveAsObsidian(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"vault/Recipe.md":             "# Recipe (root)\n\nflour\n",
		"vault/kitchen/Recipe.md":     "# Recipe (kitchen)\n\nsugar\n",
		"vault/kitchen/Menu.md":       "# Menu\n\nSee [[Recipe]] and [[kitchen/Recipe]] and [[Pantry]] and [[Larder|the larder]].\n",
		"vault/garden/Pantry list.md": "---\naliases: [Pantry, Larder]\n---\n# Pantry list\n\nrice\n",
		"vault/garden/deep/Recipe.md": "# Recipe (deep)\n\nsalt\n",
		"vault/garden/Seeds.md":       "# Seeds\n\n[[deep/Recipe]]\n",
	})
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "vault")}, nil); err != nil {
		t.Fatal(err)
	}
	links := func(note string) map[string]bool {
		nb, err := a.Neighbors(ctx, "", note, 1, []string{"LINKS_TO"})
		if err != nil {
			t.Fatalf("%s: %v", note, err)
		}
		// Notes by their path in the vault, placeholders by their name.
		out := map[string]bool{}
		for _, n := range nb.Neighbors {
			if n.Direction != "out" {
				continue
			}
			if d, err := a.store.Document(DefaultWorkspace, strings.TrimPrefix(n.ID, "document:")); err == nil {
				rel, _ := filepath.Rel(filepath.Join(dir, "vault"), d.Path)
				out[filepath.ToSlash(rel)] = true
			} else {
				out[n.Name] = true
			}
		}
		return out
	}
	menu := links("Menu")
	for name, want := range map[string]bool{
		"Recipe.md":             true,  // [[Recipe]]: the shortest path
		"kitchen/Recipe.md":     true,  // [[kitchen/Recipe]]
		"garden/deep/Recipe.md": false, // never by name alone when shorter ones exist
		"garden/Pantry list.md": false, // [[Pantry]] and [[Larder]] are only aliases
		"Pantry":                true,  // unresolved placeholders
		"Larder":                true,
	} {
		if menu[name] != want {
			t.Errorf("Menu links to %q: %v, want %v (all %v)", name, menu[name], want, menu)
		}
	}
	if seeds := links("Seeds"); !seeds["garden/deep/Recipe.md"] || len(seeds) != 1 {
		t.Errorf("Seeds links: %v, want only garden/deep/Recipe.md", seeds)
	}
}
