package mcp

import (
	"context"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// GapsBackend is what the gap tools call; a Backend that also implements it
// gets the tools gaps and who_knows.
type GapsBackend interface {
	Gaps(ctx context.Context, ws, kind, person, since string, limit int) (any, error)
	WhoKnows(ctx context.Context, ws, topic string, limit int) (any, error)
}

type (
	gapsIn struct {
		Kind      string `json:"kind,omitempty" jsonschema:"only gaps of this kind: unanswered_question, decision_without_owner, decision_without_rationale, deadline_without_followup, undocumented_process, single_expert or contradiction"`
		Person    string `json:"person,omitempty" jsonschema:"only gaps involving this person (a name or an address)"`
		Since     string `json:"since,omitempty" jsonschema:"only gaps with evidence on or after this date, YYYY-MM-DD"`
		Limit     int    `json:"limit,omitempty" jsonschema:"most gaps to return, 1 to 200 (default 20)"`
		Workspace string `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
	whoKnowsIn struct {
		Topic     string `json:"topic" jsonschema:"a topic, project, customer or any words"`
		Limit     int    `json:"limit,omitempty" jsonschema:"most people to return, 1 to 50 (default 10)"`
		Workspace string `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
)

// clamp holds v to lo..hi, zero giving def.
func clamp(v, lo, hi, def int) int {
	if v == 0 {
		return def
	}
	return min(max(v, lo), hi)
}

// addGapTools registers gaps and who_knows when the backend serves them.
func (s *Server) addGapTools(b Backend, ws func(string) string) {
	gb, ok := b.(GapsBackend)
	if !ok {
		return
	}
	readOnly := &sdk.ToolAnnotations{ReadOnlyHint: true}
	sdk.AddTool(s.srv, &sdk.Tool{Name: "gaps", Annotations: readOnly,
		Description: "List the knowledge gaps in the user's mail, chat and notes: unanswered questions, decisions without an owner or a rationale, " +
			"deadlines nobody followed up, undocumented processes, single experts and contradictions; each with its evidence (document id, passage), the question to ask and whom."},
		func(ctx context.Context, _ *sdk.CallToolRequest, in gapsIn) (*sdk.CallToolResult, any, error) {
			out, err := gb.Gaps(ctx, ws(in.Workspace), in.Kind, in.Person, in.Since, clamp(in.Limit, 1, 200, 20))
			return nil, out, err
		})
	sdk.AddTool(s.srv, &sdk.Tool{Name: "who_knows", Annotations: readOnly,
		Description: "Rank the people who know about a topic by what they wrote and received about it, with counts and their top documents."},
		func(ctx context.Context, _ *sdk.CallToolRequest, in whoKnowsIn) (*sdk.CallToolResult, any, error) {
			if err := required("topic", in.Topic); err != nil {
				return nil, nil, err
			}
			out, err := gb.WhoKnows(ctx, ws(in.Workspace), in.Topic, clamp(in.Limit, 1, 50, 10))
			return nil, out, err
		})
}
