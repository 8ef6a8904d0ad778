package search

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// Entry kinds.
const (
	KindAcronym = "acronym" // Term is short for each expansion, and back
	KindSynonym = "synonym" // Term and its expansions all mean the same
)

// Entry is one dictionary line: an acronym with its long forms, or a
// synonym group. The store persists the user's own entries.
type Entry struct {
	Kind       string   `json:"kind"`
	Term       string   `json:"term"`
	Expansions []string `json:"expansions"`
}

// Expander proposes alternative words or phrases for a lower-cased word or
// phrase of the query ("k8s" -> ["kubernetes"]). It returns nil when it has
// none. Search calls it from many goroutines at once.
type Expander interface {
	Expand(term string) []string
}

//go:embed dict_default.json
var defaultDictJSON []byte

// DefaultEntries returns the shipped acronyms and synonyms, parsed afresh
// on every call so callers may modify the result.
func DefaultEntries() []Entry {
	entries, err := ParseEntries(defaultDictJSON)
	if err != nil {
		// The file is embedded and covered by tests.
		panic(fmt.Sprintf("search: embedded dict_default.json: %v", err))
	}
	return entries
}

// ParseEntries decodes a JSON array of entries, as in dict_default.json.
func ParseEntries(data []byte) ([]Entry, error) {
	var entries []Entry
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("decoding dictionary: %w", err)
	}
	for i, e := range entries {
		if e.Kind != KindAcronym && e.Kind != KindSynonym {
			return nil, fmt.Errorf("decoding dictionary: entry %d (%q): unknown kind %q", i, e.Term, e.Kind)
		}
	}
	return entries, nil
}

// Dictionary is an Expander built from acronym and synonym entries. It is
// read-only after NewDictionary and safe for concurrent use.
type Dictionary struct {
	exp map[string][]string
}

// NewDictionary builds a dictionary from lists of entries. For the same
// term (compared case-insensitively) an entry of a later list replaces the
// one of an earlier list, so NewDictionary(DefaultEntries(), userEntries)
// lets users override defaults. Acronyms expand both ways ("pto" <->
// "paid time off"); each member of a synonym group expands to the others.
func NewDictionary(entries ...[]Entry) *Dictionary {
	effective := map[string]Entry{}
	var order []string
	for _, list := range entries {
		for _, e := range list {
			k := normPhrase(e.Term)
			if k == "" {
				continue
			}
			if _, ok := effective[k]; !ok {
				order = append(order, k)
			}
			effective[k] = e
		}
	}
	d := &Dictionary{exp: map[string][]string{}}
	add := func(from, to string) {
		if from == "" || to == "" || from == to {
			return
		}
		for _, x := range d.exp[from] {
			if x == to {
				return
			}
		}
		d.exp[from] = append(d.exp[from], to)
	}
	for _, k := range order {
		e := effective[k]
		exps := make([]string, 0, len(e.Expansions))
		for _, x := range e.Expansions {
			if x = normPhrase(x); x != "" {
				exps = append(exps, x)
			}
		}
		for _, x := range exps {
			add(k, x)
			add(x, k)
			if e.Kind == KindSynonym {
				for _, y := range exps {
					add(x, y)
				}
			}
		}
	}
	return d
}

// Expand returns the alternatives of term, nil if none. The result must not
// be modified.
func (d *Dictionary) Expand(term string) []string {
	if d == nil {
		return nil
	}
	return d.exp[normPhrase(term)]
}

// Len returns the number of words and phrases that have an expansion.
func (d *Dictionary) Len() int { return len(d.exp) }

func normPhrase(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
