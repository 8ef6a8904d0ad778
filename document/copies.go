package document

import (
	"slices"
	"strings"
	"time"
)

// MaxMergedBody bounds the body a message gathers from its copies.
const MaxMergedBody = 4 << 20

// MergeCopy folds into d another copy of the same message (the same
// Message-ID read from another file), so the one stored document is found
// by the words and dates of every copy: the copy's body is appended when d
// does not already hold it (and taken instead when it holds d's), its date
// joins Dates when it differs from Date, and fields d lacks (a date,
// people, a subject) are taken from it. d keeps its ID and Path. Merging the
// same copy twice changes nothing.
func (d *Document) MergeCopy(c *Document) {
	db, cb := strings.TrimSpace(d.Body), strings.TrimSpace(c.Body)
	switch {
	case cb == "" || strings.Contains(db, cb):
	case strings.Contains(cb, db):
		d.Body = c.Body
	case len(d.Body)+len(c.Body) <= MaxMergedBody:
		d.Body = db + "\n\n" + cb
	}
	if d.Date.IsZero() {
		d.Date = c.Date
	}
	for _, t := range append([]time.Time{c.Date}, c.Dates...) {
		if !t.IsZero() && !t.Equal(d.Date) && !slices.ContainsFunc(d.Dates, t.Equal) {
			d.Dates = append(d.Dates, t)
		}
	}
	slices.SortFunc(d.Dates, func(a, b time.Time) int { return a.Compare(b) })
	if d.From == "" && len(d.FromPeople) == 0 {
		d.From, d.FromPeople = c.From, c.FromPeople
	}
	if len(d.To) == 0 && len(d.ToPeople)+len(d.CcPeople) == 0 {
		d.To, d.ToPeople, d.CcPeople = c.To, c.ToPeople, c.CcPeople
	}
	if d.InReplyTo == "" {
		d.InReplyTo = c.InReplyTo
	}
	if len(d.References) == 0 {
		d.References = c.References
	}
	for _, a := range c.Attachments {
		if !slices.Contains(d.Attachments, a) {
			d.Attachments = append(d.Attachments, a)
		}
	}
}
