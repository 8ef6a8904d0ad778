package store

import (
	"encoding/json"
	"fmt"

	"github.com/golang/snappy"

	"github.com/engram-app/engram/document"
)

// snappyJSON marks a value that is Snappy-compressed JSON. Plain JSON values
// start with '{', so both read back without a migration.
const snappyJSON = 0xff

// encodeDoc stores a document as Snappy-compressed JSON: mail bodies
// compress about 2:1, which halves the file and the pages an import touches.
// Snappy (golang/snappy, already linked for Bleve's segments) is chosen for
// speed over ratio: every search page decodes ten documents.
func encodeDoc(d *document.Document) ([]byte, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 1+snappy.MaxEncodedLen(len(raw)))
	buf[0] = snappyJSON
	enc := snappy.Encode(buf[1:], raw)
	return buf[:1+len(enc)], nil
}

// decodeDoc reads a value written by encodeDoc, or plain JSON.
func decodeDoc(v []byte, d *document.Document) error {
	if len(v) > 0 && v[0] == snappyJSON {
		raw, err := snappy.Decode(nil, v[1:])
		if err != nil {
			return fmt.Errorf("decompressing: %w", err)
		}
		v = raw
	}
	return json.Unmarshal(v, d)
}
