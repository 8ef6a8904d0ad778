package pdf

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
)

// The worker protocol: the parent sets these variables, passes workerFlag
// as the only argument, writes the PDF to standard input and reads one JSON
// result from standard output. Exit status 0 means the result is there,
// even when it reports an error.
const (
	envWorker    = "ENGRAM_WORKER"
	workerName   = "pdf-extract"
	workerFlag   = "engram-worker=" + workerName
	envMaxMemory = "ENGRAM_WORKER_MAX_MEMORY"
	envMaxOutput = "ENGRAM_WORKER_MAX_OUTPUT"
	// maxStack is the worker's goroutine stack limit: deep recursion on a
	// hostile file ends in a quick crash instead of eating the memory cap.
	maxStack = 64 << 20
)

// WorkerMain runs the PDF extraction worker and exits when this process was
// started as one (ENGRAM_WORKER=pdf-extract); otherwise it returns false at
// once. Every binary whose importer reads PDFs (the CLI, the desktop app,
// tests that parse PDFs) must call it first thing in main or TestMain,
// before flags are parsed or anything is opened:
//
//	func main() {
//		if pdf.WorkerMain() {
//			return
//		}
//		...
//	}
func WorkerMain() bool {
	if os.Getenv(envWorker) != workerName {
		return false
	}
	os.Exit(serveWorker(os.Stdin, os.Stdout, os.Stderr))
	return true
}

// serveWorker is the worker's body: it caps its own memory and stack, reads
// the PDF from in and writes the result to out. It returns the exit status.
func serveWorker(in io.Reader, out, errOut io.Writer) int {
	maxMem := envInt(envMaxMemory, DefaultMaxMemory)
	maxOut := envInt(envMaxOutput, DefaultMaxOutputBytes)
	if err := limitAddressSpace(maxMem); err != nil {
		// Still protected by the time limit and GOMEMLIMIT.
		fmt.Fprintf(errOut, "pdf worker: %v\n", err)
	}
	debug.SetMaxStack(maxStack)
	debug.SetMemoryLimit(maxMem * 3 / 4)
	data, err := io.ReadAll(io.LimitReader(in, maxMem))
	var res result
	if err != nil {
		res.Error = fmt.Sprintf("the PDF could not be read (%v)", err)
	} else {
		res = extract(data, int(maxOut))
	}
	if err := json.NewEncoder(out).Encode(res); err != nil {
		fmt.Fprintf(errOut, "pdf worker: writing the result: %v\n", err)
		return 1
	}
	return 0
}

func envInt(name string, def int64) int64 {
	n, err := strconv.ParseInt(os.Getenv(name), 10, 64)
	if err != nil || n <= 0 {
		return def
	}
	return n
}
