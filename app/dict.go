package app

import (
	"fmt"
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

func toSearchEntries(es []store.DictEntry) []search.Entry {
	out := make([]search.Entry, len(es))
	for i, e := range es {
		out[i] = search.Entry{Kind: e.Kind, Term: e.Term, Expansions: e.Expansions}
	}
	return out
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
	ws = a.wsName(ws)
	if err := a.store.PutDictEntry(ws, store.DictEntry{Kind: kind, Term: term, Expansions: expansions}); err != nil {
		return err
	}
	a.dicts.Remove(cacheKey{LocalUser, ws})
	return nil
}

// DictRemove removes one of the user's entries.
func (a *App) DictRemove(ws, kind, term string) error {
	if err := checkDictKind(kind); err != nil {
		return err
	}
	ws = a.wsName(ws)
	if err := a.store.DeleteDictEntry(ws, kind, strings.ToLower(strings.TrimSpace(term))); err != nil {
		return fmt.Errorf("%w; `engram dict list` shows your entries", err)
	}
	a.dicts.Remove(cacheKey{LocalUser, ws})
	return nil
}

// DictList lists the defaults and the user's entries, the user's last.
func (a *App) DictList(ws string) ([]DictEntry, error) {
	user, err := a.store.DictEntries(a.wsName(ws))
	if err != nil {
		return nil, err
	}
	var out []DictEntry
	for _, e := range search.DefaultEntries() {
		out = append(out, DictEntry{Kind: e.Kind, Term: e.Term, Expansions: e.Expansions, Origin: "default"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Term < out[j].Term })
	for _, e := range user {
		out = append(out, DictEntry{Kind: e.Kind, Term: e.Term, Expansions: e.Expansions, Origin: "user"})
	}
	return out, nil
}

func (a *App) wsName(ws string) string {
	if ws == "" {
		return a.cfg.Workspace
	}
	return ws
}
