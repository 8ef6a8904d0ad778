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
//	meta                 "schema_version" -> uint64 big-endian (now 5)
//	settings             key (string) -> sealed JSON string (schema 5), e.g.
//	                     "import.max_file_mb" -> "20"
//	workspaces           name -> JSON Workspace{name, created}
//	oauth_pending        OAuth state -> JSON PendingAuth{state, provider,
//	                     flow_id, verifier, redirect_uri, created, expires}:
//	                     a sign-in in progress, taken (read and deleted in one
//	                     transaction) by its callback, dropped once expired
//	                     (store/connect.go; created on first use)
//	connectors           connector name ("gmail", "slack", "box") -> JSON
//	                     Connector{name, account, workspace, status,
//	                     last_sync, last_error, counts, cursor}; cursor is
//	                     the connector's own JSON (page token, historyId,
//	                     Slack cursors, Box stream position), written after
//	                     every page. No token or client secret is ever here:
//	                     they are in the OS keychain or the encrypted file
//	                     (package connect/secrets)
//	ws:<name>            one bucket per workspace, holding nested buckets:
//	  docseq             sequence number (uint64 big-endian, increasing) ->
//	                     document.Document sealed (schema 5): a 0xfe byte,
//	                     the CRC32C (Castagnoli, big-endian uint32) of the
//	                     rest, then Snappy-compressed JSON. Imports append
//	                     here (schema 4).
//	  docids             document ID -> its sequence number in docseq
//	  authors            document ID of a message -> its From, so the author
//	                     of a replied-to message is read without the message
//	  files              absolute source path -> sealed JSON FileRecord{doc_ids, hash,
//	                     mod_time, size}; what incremental import compares,
//	                     and the import's checkpoint (written last)
//	  docfiles           "<document ID>\x00<path>" -> empty; which files hold a
//	                     document, so a message in two folders is removed
//	                     only with its last copy (schema 2)
//	  names              document.NormalizeName(title or alias) -> document ID;
//	                     how [[wikilinks]] resolve to notes
//	  dangling           normalised link target -> JSON []document ID of the
//	                     notes whose link to it did not resolve yet
//	  notepaths          "<normalised file name>\x00<path>" -> document ID of
//	                     a Markdown note; every note a [[Name]] may mean
//	                     (created on use)
//	  replies            "<parent document ID>\x00<reply document ID>" ->
//	                     empty; how a thread is walked down (created on use)
//	  dict               "<kind>\x00<term>" -> sealed JSON DictEntry (the user's
//	                     acronyms and synonyms; defaults ship in search)
//	  jobs               job ID (time-ordered) -> sealed JSON Job
//	  memories           "<user>\x00<memory ID>" -> sealed JSON Memory (current state,
//	                     deleted ones kept with state "deleted"); schema 3
//	  memory_hist        "<user>\x00<memory ID>\x00<version uint32 BE>" -> sealed JSON
//	                     MemoryVersion{version, event, memory, valid_from,
//	                     valid_to, recorded, superseded, source, before}; every
//	                     version kept. Two clocks (schema 5): valid time
//	                     (valid_from, valid_to; null when unknown) and record
//	                     time (recorded, superseded); before is the memory
//	                     just before the event, for undo
//	  memory_meta        "graph_pending" -> "1" while some memories' graph
//	                     edges failed to write (derived on the next write or
//	                     by `engram doctor --repair`)
//	  gaps               knowledge-gap analysis (store/gaps.go, package gaps),
//	                     one nested bucket per table; values are the JSON of
//	                     package gaps' types:
//	    dirty            document ID -> uint64 BE change number; written by
//	                     Apply in the same transaction as the document (once
//	                     the workspace was seeded), removed by the analysis
//	                     when the number it read is still the current one
//	    docs             document ID -> JSON facts of the analysed document
//	                     (frames, keywords, people, conversation, aggregate keys)
//	    conv             "<conversation key>\x00<document ID>" -> empty
//	    contrib          "<aggregate key>\x00<document ID>" -> JSON contribution
//	                     (a claim's value, a topic's author, a process
//	                     reference or description); aggregate keys start
//	                     "c:" (claim), "t:" (topic) or "p:" (process)
//	    pending          owner key -> empty: conversations ("c:...") and
//	                     aggregates ("a:...") whose gaps must be recomputed;
//	                     what makes an interrupted analysis resume
//	    records          gap ID -> JSON gap record (the gap and its owner key)
//	    owners           "<owner key>\x00<gap ID>" -> empty
//	    bydoc            "<document ID>\x00<gap ID>" -> empty (gaps citing a document)
//	    dismissed        gap ID -> RFC 3339 time; kept when the gap goes, so
//	                     the same evidence is never raised again
//	    aliases          "<kind>\x00<normalised alias>" -> JSON alias record
//	                     (people's names and addresses, entity aliases)
//	    meta             "seeded" -> "1" once every document was journaled
//
// Sealed JSON (schema 5) is a 0xfd byte, the CRC32C of the rest, then the
// JSON. A value whose checksum does not match reads as a CorruptError naming
// the record, never as a changed record; Verify (doctor) lists them all. A
// damaged file record reads as never imported (the file is read again), a
// damaged setting as unset, a damaged job as state "damaged".
//
// Beside the file, engram.db.clean records the file's size and mtime at the
// last clean Close; Open checks a file that does not match it (a crash, a
// kill, a change by another program) in a child process first (CheckFile),
// since bbolt panics on damaged pages where no recover reaches. Salvage
// copies every readable record into a new file and keeps the damaged one as
// engram.db.damaged-TIME.
//
//	emb_queue          document ID -> uint64 big-endian tag (new each time it
//	                   is queued): documents the embedding worker has yet to
//	                   embed, or whose vectors it has to drop (store/embeddings.go)
//	emb_doc            "<model>\x00<document ID>" -> JSON []string, the hashes
//	                   of the document's chunk texts in order
//	emb_vec            "<model>\x00<chunk hash>" -> the chunk's vector,
//	                   little-endian float32s (4 bytes a dimension); the
//	                   cache that makes an unchanged chunk embedded once per
//	                   model, ever. Query vectors are cached here too, by
//	                   the hash of the query. Never pruned: a file removed and
//	                   imported again embeds nothing
//	emb_meta           "model" -> the model the queue was last filled for;
//	                   another model queues every document again
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
