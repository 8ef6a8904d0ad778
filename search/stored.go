package search

import (
	"encoding/binary"
	"time"

	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
)

// storedDoc is what a search reads of a hit's stored fields.
type storedDoc struct {
	title, source, path, body string
	date                      time.Time
	from                      string
	to                        []string
}

// storedReader reads the stored fields of hits from one snapshot.
// Bleve's Reader.Document finds a document by looking its id up in every
// segment and then copies every stored field into a new Document; a hit
// of the search that ran on this snapshot is known by its internal id,
// which names its segment and number, and only the fields used are
// copied.
type storedReader struct {
	r      index.IndexReader
	segs   []*scorch.SegmentSnapshot // nil: not a scorch snapshot
	starts []uint64                  // first internal number of each segment
}

func newStoredReader(r index.IndexReader) *storedReader {
	sr := &storedReader{r: r}
	if is, ok := r.(*scorch.IndexSnapshot); ok {
		sr.segs = is.Segments()
		sr.starts = segmentStarts(sr.segs)
	}
	return sr
}

// segmentStarts returns the first internal number of each of a
// snapshot's segments: scorch numbers a segment's documents after every
// document of the segments before it, deleted ones included.
func segmentStarts(segs []*scorch.SegmentSnapshot) []uint64 {
	starts := make([]uint64, len(segs))
	var next uint64
	for i, ss := range segs {
		starts[i] = next
		next += ss.Segment().Count()
	}
	return starts
}

// load returns the stored fields of document id, whose internal id in this
// snapshot is iid when known (nil otherwise); the body only when asked
// for. ok is false when the snapshot has no such document.
func (sr *storedReader) load(id string, iid index.IndexInternalID, body bool) (d storedDoc, ok bool, err error) {
	if len(iid) == 8 && sr.segs != nil {
		num := binary.BigEndian.Uint64(iid)
		for i := len(sr.segs) - 1; i >= 0; i-- {
			if num < sr.starts[i] {
				continue
			}
			same := false
			err := sr.segs[i].VisitDocument(num-sr.starts[i], func(field string, typ byte, val []byte, _ []uint64) bool {
				switch field {
				case "_id":
					// The check that the internal id names this
					// document; it comes first.
					same = string(val) == id
					return same
				case fTitle:
					d.title = string(val)
				case fSource:
					d.source = string(val)
				case fPath:
					d.path = string(val)
				case fFromShown:
					d.from = string(val)
				case fToShown:
					d.to = append(d.to, string(val))
				case fBodyShown:
					if body {
						d.body = string(val)
					}
				case fDate:
					// Bleve stores a date with its layout after it.
					if t, _, err := bdoc.NewDateTimeFieldFromBytes(field, nil, val).DateTime(); err == nil {
						d.date = t.UTC()
					}
				}
				return true
			})
			if err == nil && same {
				return d, true, nil
			}
			break
		}
		d = storedDoc{}
	}
	doc, err := sr.r.Document(id)
	if err != nil || doc == nil {
		return d, false, err
	}
	doc.VisitFields(func(f index.Field) {
		if dt, isDate := f.(index.DateTimeField); isDate && f.Name() == fDate {
			if t, _, err := dt.DateTime(); err == nil {
				d.date = t.UTC()
			}
			return
		}
		tf, isText := f.(index.TextField)
		if !isText {
			return
		}
		switch f.Name() {
		case fTitle:
			d.title = tf.Text()
		case fSource:
			d.source = tf.Text()
		case fPath:
			d.path = tf.Text()
		case fFromShown:
			d.from = tf.Text()
		case fToShown:
			d.to = append(d.to, tf.Text())
		case fBodyShown:
			if body {
				d.body = tf.Text()
			}
		}
	})
	return d, true, nil
}
