// Package bounds declares the range of every number that reaches Engram from
// outside (a CLI flag, an HTTP parameter, an MCP argument) and the one way
// each face applies it, so the CLI, the API and the MCP server agree.
//
// The ranges:
//
//	search limit           1 to 200 results a page (default 20; MCP 10)
//	search offset          0 to 1,000,000 results skipped
//	memory search limit    1 to 100 memories (default 10)
//	graph depth            1 to 3 hops (default 1)
//	context budget         10 to 32,000 tokens (default 1,500)
//	text of a memory       at most 20,000 bytes
//
// A limit or a budget outside its range is clamped to it: asking for a
// million results gets the most a page holds. A depth outside its range, a
// negative offset or a negative number where a count is meant is an error,
// since the caller meant something Engram cannot do.
package bounds

import (
	"errors"
	"fmt"
)

// ErrOutOfRange is wrapped by every *RangeError.
var ErrOutOfRange = errors.New("out of range")

// RangeError says which argument was outside its range and what the range is.
type RangeError struct {
	Name     string
	Min, Max int64
	Got      int64
}

func (e *RangeError) Error() string {
	return fmt.Sprintf("%s must be a whole number from %d to %d (got %d)", e.Name, e.Min, e.Max, e.Got)
}

// Unwrap makes errors.Is(err, ErrOutOfRange) hold.
func (e *RangeError) Unwrap() error { return ErrOutOfRange }

// Range is the documented range of one argument. Zero means "not given" and
// takes Default.
type Range struct {
	Name     string
	Min, Max int
	Default  int
}

// Clamp returns v within the range: zero gives Default, anything else is
// moved to the nearest end.
func (r Range) Clamp(v int64) int {
	switch {
	case v == 0:
		return r.Default
	case v < int64(r.Min):
		return r.Min
	case v > int64(r.Max):
		return r.Max
	}
	return int(v)
}

// Check returns v when it is within the range (zero gives Default) and a
// *RangeError naming the argument otherwise.
func (r Range) Check(v int64) (int, error) {
	if v == 0 {
		return r.Default, nil
	}
	if v < int64(r.Min) || v > int64(r.Max) {
		return 0, &RangeError{Name: r.Name, Min: int64(r.Min), Max: int64(r.Max), Got: v}
	}
	return int(v), nil
}

// The ranges. They are functions, not variables, so no face can change them.

// SearchLimit is the number of results of one search page.
func SearchLimit() Range { return Range{Name: "limit", Min: 1, Max: 200, Default: 20} }

// SearchOffset is the number of results a page skips.
func SearchOffset() Range { return Range{Name: "offset", Min: 0, Max: 1_000_000, Default: 0} }

// MemoryLimit is the number of memories a memory search returns.
func MemoryLimit() Range { return Range{Name: "limit", Min: 1, Max: 100, Default: 10} }

// Depth is the number of hops a graph query follows.
func Depth() Range { return Range{Name: "depth", Min: 1, Max: 3, Default: 1} }

// ContextBudget is the token budget of a context pack.
func ContextBudget() Range { return Range{Name: "budget", Min: 10, Max: 32_000, Default: 1500} }

// MaxMemoryText is the longest text a memory add takes, in bytes.
const MaxMemoryText = 20_000
