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
//	title         engram_text    yes     yes        no    first 300 bytes
//	aliases       engram_text    no      yes        no
//	body          engram_text    no      yes        no    first 4 MB
//	body_shown    (not indexed)  yes     no         no    first 256 KB, for snippets
//	from, to      engram_person  no      yes        no
//	participants  engram_person  no      yes        no    from and to together
//	from_shown    (not indexed)  yes     no         no    the sender, for hits
//	to_shown      (not indexed)  yes     no         no    the first 20 recipients, for hits
//	tags          keyword        no      no         no    lower-case, without '#'
//	source        keyword        yes     no         yes   facet
//	path          keyword        yes     no         no
//	path_text     engram_person  no      yes        no    for path:
//	date          datetime       yes     no         yes   sorting, date filters
//	year          keyword        no      no         yes   facet, from date (UTC)
//	person        keyword        no      no         yes   facet: lower-case address, else name
//	from_key      keyword        no      no         no    the same of the sender: from:ADDRESS
//	to_key        keyword        no      no         no    the same of each recipient: to:ADDRESS
//	content_hash  (not indexed)  yes     no         no    for Hashes
//
// What one document puts in the index is bounded (titles, bodies, words
// of at most 100 characters, 20 recipients shown), so a 19 MB subject or
// a 200 MB line costs a later search nothing and its import a fixed
// amount of memory.
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
// In the index, a token joining words with punctuation the tokenizer
// keeps (stdint.h, decoded_value, tag:inbox) is followed by its parts
// (see partsTokenFilter); queries are analysed by engram_query, the same
// without the parts, so "stdint" and "stdint.h" both find stdint.h.
// engram_person splits on anything but letters and digits, so
// "Jeff Skilling <jeff.skilling@enron.com>" matches from:jeff,
// from:skilling and from:@enron.com (a phrase of those tokens); a whole
// address, from:jeff.skilling@enron.com, is one term of from_key.
//
// The mapping version is stored in the index; Open refuses an index built
// with another version (ErrMappingChanged).
//
// # Query syntax
//
// See ParseQuery: words, "phrases", prefix*, OR (|), NOT (-), grouping
// and filters; a query that cannot be searched as written is a
// *QueryError. Words must all match (common English words like "the"
// only add to the score), each in the title, aliases or body exactly
// (after stemming), or in the names and addresses of the sender and
// recipients at half the body's weight. A word the index does not know,
// of 4 letters or more, is searched as its nearest indexed word (one
// edit from 4 letters, two from 8; a swap is one edit) and
// Result.Corrected says so. "Phrases" match in order, prefix* matches
// word starts (the 64 most frequent words with that start, fewer when
// they are very common: see prefixQuery), -x excludes, field:value
// filters restrict. A query of filters only, or an empty one, lists
// documents newest first.
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
// better text match stays ahead, with age counted from the start of the
// day (UTC), times the caller's Request.Boost for the id (graph
// closeness); equal scores are ordered by id. The pages of a query are a
// partition of that order: the best text matches are re-ranked, and
// widened until no match outside them can reach the page (see
// textResult.pageComplete). Total counts all matches (see Result.Partial
// for the one exception, phrases of very common words).
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
