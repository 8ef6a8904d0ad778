package app

import "testing"

func TestWorkspaceSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"work", "work"},
		{"My Work", "my-work"},
		{"  Études 2024  ", "etudes-2024"},
		{"Q3 / Q4 -- plans!", "q3-q4-plans"},
		{"snake_case", "snake_case"},
		{"!!!", "!!!"},
		{"", ""},
		{"aÅÄÖ", "aaao"},
	} {
		if got := WorkspaceSlug(tc.in); got != tc.want {
			t.Errorf("WorkspaceSlug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := ""
	for range 100 {
		long += "ab "
	}
	if got := WorkspaceSlug(long); len(got) > maxWorkspaceName {
		t.Errorf("slug of %d bytes", len(got))
	}
}
