// Package vector finds the nearest passages to a query vector in one
// workspace: an exact scan while the index is small, and an approximate
// HNSW graph (Malkov and Yashunin's hierarchical navigable small world)
// once it holds Options.Threshold vectors and Build has run. Vectors are
// unit length, so the score of a passage is its cosine with the query.
//
// Vectors are kept as float32, or, with Options.Quantize, as int8 with one
// scale per vector (a quarter of the memory; the query stays float32, so the
// scores lose little). A document's vectors are replaced or deleted as a
// whole; deleted vectors are skipped at once and their memory reclaimed
// when they outnumber the live ones.
//
// Fuse combines ranked lists by reciprocal rank fusion, for hybrid search
// (text and meaning).
//
// An Index is safe for concurrent use: searches share a read lock, writes
// take the write lock, and Build constructs the graph without holding the
// lock and attaches it at the end.
package vector
