package gaps

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/engram-app/engram/store"
)

// Kind is the kind of a gap.
type Kind string

// Gap kinds.
const (
	UnansweredQuestion       Kind = "unanswered_question"
	DecisionWithoutOwner     Kind = "decision_without_owner"
	DecisionWithoutRationale Kind = "decision_without_rationale"
	DeadlineWithoutFollowup  Kind = "deadline_without_followup"
	UndocumentedProcess      Kind = "undocumented_process"
	SingleExpert             Kind = "single_expert"
	Contradiction            Kind = "contradiction"
)

// Kinds lists the gap kinds in the order views group them.
func Kinds() []Kind {
	return []Kind{UnansweredQuestion, DecisionWithoutOwner, DecisionWithoutRationale, DeadlineWithoutFollowup,
		UndocumentedProcess, SingleExpert, Contradiction}
}

// ParseKind checks a kind's name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w %q: use one of %s", ErrBadKind, s, kindNames())
}

func kindNames() string {
	var ns []string
	for _, k := range Kinds() {
		ns = append(ns, string(k))
	}
	return strings.Join(ns, ", ")
}

// Evidence is a passage of a document that shows a gap.
type Evidence struct {
	DocID   string    `json:"doc_id"`
	Title   string    `json:"title"`
	Date    time.Time `json:"date"`
	Passage string    `json:"passage"`
	People  []Person  `json:"people"`
}

// Value is one of the values a contradiction's documents state.
type Value struct {
	Value string    `json:"value"`
	DocID string    `json:"doc_id"`
	Date  time.Time `json:"date"`
	Newer bool      `json:"newer"` // the most recently stated value
}

// Gap is one knowledge gap: what is missing or contradictory, the question
// to ask and whom to ask (ranked by their part in the evidence), and the
// evidence. Its JSON form is the contract of `engram gaps --json`.
type Gap struct {
	ID       string     `json:"id"`
	Kind     Kind       `json:"kind"`
	Summary  string     `json:"summary"`
	Question string     `json:"question"`
	Ask      []Person   `json:"ask"`
	Evidence []Evidence `json:"evidence"`
	Values   []Value    `json:"values"`
}

// gapRecord is a gap as stored, with the owner whose recomputation replaces it.
type gapRecord struct {
	Gap   Gap    `json:"gap"`
	Owner string `json:"owner"`
}

// gapID is the stable ID of a gap: a hash of its kind and the identity of
// its evidence, so the same evidence always gives the same ID (and a
// dismissal holds across re-imports).
func gapID(k Kind, identity ...string) string {
	h := sha256.New()
	h.Write([]byte(k))
	for _, s := range identity {
		h.Write([]byte{0})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// replaceGaps swaps the gaps an owner produced for new ones.
func replaceGaps(tx *store.GapTx, owner string, gs []Gap) error {
	var old []string
	tx.Scan(store.GapOwners, owner+"\x00", 0, func(k string, _ []byte) bool {
		old = append(old, k[len(owner)+1:])
		return true
	})
	for _, id := range old {
		if raw := tx.Get(store.GapRecords, id); raw != nil {
			var r gapRecord
			if json.Unmarshal(raw, &r) == nil {
				for _, e := range r.Gap.Evidence {
					if err := tx.Delete(store.GapByDoc, e.DocID+"\x00"+id); err != nil {
						return err
					}
				}
			}
		}
		if err := tx.Delete(store.GapRecords, id); err != nil {
			return err
		}
		if err := tx.Delete(store.GapOwners, owner+"\x00"+id); err != nil {
			return err
		}
	}
	for _, g := range gs {
		if g.Ask == nil {
			g.Ask = []Person{}
		}
		if g.Values == nil {
			g.Values = []Value{}
		}
		for i := range g.Evidence {
			if g.Evidence[i].People == nil {
				g.Evidence[i].People = []Person{}
			}
		}
		raw, err := json.Marshal(gapRecord{Gap: g, Owner: owner})
		if err != nil {
			return err
		}
		if err := tx.Put(store.GapRecords, g.ID, raw); err != nil {
			return err
		}
		if err := tx.Put(store.GapOwners, owner+"\x00"+g.ID, nil); err != nil {
			return err
		}
		for _, e := range g.Evidence {
			if err := tx.Put(store.GapByDoc, e.DocID+"\x00"+g.ID, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// Filter selects gaps in List.
type Filter struct {
	Kind   Kind      // "" means every kind
	Person string    // a name or address (case-folded substring) among the people to ask or in the evidence
	Since  time.Time // only gaps with evidence on or after this time
	// Dismissed lists the dismissed gaps instead of the open ones.
	Dismissed bool
	Limit     int // 0 means no limit
}

func (f Filter) match(g *Gap) bool {
	if f.Kind != "" && g.Kind != f.Kind {
		return false
	}
	if !f.Since.IsZero() {
		ok := false
		for _, e := range g.Evidence {
			ok = ok || !e.Date.Before(f.Since)
		}
		if !ok {
			return false
		}
	}
	if f.Person != "" {
		p := strings.ToLower(f.Person)
		has := func(ps []Person) bool {
			for _, q := range ps {
				if strings.Contains(strings.ToLower(q.Name), p) || strings.Contains(strings.ToLower(q.Address), p) {
					return true
				}
			}
			return false
		}
		ok := has(g.Ask)
		for _, e := range g.Evidence {
			ok = ok || has(e.People)
		}
		if !ok {
			return false
		}
	}
	return true
}

// latest is the date of a gap's newest evidence.
func (g *Gap) latest() time.Time {
	var t time.Time
	for _, e := range g.Evidence {
		if e.Date.After(t) {
			t = e.Date
		}
	}
	return t
}

// List returns the workspace's open gaps (or the dismissed ones) that
// match f, grouped by kind in Kinds order, newest evidence first.
func (a *Analyzer) List(ws string, f Filter) ([]Gap, error) {
	order := map[Kind]int{}
	for i, k := range Kinds() {
		order[k] = i
	}
	var out []Gap
	err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		tx.Scan(store.GapRecords, "", 0, func(id string, v []byte) bool {
			dismissed := tx.Get(store.GapDismissed, id) != nil
			if dismissed != f.Dismissed {
				return true
			}
			var r gapRecord
			if json.Unmarshal(v, &r) != nil || !f.match(&r.Gap) {
				return true
			}
			out = append(out, r.Gap)
			return true
		})
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return order[out[i].Kind] < order[out[j].Kind]
		}
		if ti, tj := out[i].latest(), out[j].latest(); !ti.Equal(tj) {
			return ti.After(tj)
		}
		return out[i].ID < out[j].ID
	})
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	if out == nil {
		out = []Gap{}
	}
	return out, err
}

// Count returns how many open gaps the workspace has.
func (a *Analyzer) Count(ws string) (int, error) {
	n := 0
	err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		tx.Scan(store.GapRecords, "", 0, func(id string, _ []byte) bool {
			if tx.Get(store.GapDismissed, id) == nil {
				n++
			}
			return true
		})
		return nil
	})
	return n, err
}

// Show returns one gap (open or dismissed) and whether it is dismissed,
// or ErrNotFound.
func (a *Analyzer) Show(ws, id string) (Gap, bool, error) {
	var r gapRecord
	var dismissed bool
	err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		raw := tx.Get(store.GapRecords, id)
		if raw == nil {
			return fmt.Errorf("gap %s: %w", id, ErrNotFound)
		}
		dismissed = tx.Get(store.GapDismissed, id) != nil
		return json.Unmarshal(raw, &r)
	})
	return r.Gap, dismissed, err
}

// Dismiss hides a gap for good: the dismissal is kept even when the gap
// goes, so the same evidence (the same ID) is never raised again. It
// returns ErrNotFound for an ID no current gap has.
func (a *Analyzer) Dismiss(ws, id string, at time.Time) error {
	return a.st.GapsUpdate(ws, func(tx *store.GapTx) error {
		if tx.Get(store.GapRecords, id) == nil {
			return fmt.Errorf("gap %s: %w", id, ErrNotFound)
		}
		return tx.Put(store.GapDismissed, id, []byte(at.UTC().Format(time.RFC3339)))
	})
}

// Undismiss shows a dismissed gap again.
func (a *Analyzer) Undismiss(ws, id string) error {
	return a.st.GapsUpdate(ws, func(tx *store.GapTx) error {
		return tx.Delete(store.GapDismissed, id)
	})
}

// ForDocuments returns the open gaps that cite any of the documents, at
// most limit, in the order of the documents given.
func (a *Analyzer) ForDocuments(ws string, docIDs []string, limit int) ([]Gap, error) {
	var out []Gap
	seen := map[string]bool{}
	err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		for _, d := range docIDs {
			var ids []string
			tx.Scan(store.GapByDoc, d+"\x00", 16, func(k string, _ []byte) bool {
				ids = append(ids, k[len(d)+1:])
				return true
			})
			for _, id := range ids {
				if seen[id] || tx.Get(store.GapDismissed, id) != nil {
					continue
				}
				seen[id] = true
				var r gapRecord
				if raw := tx.Get(store.GapRecords, id); raw != nil && json.Unmarshal(raw, &r) == nil {
					out = append(out, r.Gap)
					if limit > 0 && len(out) >= limit {
						return nil
					}
				}
			}
		}
		return nil
	})
	return out, err
}

// State is how far a workspace's gap analysis has come, for the Gaps view
// to tell "no gaps found" from "not analysed yet".
type State struct {
	// Analysed is true once an analysis has started on the workspace (its
	// documents were journaled); false means it was never analysed.
	Analysed bool `json:"analysed"`
	// Pending counts the documents and conversations changed since the
	// last analysis ended (0 when it is up to date).
	Pending int `json:"pending"`
	// Running is true while an analysis of the workspace runs.
	Running bool `json:"running"`
	// Gaps counts the open gaps.
	Gaps int `json:"gaps"`
}

// State returns the workspace's analysis state.
func (a *Analyzer) State(ws string) (State, error) {
	var st State
	err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		st.Analysed = tx.Get(store.GapMeta, "seeded") != nil
		st.Pending = tx.Count(store.GapDirty) + tx.Count(store.GapPending)
		tx.Scan(store.GapRecords, "", 0, func(id string, _ []byte) bool {
			if tx.Get(store.GapDismissed, id) == nil {
				st.Gaps++
			}
			return true
		})
		return nil
	})
	a.mu.Lock()
	_, st.Running = a.running[ws]
	a.mu.Unlock()
	return st, err
}
