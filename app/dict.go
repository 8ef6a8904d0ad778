package app

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/engram-app/engram/search"
	"github.com/engram-app/engram/store"
)

// LocalUser is the user of a single-user desktop install. Every cache key
// carries a user and a workspace, so that nothing cached for one can ever
// answer for another.
const LocalUser = "local"

type cacheKey struct {
	User      string
	Workspace string
}

// DictEntry is a dictionary entry as listed: shipped default or the user's.
type DictEntry struct {
	Kind       string   `json:"kind"`
	Term       string   `json:"term"`
	Expansions []string `json:"expansions"`
	Origin     string   `json:"origin"` // "default" or "user"
	// Off: a default the user switched off (dict remove); its term does
	// not expand until dict restore or an add of the same kind and term.
	Off bool `json:"off,omitempty"`
}

// dictionary returns the workspace's query-expansion dictionary: shipped
// defaults overridden by the user's entries, built once and cached until the
// user edits an entry.
func (a *App) dictionary(w *workspace) (*search.Dictionary, error) {
	key := cacheKey{LocalUser, w.name}
	if d, ok := a.dicts.Get(key); ok {
		return d, nil
	}
	user, err := a.store.DictEntries(w.name)
	if err != nil {
		return nil, err
	}
	d := search.NewDictionary(search.DefaultEntries(), toSearchEntries(user))
	a.dicts.Add(key, d)
	return d, nil
}

// toSearchEntries turns the user's entries into the dictionary's. A default
// switched off becomes an entry without expansions: it replaces the
// default's, so the term expands to nothing.
func toSearchEntries(es []store.DictEntry) []search.Entry {
	out := make([]search.Entry, len(es))
	for i, e := range es {
		out[i] = search.Entry{Kind: e.Kind, Term: e.Term, Expansions: e.Expansions}
		if e.Off {
			out[i].Expansions = nil
		}
	}
	return out
}

// builtIn returns the shipped default of kind and term, if there is one.
func builtIn(kind, term string) (search.Entry, bool) {
	for _, e := range search.DefaultEntries() {
		if e.Kind == kind && strings.EqualFold(e.Term, term) {
			return e, true
		}
	}
	return search.Entry{}, false
}

func checkDictKind(kind string) error {
	if kind != "acronym" && kind != "synonym" {
		return invalidf("unknown dictionary kind %q: use acronym or synonym", kind)
	}
	return nil
}

// DictAdd adds or replaces one of the user's entries: an acronym and its
// expansions ("okr" -> "objectives and key results"), or a word and its
// synonyms.
func (a *App) DictAdd(ws, kind, term string, expansions []string) error {
	if err := checkDictKind(kind); err != nil {
		return err
	}
	term = strings.ToLower(strings.TrimSpace(term))
	if term == "" || len(expansions) == 0 {
		return invalidf("a dictionary entry needs a term and at least one expansion")
	}
	if def, ok := builtIn(kind, term); ok && slices.Equal(def.Expansions, expansions) {
		// The default as shipped: it needs no entry of the user's.
		return a.useBuiltIn(ws, kind, term)
	}
	ws = a.wsName(ws)
	defer a.dicts.Remove(cacheKey{LocalUser, ws})
	return a.store.PutDictEntry(ws, store.DictEntry{Kind: kind, Term: term, Expansions: expansions})
}

// useBuiltIn drops the user's entry of kind and term, whether it replaced
// the built-in one or switched it off, so the built-in one applies.
func (a *App) useBuiltIn(ws, kind, term string) error {
	ws = a.wsName(ws)
	defer a.dicts.Remove(cacheKey{LocalUser, ws})
	if err := a.store.DeleteDictEntry(ws, kind, term); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// DictRemove removes one of the user's entries, or switches a built-in one
// off: either way the term of that kind no longer expands.
func (a *App) DictRemove(ws, kind, term string) error {
	if err := checkDictKind(kind); err != nil {
		return err
	}
	ws = a.wsName(ws)
	term = strings.ToLower(strings.TrimSpace(term))
	defer a.dicts.Remove(cacheKey{LocalUser, ws})
	if _, ok := builtIn(kind, term); ok {
		if cur, found, err := a.userDictEntry(ws, kind, term); err != nil {
			return err
		} else if found && cur.Off {
			return invalidf("the built-in %s %q is already off; `engram dict restore %s %s` switches it on", kind, term, kind, term)
		}
		return a.store.PutDictEntry(ws, store.DictEntry{Kind: kind, Term: term, Off: true})
	}
	if err := a.store.DeleteDictEntry(ws, kind, term); err != nil {
		return fmt.Errorf("%w; `engram dict list` shows your entries", err)
	}
	return nil
}

// DictRestore switches a built-in entry back on, in place of the user's
// entry of the same kind and term (or of its being off).
func (a *App) DictRestore(ws, kind, term string) error {
	if err := checkDictKind(kind); err != nil {
		return err
	}
	term = strings.ToLower(strings.TrimSpace(term))
	if _, ok := builtIn(kind, term); !ok {
		return invalidf("there is no built-in %s %q to restore; `engram dict list` shows the built-in entries", kind, term)
	}
	return a.useBuiltIn(ws, kind, term)
}

// userDictEntry returns the user's entry of kind and term, if any.
func (a *App) userDictEntry(ws, kind, term string) (store.DictEntry, bool, error) {
	es, err := a.store.DictEntries(ws)
	if err != nil {
		return store.DictEntry{}, false, err
	}
	for _, e := range es {
		if e.Kind == kind && e.Term == term {
			return e, true, nil
		}
	}
	return store.DictEntry{}, false, nil
}

// DictList lists the defaults and the user's entries, the user's last.
func (a *App) DictList(ws string) ([]DictEntry, error) {
	user, err := a.store.DictEntries(a.wsName(ws))
	if err != nil {
		return nil, err
	}
	off := map[string]bool{}
	for _, e := range user {
		if e.Off {
			off[e.Kind+"\x00"+e.Term] = true
		}
	}
	var out []DictEntry
	for _, e := range search.DefaultEntries() {
		out = append(out, DictEntry{Kind: e.Kind, Term: e.Term, Expansions: e.Expansions, Origin: "default", Off: off[e.Kind+"\x00"+strings.ToLower(e.Term)]})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Term < out[j].Term })
	for _, e := range user {
		if !e.Off {
			out = append(out, DictEntry{Kind: e.Kind, Term: e.Term, Expansions: e.Expansions, Origin: "user"})
		}
	}
	return out, nil
}

func (a *App) wsName(ws string) string {
	if ws == "" {
		return a.cfg.Workspace
	}
	return ws
}
