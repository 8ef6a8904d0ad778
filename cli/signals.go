package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopGrace is how long a command may take to wind down after SIGINT or
// SIGTERM before the process exits anyway, so that Ctrl-C always ends it
// within a second.
const stopGrace = 500 * time.Millisecond

// interruptContext returns a context that SIGINT and SIGTERM cancel, and a
// stop function the command calls once it has closed the container. A
// command that has not stopped stopGrace after the signal (or at a second
// signal) exits at once with 128+signal: the kernel releases the store's
// lock with the process, and the store's commits are atomic, so this loses
// nothing that was committed (the same as after kill -9, which an import
// resumes from).
func interruptContext(stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		var s os.Signal
		select {
		case <-done:
			return
		case s = <-sigs:
		}
		cancel()
		select {
		case <-done:
			return
		case <-sigs:
		case <-time.After(stopGrace):
		}
		code, name := 130, "Ctrl-C (SIGINT)"
		if s == syscall.SIGTERM {
			code, name = 143, "SIGTERM"
		}
		fmt.Fprintf(stderr, "engram: stopped by %s before the work in flight finished; what was committed is kept: run the same command again to resume\n", name)
		os.Exit(code)
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel()
	}
}
