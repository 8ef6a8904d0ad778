package eml

import "github.com/engram-app/engram/ingest/htmltext"

// htmlToText returns the readable text of an HTML body (see package
// htmltext, which the HTML file importer shares).
func htmlToText(src string) string { return htmltext.Text(src) }
