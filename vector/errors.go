package vector

import "errors"

// ErrDimension means a vector's dimension differs from the index's (set by
// its first vector): vectors of two models were mixed.
var ErrDimension = errors.New("vector dimension differs from the index's")
