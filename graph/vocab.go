package graph

import (
	"fmt"
	"strings"
)

// Kind is the kind of a node; it is also the prefix of the node's ID.
type Kind string

// The node kinds. A node ID is "<kind>:<key>".
const (
	KindPerson       Kind = "person"
	KindOrganisation Kind = "organisation"
	KindPlace        Kind = "place"
	KindTopic        Kind = "topic" // a tag
	KindDocument     Kind = "document"
	KindMemory       Kind = "memory"
	KindEmotion      Kind = "emotion"
	KindEvent        Kind = "event"
)

// kindTable is the immutable list of node kinds.
func kindTable() [8]Kind {
	return [...]Kind{
		KindPerson, KindOrganisation, KindPlace, KindTopic,
		KindDocument, KindMemory, KindEmotion, KindEvent,
	}
}

// Kinds returns every node kind, in a fixed order.
func Kinds() []Kind {
	t := kindTable()
	return t[:]
}

// Valid reports whether k is one of the node kinds.
func (k Kind) Valid() bool {
	for _, x := range kindTable() {
		if k == x {
			return true
		}
	}
	return false
}

// NodeID returns the ID of the node of kind k with the given key, e.g.
// NodeID(KindTopic, "go") is "topic:go".
func NodeID(k Kind, key string) string {
	return string(k) + ":" + key
}

// KindOf returns the kind named by the prefix of a node ID, and false when
// the ID is not "<kind>:<key>" with a known kind and a non-empty key.
func KindOf(id string) (Kind, bool) {
	k, key, ok := strings.Cut(id, ":")
	if !ok || key == "" || !Kind(k).Valid() {
		return "", false
	}
	return Kind(k), true
}

// Predicate is the type of an edge. Only the predicates of the registry can
// be written or queried.
type Predicate string

// The predicate registry.
const (
	Mentions    Predicate = "MENTIONS"     // a document or memory names an entity
	Authored    Predicate = "AUTHORED"     // a person wrote a document
	SentTo      Predicate = "SENT_TO"      // a message went from a person to a person
	RepliedTo   Predicate = "REPLIED_TO"   // a message answers a message
	LinksTo     Predicate = "LINKS_TO"     // a note links to a note ([[wikilink]])
	Tagged      Predicate = "TAGGED"       // a document carries a tag (topic)
	MemberOf    Predicate = "MEMBER_OF"    // a person belongs to a group
	WorksAt     Predicate = "WORKS_AT"     // a person works at an organisation
	AliasOf     Predicate = "ALIAS_OF"     // two nodes are the same entity
	About       Predicate = "ABOUT"        // a document or memory is about something
	Owns        Predicate = "OWNS"         // someone owns something
	Decided     Predicate = "DECIDED"      // someone decided something (an event)
	Feels       Predicate = "FEELS"        // a person feels an emotion
	TriggeredBy Predicate = "TRIGGERED_BY" // an emotion was triggered by something
)

// predicateTable is the immutable predicate registry, declared once.
func predicateTable() [14]Predicate {
	return [...]Predicate{
		Mentions, Authored, SentTo, RepliedTo, LinksTo, Tagged, MemberOf,
		WorksAt, AliasOf, About, Owns, Decided, Feels, TriggeredBy,
	}
}

// Predicates returns every registered predicate, in a fixed order. The caller
// may modify the returned slice.
func Predicates() []Predicate {
	t := predicateTable()
	return t[:]
}

// registered returns the registered predicate spelled exactly b, as it is
// stored in keys, without allocating.
func registered(b []byte) (Predicate, bool) {
	for _, p := range predicateTable() {
		if string(b) == string(p) {
			return p, true
		}
	}
	return "", false
}

// ParsePredicate returns the registered predicate named s, ignoring case and
// surrounding space, or an error wrapping ErrUnknownPredicate.
func ParsePredicate(s string) (Predicate, error) {
	u := Predicate(strings.ToUpper(strings.TrimSpace(s)))
	for _, p := range predicateTable() {
		if u == p {
			return p, nil
		}
	}
	return "", fmt.Errorf("predicate %q: %w", s, ErrUnknownPredicate)
}
