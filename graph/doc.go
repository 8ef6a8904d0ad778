// Package graph is Engram's entity graph: people, organisations, places,
// topics, documents, memories, emotions and events, and the relations
// between them. It is derived from the store: each document or memory
// contributes nodes and edges (a Contribution), and Replace and Remove keep
// the graph equal to the sum of the current contributions. It is the only
// package that imports Cayley.
//
// The graph is kept at entity level: one Cayley quad per distinct (subject,
// predicate, object) however many documents contribute it, with the number of
// contributions kept beside it. Predicates come from a fixed registry
// (Predicates); writing or querying any other is ErrUnknownPredicate.
//
// # Storage
//
// Everything lives in one bbolt file, opened through store/kvbolt. Cayley's
// key-value quad store (cayley/graph/kv, with its bloom filters off) owns the
// top-level buckets it creates: "meta", "log", its quad index buckets and
// 3-byte value buckets. Engram's side data lives in top-level buckets named
// "engram_graph_*", which Cayley never touches; 0x00 separates the parts of
// composite keys, and IDs never contain it:
//
//	engram_graph_meta       "version"                  -> "3" (layout version)
//	engram_graph_nodes      <nodeID>                   -> JSON {k: kind, n: name, a: [aliases],
//	                                                       d: contributions, nc: {name: n}, ac: {alias: n}}
//	engram_graph_names      <normalised> 0x00 <nodeID> -> 1 byte: 'n' name, 'a' alias, 'k' key of the ID
//	engram_graph_edges      <from> 0x00 <pred> 0x00 <to> -> uvarint count of contributions
//	engram_graph_edges_in   <to> 0x00 <pred> 0x00 <from> -> the same count, so that a node's
//	                                                       edges both ways are two prefix scans
//	engram_graph_docs       <docID>                    -> the contribution: content hash, the nodes it
//	                                                       declares with the name and aliases it gives
//	                                                       each, and its edges (binary; docRecord.encode)
//
// A contribution's record holds all that withdrawing it needs, so an update
// reads one record per document. Layout 1 (JSON records, declarations in a
// bucket engram_graph_node_docs keyed by node then document) and layout 2
// (no engram_graph_edges_in) are migrated when Open meets them.
//
// A quad is Subject IRI(<from>), Predicate IRI(<PREDICATE>), Object IRI(<to>),
// no label. Normalised names are document.NormalizeName of a node's name, of
// each alias and of the key part of its ID (so "jeff@enron.com" finds
// "person:jeff@enron.com").
//
// # Consistency
//
// A write is one bbolt transaction: the side buckets are updated, then
// Cayley's ApplyDeltas runs inside the same transaction (its read-write
// transactions join it), so quads, counts and contributions commit together
// or not at all. Reads run concurrently with one writer. Path walks Cayley's
// quad indexes; Neighbors, which ranks by counts that quads do not carry,
// scans the two edge buckets. Each query walks at most 100,000 edges.
package graph
