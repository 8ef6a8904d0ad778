// Package derive is what the graph is derived from: a document's
// contribution (its node, tags, the notes it links to, resolved as Obsidian
// resolves them, and for mail and chat who wrote to whom) and a memory's
// (the memory, its user and the people, places and emotions it mentions).
// It reads the store for link targets and reply authors and writes nothing;
// the container hands the contributions to the graph.
package derive

import (
	"strings"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/store"
)

// Derivation is what documents contribute to the graph: the document's node,
// its tags, the notes it links to (resolved by name through the store) and,
// for mail, the people who wrote and received it. Links whose target no
// note carries yet are returned as dangling, to be re-derived when it
// appears.
type Derivation struct {
	Contribs []graph.Contribution
	Dangling map[string][]string // normalised target -> source doc IDs
}

// DocNodeID is the graph node of the document with ID id.
func DocNodeID(id string) string { return "document:" + id }

// Documents derives the contributions of docs, stored in workspace ws of
// st (which already holds them): links resolve against the notes st holds,
// replies against the authors of the messages they answer.
func Documents(st *store.Store, ws string, docs []document.Document) (Derivation, error) {
	var targets []string
	for i := range docs {
		for _, l := range docs[i].Links {
			if n := LinkName(l.Target); n != "" {
				targets = append(targets, n)
			}
		}
	}
	resolved, err := st.ResolveNames(ws, targets)
	if err != nil {
		return Derivation{}, err
	}
	notes, err := noteLinks(st, ws, docs)
	if err != nil {
		return Derivation{}, err
	}
	// Titles of link targets, for their node records.
	var targetIDs []string
	for _, id := range resolved {
		targetIDs = append(targetIDs, id)
	}
	for _, id := range notes {
		targetIDs = append(targetIDs, id)
	}
	targetDocs, err := st.Documents(ws, Uniq(targetIDs))
	if err != nil {
		return Derivation{}, err
	}
	byID := make(map[string]*document.Document, len(targetDocs)+len(docs))
	for i := range targetDocs {
		byID[targetDocs[i].ID] = &targetDocs[i]
	}
	for i := range docs {
		byID[docs[i].ID] = &docs[i]
	}
	authors, err := parentAuthors(st, ws, docs, byID)
	if err != nil {
		return Derivation{}, err
	}
	out := Derivation{Dangling: map[string][]string{}}
	for i := range docs {
		out.Contribs = append(out.Contribs, contribution(&docs[i], linkResolver(&docs[i], resolved, notes), byID, authors, out.Dangling))
	}
	return out, nil
}

// parentAuthors returns the sender of each message the documents reply
// to, by document ID: from the batch, else from the store's small authors
// bucket (reading whole parent documents would touch every page of the
// store during a big import), else from the stored document.
func parentAuthors(st *store.Store, ws string, docs []document.Document, byID map[string]*document.Document) (map[string]string, error) {
	out := map[string]string{}
	var missing []string
	for i := range docs {
		p := document.MessageDocID(docs[i].InReplyTo)
		if p == "" {
			continue
		}
		if d := byID[p]; d != nil {
			out[p] = d.From
		} else {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	found, err := st.Authors(ws, Uniq(missing))
	if err != nil {
		return nil, err
	}
	var still []string
	for _, p := range missing {
		if from, ok := found[p]; ok {
			out[p] = from
		} else {
			still = append(still, p)
		}
	}
	parents, err := st.Documents(ws, Uniq(still))
	for _, d := range parents {
		out[d.ID] = d.From
	}
	return out, err
}

// LinkName is the normalised note name a link target refers to: the last
// path element, since Obsidian resolves [[folder/Note]] by the note's name.
func LinkName(target string) string {
	if i := strings.LastIndexAny(target, "/\\"); i >= 0 {
		target = target[i+1:]
	}
	return document.NormalizeName(target)
}

func docNode(d *document.Document) graph.Node {
	n := graph.Node{ID: DocNodeID(d.ID), Kind: graph.KindDocument, Name: d.Title}
	for _, name := range store.DocNames(d) {
		if name != document.NormalizeName(d.Title) {
			n.Aliases = append(n.Aliases, name)
		}
	}
	n.Aliases = append(n.Aliases, d.Aliases...)
	return n
}

// linkResolver returns how d's links resolve: a note's as Obsidian
// resolves them (notes, by linkKey), any other document's by name.
func linkResolver(d *document.Document, byName, notes map[string]string) func(document.Link) (string, bool) {
	if d.Source == document.SourceMarkdown {
		return func(l document.Link) (string, bool) {
			id, ok := notes[linkKey(d.ID, l.Target)]
			return id, ok
		}
	}
	return func(l document.Link) (string, bool) {
		id, ok := byName[LinkName(l.Target)]
		return id, ok
	}
}

func contribution(d *document.Document, resolve func(document.Link) (string, bool), byID map[string]*document.Document, authors map[string]string, dangling map[string][]string) graph.Contribution {
	c := graph.Contribution{DocID: d.ID, Hash: d.ContentHash}
	seenNode := map[string]bool{}
	seenEdge := map[graph.Edge]bool{}
	addNode := func(n graph.Node) {
		if !seenNode[n.ID] {
			seenNode[n.ID] = true
			c.Nodes = append(c.Nodes, n)
		}
	}
	addEdge := func(e graph.Edge) {
		if e.From != e.To && !seenEdge[e] {
			seenEdge[e] = true
			c.Edges = append(c.Edges, e)
		}
	}
	if message(d) {
		// Messages stay out of the graph as nodes: it holds who writes to
		// whom, with counts, not one node per mail (100,000 mails would be
		// 100,000 nodes around every busy sender). The store and search
		// have the messages; the contribution still names its document.
		messageEdges(d, authors, addNode, addEdge)
		return c
	}
	self := docNode(d)
	addNode(self)
	for _, tag := range d.Tags {
		n := graph.Node{ID: "topic:" + tag, Kind: graph.KindTopic, Name: "#" + tag, Aliases: []string{tag}}
		addNode(n)
		addEdge(graph.Edge{From: self.ID, To: n.ID, Predicate: graph.Tagged})
	}
	for _, l := range d.Links {
		name := LinkName(l.Target)
		if name == "" || IsAttachment(l.Target) {
			continue // an embedded image or PDF is not a note
		}
		if id, ok := resolve(l); ok {
			if t := byID[id]; t != nil {
				addNode(docNode(t))
			} else {
				addNode(graph.Node{ID: DocNodeID(id), Kind: graph.KindDocument, Name: l.Target})
			}
			addEdge(graph.Edge{From: self.ID, To: DocNodeID(id), Predicate: graph.LinksTo})
			continue
		}
		// Not imported (yet): a placeholder note node, re-derived once a
		// note of that name arrives.
		dangling[name] = append(dangling[name], d.ID)
		n := graph.Node{ID: DocNodeID("note:" + name), Kind: graph.KindDocument, Name: l.Target}
		addNode(n)
		addEdge(graph.Edge{From: self.ID, To: n.ID, Predicate: graph.LinksTo})
	}
	return c
}

// message reports whether a document is a message (mail, chat), which the
// graph holds as relations between people rather than as a node.
func message(d *document.Document) bool {
	return d.Source == document.SourceEmail || d.Source == document.SourceSlack
}

// messageEdges adds what a message says about people: its author SENT_TO
// each recipient (or person mentioned), REPLIED_TO the author of the
// message it answers, and, in a Slack channel, MEMBER_OF the channel.
func messageEdges(d *document.Document, authors map[string]string, addNode func(graph.Node), addEdge func(graph.Edge)) {
	var from graph.Node
	hasFrom := false
	for _, p := range d.Senders() {
		if n, ok := Person(p); ok {
			from, hasFrom = n, true
			addNode(from)
			break
		}
	}
	for _, to := range d.Recipients() {
		p, ok := Person(to)
		if !ok {
			continue
		}
		addNode(p)
		if hasFrom {
			addEdge(graph.Edge{From: from.ID, To: p.ID, Predicate: graph.SentTo})
		}
	}
	if !hasFrom {
		return
	}
	// A parent not imported (yet) adds nothing.
	if p := document.MessageDocID(d.InReplyTo); p != "" && p != d.ID {
		if to, ok := Person(document.ParsePerson(authors[p])); ok {
			addNode(to)
			addEdge(graph.Edge{From: from.ID, To: to.ID, Predicate: graph.RepliedTo})
		}
	}
	if ch := strings.ToLower(d.Meta["channel"]); d.Source == document.SourceSlack && ch != "" && d.Meta["channel_type"] != "dm" {
		// The channel is the same node as the tag its messages would carry.
		n := graph.Node{ID: "topic:" + ch, Kind: graph.KindTopic, Name: "#" + ch, Aliases: []string{ch}}
		addNode(n)
		addEdge(graph.Edge{From: from.ID, To: n.ID, Predicate: graph.MemberOf})
	}
}

// Person makes a person node of a mailbox: the address is the identity
// ("person:" + the lower-cased address), the readable name is the node's
// name and, with its common variants and the address, its aliases, so
// "James D. Steffes", "James Steffes", "Steffes, James D." and
// d..steffes@enron.com find the same person. A mailbox without a name
// declares no name, so the name other messages give wins the node's name;
// one without an address is not a node.
func Person(p document.Person) (graph.Node, bool) {
	addr := p.Address
	if addr == "" {
		return graph.Node{}, false
	}
	n := graph.Node{ID: "person:" + addr, Kind: graph.KindPerson, Aliases: []string{addr}}
	if variants := nameVariants(p.Name); len(variants) > 0 && !strings.EqualFold(variants[0], addr) {
		n.Name = variants[0]
		n.Aliases = append(n.Aliases, variants...)
	}
	return n, true
}

// NodeName is what a node is shown as: its name, or for a person nobody
// named, the address its ID holds.
func NodeName(n graph.Node) string {
	if n.Name == "" && n.Kind == graph.KindPerson {
		return strings.TrimPrefix(n.ID, "person:")
	}
	return n.Name
}

// nameVariants returns the ways a display name is written, the preferred
// first: "Kaminski, Vince J" gives "Vince J Kaminski" and "Vince Kaminski";
// "Jeff Skilling" gives itself. Nothing for an empty name.
func nameVariants(name string) []string {
	name = strings.Trim(strings.TrimSpace(name), `"'`)
	if name == "" {
		return nil
	}
	if last, first, ok := strings.Cut(name, ","); ok && strings.TrimSpace(first) != "" {
		name = strings.TrimSpace(first) + " " + strings.TrimSpace(last)
	}
	words := strings.Fields(name)
	out := []string{strings.Join(words, " ")}
	// Without middle initials ("Vince J Kaminski" -> "Vince Kaminski").
	if len(words) > 2 {
		kept := []string{words[0]}
		for _, w := range words[1 : len(words)-1] {
			if len(strings.TrimSuffix(w, ".")) > 1 {
				kept = append(kept, w)
			}
		}
		kept = append(kept, words[len(words)-1])
		if len(kept) < len(words) {
			out = append(out, strings.Join(kept, " "))
		}
	}
	return out
}

// Uniq returns in without repeats, in first-seen order.
func Uniq(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := in[:0:0]
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
