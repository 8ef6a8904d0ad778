// Package search is Engram's full-text index, built on Bleve. It is the only
// package that imports Bleve; the index lives in its own directory and is
// derived data that engram doctor can rebuild from the store.
//
// # Mapping
//
// Documents are indexed with a static mapping (nothing dynamic, no _all
// composite field: every query names its fields) and BM25 scoring:
//
//	field         analyzer       stored  positions  doc values
//	title         engram_text    yes     yes        no
//	aliases       engram_text    no      yes        no
//	body          engram_text    yes     yes        no    stored for snippets
//	from, to      engram_person  no      yes        no
//	participants  engram_person  no      yes        no    from and to together
//	tags          keyword        no      no         no    lower-case, without '#'
//	source        keyword        yes     no         yes   facet
//	path          keyword        yes     no         no
//	date          datetime       yes     no         yes   sorting, date filters
//	year          keyword        no      no         yes   facet, from date (UTC)
//	person        keyword        no      no         yes   facet: address, else name, lower-case
//	content_hash  (not indexed)  yes     no         no    for Hashes
//
// The document id is Bleve's own id. Positions (Bleve's term vectors) are
// kept only on the fields where phrase queries run: Bleve cannot match a
// phrase without them. No field keeps array positions for highlighting;
// snippets are built from the stored body.
//
// engram_text serves every language in one pass: accents are folded
// (asciifolding), the Unicode tokenizer splits words, full-width forms are
// normalised, possessives dropped, words lower-cased, runs of Chinese,
// Japanese or Korean characters turned into overlapping bigrams and Latin
// words stemmed with Porter. So "running" finds "runs", "ubersicht" finds
// "Übersicht", and any two or more adjacent CJK characters of a text find it.
// engram_person splits on anything but letters and digits, so
// "Jeff Skilling <jeff.skilling@enron.com>" matches from:jeff,
// from:skilling and from:jeff.skilling@enron.com.
//
// The mapping version is stored in the index; Open refuses an index built
// with another version (ErrMappingChanged).
//
// # Query syntax
//
// See ParseQuery. Words must all match (common English words like "the"
// only add to the score), each in the title, aliases or body, exactly
// (after stemming) or, for words of 5 letters or more, with one typo (two
// from 8 letters) at a fifth of the weight. Typos are measured against the
// stems in the index, so a misspelt word that the stemmer does not
// recognise can miss a stem that is much shorter than the word.
// "Phrases" match in order, prefix* matches word starts (the 64 most
// frequent words with that start, fewer when they are very common: see
// prefixQuery), -x excludes, field:value filters (from, to, person, tag or
// #tag, source, before, after) restrict. A query of filters only, or an
// empty one, lists documents newest first.
//
// An Expander (usually a Dictionary of acronyms and synonyms) adds
// alternatives at 0.7 of the weight: to single words ("k8s" ->
// "kubernetes") and to runs of two or three words ("paid time off" ->
// "pto").
//
// # Ranking
//
// The score is BM25 with title words boosted 3x (aliases 2.5x), times a
// recency factor 1 + 0.2*exp(-age/365 days), at most 1.2 so a clearly
// better text match stays ahead, times the caller's Request.Boost for the
// id (graph closeness). The best max(offset+limit, 50) text matches are
// re-ranked, then paged; Total counts all matches (see Result.Partial for
// the one exception, phrases of very common words).
//
// # Speed
//
// Words, phrases, runs of clauses and prefixes run on searchers of this
// package (wordQuery, phraseQuery, andQuery, prefixQuery) that match and
// score exactly as Bleve's would but skip its per-hit bookkeeping: a
// phrase reads positions only where the words' posting bitmaps intersect,
// rarest word first; clauses are intersected as bitmaps before any is
// scored. The work a query can cause is bounded: a prefix stands for at
// most 64 words, a search checks at most 100,000 phrase candidates.
//
// A search reads one snapshot of the index for everything: the query's
// terms, the matches, the dates of the candidates that can still reach
// the page, and the page's stored fields. Its text part (candidates,
// Total, facets) is kept in a bounded LRU per index, dropped on every
// write. Searches run GOMAXPROCS at a time, in arrival order.
package search
