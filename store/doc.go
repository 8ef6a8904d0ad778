// Package store is Engram's system of record, one bbolt file per data
// directory (DATA/engram.db). Everything that must survive lives here; the
// search index and the graph are derived from it and can be rebuilt from it
// (`engram doctor --repair`). Only this package (and its kvbolt subpackage,
// which adapts bbolt for the graph's own file) imports bbolt.
//
// The file is opened with a lock timeout, so a second process on the same
// data directory gets ErrLocked within a second instead of hanging.
//
// # Key layout
//
// Top-level buckets:
//
//	meta                 "schema_version" -> uint64 big-endian (now 4)
//	settings             key (string) -> value (UTF-8 string), e.g.
//	                     "import.max_file_mb" -> "20"
//	workspaces           name -> JSON Workspace{name, created}
//	ws:<name>            one bucket per workspace, holding nested buckets:
//	  docseq             sequence number (uint64 big-endian, increasing) ->
//	                     document.Document as Snappy-compressed JSON (a 0xff
//	                     byte, then the block; plain JSON starting with '{'
//	                     also reads). Imports append here (schema 4).
//	  docids             document ID -> its sequence number in docseq
//	  authors            document ID of a message -> its From, so the author
//	                     of a replied-to message is read without the message
//	  files              absolute source path -> JSON FileRecord{doc_ids, hash,
//	                     mod_time, size}; what incremental import compares,
//	                     and the import's checkpoint (written last)
//	  docfiles           "<document ID>\x00<path>" -> empty; which files hold a
//	                     document, so a message in two folders is removed
//	                     only with its last copy (schema 2)
//	  names              document.NormalizeName(title or alias) -> document ID;
//	                     how [[wikilinks]] resolve to notes
//	  dangling           normalised link target -> JSON []document ID of the
//	                     notes whose link to it did not resolve yet
//	  dict               "<kind>\x00<term>" -> JSON DictEntry (the user's
//	                     acronyms and synonyms; defaults ship in search)
//	  jobs               job ID (time-ordered) -> JSON Job
//	  memories           "<user>\x00<memory ID>" -> JSON Memory (current state,
//	                     deleted ones kept with state "deleted"); schema 3
//	  memory_hist        "<user>\x00<memory ID>\x00<version uint32 BE>" -> JSON
//	                     MemoryVersion{version, event, memory, valid_from,
//	                     valid_to, recorded, source}; every version kept
//	  memory_meta        "graph_pending" -> "1" while some memories' graph
//	                     edges failed to write (derived on the next write or
//	                     by `engram doctor --repair`)
//	  emb_queue          document ID -> uint64 big-endian tag (new each time it
//	                     is queued): documents the embedding worker has yet to
//	                     embed, or whose vectors it has to drop (store/embeddings.go)
//	  emb_doc            "<model>\x00<document ID>" -> JSON []string, the hashes
//	                     of the document's chunk texts in order
//	  emb_vec            "<model>\x00<chunk hash>" -> the chunk's vector,
//	                     little-endian float32s (4 bytes a dimension); the
//	                     cache that makes an unchanged chunk embedded once per
//	                     model, ever. Query vectors are cached here too, by
//	                     the hash of the query. Never pruned: a file removed and
//	                     imported again embeds nothing
//	  emb_meta           "model" -> the model the queue was last filled for;
//	                     another model queues every document again
//
// The emb_* buckets are created by their first write (no migration).
//
// Every memory key starts with the user, so a prefix scan for one user
// never reaches another user's records.
//
// Each workspace also has derived files beside the store, rebuilt from it by
// doctor: DATA/workspaces/<name>/index/ (Bleve's own files) and
// DATA/workspaces/<name>/graph.db, a second bbolt file opened through the
// kvbolt adapter, whose layout (Cayley's buckets plus engram_graph_*
// buckets) is documented in package graph.
//
// Reads of many records (ForEachDocument) walk in pages of short read
// transactions, so an import's writes are never held up by a long reader.
// All JSON encodings are the Go types' json tags in this package and in
// package document.
package store
