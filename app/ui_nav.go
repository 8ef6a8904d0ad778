package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/engram-app/engram/derive"
	"strings"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/notelinks"
	"github.com/engram-app/engram/store"
)

// What the reader's navigation asks of the backend: the note a [[wikilink]]
// opens, a note's backlinks and outgoing links, and names completed as they
// are typed (the command palette, the graph's root box).

// maxBacklinks bounds the backlinks listed under one note.
const maxBacklinks = 200

// maxSuggestions bounds the names one Suggest returns.
const maxSuggestions = 50

// NoteLink is one link of a note, to it (a backlink) or from it (outgoing).
type NoteLink struct {
	// ID is the linked document's ID; "" when no imported note has that name.
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source,omitempty"`
	Path   string `json:"path,omitempty"`
	// Target is the name as written in the link (outgoing links only).
	Target string `json:"target,omitempty"`
	// Context is the line of the linking note that holds the link.
	Context string `json:"context"`
	Missing bool   `json:"missing,omitempty"`
}

// NoteLinks are a note's outgoing links and backlinks.
type NoteLinks struct {
	Outgoing  []NoteLink `json:"outgoing"`
	Backlinks []NoteLink `json:"backlinks"`
	// Degraded names what could not take part ("graph": no backlinks).
	Degraded []string `json:"degraded,omitempty"`
}

// UnknownNameError is a name no node of the graph answers to, with the
// names closest to it.
type UnknownNameError struct {
	Name        string
	Suggestions []Entity
}

func (e *UnknownNameError) Error() string {
	msg := fmt.Sprintf("no one or nothing called %q", e.Name)
	if len(e.Suggestions) > 0 {
		names := make([]string, len(e.Suggestions))
		for i, s := range e.Suggestions {
			names[i] = s.Name
		}
		msg += "; did you mean " + strings.Join(names, ", ") + "?"
	}
	return msg
}

// Unwrap makes errors.Is(err, store.ErrNotFound) hold, so every face answers
// it as "not found" (HTTP 404).
func (e *UnknownNameError) Unwrap() error { return store.ErrNotFound }

// ResolveNote returns the note a [[wikilink]] to target opens (matched by
// title, file name or alias, as Obsidian matches them), as a search hit
// without snippet. No such note is an error wrapping store.ErrNotFound.
func (s *SearchService) ResolveNote(ws, target string) (SearchHit, error) {
	return s.app.ResolveNote(ws, target)
}

// ResolveNote: see SearchService.ResolveNote.
func (a *App) ResolveNote(ws, target string) (SearchHit, error) {
	ws = a.wsName(ws)
	name := derive.LinkName(strings.TrimSpace(target))
	if name == "" {
		return SearchHit{}, invalidf("the name of the note to open cannot be empty")
	}
	ids, err := a.store.ResolveNames(ws, []string{name})
	if err != nil {
		return SearchHit{}, err
	}
	id, ok := ids[name]
	if !ok {
		return SearchHit{}, fmt.Errorf("%w: no note called %q has been imported", store.ErrNotFound, strings.TrimSpace(target))
	}
	d, err := a.store.Document(ws, id)
	if err != nil {
		return SearchHit{}, err
	}
	return SearchHit{ID: d.ID, Title: d.Title, Source: d.Source, Path: d.Path, Date: d.Date}, nil
}

// Links returns document id's outgoing [[wikilinks]] (each resolved to the
// note it opens, or missing) and its backlinks (the notes linking to it,
// from the graph), each with the line that holds the link. Embedded
// attachments are not links. Without the graph there are no backlinks and
// Degraded says so.
func (s *SearchService) Links(ws, id string) (*NoteLinks, error) {
	return s.app.Links(s.context(), ws, id)
}

// Links: see SearchService.Links.
func (a *App) Links(ctx context.Context, ws, id string) (*NoteLinks, error) {
	ws = a.wsName(ws)
	d, err := a.store.Document(ws, id)
	if err != nil {
		return nil, err
	}
	out := &NoteLinks{Outgoing: []NoteLink{}, Backlinks: []NoteLink{}}
	text := d.Markdown
	if text == "" {
		text = d.Body
	}

	// Outgoing, in the order written, once per note.
	var names []string
	targets := map[string]string{} // normalised name -> as first written
	for _, l := range d.Links {
		n := derive.LinkName(l.Target)
		if n == "" || derive.IsAttachment(l.Target) {
			continue
		}
		if _, ok := targets[n]; !ok {
			targets[n] = l.Target
			names = append(names, n)
		}
	}
	resolved, err := a.store.ResolveNames(ws, names)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, n := range names {
		if id, ok := resolved[n]; ok {
			ids = append(ids, id)
		}
	}
	linked, err := a.store.Documents(ws, derive.Uniq(ids))
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*document.Document, len(linked))
	for i := range linked {
		byID[linked[i].ID] = &linked[i]
	}
	for _, n := range names {
		l := NoteLink{Target: targets[n], Title: targets[n]}
		l.Context = notelinks.ContextLine(text, func(t string) bool { return derive.LinkName(t) == n })
		if t := byID[resolved[n]]; t != nil {
			l.ID, l.Title, l.Source, l.Path = t.ID, t.Title, t.Source, t.Path
		} else {
			l.Missing = true
		}
		out.Outgoing = append(out.Outgoing, l)
	}

	// Backlinks: the LINKS_TO edges into the note's node.
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	g := w.graph()
	if g == nil {
		out.Degraded = append(out.Degraded, "graph")
		return out, nil
	}
	_, ns, err := g.Neighbors(ctx, derive.DocNodeID(d.ID), graph.NeighborQuery{Depth: 1, Predicates: []graph.Predicate{graph.LinksTo}, Limit: maxBacklinks})
	if errors.Is(err, graph.ErrNotFound) {
		return out, nil // a message, or a note nothing links to and that links nowhere
	}
	if err != nil {
		return nil, err
	}
	var from []string
	for _, n := range ns {
		if src, ok := strings.CutPrefix(n.Node.ID, "document:"); ok && n.Direction == graph.In && src != d.ID {
			from = append(from, src)
		}
	}
	srcs, err := a.store.Documents(ws, derive.Uniq(from))
	if err != nil {
		return nil, err
	}
	mine := map[string]bool{}
	for _, n := range store.DocNames(&d) {
		mine[n] = true
	}
	for i := range srcs {
		sd := &srcs[i]
		st := sd.Markdown
		if st == "" {
			st = sd.Body
		}
		out.Backlinks = append(out.Backlinks, NoteLink{
			ID: sd.ID, Title: sd.Title, Source: sd.Source, Path: sd.Path,
			Context: notelinks.ContextLine(st, func(t string) bool { return mine[derive.LinkName(t)] }),
		})
	}
	return out, nil
}

// Suggest returns up to limit (10 when 0 or less, at most 50) people,
// notes, tags and other entities whose names start with prefix, the best
// known first, for the command palette and the graph's root box. Without
// the graph it returns none.
func (s *SearchService) Suggest(ws, prefix string, limit int) ([]Entity, error) {
	return s.app.Suggest(s.context(), ws, prefix, limit)
}

// Suggest: see SearchService.Suggest.
func (a *App) Suggest(ctx context.Context, ws, prefix string, limit int) ([]Entity, error) {
	limit = max(0, min(limit, maxSuggestions))
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	out := []Entity{}
	if w.graph() == nil || strings.TrimSpace(prefix) == "" {
		return out, nil
	}
	ns, err := w.graph().Suggest(ctx, prefix, limit)
	if err != nil {
		return nil, err
	}
	for _, n := range ns {
		out = append(out, entity(n))
	}
	return out, nil
}

// unknownName is the error for a graph name nothing in w answers to,
// with the closest names as suggestions.
func unknownName(ctx context.Context, w *workspace, name string) error {
	e := &UnknownNameError{Name: strings.TrimSpace(name)}
	if g := w.graph(); g != nil {
		if ns, err := g.Similar(ctx, name, 5); err == nil {
			for _, n := range ns {
				e.Suggestions = append(e.Suggestions, entity(n))
			}
		}
	}
	return e
}
