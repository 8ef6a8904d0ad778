// Package gaps finds what a workspace's mail, chat and notes leave open or
// say twice in two different ways: questions nobody answered, decisions
// without an owner or a rationale, deadlines nobody followed up, processes
// referred to but described nowhere, topics only one person writes about,
// and contradictions between documents. Each gap cites its evidence and
// suggests the question to ask and whom.
//
// # One pass per sentence
//
// A document's own text (quoted replies and forwarded parts removed) is cut
// into sentences; one precompiled Aho-Corasick automaton over the cue
// lexicon (lexicon.go) finds every cue of a sentence in one left-to-right
// pass, and light rules on the matched clause fill each frame's slots (who,
// what, when, why): decision, ownership, process, deadline, commitment and
// question. The same pass finds the entities of the sentence (organisations,
// projects, places, dates, money, quantities) and the claims it states ("the
// Falcon budget is $2.4M").
//
// # Incremental and bounded
//
// Nothing is held in memory between runs. The store journals every
// document put or deleted (store.GapDirty) in the same transaction that
// writes it; Run analyses only those, on a bounded pool of workers, page by
// page, writing each document's facts and its contributions to aggregates
// (claims, topics, processes) and marking the conversations and aggregates
// they touch as pending; then it recomputes the gaps of each pending owner.
// Every step commits, so a cancelled run resumes where it stopped, and a
// deleted document's facts, contributions and gaps go with it. Names are
// resolved through the thread's participants first, then the aliases
// persisted in the store behind a bounded LRU.
//
// A gap's ID is a hash of its kind and the identity of its evidence, so a
// dismissal (kept in its own table) survives the gap being recomputed and
// the documents being imported again.
package gaps
