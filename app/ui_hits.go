package app

import "github.com/engram-app/engram/document"

// addSenders fills in the sender of the mails and messages among hits, from
// the store's authors bucket: one small read per message, no document
// decoded, so the result list can say who wrote each one. A failed read
// leaves them blank; the hits stand without.
func (a *App) addSenders(ws string, hits []SearchHit) {
	var ids []string
	for _, h := range hits {
		if h.Source == document.SourceEmail || h.Source == document.SourceSlack {
			ids = append(ids, h.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	from, err := a.store.Authors(a.wsName(ws), ids)
	if err != nil {
		return
	}
	for i := range hits {
		if f, ok := from[hits[i].ID]; ok && hits[i].From == nil {
			hits[i].From = &Person{Name: f}
		}
	}
}
