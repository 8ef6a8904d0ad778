package store

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"

	"github.com/golang/snappy"

	"github.com/engram-app/engram/document"
)

// Value tags: the first byte of a stored value says how the rest reads.
const (
	// legacySnappyJSON is a schema-4 document: Snappy-compressed JSON with
	// no checksum. Only the migration to schema 5 reads it (plain JSON
	// starting with '{', from before that, too).
	legacySnappyJSON = 0xff
	// sealedDoc is a document since schema 5: the tag, the CRC32C
	// (Castagnoli, big-endian) of the rest, then a Snappy block of JSON.
	sealedDoc = 0xfe
	// sealedJSON is a memory or memory version since schema 5: the tag, the
	// CRC32C of the rest, then JSON.
	sealedJSON = 0xfd
)

// crcOf is the CRC32C of b. The Castagnoli polynomial has hardware support
// on amd64 and arm64, so checking every value read costs little.
func crcOf(b []byte) uint32 { return crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)) }

// seal prefixes payload with tag and its checksum, in one new slice of
// 5+len(payload) bytes.
func seal(tag byte, payload []byte) []byte {
	out := make([]byte, 5+len(payload))
	out[0] = tag
	binary.BigEndian.PutUint32(out[1:5], crcOf(payload))
	copy(out[5:], payload)
	return out
}

// unseal checks a value written by seal with tag and returns its payload,
// or an error wrapping ErrCorrupt that says what is wrong.
func unseal(tag byte, v []byte) ([]byte, error) {
	if len(v) < 5 || v[0] != tag {
		return nil, fmt.Errorf("%w: unknown record format", ErrCorrupt)
	}
	if crcOf(v[5:]) != binary.BigEndian.Uint32(v[1:5]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	return v[5:], nil
}

// encodeDoc stores a document as Snappy-compressed JSON behind a checksum:
// mail bodies compress about 2:1, which halves the file and the pages an
// import touches. Snappy (golang/snappy, already linked for Bleve's
// segments) is chosen for speed over ratio: every search page decodes ten
// documents.
func encodeDoc(d *document.Document) ([]byte, error) {
	raw, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 5+snappy.MaxEncodedLen(len(raw)))
	enc := snappy.Encode(buf[5:], raw)
	buf = buf[:5+len(enc)]
	buf[0] = sealedDoc
	binary.BigEndian.PutUint32(buf[1:5], crcOf(buf[5:]))
	return buf, nil
}

// decodeDoc reads a value written by encodeDoc. A value whose checksum
// does not match, or that does not decode, is an error wrapping ErrCorrupt:
// a damaged record is never read as a changed document.
func decodeDoc(v []byte, d *document.Document) error {
	block, err := unseal(sealedDoc, v)
	if err != nil {
		return err
	}
	raw, err := snappy.Decode(nil, block)
	if err != nil {
		return fmt.Errorf("%w: decompressing: %v", ErrCorrupt, err)
	}
	if err := json.Unmarshal(raw, d); err != nil {
		return fmt.Errorf("%w: decoding: %v", ErrCorrupt, err)
	}
	return nil
}

// decodeLegacyDoc reads a schema-4 (or older) document value.
func decodeLegacyDoc(v []byte, d *document.Document) error {
	if len(v) > 0 && v[0] == legacySnappyJSON {
		raw, err := snappy.Decode(nil, v[1:])
		if err != nil {
			return fmt.Errorf("decompressing: %w", err)
		}
		v = raw
	}
	return json.Unmarshal(v, d)
}

// sealValue encodes v as JSON behind a checksum.
func sealValue(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return seal(sealedJSON, raw), nil
}

// openValue reads a value written by sealValue into v; a damaged one is an
// error wrapping ErrCorrupt.
func openValue(b []byte, v any) error {
	raw, err := unseal(sealedJSON, b)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: decoding: %v", ErrCorrupt, err)
	}
	return nil
}
