package cli

import "time"

// dateText formats a document date, or "unknown" for a message whose date
// could not be read (it has none, rather than its file's mtime).
func dateText(t time.Time, layout string) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format(layout)
}
