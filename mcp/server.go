// Package mcp serves Engram to AI assistants over the Model Context
// Protocol (JSON-RPC on stdio), with the official Go SDK. It holds no state
// of its own: every tool calls the Backend it was given (the container,
// through app.Assistant), which the CLI opens once for the whole session.
//
// Tools: search (documents), memory_add, memory_search, memory_list,
// memory_delete, graph_neighbors and context. Every memory tool takes a
// user (the server's default when omitted) and only ever reads or changes
// that user's memories.
package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/engram-app/engram/internal/bounds"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Backend is what the tools call. Results are encoded as JSON for the
// assistant; errors become tool errors (isError) with their message.
type Backend interface {
	Search(ctx context.Context, ws, query string, limit int) (any, error)
	MemoryAdd(ctx context.Context, ws, user, text, source string) (any, error)
	MemorySearch(ctx context.Context, ws, user, query string, limit int, all bool) (any, error)
	MemoryList(ctx context.Context, ws, user string, all bool) (any, error)
	MemoryDelete(ctx context.Context, ws, user, id string) (any, error)
	Neighbors(ctx context.Context, ws, name string, depth int, predicates []string) (any, error)
	Context(ctx context.Context, ws, user, question string, budget int) (any, error)
}

// Options configure New.
type Options struct {
	Workspace string // default workspace of every tool; "" means the backend's
	User      string // default user of the memory tools; "" means the backend's
	Version   string // reported to clients
}

// Server is the MCP server.
type Server struct {
	srv  *sdk.Server
	b    Backend
	opts Options
}

// Tool inputs. Their JSON schemas are inferred from these types; the
// jsonschema tags are the descriptions assistants see.
type (
	searchIn struct {
		Query     string `json:"query" jsonschema:"words, \"phrases\", -exclusions, prefix*, from:, to:, tag:, before:/after: dates"`
		Limit     int64  `json:"limit,omitempty" jsonschema:"most results to return, 1 to 200 (default 10; larger is clamped to 200)"`
		Workspace string `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
	memoryAddIn struct {
		Text      string `json:"text" jsonschema:"what the user said, e.g. 'I moved to Oslo last year'; facts are extracted, compared with the user's memories and added, updated, deleted or left alone"`
		User      string `json:"user,omitempty" jsonschema:"whose memory (default: the server's user)"`
		Source    string `json:"source,omitempty" jsonschema:"where it came from, e.g. a message ID"`
		Workspace string `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
	memorySearchIn struct {
		Query     string `json:"query" jsonschema:"words or a question, e.g. 'where do I live'"`
		User      string `json:"user,omitempty" jsonschema:"whose memories (default: the server's user)"`
		Limit     int64  `json:"limit,omitempty" jsonschema:"most memories to return, 1 to 100 (default 10; larger is clamped to 100)"`
		All       bool   `json:"all,omitempty" jsonschema:"include deleted memories"`
		Workspace string `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
	memoryListIn struct {
		User      string `json:"user,omitempty" jsonschema:"whose memories (default: the server's user)"`
		All       bool   `json:"all,omitempty" jsonschema:"include deleted memories"`
		Workspace string `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
	memoryDeleteIn struct {
		ID        string `json:"id" jsonschema:"the memory's ID (from memory_list or memory_search)"`
		User      string `json:"user,omitempty" jsonschema:"whose memory (default: the server's user)"`
		Workspace string `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
	neighborsIn struct {
		Name       string   `json:"name" jsonschema:"an entity's name, alias or ID, or a note's title"`
		Depth      int64    `json:"depth,omitempty" jsonschema:"hops to follow, 1 to 3 (default 1); anything else is an error"`
		Predicates []string `json:"predicates,omitempty" jsonschema:"only these relations, e.g. FEELS, TRIGGERED_BY, MENTIONS"`
		Workspace  string   `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
	contextIn struct {
		Question  string `json:"question" jsonschema:"the user's question"`
		User      string `json:"user,omitempty" jsonschema:"whose memories (default: the server's user)"`
		Budget    int64  `json:"budget,omitempty" jsonschema:"token budget of the pack, 10 to 32000 (default 1500; outside is clamped)"`
		Workspace string `json:"workspace,omitempty" jsonschema:"workspace (default: the server's)"`
	}
)

// errMissing is returned for a required argument left empty.
var errMissing = errors.New("missing argument")

func required(name, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("%w %q: give a non-empty %s", errMissing, name, name)
	}
	return nil
}

// New builds the server and registers its tools. Every numeric argument is
// held to its range in package bounds (limits and budgets are clamped, a
// depth outside 1 to 3 is a tool error), and every result passes through
// plain: it is JSON whose strings hold no NUL bytes.
func New(b Backend, opts Options) *Server {
	s := &Server{b: b, opts: opts}
	s.srv = sdk.NewServer(&sdk.Implementation{Name: "engram", Title: "Engram", Version: opts.Version}, &sdk.ServerOptions{
		Instructions: "Engram is the user's local second brain: their documents, mail and notes (search), " +
			"what they told you about themselves (memory_*), and the people, places and feelings around them " +
			"(graph_neighbors). Call context first for a question about the user; memory_add what they tell you. " +
			"Snippets are plain text; the words that matched are not marked.",
	})
	s.srv.AddReceivingMiddleware(noNUL)
	ws := func(w string) string {
		if w != "" {
			return w
		}
		return s.opts.Workspace
	}
	user := func(u string) string {
		if u != "" {
			return u
		}
		return s.opts.User
	}
	addTool(s.srv, &sdk.Tool{Name: "search", Annotations: readOnly("Search documents"),
		Description: "Search the user's documents, notes and mail; returns hits with id, title, plain-text snippet and score."},
		func(ctx context.Context, in searchIn) (any, error) {
			if err := required("query", in.Query); err != nil {
				return nil, err
			}
			limit := mcpSearchLimit().Clamp(in.Limit)
			return b.Search(ctx, ws(in.Workspace), in.Query, limit)
		})
	addTool(s.srv, &sdk.Tool{Name: "memory_add", Annotations: &sdk.ToolAnnotations{Title: "Remember", DestructiveHint: ptr(false), OpenWorldHint: ptr(false)},
		Description: "Remember what the user said about themselves. Returns events ADD, UPDATE (a new value replaced an old one, kept in history), DELETE (a retraction such as 'I don't live in Paris any more') or NONE (already known)."},
		func(ctx context.Context, in memoryAddIn) (any, error) {
			if err := required("text", in.Text); err != nil {
				return nil, err
			}
			if len(in.Text) > bounds.MaxMemoryText {
				return nil, fmt.Errorf("text is %d bytes; a memory takes at most %d: send one statement at a time", len(in.Text), bounds.MaxMemoryText)
			}
			src := in.Source
			if src == "" {
				src = "mcp"
			}
			return b.MemoryAdd(ctx, ws(in.Workspace), user(in.User), in.Text, src)
		})
	addTool(s.srv, &sdk.Tool{Name: "memory_search", Annotations: readOnly("Search memories"),
		Description: "Find the user's memories by words or a question ('where do I live', 'who is my sister'), best first."},
		func(ctx context.Context, in memorySearchIn) (any, error) {
			if err := required("query", in.Query); err != nil {
				return nil, err
			}
			return b.MemorySearch(ctx, ws(in.Workspace), user(in.User), in.Query, bounds.MemoryLimit().Clamp(in.Limit), in.All)
		})
	addTool(s.srv, &sdk.Tool{Name: "memory_list", Annotations: readOnly("List memories"),
		Description: "List the user's current memories, newest first."},
		func(ctx context.Context, in memoryListIn) (any, error) {
			return b.MemoryList(ctx, ws(in.Workspace), user(in.User), in.All)
		})
	addTool(s.srv, &sdk.Tool{Name: "memory_delete", Annotations: &sdk.ToolAnnotations{Title: "Forget a memory", DestructiveHint: ptr(true), IdempotentHint: true, OpenWorldHint: ptr(false)},
		Description: "Forget one of the user's memories by ID (its history keeps it)."},
		func(ctx context.Context, in memoryDeleteIn) (any, error) {
			if err := required("id", in.ID); err != nil {
				return nil, err
			}
			return b.MemoryDelete(ctx, ws(in.Workspace), user(in.User), in.ID)
		})
	addTool(s.srv, &sdk.Tool{Name: "graph_neighbors", Annotations: readOnly("Related entities"),
		Description: "List the entities related to one (people, places, topics, documents, emotions), with the relation between them."},
		func(ctx context.Context, in neighborsIn) (any, error) {
			if err := required("name", in.Name); err != nil {
				return nil, err
			}
			depth, err := bounds.Depth().Check(in.Depth)
			if err != nil {
				return nil, err
			}
			return b.Neighbors(ctx, ws(in.Workspace), in.Name, depth, in.Predicates)
		})
	addTool(s.srv, &sdk.Tool{Name: "context", Annotations: readOnly("Context pack"),
		Description: "Build a context pack for a question about the user, within a token budget: profile summary, relevant memories, related entities and document passages, each with an ID to cite."},
		func(ctx context.Context, in contextIn) (any, error) {
			if err := required("question", in.Question); err != nil {
				return nil, err
			}
			return b.Context(ctx, ws(in.Workspace), user(in.User), in.Question, bounds.ContextBudget().Clamp(in.Budget))
		})
	s.addGapTools(b, ws)
	return s
}

// mcpSearchLimit is bounds.SearchLimit with the smaller default an
// assistant's context wants.
func mcpSearchLimit() bounds.Range {
	r := bounds.SearchLimit()
	r.Default = 10
	return r
}

// addTool registers a tool whose handler returns the backend's result; the
// arguments' strings lose their NUL bytes, the result is cleaned by plain,
// and an error becomes a tool error (isError)
// with its message.
func addTool[In any](srv *sdk.Server, t *sdk.Tool, h func(context.Context, In) (any, error)) {
	sdk.AddTool(srv, t, func(ctx context.Context, _ *sdk.CallToolRequest, in In) (*sdk.CallToolResult, any, error) {
		stripArgs(&in)
		out, err := h(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		out, err = plain(out)
		return nil, out, err
	})
}

func readOnly(title string) *sdk.ToolAnnotations {
	return &sdk.ToolAnnotations{Title: title, ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: ptr(false)}
}

func ptr[T any](v T) *T { return &v }

// Serve speaks MCP over r and w (stdin and stdout) until the client closes
// r or ctx is cancelled.
func (s *Server) Serve(ctx context.Context, r io.Reader, w io.Writer) error {
	lw := &lockedWriter{w: w}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(guard(r, pw, lw)) }()
	t := &sdk.IOTransport{Reader: pr, Writer: nopWriteCloser{lw}}
	err := s.srv.Run(ctx, t)
	pr.Close() // ends the guard's copy if the session ended first
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, context.Canceled) {
		return nil
	}
	return fmt.Errorf("serving MCP: %w", err)
}

// SDK returns the underlying SDK server, for in-process transports in tests.
func (s *Server) SDK() *sdk.Server { return s.srv }

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
