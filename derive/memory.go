package derive

import (
	"fmt"

	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/store"
)

// MemoryID is the contribution key of a memory in the graph.
func MemoryID(id string) string { return "memory:" + id }

// UserNodeID is the graph node of a user. Every node a memory contributes
// is keyed under its user ("person:@maya/theo", "emotion:@maya/anxiety"),
// so that walking the graph from one user never reaches another user's
// memories.
func UserNodeID(user string) string { return graph.NodeID(graph.KindPerson, "@"+user) }

// Memory is what a current memory says to the graph: the memory node,
// ABOUT its user; the people, places and emotions it MENTIONS; FEELS from
// the user to each emotion, and TRIGGERED_BY from the emotion to what
// triggered it. A deleted memory contributes nothing (remove its
// MemoryID). slug is the readable key of a name in node IDs (memory's
// Service.Slug: content words, lower case, joined by '-').
func Memory(m store.Memory, slug func(string) string) graph.Contribution {
	// The hash names the node-ID scheme too ("/w": words, not stems), so
	// that doctor re-derives memories written under the old one.
	c := graph.Contribution{DocID: MemoryID(m.ID), Hash: fmt.Sprintf("v%d/w", m.Version)}
	user := graph.Node{ID: UserNodeID(m.User), Kind: graph.KindPerson, Name: m.User, Aliases: []string{"@" + m.User}}
	mem := graph.Node{ID: graph.NodeID(graph.KindMemory, m.ID), Kind: graph.KindMemory, Name: m.Text}
	c.Nodes = append(c.Nodes, user, mem)
	c.Edges = append(c.Edges, graph.Edge{From: mem.ID, To: user.ID, Predicate: graph.About})
	scoped := func(kind graph.Kind, name string) graph.Node {
		return graph.Node{ID: graph.NodeID(kind, "@"+m.User+"/"+slug(name)), Kind: kind, Name: name}
	}
	seen := map[string]bool{user.ID: true, mem.ID: true}
	add := func(n graph.Node) bool {
		if seen[n.ID] || n.ID == graph.NodeID(n.Kind, "@"+m.User+"/") {
			return false
		}
		seen[n.ID] = true
		c.Nodes = append(c.Nodes, n)
		return true
	}
	for _, p := range m.People {
		n := scoped(graph.KindPerson, p)
		if add(n) {
			c.Edges = append(c.Edges, graph.Edge{From: mem.ID, To: n.ID, Predicate: graph.Mentions})
		}
	}
	for _, p := range m.Places {
		n := scoped(graph.KindPlace, p)
		if add(n) {
			c.Edges = append(c.Edges, graph.Edge{From: mem.ID, To: n.ID, Predicate: graph.Mentions})
		}
	}
	for _, e := range m.Emotions {
		emo := scoped(graph.KindEmotion, e)
		if !add(emo) {
			continue
		}
		c.Edges = append(c.Edges,
			graph.Edge{From: user.ID, To: emo.ID, Predicate: graph.Feels},
			graph.Edge{From: mem.ID, To: emo.ID, Predicate: graph.Mentions})
		if m.Trigger != "" {
			ev := scoped(graph.KindEvent, m.Trigger)
			if add(ev) || seen[ev.ID] {
				c.Edges = append(c.Edges, graph.Edge{From: emo.ID, To: ev.ID, Predicate: graph.TriggeredBy})
			}
		}
	}
	return c
}
