package search

import (
	"errors"
	"reflect"
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
		"(a OR b) NOT c | d", "((((", "a) b", `NOT -(x | "y z")`, "note: x", "before:soon",
	} {
		f.Add(s)
	}
	m, err := newMapping()
	if err != nil {
		f.Fatal(err)
	}
	b := builder{an: m.AnalyzerNamed(queryAnalyzer), exp: NewDictionary(DefaultEntries())}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			var qe *QueryError
			if !errors.As(err, &qe) || !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("ParseQuery(%q): untyped error %v", s, err)
			}
			if len(s) > 40 && strings.Contains(err.Error(), s) {
				t.Fatalf("error holds the query: %v", err)
			}
			return
		}
		var check func(q Query)
		check = func(q Query) {
			for _, c := range q.Clauses {
				if c.Kind == ClauseGroup {
					if len(c.Any) == 0 {
						t.Fatalf("empty group from %q", s)
					}
					for _, a := range c.Any {
						check(a)
					}
					continue
				}
				if c.Value == "" {
					t.Fatalf("empty %v clause from %q", c.Kind, s)
				}
				if !utf8.ValidString(c.Value) {
					t.Fatalf("invalid UTF-8 value %q from %q", c.Value, s)
				}
			}
		}
		check(q)
		if b.build(q) == nil {
			t.Fatalf("nil query for %q", s)
		}
		// Writing the query back and parsing it again gives the same
		// query.
		again, err := ParseQuery(q.String())
		if err != nil {
			t.Fatalf("round trip: %q -> %q: %v", s, q.String(), err)
		}
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
		{"a URL and a time are words", `http://x.org 10:30`, []Clause{{Kind: ClauseTerm, Value: "http://x.org"}, {Kind: ClauseTerm, Value: "10:30"}}},
		{"a number after # is a word", `update #2`, []Clause{{Kind: ClauseTerm, Value: "update"}, {Kind: ClauseTerm, Value: "#2"}}},
		{"stray operators", `a - -- # * ""`, []Clause{{Kind: ClauseTerm, Value: "a"}}},
		{"only the first MaxClauses clauses", strings.Repeat("w ", MaxClauses) + `"x y" z`, slices.Repeat([]Clause{{Kind: ClauseTerm, Value: "w"}}, MaxClauses)},
		{"or", "a OR b | c", []Clause{{Kind: ClauseGroup, Any: []Query{
			{Clauses: []Clause{{Kind: ClauseTerm, Value: "a"}}}, {Clauses: []Clause{{Kind: ClauseTerm, Value: "b"}}}, {Clauses: []Clause{{Kind: ClauseTerm, Value: "c"}}},
		}}}},
		{"or binds looser than and", "a b|c", []Clause{{Kind: ClauseGroup, Any: []Query{
			{Clauses: []Clause{{Kind: ClauseTerm, Value: "a"}, {Kind: ClauseTerm, Value: "b"}}}, {Clauses: []Clause{{Kind: ClauseTerm, Value: "c"}}},
		}}}},
		{"grouping and not", `(a OR "b c") NOT d -(e)`, []Clause{
			{Kind: ClauseGroup, Any: []Query{{Clauses: []Clause{{Kind: ClauseTerm, Value: "a"}}}, {Clauses: []Clause{{Kind: ClausePhrase, Value: "b c"}}}}},
			{Kind: ClauseTerm, Value: "d", Negate: true},
			{Kind: ClauseGroup, Negate: true, Any: []Query{{Clauses: []Clause{{Kind: ClauseTerm, Value: "e"}}}}},
		}},
		{"a plain group is its words", "x (y z)", []Clause{{Kind: ClauseTerm, Value: "x"}, {Kind: ClauseTerm, Value: "y"}, {Kind: ClauseTerm, Value: "z"}}},
		{"lower-case or and not are words", "this or not that", []Clause{{Kind: ClauseTerm, Value: "this"}, {Kind: ClauseTerm, Value: "or"}, {Kind: ClauseTerm, Value: "not"}, {Kind: ClauseTerm, Value: "that"}}},
		{"subject and path", `subject:"Q3 budget" path:notes/2024`, []Clause{{Kind: ClauseFilter, Field: FilterSubject, Value: "Q3 budget"}, {Kind: ClauseFilter, Field: FilterPath, Value: "notes/2024"}}},
		{"a dash word", "-patch", []Clause{{Kind: ClauseTerm, Value: "patch", Negate: true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, err := ParseQuery(tc.in)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tc.in, err)
			}
			if got := q.Clauses; !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ParseQuery(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		in      string
		kind    QueryErrorKind
		mention string // the message names this
	}{
		{"foo:bar", QueryUnknownOperator, `"foo:"`},
		{"budget note: x", QueryUnknownOperator, "from: to:"},
		{"before:notadate", QueryBadDate, `"notadate"`},
		{`after:"next week"`, QueryBadDate, "YYYY-MM-DD"},
		{"from:", QueryMissingValue, `"from:"`},
		{`"unclosed phrase`, QueryUnclosedQuote, "quote"},
		{`from:"Jeff`, QueryUnclosedQuote, "quote"},
		{"((((", QueryUnclosedBracket, "("},
		{"(a OR b", QueryUnclosedBracket, "("},
		{"a) b", QueryStrayBracket, ")"},
		{"a OR", QueryDanglingOperator, "OR"},
		{"| a", QueryDanglingOperator, "OR"},
		{"a NOT", QueryDanglingOperator, "NOT"},
		{"!!! ... ---", QueryNothingToSearch, "punctuation"},
		{"()", QueryNothingToSearch, "punctuation"},
		{strings.Repeat("word ", MaxQueryLen/5+1), QueryTooLong, "1000"},
	}
	for _, tc := range tests {
		t.Run(tc.in[:min(len(tc.in), 30)], func(t *testing.T) {
			_, err := ParseQuery(tc.in)
			var qe *QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q) error = %v, want a *QueryError", tc.in, err)
			}
			if qe.Kind != tc.kind || !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("kind %d, want %d (%v)", qe.Kind, tc.kind, err)
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("message %q does not mention %q", err, tc.mention)
			}
		})
	}
	if _, err := ParseQuery(strings.Repeat("é", MaxQueryLen)); err != nil {
		t.Errorf("a query of MaxQueryLen characters: %v", err)
	}
	if _, err := ParseQuery("   "); err != nil {
		t.Errorf("a blank query: %v", err)
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
