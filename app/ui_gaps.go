package app

import (
	"context"

	"github.com/engram-app/engram/gaps"
)

// GapsService is the knowledge-gaps API for the desktop window's Gaps view
// (bind it beside the other services in main.go). Every method works in
// workspace ws ("" is the default workspace) and returns (T, error).
type GapsService struct {
	app *App
}

// NewGapsService binds the container a to the UI's Gaps view.
func NewGapsService(a *App) *GapsService { return &GapsService{app: a} }

// Groups returns the open gaps grouped by kind, every kind present in a
// fixed order; each gap's evidence names the documents to open in the reader.
func (s *GapsService) Groups(ws string) ([]GapGroup, error) {
	return s.app.GapsByKind(context.Background(), ws)
}

// List returns the gaps matching f (kind, person, since, dismissed).
func (s *GapsService) List(ws string, f GapsFilter) (*GapsList, error) {
	return s.app.Gaps(context.Background(), ws, f)
}

// Show returns one gap and whether it was dismissed.
func (s *GapsService) Show(ws, id string) (*GapDetail, error) {
	return s.app.GapShow(context.Background(), ws, id)
}

// Dismiss hides a gap; the same evidence is not raised again.
func (s *GapsService) Dismiss(ws, id string) error {
	return s.app.GapDismiss(context.Background(), ws, id)
}

// Restore shows a dismissed gap again.
func (s *GapsService) Restore(ws, id string) error {
	return s.app.GapRestore(context.Background(), ws, id)
}

// Analyze runs the analysis now over what changed and returns its counts.
func (s *GapsService) Analyze(ws string) (*gaps.Result, error) {
	return s.app.GapsAnalyze(context.Background(), ws, nil)
}

// State says whether the workspace was ever analysed, whether an analysis
// runs or has work pending, and how many gaps are open.
func (s *GapsService) State(ws string) (*gaps.State, error) {
	return s.app.GapsState(context.Background(), ws)
}

// WhoKnows ranks the people who know about topic.
func (s *GapsService) WhoKnows(ws, topic string, limit int) (*WhoKnowsResult, error) {
	return s.app.WhoKnows(context.Background(), ws, topic, limit)
}
