package ingest

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// CheckText verifies that data is UTF-8 text and returns it without a byte
// order mark. Binary content (NUL bytes or mostly control characters) and
// invalid UTF-8 are errors wrapping ErrBadInput that say what to do.
func CheckText(data []byte) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	sample := data
	if len(sample) > 8192 {
		sample = sample[:8192]
	}
	if bytes.IndexByte(sample, 0) >= 0 {
		return nil, fmt.Errorf("%w: file contains binary data (NUL bytes); it is not a text file", ErrBadInput)
	}
	control := 0
	for _, c := range sample {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1b {
			control++
		}
	}
	if len(sample) > 0 && control*10 > len(sample) {
		return nil, fmt.Errorf("%w: file is mostly control characters; it is not a text file", ErrBadInput)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: file is not valid UTF-8; convert it to UTF-8 (e.g. iconv -t UTF-8) and import again", ErrBadInput)
	}
	return data, nil
}
