package web_test

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/cli"
)

// TestBrowserMemoryFromAnAssistant is issue #12's scene: the app is open on
// the Memories view, this process owns the data directory (as the desktop
// does, through cli.Serve), and an AI assistant's `engram mcp` session,
// attached through the control socket, remembers something. The memory
// appears in the open view without a reload.
func TestBrowserMemoryFromAnAssistant(t *testing.T) {
	a := newApp(t)
	srv, err := cli.Serve(a, nil, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(0) })
	b := startUI(t, a)
	b.step("opening the memories",
		chromedp.Navigate(b.link()),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.Click(chromedp.CSS(`.nav-item[data-view="memories"]`)),
		poll(`document.querySelector(".memory-add-text") !== null`),
		js(`window.__sameDocument = true`), // a reload would lose this mark
	)

	// The assistant's session: `engram mcp`, a client of the owner.
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		code := cli.Run([]string{"--data", a.DataDir(), "mcp"}, inR, outW, &stderr)
		outW.Close()
		done <- code
	}()
	rd := bufio.NewReader(outR)
	send := func(line string, reply bool) string {
		t.Helper()
		if _, err := io.WriteString(inW, line+"\n"); err != nil {
			t.Fatal(err)
		}
		if !reply {
			return ""
		}
		l, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the reply to %s: %v (stderr %q)", line, err, stderr.String())
		}
		return l
	}
	if l := send(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"assistant","version":"1"}}}`, true); !strings.Contains(l, `"result"`) {
		t.Fatalf("initialize: %s", l)
	}
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`, false)
	if l := send(`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"memory_add","arguments":{"text":"My sister Anna lives in York."}}}`, true); !strings.Contains(l, "ADD") {
		t.Fatalf("memory_add: %s", l)
	}
	b.step("seeing the memory the assistant added",
		poll(`[...document.querySelectorAll(".memory-list .memory-text")].some(e => e.textContent.includes("Anna"))`),
	)
	if !evaluate[bool](t, b.ctx, `window.__sameDocument === true`) {
		t.Fatal("the page reloaded to show the new memory")
	}
	inW.Close()
	if code := <-done; code != 0 {
		t.Fatalf("engram mcp exited %d: %s", code, stderr.String())
	}
}
