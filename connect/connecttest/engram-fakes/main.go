// Command engram-fakes runs the connecttest fakes (an authorization server
// and the Gmail, Slack and Box APIs) on 127.0.0.1 for trying the connectors
// by hand and for the CLI checks: it prints the `engram config set`
// commands that point Engram at them, and serves /change on its control
// address (two new messages, one deleted, one relabelled), /ratelimit?s=N
// (the next Gmail request answers 429 with Retry-After N) and /tokens (every
// token issued, one a line, for grepping).
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/engram-app/engram/connect/connecttest"
)

func message(n int) []byte {
	return fmt.Appendf(nil, "From: Dana Scully <dana@example.org>\r\nTo: fox@example.org\r\nSubject: Case file %d\r\nMessage-ID: <case%d@example.org>\r\nDate: Tue, 3 Jan 2023 10:00:00 +0000\r\n\r\nThe case number %d mentions kestrel%d.\r\n", n, n, n, n)
}

func main() {
	n := flag.Int("messages", 5000, "messages in the Gmail fake")
	flag.Parse()
	as := connecttest.NewAS("engram-cli")
	g := connecttest.NewGmail(as, "dana@example.org")
	g.AddLabel("Label_9", "X-Files")
	var ids []string
	for i := range *n {
		ids = append(ids, g.Add(message(i), "INBOX"))
	}
	sl := connecttest.NewSlack(as, "acme")
	sl.AddUser("U1", "Ada Lovelace", "ada@acme.test")
	sl.AddUser("U2", "Alan Turing", "alan@acme.test")
	sl.AddChannel("C1", "engines")
	sl.Post("C1", "U1", "1700000001.000100", "The analytical engine needs punched cards", "")
	sl.Post("C1", "U2", "1700000002.000100", "Reply about the marmoset protocol", "1700000001.000100")
	bx := connecttest.NewBox(as, "ada@acme.test")
	d := bx.AddFolder("0", "Docs")
	bx.AddFile(d, "notes.txt", []byte("Plain notes about the narwhal budget.\n"))
	bx.AddFile(d, "page.html", []byte("<html><head><title>Ocelot plan</title></head><body><p>The ocelot plan.</p></body></html>"))

	mux := http.NewServeMux()
	next := *n
	mux.HandleFunc("/change", func(w http.ResponseWriter, r *http.Request) {
		g.Add(message(next), "INBOX")
		g.Add(message(next+1), "INBOX", "Label_9")
		next += 2
		g.Delete(ids[10])
		g.Relabel(ids[20], []string{"Label_9"}, []string{"INBOX"})
		fmt.Fprintln(w, "added 2, deleted message 10, relabelled message 20")
	})
	mux.HandleFunc("/ratelimit", func(w http.ResponseWriter, r *http.Request) {
		s, _ := strconv.Atoi(r.URL.Query().Get("s"))
		g.RateLimit(s)
	})
	mux.HandleFunc("/tokens", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, strings.Join(as.Issued(), "\n"))
	})
	mux.HandleFunc("/requests", func(w http.ResponseWriter, r *http.Request) {
		for _, q := range g.Requests() {
			fmt.Fprintf(w, "%s %d %s\n", q.At.Format("15:04:05.000"), q.Status, q.Path)
		}
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, c := range []struct{ name, api string }{{"gmail", g.URL()}, {"slack", sl.URL()}, {"box", bx.URL()}} {
		fmt.Printf("engram config set connect.%s.auth_url %s\n", c.name, as.AuthURL())
		fmt.Printf("engram config set connect.%s.token_url %s\n", c.name, as.TokenURL())
		fmt.Printf("engram config set connect.%s.api_base %s\n", c.name, c.api)
		fmt.Printf("engram config set connect.%s.client_id %s\n", c.name, as.ClientID)
	}
	fmt.Printf("# control http://%s\n", ln.Addr())
	go http.Serve(ln, mux)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}
