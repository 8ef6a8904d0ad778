package search

import (
	"net/mail"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/token/length"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/engram-app/engram/document"
)

// mappingVersion is stored in the index; bump it whenever newMapping
// changes in a way that needs a rebuild.
const mappingVersion = "5"

// internalVersionKey is the Bleve internal key holding mappingVersion.
const internalVersionKey = "engram_mapping_version"

// Analyzer and tokenizer names registered in the index mapping.
const (
	textAnalyzer   = "engram_text"  // indexed text: words and the parts of joined words
	queryAnalyzer  = "engram_query" // query words: engram_text without the parts
	lengthFilter   = "engram_length"
	personAnalyzer = "engram_person"
)

// Field names. They are part of the on-disk format: see doc.go.
const (
	fTitle        = "title"
	fAliases      = "aliases"
	fBody         = "body"
	fFrom         = "from"
	fTo           = "to"
	fParticipants = "participants"
	fTags         = "tags"
	fSource       = "source"
	fPath         = "path"
	fPathText     = "path_text" // the path's words, for path:
	fDate         = "date"
	fYear         = "year"
	fPerson       = "person"
	fFromKey      = "from_key" // the sender's lower-case address (else name), for from:ADDRESS
	fToKey        = "to_key"   // the same of each recipient, for to:ADDRESS
	fContentHash  = "content_hash"
	fBodyShown    = "body_shown" // stored only: the start of the body, for snippets
	fFromShown    = "from_shown" // stored only: the sender a hit shows
	fToShown      = "to_shown"   // stored only: the first recipients a hit shows
)

// Bounds on what one document puts in the index, so that no document
// (a 19 MB subject, a 200 MB line) costs a later search or the import more
// than a fixed amount.
const (
	// maxTokenLen is the longest word indexed, in characters.
	maxTokenLen = 100
	// maxTitleLen is the most of a title indexed and stored, in bytes.
	maxTitleLen = 300
	// maxIndexedBody is the most of a body indexed, in bytes: the words
	// after it are not found by a search.
	maxIndexedBody = 4 << 20
	// maxStoredBody is the most of a body stored for snippets, in bytes.
	maxStoredBody = snippetMaxScan
)

// newMapping builds the index mapping. Nothing is dynamic and nothing goes
// into the _all composite field: every query names its fields.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := mapping.NewIndexMapping()
	im.ScoringModel = "bm25" // bleve_index_api.BM25Scoring
	im.DefaultField = fBody
	im.DefaultAnalyzer = textAnalyzer
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false

	// Words in any script: accents folded, full-width forms normalised,
	// lower-cased, CJK runs turned into overlapping bigrams (so any two
	// adjacent ideographs or kana are a term) and Latin words stemmed with
	// Porter. One analyzer covers every language, so each text is indexed
	// once.
	//
	// The index adds the parts of joined tokens (see partsTokenFilter);
	// queries are analysed without them, so "stdint.h" is searched as
	// the whole token and "stdint" finds it as a part. Tokens longer than
	// maxTokenLen are dropped: nobody searches for them, and a 19 MB
	// unbroken line would otherwise be one term of 19 MB.
	if err := im.AddCustomTokenFilter(lengthFilter, map[string]interface{}{
		"type": length.Name,
		"max":  float64(maxTokenLen),
	}); err != nil {
		return nil, err
	}
	for _, a := range []struct {
		name  string
		parts bool
	}{{textAnalyzer, true}, {queryAnalyzer, false}} {
		filters := []string{
			cjk.WidthName,
			en.PossessiveName,
			lowercase.Name,
			fr.ElisionName, // l'hébergement -> hebergement
			it.ElisionName, // dell'anno -> anno
			cjk.BigramName, // numbers every token's position again
		}
		if a.parts {
			filters = append(filters, partsFilter)
		}
		filters = append(filters, lengthFilter, porter.Name)
		if err := im.AddCustomAnalyzer(a.name, map[string]interface{}{
			"type":          custom.Name,
			"char_filters":  []string{asciifolding.Name},
			"tokenizer":     unicode.Name,
			"token_filters": filters,
		}); err != nil {
			return nil, err
		}
	}
	// People: "Jeff Skilling <jeff.skilling@enron.com>" becomes jeff,
	// skilling, jeff, skilling, enron, com, so from:jeff, from:skilling and
	// from:jeff.skilling@enron.com (a phrase of those tokens) all match.
	if err := im.AddCustomAnalyzer(personAnalyzer, map[string]interface{}{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     alnumTokenizer,
		"token_filters": []string{lowercase.Name},
	}); err != nil {
		return nil, err
	}

	// text returns an analyzed field. Positions (term vectors) are kept only
	// where phrase queries run: Bleve's phrase searcher needs them.
	text := func(analyzer string, store, positions bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: analyzer, Index: true, Store: store, IncludeTermVectors: positions}
	}
	kw := func(store, docValues bool) *mapping.FieldMapping {
		return &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Index: true, Store: store, DocValues: docValues}
	}

	dm := mapping.NewDocumentStaticMapping()
	add := func(name string, fm *mapping.FieldMapping) {
		fm.Name = name
		dm.AddFieldMappingsAt(name, fm)
	}
	add(fTitle, text(textAnalyzer, true, true))
	add(fAliases, text(textAnalyzer, false, true))
	add(fBody, text(textAnalyzer, false, true))
	add(fBodyShown, &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Store: true}) // for snippets
	add(fFrom, text(personAnalyzer, false, true))
	add(fTo, text(personAnalyzer, false, true))
	add(fParticipants, text(personAnalyzer, false, true))
	add(fTags, kw(false, false))
	add(fSource, kw(true, true))
	add(fPath, kw(true, false))
	add(fPathText, text(personAnalyzer, false, true))
	add(fYear, kw(false, true))
	add(fPerson, kw(false, true))
	add(fFromKey, kw(false, false))
	add(fToKey, kw(false, false))
	add(fContentHash, &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Store: true})
	add(fFromShown, &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Store: true})
	add(fToShown, &mapping.FieldMapping{Type: "text", Analyzer: keyword.Name, Store: true})
	add(fDate, &mapping.FieldMapping{Type: "datetime", Index: true, Store: true, DocValues: true})

	im.DefaultMapping = dm
	return im, nil
}

// fieldsOf turns a document into the map Bleve indexes.
func fieldsOf(d *document.Document) map[string]interface{} {
	m := map[string]interface{}{
		fTitle:       truncateUTF8(d.Title, maxTitleLen),
		fBody:        truncateUTF8(d.Body, maxIndexedBody),
		fBodyShown:   truncateUTF8(d.Body, maxStoredBody),
		fSource:      d.Source,
		fPath:        d.Path,
		fPathText:    d.Path,
		fContentHash: d.ContentHash,
	}
	if len(d.Aliases) > 0 {
		m[fAliases] = d.Aliases
	}
	// Each header is parsed once: its keys serve from:/to: and, together,
	// person: and the facet.
	var fromKeys, toKeys []string
	if d.From != "" {
		m[fFrom] = d.From
		m[fFromShown] = truncateUTF8(strings.TrimSpace(d.From), maxPersonLen)
		if fromKeys = addressKeys(nil, d.From); len(fromKeys) > 0 {
			m[fFromKey] = fromKeys
		}
	}
	if len(d.To) > 0 {
		m[fTo] = d.To
		m[fToShown] = boundedPeople(d.To)
		for _, p := range d.To {
			toKeys = addressKeys(toKeys, p)
		}
		if len(toKeys) > 0 {
			m[fToKey] = toKeys
		}
	}
	if ps := d.Participants(); len(ps) > 0 {
		m[fParticipants] = ps
		keys := make([]string, 0, len(fromKeys)+len(toKeys))
		seen := map[string]bool{}
		for _, k := range slices.Concat(fromKeys, toKeys) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		m[fPerson] = keys
	}
	if len(d.Tags) > 0 {
		tags := make([]string, len(d.Tags))
		for i, t := range d.Tags {
			tags[i] = normTag(t)
		}
		m[fTags] = tags
	}
	if !d.Date.IsZero() {
		m[fDate] = d.Date.UTC()
		m[fYear] = d.Date.UTC().Format("2006")
	}
	return m
}

// personKey is the facet key of a participant: the lower-cased address
// when there is one (see parsePerson), the name as written otherwise.
// The facet shows the name that goes with an address (see namePeople).
func personKey(p string) string {
	pp := parsePerson(p)
	if pp.Address != "" {
		return pp.Address
	}
	return pp.Name
}

// addressKeys appends to keys the keys from:, to: and person: match a
// header value by: each address of a list ("a@x.org, b@y.org" in one
// From), else the value's personKey.
func addressKeys(keys []string, header string) []string {
	if strings.Count(header, "@") > 1 {
		if list, err := mail.ParseAddressList(header); err == nil {
			for _, a := range list {
				keys = append(keys, strings.ToLower(a.Address))
			}
			return keys
		}
	}
	if k := personKey(header); k != "" {
		keys = append(keys, k)
	}
	return keys
}

func normTag(t string) string {
	return strings.ToLower(strings.TrimLeft(strings.TrimSpace(t), "#"))
}

// analyzeTerms runs text through a, returning its terms in order.
func analyzeTerms(a analysis.Analyzer, s string) []string {
	if a == nil || s == "" {
		return nil
	}
	ts := a.Analyze([]byte(s))
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, string(t.Term))
	}
	return out
}
