package web

import (
	"testing"

	"github.com/engram-app/engram/internal/bounds"
)

// TestPageSize keeps the API's page size and the search limit every face
// clamps to agreeing.
func TestPageSize(t *testing.T) {
	if got := bounds.SearchLimit().Max; got != MaxPageSize {
		t.Errorf("bounds.SearchLimit().Max = %d, MaxPageSize = %d", got, MaxPageSize)
	}
}
