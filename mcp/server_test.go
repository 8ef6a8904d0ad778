package mcp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/mcp"
)

func connect(t *testing.T) *sdk.ClientSession {
	t.Helper()
	a, err := app.New(app.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	srv := mcp.New(a.Assistant(), mcp.Options{User: "maya", Version: "test"})
	ct, st := sdk.NewInMemoryTransports()
	ctx := context.Background()
	if _, err := srv.SDK().Connect(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func call(t *testing.T, cs *sdk.ClientSession, tool string, args map[string]any) (string, bool) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: tool, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String(), res.IsError
}

func TestTools(t *testing.T) {
	cs := connect(t)
	tl, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, tool := range tl.Tools {
		got[tool.Name] = true
		if tool.InputSchema == nil {
			t.Errorf("%s has no input schema", tool.Name)
		}
	}
	for _, name := range []string{"search", "memory_add", "memory_search", "memory_list", "memory_delete", "graph_neighbors", "context"} {
		if !got[name] {
			t.Errorf("tool %s missing", name)
		}
	}

	out, isErr := call(t, cs, "memory_add", map[string]any{"text": "I moved to Oslo last year. I feel anxious when my manager schedules last-minute meetings."})
	if isErr || !strings.Contains(out, `"ADD"`) {
		t.Fatalf("memory_add: %s", out)
	}
	call(t, cs, "memory_add", map[string]any{"text": "I live in Cork.", "user": "sam"})
	out, _ = call(t, cs, "memory_search", map[string]any{"query": "where do I live"})
	if !strings.Contains(out, "Oslo") || strings.Contains(out, "Cork") {
		t.Errorf("maya's memory_search: %s", out)
	}
	out, _ = call(t, cs, "memory_list", map[string]any{"user": "sam"})
	if !strings.Contains(out, "Cork") || strings.Contains(out, "Oslo") {
		t.Errorf("sam's memory_list: %s", out)
	}
	out, _ = call(t, cs, "graph_neighbors", map[string]any{"name": "anxiety"})
	if !strings.Contains(out, "TRIGGERED_BY") || !strings.Contains(out, "FEELS") {
		t.Errorf("graph_neighbors: %s", out)
	}
	out, isErr = call(t, cs, "context", map[string]any{"question": "where should I go this weekend"})
	if isErr || !strings.Contains(out, "Oslo") || strings.Contains(out, "Cork") {
		t.Errorf("context: %s", out)
	}
	var list struct {
		Memories []struct{ ID string } `json:"memories"`
	}
	out, _ = call(t, cs, "memory_list", map[string]any{"user": "sam"})
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Memories) == 0 {
		t.Fatalf("memory_list: %s %v", out, err)
	}
	// Maya cannot delete Sam's memory.
	if out, isErr := call(t, cs, "memory_delete", map[string]any{"id": list.Memories[0].ID}); !isErr {
		t.Errorf("maya deleted sam's memory: %s", out)
	}
	if out, isErr := call(t, cs, "memory_delete", map[string]any{"id": list.Memories[0].ID, "user": "sam"}); isErr || !strings.Contains(out, "DELETE") {
		t.Errorf("sam's delete: %s", out)
	}
	// Clear errors.
	if out, isErr := call(t, cs, "memory_add", map[string]any{"text": " "}); !isErr || !strings.Contains(out, "text") {
		t.Errorf("empty text: %v %s", isErr, out)
	}
	if out, isErr := call(t, cs, "memory_search", map[string]any{"query": "x", "user": "no good"}); !isErr || !strings.Contains(out, "invalid user") {
		t.Errorf("bad user: %v %s", isErr, out)
	}
}

// TestStdio speaks raw JSON-RPC lines, as trial.py and MCP clients do.
func TestStdio(t *testing.T) {
	a, err := app.New(app.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- mcp.New(a.Assistant(), mcp.Options{}).Serve(ctx, inR, outW) }()
	rd := bufio.NewReader(outR)
	send := func(s string) { io.WriteString(inW, s+"\n") }
	recv := func() map[string]any {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal([]byte(line), &m)
		return m
	}
	send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	if m := recv(); m["result"] == nil {
		t.Fatalf("initialize: %v", m)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"memory_add","arguments":{"text":"I love bouldering"}}}`)
	if m := recv(); !strings.Contains(toJSON(m), "Loves bouldering") {
		t.Fatalf("tools/call: %v", m)
	}
	send(`{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"memory_search","arguments":{"query":"what do I like"}}}`)
	if m := recv(); !strings.Contains(toJSON(m), "bouldering") {
		t.Fatalf("memory_search: %v", m)
	}
	inW.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return when stdin closed")
	}
}

func toJSON(v any) string { b, _ := json.Marshal(v); return string(b) }
