// Command fakeembed runs the loopback embedding server of package embedtest
// for trying search by meaning without a model:
//
//	go run ./embed/embedtest/fakeembed -addr 127.0.0.1:11435
//	engram config set embed.endpoint http://127.0.0.1:11435
//
// It prints the request count when stopped (Ctrl-C).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"

	"github.com/engram-app/engram/embed/embedtest"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:11435", "loopback address to listen on")
	flag.Parse()
	if !strings.HasPrefix(*addr, "127.0.0.1:") && !strings.HasPrefix(*addr, "localhost:") {
		fmt.Fprintln(os.Stderr, "fakeembed: listen on loopback only (127.0.0.1:PORT)")
		os.Exit(2)
	}
	s, err := embedtest.Listen(*addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakeembed:", err)
		os.Exit(1)
	}
	fmt.Println("fake embedding server on", s.URL)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	<-stop
	s.Close()
	fmt.Printf("%d requests, %d texts\n", s.Requests(), s.Texts())
}
