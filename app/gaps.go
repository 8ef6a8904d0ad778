package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/engram-app/engram/contextpack"
	"strings"
	"time"

	"github.com/engram-app/engram/gaps"
	"github.com/engram-app/engram/search"
)

// GapsList is the answer of `engram gaps --json`, the MCP tool gaps and the
// Gaps view: {"gaps":[{"id","kind","summary","question","ask","evidence","values"}]}.
type GapsList struct {
	Gaps []gaps.Gap `json:"gaps"`
}

// GapGroup is the gaps of one kind, for the Gaps view.
type GapGroup struct {
	Kind gaps.Kind  `json:"kind"`
	Gaps []gaps.Gap `json:"gaps"`
}

// GapDetail is one gap and whether it was dismissed.
type GapDetail struct {
	gaps.Gap
	Dismissed bool `json:"dismissed"`
}

// GapsFilter selects gaps. Kind is a gaps.Kind name or empty; Person a name
// or address (substring, case-folded); Since a date (YYYY-MM-DD) or empty.
// Limit is clamped to 0..10000 (0: all).
type GapsFilter struct {
	Kind      string `json:"kind"`
	Person    string `json:"person"`
	Since     string `json:"since"`
	Dismissed bool   `json:"dismissed"`
	Limit     int    `json:"limit"`
}

// ErrBadFilter means a gaps filter could not be read (an unknown kind, a
// date that is not YYYY-MM-DD).
var ErrBadFilter = errors.New("invalid gaps filter")

func (f GapsFilter) parse() (gaps.Filter, error) {
	out := gaps.Filter{Person: strings.TrimSpace(f.Person), Dismissed: f.Dismissed, Limit: min(max(f.Limit, 0), 10000)}
	if f.Kind != "" {
		k, err := gaps.ParseKind(f.Kind)
		if err != nil {
			return out, fmt.Errorf("%w: %w", ErrBadFilter, err)
		}
		out.Kind = k
	}
	if f.Since != "" {
		t, err := time.Parse("2006-01-02", f.Since)
		if err != nil {
			return out, fmt.Errorf("%w: since %q is not a date (use YYYY-MM-DD)", ErrBadFilter, f.Since)
		}
		out.Since = t
	}
	return out, nil
}

// GapsAnalyze runs the gap analysis of a workspace now, over what changed
// since the last run (Unchanged when nothing did). progress, if not nil,
// is called after each step. Cancelling ctx stops it; the next run resumes.
func (a *App) GapsAnalyze(ctx context.Context, ws string, progress func(gaps.Progress)) (*gaps.Result, error) {
	ws = a.wsName(ws)
	if err := a.checkWorkspace(ws); err != nil {
		return nil, err
	}
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { // the container closing cancels the analysis too
		select {
		case <-a.ctx.Done():
			stop()
		case <-ctx.Done():
		}
	}()
	res, err := a.gapAn.Run(ctx, ws, progress)
	if err != nil {
		return &res, fmt.Errorf("gap analysis: %w", err)
	}
	return &res, nil
}

// GapsRun is the outcome of a background gap analysis.
type GapsRun struct {
	Result  gaps.Result
	Err     error
	Elapsed time.Duration
}

// gapsAfterImport starts the gap analysis of a workspace in the background,
// on the container's context: closing the container cancels it, and the
// next run resumes where it stopped.
func (a *App) gapsAfterImport(ws string) { a.GapsInBackground(ws) }

// GapsInBackground starts the background gap analysis of a workspace, the
// one an import starts when it ends: bounded to one worker that yields
// between steps (gaps.Analyzer.RunBackground), cancelled by Close, resumed
// by the next run. The channel receives its outcome when it ends; it is nil
// when the container is closed.
func (a *App) GapsInBackground(ws string) <-chan GapsRun {
	ws = a.wsName(ws)
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil
	}
	done := make(chan GapsRun, 1)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		t := time.Now()
		res, err := a.gapAn.RunBackground(a.ctx, ws)
		done <- GapsRun{Result: res, Err: err, Elapsed: time.Since(t)}
	}()
	return done
}

// Gaps lists a workspace's open gaps (or the dismissed ones) matching f,
// grouped by kind, newest evidence first.
func (a *App) Gaps(ctx context.Context, ws string, f GapsFilter) (*GapsList, error) {
	ws = a.wsName(ws)
	if err := a.checkWorkspace(ws); err != nil {
		return nil, err
	}
	gf, err := f.parse()
	if err != nil {
		return nil, err
	}
	gs, err := a.gapAn.List(ws, gf)
	if err != nil {
		return nil, err
	}
	return &GapsList{Gaps: gs}, nil
}

// GapsByKind is the Gaps view's list: the open gaps grouped by kind, every
// kind present (empty groups included) in a fixed order.
func (a *App) GapsByKind(ctx context.Context, ws string) ([]GapGroup, error) {
	l, err := a.Gaps(ctx, ws, GapsFilter{})
	if err != nil {
		return nil, err
	}
	var out []GapGroup
	for _, k := range gaps.Kinds() {
		g := GapGroup{Kind: k, Gaps: []gaps.Gap{}}
		for _, x := range l.Gaps {
			if x.Kind == k {
				g.Gaps = append(g.Gaps, x)
			}
		}
		out = append(out, g)
	}
	return out, nil
}

// GapsState tells a workspace never analysed from one without gaps, and
// whether an analysis is running or has work pending.
func (a *App) GapsState(ctx context.Context, ws string) (*gaps.State, error) {
	ws = a.wsName(ws)
	if err := a.checkWorkspace(ws); err != nil {
		return nil, err
	}
	st, err := a.gapAn.State(ws)
	if err != nil {
		return nil, err
	}
	return &st, nil
}

// GapShow returns one gap by ID (gaps.ErrNotFound when none has it).
func (a *App) GapShow(ctx context.Context, ws, id string) (*GapDetail, error) {
	ws = a.wsName(ws)
	if err := a.checkWorkspace(ws); err != nil {
		return nil, err
	}
	g, dismissed, err := a.gapAn.Show(ws, strings.TrimSpace(id))
	if err != nil {
		return nil, err
	}
	return &GapDetail{Gap: g, Dismissed: dismissed}, nil
}

// GapDismiss hides a gap for good: the same evidence is not raised again,
// re-imports included (gaps.ErrNotFound for an unknown ID).
func (a *App) GapDismiss(ctx context.Context, ws, id string) error {
	ws = a.wsName(ws)
	if err := a.checkWorkspace(ws); err != nil {
		return err
	}
	return a.gapAn.Dismiss(ws, strings.TrimSpace(id), time.Now())
}

// GapRestore shows a dismissed gap again.
func (a *App) GapRestore(ctx context.Context, ws, id string) error {
	ws = a.wsName(ws)
	if err := a.checkWorkspace(ws); err != nil {
		return err
	}
	return a.gapAn.Undismiss(ws, strings.TrimSpace(id))
}

// WhoKnowsResult is the answer of `engram who-knows --json` and the MCP
// tool who_knows.
type WhoKnowsResult struct {
	Topic     string        `json:"topic"`
	Documents int           `json:"documents"` // documents about the topic that were weighed
	People    []gaps.Expert `json:"people"`
}

// whoKnowsDocs bounds the documents weighed for a topic.
const whoKnowsDocs = 200

// WhoKnows ranks the people who wrote and received the documents that a
// search for topic finds best (at most 200 of them), with their counts
// and top documents: the stakeholder view. limit is clamped to 1..100.
func (a *App) WhoKnows(ctx context.Context, ws, topic string, limit int) (*WhoKnowsResult, error) {
	topic = strings.TrimSpace(topic)
	if topic == "" {
		return nil, fmt.Errorf("%w: give a topic", ErrBadFilter)
	}
	limit = min(max(limit, 1), 100)
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	dict, err := a.dictionary(w)
	if err != nil {
		return nil, err
	}
	res, err := w.index.Search(ctx, search.Request{Query: topic, Limit: whoKnowsDocs, Expander: dict})
	if err != nil {
		return nil, fmt.Errorf("searching %q: %w", topic, err)
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	docs, err := a.store.Documents(w.name, ids)
	if err != nil {
		return nil, err
	}
	return &WhoKnowsResult{Topic: topic, Documents: len(docs), People: gaps.WhoKnows(docs, limit)}, nil
}

// contextGapLimit bounds the gaps in a context pack.
const contextGapLimit = 3

// contextGaps returns the open gaps citing the pack's passages, most
// relevant first; none when the analysis cannot be read.
func (a *App) contextGaps(ws string, ps []contextpack.Passage) []contextpack.Gap {
	ids := make([]string, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	gs, err := a.gapAn.ForDocuments(ws, ids, contextGapLimit)
	if err != nil {
		return nil
	}
	out := make([]contextpack.Gap, 0, len(gs))
	for _, g := range gs {
		out = append(out, contextpack.Gap{ID: g.ID, Kind: g.Kind, Summary: g.Summary, Question: g.Question})
	}
	return out
}

// Gaps lists the open gaps for the MCP tool gaps.
func (s Assistant) Gaps(ctx context.Context, ws, kind, person, since string, limit int) (any, error) {
	return s.a.Gaps(ctx, ws, GapsFilter{Kind: kind, Person: person, Since: since, Limit: limit})
}

// WhoKnows ranks the people who know about topic, for the MCP tool who_knows.
func (s Assistant) WhoKnows(ctx context.Context, ws, topic string, limit int) (any, error) {
	return s.a.WhoKnows(ctx, ws, topic, limit)
}
