package app

import (
	"time"

	"github.com/engram-app/engram/search"
)

// SearchRequest is a search from the CLI, the desktop app or the web UI.
type SearchRequest struct {
	Query  string `json:"query"`
	Limit  int    `json:"limit"`  // 0 means 20
	Offset int    `json:"offset"` // for paging
	// Facets asks for facet counts (source, person, year) over all matches;
	// they cost more than the search on broad queries.
	Facets bool `json:"facets"`
	// Mode is "text", "semantic" or "hybrid"; empty means hybrid when an
	// embedding endpoint is set, else text (app/semantic.go).
	Mode string `json:"mode,omitempty"`
}

// SearchResult is the answer to a SearchRequest. Its JSON form is the CLI
// contract of `engram search --json`.
type SearchResult struct {
	Total  uint64             `json:"total"`
	TookMS float64            `json:"took_ms"`
	Hits   []SearchHit        `json:"hits"`
	Facets map[string][]Facet `json:"facets"`
	// Partial says the search stopped checking candidates (a phrase of
	// very common words): Total is a lower bound.
	Partial bool `json:"partial,omitempty"`
	// Degraded names subsystems that could not take part (e.g. "graph"):
	// the results are text-only.
	Degraded []string `json:"degraded,omitempty"`
	// Corrected is the query as searched when words of it were not in
	// the index and were replaced by their nearest indexed words
	// ("calender" -> "calendar"); empty when nothing was corrected.
	Corrected string `json:"corrected,omitempty"`
	// Mode is the mode the search ran in; Notice, when set, says why it
	// is not the one asked for or what it could not cover (an embedding
	// endpoint that is down, documents not embedded yet).
	Mode   string `json:"mode,omitempty"`
	Notice string `json:"notice,omitempty"`
}

// Person is a sender or recipient of a hit: a name, an address, or both.
type Person = search.Person

// SearchHit is one result. Snippet holds the best passage with the matched
// terms wrapped in <mark>…</mark>; everything else in it is HTML-escaped.
type SearchHit struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Source  string    `json:"source"`
	Path    string    `json:"path"`
	Snippet string    `json:"snippet"`
	Score   float64   `json:"score"`
	Date    time.Time `json:"date"`
	From    *Person   `json:"from,omitempty"`
	To      []Person  `json:"to,omitempty"`
	// Matched says how the hit was found: "text" (its words), "semantic"
	// (its meaning), or both; set in semantic and hybrid mode.
	Matched []string `json:"matched,omitempty"`
}

// Facet is one value of a facet ("source", "person", "year") and how many
// hits carry it.
type Facet struct {
	Value string `json:"value"`
	Count int    `json:"count"`
	// Address is a person's address, when Value is their name.
	Address string `json:"address,omitempty"`
}
