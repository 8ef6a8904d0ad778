package search

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrIndexCorrupt means the index directory exists but cannot be opened
	// as a Bleve index (missing or damaged metadata or segments). The index
	// is derived data: delete the directory and rebuild it from the store
	// (engram doctor does this).
	ErrIndexCorrupt = errors.New("search index is corrupt")

	// ErrIndexLocked means another process holds the index open. Close the
	// other Engram process (desktop app or CLI) and try again.
	ErrIndexLocked = errors.New("search index is in use by another process")

	// ErrMappingChanged means the index was built by a different version of
	// the field mapping and must be rebuilt from the store.
	ErrMappingChanged = errors.New("search index was built with another mapping version")

	// ErrClosed is returned by every method called after Close.
	ErrClosed = errors.New("search index is closed")

	// ErrEmptyID is returned by Put for a document without an ID.
	ErrEmptyID = errors.New("document has no id")
)

// ErrInvalidQuery is what every *QueryError is (errors.Is): the query
// text cannot be searched as written. It is the user's to fix, so callers
// answer it as a usage error (CLI exit code 2, HTTP 400).
var ErrInvalidQuery = errors.New("invalid query")

// QueryErrorKind says what is wrong with a query.
type QueryErrorKind int

// Query error kinds.
const (
	QueryTooLong          QueryErrorKind = iota // longer than MaxQueryLen; Value is its length
	QueryUnknownOperator                        // name: that is not a filter; Operator is the name
	QueryMissingValue                           // a filter without a value
	QueryBadDate                                // before:/after: with a date that does not parse; Value is it
	QueryUnclosedQuote                          // a '"' without its pair
	QueryUnclosedBracket                        // a '(' without its ')'
	QueryStrayBracket                           // a ')' without its '('
	QueryDanglingOperator                       // OR or NOT with nothing to apply to; Operator is it
	QueryNothingToSearch                        // only punctuation
)

// QueryError is the error of ParseQuery and Index.Search for a query that
// cannot be searched. Its message names the operator or date at fault and
// what is accepted; it never holds the query itself, which may be
// private.
type QueryError struct {
	Kind     QueryErrorKind
	Operator string // the operator at fault, without ':'
	Value    string // the bad date, or the length of a long query
}

// Is makes every QueryError match ErrInvalidQuery.
func (e *QueryError) Is(target error) bool { return target == ErrInvalidQuery }

func (e *QueryError) Error() string {
	ops := "operators: " + strings.Join(Operators(), ": ") + ": (and OR, |, NOT, -word, \"phrase\", (grouping), word*)"
	switch e.Kind {
	case QueryTooLong:
		return fmt.Sprintf("query too long: %s characters, at most %d", e.Value, MaxQueryLen)
	case QueryUnknownOperator:
		return fmt.Sprintf("unknown operator %q; valid %s; quote it to search the text: \"%s:...\"", e.Operator+":", ops, e.Operator)
	case QueryMissingValue:
		return fmt.Sprintf("operator %q needs a value, as in %s:word or %s:\"two words\"", e.Operator+":", e.Operator, e.Operator)
	case QueryBadDate:
		return fmt.Sprintf("%s: date %q does not parse; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. %s:2024-03-05)", e.Operator, e.Value, e.Operator)
	case QueryUnclosedQuote:
		return `unclosed quote: a phrase needs a closing "`
	case QueryUnclosedBracket:
		return "unclosed bracket: a ( needs its )"
	case QueryStrayBracket:
		return "unmatched ): it closes no ("
	case QueryDanglingOperator:
		return fmt.Sprintf("%s needs a word, phrase or group on each side (%s)", e.Operator, map[string]string{"OR": "a OR b", "NOT": "a NOT b"}[e.Operator])
	case QueryNothingToSearch:
		return "query has nothing to search: only punctuation; " + ops
	}
	return "invalid query"
}
