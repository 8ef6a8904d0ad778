package embed

import "errors"

var (
	// ErrUnavailable means the endpoint did not answer (refused, timed
	// out, or failed with a server error after the retries), or is in its
	// cool-down after such a failure. Search falls back to text.
	ErrUnavailable = errors.New("the embedding endpoint is not answering")
	// ErrBadResponse means the endpoint answered, but not with vectors we
	// can use: a client error (an unknown model), invalid JSON, the wrong
	// number of vectors, or vectors of differing dimensions.
	ErrBadResponse = errors.New("the embedding endpoint gave an unusable answer")
	// ErrConfig means the endpoint settings are invalid (not an http(s)
	// URL, an unknown API, no model).
	ErrConfig = errors.New("invalid embedding settings")
)
