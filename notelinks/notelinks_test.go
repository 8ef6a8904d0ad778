package notelinks

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTargets(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"see [[Compost]] and [[Garden#Beds|the beds]]", []string{"Compost", "Garden"}},
		{"![[photo.png]] embedded", []string{"photo.png"}},
		{"[[ spaced ]] [[]] [[|alias]]", []string{"spaced"}},
		{"unclosed [[link and [[Real]]", []string{"Real"}},
		{"no links here", nil},
		{"[[a]]b]]", []string{"a"}},
	} {
		if got := Targets(tc.line); !slices.Equal(got, tc.want) {
			t.Errorf("Targets(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}

func TestContextLine(t *testing.T) {
	text := "# Garden\n\nTomatoes grow here.\n  Feed them from [[Compost|the heap]] weekly.  \nAlso [[compost]] again.\n"
	isCompost := func(t string) bool { return strings.EqualFold(t, "compost") }
	if got, want := ContextLine(text, isCompost), "Feed them from [[Compost|the heap]] weekly."; got != want {
		t.Errorf("ContextLine = %q, want %q", got, want)
	}
	if got := ContextLine(text, func(string) bool { return false }); got != "" {
		t.Errorf("no match gave %q", got)
	}
	if got := ContextLine("", isCompost); got != "" {
		t.Errorf("empty text gave %q", got)
	}
	long := strings.Repeat("word ", 100) + "[[Compost]]" + strings.Repeat(" more", 100)
	got := ContextLine(long, isCompost)
	if !strings.Contains(got, "[[Compost]]") || utf8.RuneCountInString(got) > MaxContext+2 || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long line cut to %q", got)
	}
	// Multi-byte text is cut at rune boundaries.
	wide := strings.Repeat("æøå ", 80) + "[[Compost]]" + strings.Repeat(" ü", 200)
	if got := ContextLine(wide, isCompost); !utf8.ValidString(got) || !strings.Contains(got, "[[Compost]]") {
		t.Errorf("wide line cut to %q", got)
	}
}

func FuzzContextLine(f *testing.F) {
	f.Add("a [[b]] c\n[[d|e]]", "b")
	f.Add("[[[[x]]]]", "x")
	f.Fuzz(func(t *testing.T, text, target string) {
		got := ContextLine(text, func(s string) bool { return s == target })
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 %q from %q", got, text)
		}
		if utf8.RuneCountInString(got) > MaxContext+2 {
			t.Fatalf("context of %d runes", utf8.RuneCountInString(got))
		}
	})
}
