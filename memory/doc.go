// Package memory keeps what Engram remembers about its users: facts,
// preferences, relationships, places, plans and feelings, each with its
// history.
//
// Text (a statement or a conversation) goes through an Extractor, which
// turns it into candidate facts. Each candidate names a subject ("user",
// "sister:anna") and an attribute ("lives_in", "pref:bouldering"), and is
// compared with the user's current memories: the same value again is NONE,
// a new value for the same subject and attribute is UPDATE (the old version
// is closed, with its valid-to set, and kept in the history), a retraction
// is DELETE (kept in the history too), anything else is ADD. Nothing about
// another subject or attribute is ever touched.
//
// The store (package store) is the system of record. Search runs on a
// per-(workspace, user) in-memory index held in a bounded LRU, rebuilt from
// the store on a miss and updated in place by every write; writes and
// rebuilds for one (workspace, user) are serialised, so the index never
// misses a write. Every cache key, every store key and every query carries
// the workspace and the user: nothing one user does can return or change
// another user's memory.
package memory
