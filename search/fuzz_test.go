package search

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{
		"", "project management", `"exact phrase" -excluded`, `-"bad phrase" pre*`,
		`from:"Jeff Skilling" to:ken@enron.com tag:go #work source:email`,
		"before:2024-01-02 after:2023 after:2023-7", "東京 知识管理 Übersicht données",
		`"unclosed`, "-", `a:"b`, "***", "k8s paid time off",
	} {
		f.Add(s)
	}
	m, err := newMapping()
	if err != nil {
		f.Fatal(err)
	}
	b := builder{an: m.AnalyzerNamed(textAnalyzer), exp: NewDictionary(DefaultEntries())}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		for _, c := range q.Clauses {
			if c.Kind != ClauseFilter && c.Value == "" {
				t.Fatalf("empty %v clause from %q", c.Kind, s)
			}
			if !utf8.ValidString(c.Value) {
				t.Fatalf("invalid UTF-8 value %q from %q", c.Value, s)
			}
		}
		if b.build(q) == nil {
			t.Fatalf("nil query for %q", s)
		}
		// Writing the query back and parsing it again gives the same
		// query.
		again := ParseQuery(q.String())
		if again.String() != q.String() {
			t.Fatalf("round trip: %q -> %q -> %q", s, q.String(), again.String())
		}
	})
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Clause
	}{
		{"words", "Hello world", []Clause{{Kind: ClauseTerm, Value: "Hello"}, {Kind: ClauseTerm, Value: "world"}}},
		{"phrase and exclusion", `"a b"  -c -"d e"`, []Clause{{Kind: ClausePhrase, Value: "a b"}, {Kind: ClauseTerm, Value: "c", Negate: true}, {Kind: ClausePhrase, Value: "d e", Negate: true}}},
		{"unclosed quote", `x "a  b`, []Clause{{Kind: ClauseTerm, Value: "x"}, {Kind: ClausePhrase, Value: "a b"}}},
		{"prefix", "plan* a*", []Clause{{Kind: ClausePrefix, Value: "plan"}, {Kind: ClauseTerm, Value: "a*"}}},
		{"filters", `FROM:"Jeff S" tag:#Go #Work source:Email`, []Clause{
			{Kind: ClauseFilter, Field: FilterFrom, Value: "Jeff S"},
			{Kind: ClauseFilter, Field: FilterTag, Value: "go"},
			{Kind: ClauseFilter, Field: FilterTag, Value: "work"},
			{Kind: ClauseFilter, Field: FilterSource, Value: "email"},
		}},
		{"dates", "before:2024-03 after:2023/1/2 -after:2020", []Clause{
			{Kind: ClauseFilter, Field: FilterBefore, Value: "2024-03"},
			{Kind: ClauseFilter, Field: FilterAfter, Value: "2023/1/2"},
			{Kind: ClauseFilter, Field: FilterAfter, Value: "2020", Negate: true},
		}},
		{"unknown field and bad date are words", `http://x.org before:soon note: after:"next week"`, []Clause{
			{Kind: ClauseTerm, Value: "http://x.org"}, {Kind: ClauseTerm, Value: "before:soon"}, {Kind: ClauseTerm, Value: "note:"},
			{Kind: ClauseTerm, Value: "after:"}, {Kind: ClausePhrase, Value: "next week"},
		}},
		{"a number after # is a word", `update #2`, []Clause{{Kind: ClauseTerm, Value: "update"}, {Kind: ClauseTerm, Value: "#2"}}},
		{"stray operators", `- -- # * ""`, []Clause{{Kind: ClauseTerm, Value: "-", Negate: true}, {Kind: ClauseTerm, Value: "#"}}},
		{"only the first MaxClauses clauses", strings.Repeat("w ", MaxClauses) + `"x y" z`, slices.Repeat([]Clause{{Kind: ClauseTerm, Value: "w"}}, MaxClauses)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ParseQuery(tc.in).Clauses
			if len(got) != len(tc.want) {
				t.Fatalf("ParseQuery(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("clause %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestDictionary(t *testing.T) {
	user := []Entry{
		{Kind: KindAcronym, Term: "K8S", Expansions: []string{"Kube"}},
		{Kind: KindSynonym, Term: "laptop", Expansions: []string{"notebook", "portable computer"}},
	}
	d := NewDictionary(DefaultEntries(), user)
	tests := []struct {
		term string
		want []string
	}{
		{"k8s", []string{"kube"}}, // the user's entry replaces the default
		{"kube", []string{"k8s"}},
		{"kubernetes", nil}, // the default it replaced is gone
		{"Paid  Time OFF", []string{"pto"}},
		{"pto", []string{"paid time off"}},
		{"notebook", []string{"laptop", "portable computer"}},
		{"automobile", []string{"car", "vehicle"}},
		{"unknown", nil},
	}
	for _, tc := range tests {
		t.Run(tc.term, func(t *testing.T) {
			got := d.Expand(tc.term)
			if len(got) != len(tc.want) {
				t.Fatalf("Expand(%q) = %q, want %q", tc.term, got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("Expand(%q) = %q, want %q", tc.term, got, tc.want)
				}
			}
		})
	}
	if n := len(DefaultEntries()); n < 30 {
		t.Errorf("only %d default entries", n)
	}
	if _, err := ParseEntries([]byte(`[{"kind":"nope","term":"x"}]`)); err == nil {
		t.Error("ParseEntries accepted an unknown kind")
	}
}
