package graph

import "errors"

var (
	// ErrUnknownPredicate is returned for a predicate that is not in the
	// registry (see Predicates), when writing an edge or querying by it.
	ErrUnknownPredicate = errors.New("unknown predicate")

	// ErrDanglingEdge is returned by Replace for an edge whose end is neither a
	// node of the same call nor a node already in the graph.
	ErrDanglingEdge = errors.New("edge end is not a known node")

	// ErrInvalidNode is returned by Replace for a node whose ID is not
	// "<kind>:<key>" with a known kind, or whose Kind disagrees with its ID.
	ErrInvalidNode = errors.New("invalid node")

	// ErrInvalidDocID is returned for an empty or malformed document ID.
	ErrInvalidDocID = errors.New("invalid document ID")

	// ErrNotFound is returned when no node matches a name.
	ErrNotFound = errors.New("no node matches")

	// ErrNoPath is returned by Path when the two nodes are not connected
	// within the maximum depth.
	ErrNoPath = errors.New("no path")

	// ErrClosed is returned by every method of a Graph after Close.
	ErrClosed = errors.New("graph is closed")
)
