package slack

// NewWithZipLimits returns a Parser whose zip limits are lowered, so tests
// can reach them with small archives.
func NewWithZipLimits(entries int, total, ratio int64) *Parser {
	p := New()
	p.zip = zipLimits{entries: entries, total: total, ratio: ratio}
	return p
}
