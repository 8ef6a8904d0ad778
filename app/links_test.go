package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

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
