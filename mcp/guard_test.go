package mcp_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/mcp"
)

// stdio is an engram mcp session over pipes, as an assistant runs it.
type stdio struct {
	t    testing.TB
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
}

func startStdio(t testing.TB) *stdio {
	t.Helper()
	a, err := app.New(app.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	s := &stdio{t: t, in: inW, out: bufio.NewReaderSize(outR, 1<<20), done: make(chan error, 1)}
	go func() { s.done <- mcp.New(a.Assistant(), mcp.Options{User: "maya"}).Serve(ctx, inR, outW) }()
	t.Cleanup(func() {
		inW.Close()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return when stdin closed")
		}
		cancel()
		a.Close()
	})
	return s
}

func (s *stdio) send(line string) {
	s.t.Helper()
	if _, err := io.WriteString(s.in, line+"\n"); err != nil {
		s.t.Fatalf("the server stopped reading: %v", err)
	}
}

// recv reads the next message, failing when none comes within 20 s (the
// server died or hung).
func (s *stdio) recv() map[string]any {
	s.t.Helper()
	type res struct {
		line string
		err  error
	}
	ch := make(chan res, 1)
	go func() { l, err := s.out.ReadString('\n'); ch <- res{l, err} }()
	select {
	case r := <-ch:
		if r.err != nil {
			s.t.Fatalf("reading a reply: %v", r.err)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(r.line), &m); err != nil {
			s.t.Fatalf("reply is not JSON: %q", r.line)
		}
		return m
	case <-time.After(20 * time.Second):
		s.t.Fatal("no reply within 20 s")
	}
	return nil
}

func (s *stdio) initialize() {
	s.t.Helper()
	s.send(`{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	if m := s.recv(); m["result"] == nil {
		s.t.Fatalf("initialize: %v", m)
	}
	s.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
}

func errorCode(m map[string]any) int {
	e, _ := m["error"].(map[string]any)
	c, _ := e["code"].(float64)
	return int(c)
}

func TestHostileLines(t *testing.T) {
	s := startStdio(t)
	for _, c := range []struct {
		name, line string
		code       int
		id         any
	}{
		{"a request before initialize", `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, -32002, 1.0},
		{"not JSON", `hello there`, -32700, nil},
		{"half a message", `{"jsonrpc":"2.0","id":2,"method":`, -32700, nil},
		{"a JSON number", `42`, -32600, nil},
		{"a batch", `[{"jsonrpc":"2.0","id":3,"method":"ping"}]`, -32600, nil},
		{"no jsonrpc member", `{"id":4,"method":"ping"}`, -32600, 4.0},
		{"an object as id", `{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}`, -32600, nil},
		{"neither method nor result", `{"jsonrpc":"2.0","id":5}`, -32600, 5.0},
		{"an empty method", `{"jsonrpc":"2.0","id":"x","method":""}`, -32600, "x"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s.t = t
			s.send(c.line)
			m := s.recv()
			if got := errorCode(m); got != c.code {
				t.Fatalf("error code %d, want %d: %v", got, c.code, m)
			}
			if m["id"] != c.id {
				t.Errorf("id %v, want %v", m["id"], c.id)
			}
		})
	}
	s.t = t
	// A 17 MiB line is answered, in bounded memory, and the session goes on.
	s.send(`{"jsonrpc":"2.0","id":9,"method":"ping","params":{"x":"` + strings.Repeat("a", 17<<20) + `"}}`)
	if got := errorCode(s.recv()); got != -32700 {
		t.Fatalf("a 17 MiB line: code %d, want -32700", got)
	}
	s.initialize()
	s.send(`{"jsonrpc":"2.0","id":10,"method":"tools/list"}`)
	if m := s.recv(); m["result"] == nil {
		t.Fatalf("tools/list after the hostile lines: %v", m)
	}
}

// tools are the server's tools with the arguments each takes, for the
// random calls.
var toolArgs = map[string][]string{
	"search":          {"query", "limit", "workspace"},
	"memory_add":      {"text", "user", "source", "workspace"},
	"memory_search":   {"query", "user", "limit", "all", "workspace"},
	"memory_list":     {"user", "all", "workspace"},
	"memory_delete":   {"id", "user", "workspace"},
	"graph_neighbors": {"name", "depth", "predicates", "workspace"},
	"context":         {"question", "user", "budget", "workspace"},
}

// randomValue is any JSON value, biased towards the hostile ones.
func randomValue(r *rand.Rand, depth int) any {
	switch r.IntN(16) {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return []float64{1e12, 7e18, -1, 0, 3, 4, 1e308, -9.2e18, 0.5}[r.IntN(9)]
	case 3:
		return r.Int64() - r.Int64()
	case 4:
		return strings.Repeat("x", r.IntN(30000))
	case 5:
		return "I live in Oslo\x00 and\u202e I like \x1b[31mtea"
	case 6:
		return []string{"((((", "\"unclosed", "from:", "before:notadate", "*", "-", "OR", "a OR b", "tag:#"}[r.IntN(9)]
	case 7:
		if depth < 3 {
			return []any{randomValue(r, depth+1), randomValue(r, depth+1)}
		}
		return []any{}
	case 8:
		if depth < 3 {
			return map[string]any{"k": randomValue(r, depth+1)}
		}
		return map[string]any{}
	case 9:
		return []string{"", " ", "personal", "../etc", "Work Space", "no good", strings.Repeat("w", 300)}[r.IntN(7)]
	default:
		return fmt.Sprintf("word%d", r.IntN(50))
	}
}

// callRandom sends one tools/call with random arguments and checks that a
// well-formed reply comes back.
func callRandom(t testing.TB, s *stdio, r *rand.Rand, id int) {
	names := []string{"search", "memory_add", "memory_search", "memory_list", "memory_delete", "graph_neighbors", "context"}
	tool := names[r.IntN(len(names))]
	args := map[string]any{}
	for _, a := range toolArgs[tool] {
		if r.IntN(3) > 0 {
			args[a] = randomValue(r, 0)
		}
	}
	if r.IntN(8) == 0 {
		args["unknown"] = randomValue(r, 0)
	}
	b, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": map[string]any{"name": tool, "arguments": args}})
	if err != nil {
		t.Fatal(err)
	}
	s.send(string(b))
	m := s.recv()
	if m["id"] != float64(id) || (m["result"] == nil && m["error"] == nil) {
		t.Fatalf("%s %s: reply %v", tool, b[:min(len(b), 300)], m)
	}
	if res, ok := m["result"].(map[string]any); ok {
		if txt, _ := json.Marshal(res); strings.Contains(string(txt), `\u0000`) {
			t.Fatalf("%s: a NUL byte in the result: %s", tool, txt)
		}
	}
}

// TestRandomArguments drives every tool with random and hostile arguments;
// the server answers each call and stays up.
func TestRandomArguments(t *testing.T) {
	s := startStdio(t)
	s.initialize()
	r := rand.New(rand.NewPCG(9, 12))
	for i := range 300 {
		callRandom(t, s, r, 100+i)
	}
	s.send(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)
	if m := s.recv(); m["result"] == nil {
		t.Fatalf("tools/list after the random calls: %v", m)
	}
}

// FuzzTools is TestRandomArguments with the seed from the fuzzer.
func FuzzTools(f *testing.F) {
	for _, seed := range []uint64{1, 2, 3} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		s := startStdio(t)
		s.initialize()
		r := rand.New(rand.NewPCG(seed, seed>>7))
		for i := range 20 {
			callRandom(t, s, r, 100+i)
		}
	})
}

func TestBoundsAndAnnotations(t *testing.T) {
	cs := connect(t)
	tl, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tool := range tl.Tools {
		a := tool.Annotations
		if a == nil {
			t.Errorf("%s has no annotations", tool.Name)
			continue
		}
		readOnly := !strings.HasPrefix(tool.Name, "memory_add") && tool.Name != "memory_delete"
		if a.ReadOnlyHint != readOnly {
			t.Errorf("%s: readOnlyHint %v, want %v", tool.Name, a.ReadOnlyHint, readOnly)
		}
		if tool.Name == "memory_delete" && (a.DestructiveHint == nil || !*a.DestructiveHint) {
			t.Errorf("memory_delete is not marked destructive")
		}
	}
	for _, c := range []struct {
		tool string
		args map[string]any
		err  string // "" when the call must succeed
	}{
		{"search", map[string]any{"query": "x", "limit": 1e12}, ""},
		{"search", map[string]any{"query": "x", "limit": -3}, ""},
		{"context", map[string]any{"question": "x", "budget": 7e18}, ""},
		{"memory_search", map[string]any{"query": "x", "limit": 1e15}, ""},
		{"graph_neighbors", map[string]any{"name": "x", "depth": 4}, "depth must be a whole number from 1 to 3"},
		{"graph_neighbors", map[string]any{"name": "x", "depth": -1}, "depth must be a whole number from 1 to 3"},
		{"memory_add", map[string]any{"text": strings.Repeat("I like tea. ", 3000)}, "at most 20000"},
	} {
		out, isErr := call(t, cs, c.tool, c.args)
		switch {
		case c.err == "" && isErr:
			t.Errorf("%s %v: %s", c.tool, c.args, out)
		case c.err != "" && (!isErr || !strings.Contains(out, c.err)):
			t.Errorf("%s %v: %v %s; want an error with %q", c.tool, c.args, isErr, out, c.err)
		}
	}
	// The budget is clamped to 32,000 tokens, and snippets are plain text.
	if out, _ := call(t, cs, "context", map[string]any{"question": "x", "budget": 7e18}); !strings.Contains(out, `"budget":32000`) {
		t.Errorf("context budget not clamped: %s", out)
	}
}
