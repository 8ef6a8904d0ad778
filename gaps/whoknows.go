package gaps

import (
	"sort"
	"time"

	"github.com/engram-app/engram/document"
)

// Expert is one person's part in a topic: how many of the documents about
// it they wrote and received, and the best of those documents.
type Expert struct {
	Name     string   `json:"name"`
	Address  string   `json:"address"`
	Wrote    int      `json:"wrote"`
	Received int      `json:"received"`
	Score    float64  `json:"score"`
	Docs     []DocRef `json:"docs"`
}

// DocRef names a document in a ranking.
type DocRef struct {
	ID    string    `json:"id"`
	Title string    `json:"title"`
	Date  time.Time `json:"date"`
}

// maxExpertDocs is how many documents are listed per person.
const maxExpertDocs = 3

// WhoKnows ranks the people of documents about a topic (docs in order of
// relevance, best first, as a search returned them): writing a document
// counts three times receiving one, and a document counts more the higher
// it ranks. At most limit people (0: 10).
func WhoKnows(docs []document.Document, limit int) []Expert {
	if limit <= 0 {
		limit = 10
	}
	idx := map[string]int{}
	out := []Expert{}
	credit := func(p Person, d *document.Document, rank int, wrote bool) {
		if p.empty() {
			return
		}
		i, ok := idx[p.key()]
		if !ok {
			i = len(out)
			idx[p.key()] = i
			out = append(out, Expert{Name: p.Name, Address: p.Address, Docs: []DocRef{}})
		}
		e := &out[i]
		w := 1.0 / (1.0 + float64(rank)/10)
		if wrote {
			e.Wrote++
			w *= 3
		} else {
			e.Received++
		}
		e.Score += w
		if len(e.Docs) < maxExpertDocs {
			e.Docs = append(e.Docs, DocRef{ID: d.ID, Title: d.Title, Date: d.Date})
		}
	}
	for rank := range docs {
		d := &docs[rank]
		from := parsePerson(d.From)
		credit(from, d, rank, true)
		if len(d.To) > maxRecipients {
			continue // a broadcast says little about who knows
		}
		for _, t := range d.To {
			if p := parsePerson(t); p.key() != from.key() {
				credit(p, d, rank, false)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Address < out[j].Address
	})
	if len(out) > limit {
		out = out[:limit]
	}
	for i := range out {
		out[i].Score = float64(int(out[i].Score*100+0.5)) / 100
	}
	return out
}
