package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/cli"
	"github.com/engram-app/engram/control"
)

// ClientResult compares search through a client of the control socket
// with the same command in-process (issue 12): the owner is `engram
// daemon` (the built binary) on the size's data directory, and each
// client search is one control.Run of `engram search --json` over a new
// connection, as a CLI client sends it. In-process is that command run by
// cli.RunWith on a container the bench opens (app.Search with limit 10 and
// facets, and its JSON), the same queries: what differs is the socket.
// The two sides take turns, clientRounds times, each on a freshly opened
// container or daemon after the same warm-up, so that a drift of the
// machine's speed during the run falls on both and each starts from empty
// caches; the latencies of a side's rounds are pooled.
type ClientResult struct {
	InProcess, InProcessSerial Latency
	Client, ClientSerial       Latency
	// CPU per search, in ms: of the bench process in-process, and of the
	// daemon and of the bench process (its clients) through the socket;
	// 0 where the system does not say.
	InProcessCPU, OwnerCPU, ClientCPU float64
	Err                               string
}

// clientRounds is how many turns each side of the comparison takes.
const clientRounds = 4

// clientQueries draws the queries of the comparison: n for the concurrent
// phase, then serial for the one-client phase.
func clientQueries(src *querySource, n, serial int) (conc, one []string) {
	conc, one = make([]string, n), make([]string, serial)
	for i := range conc {
		conc[i], _ = src.query()
	}
	for i := range one {
		one[i], _ = src.query()
	}
	return conc, one
}

// compareClient runs the comparison on the data directory data, which no
// process holds: conc from clients goroutines and one from a single one,
// split into clientRounds turns of each side.
func compareClient(ctx context.Context, engram, data string, conc, one []string, clients int, log io.Writer) ClientResult {
	var res ClientResult
	var inC, inS, sockC, sockS calls
	var inCPU, ownerCPU, clientCPU time.Duration
	warm := one[:min(searchWarmup, len(one))]
	for r := range clientRounds {
		bc, bo := block(conc, r), block(one, r)

		a, err := app.New(app.Config{DataDir: data})
		if err != nil {
			res.Err = "opening the data directory for the in-process side: " + err.Error()
			return res
		}
		search := func(q string) (bool, error) {
			var out, errOut bytes.Buffer
			code := cli.RunWith(ctx, a, searchArgs(data, q), &out, &errOut)
			return searchAnswer(code, &out, &errOut)
		}
		for _, q := range warm {
			_, _ = search(q)
		}
		c0 := selfCPU()
		inC = inC.join(timedCalls(ctx, len(bc), clients, func(i int) (bool, error) { return search(bc[i]) }))
		inS = inS.join(timedCalls(ctx, len(bo), 1, func(i int) (bool, error) { return search(bo[i]) }))
		inCPU += selfCPU() - c0
		if err := a.Close(); err != nil {
			res.Err = "closing the in-process container: " + err.Error()
			return res
		}

		d, err := startDaemon(ctx, engram, data, log)
		if err != nil {
			res.Err = err.Error()
			return res
		}
		for _, q := range warm {
			_, _ = clientSearch(ctx, data, q)
		}
		d0, c0 := d.cpu(), selfCPU()
		sockC = sockC.join(timedCalls(ctx, len(bc), clients, func(i int) (bool, error) { return clientSearch(ctx, data, bc[i]) }))
		sockS = sockS.join(timedCalls(ctx, len(bo), 1, func(i int) (bool, error) { return clientSearch(ctx, data, bo[i]) }))
		ownerCPU += d.cpu() - d0
		clientCPU += selfCPU() - c0
		if err := d.stop(data); err != nil {
			res.Err = err.Error()
			return res
		}
	}
	res.InProcess, res.InProcessSerial = inC.summary(nil), inS.summary(nil)
	res.Client, res.ClientSerial = sockC.summary(nil), sockS.summary(nil)
	if n := len(conc) + len(one); n > 0 {
		per := func(d time.Duration) float64 { return millis(d) / float64(n) }
		res.InProcessCPU, res.OwnerCPU, res.ClientCPU = per(inCPU), per(ownerCPU), per(clientCPU)
	}
	return res
}

// block is the r-th of clientRounds parts of qs.
func block(qs []string, r int) []string {
	return qs[r*len(qs)/clientRounds : (r+1)*len(qs)/clientRounds]
}

// searchArgs is the command line of the comparison's search for q.
func searchArgs(data, q string) []string {
	return []string{"--data", data, "search", "--json", "--limit", "10", q}
}

// clientSearch is one `engram search --json` through the owner of data.
func clientSearch(ctx context.Context, data, q string) (bool, error) {
	c, err := control.Dial(data)
	if err != nil {
		return false, err
	}
	var out, errOut bytes.Buffer
	code, err := control.Run(ctx, c, control.Request{Op: control.OpRun, Args: searchArgs(data, q)}, &out, &errOut, nil)
	if err != nil {
		return false, err
	}
	return searchAnswer(code, &out, &errOut)
}

// searchAnswer reads the answer of `engram search --json`: whether it found
// nothing, or what went wrong.
func searchAnswer(code int, out, errOut *bytes.Buffer) (bool, error) {
	if code != 0 {
		return false, fmt.Errorf("exit %d: %s", code, strings.TrimSpace(errOut.String()))
	}
	var r struct {
		Total uint64 `json:"total"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return false, fmt.Errorf("reading the answer: %w", err)
	}
	return r.Total == 0, nil
}

// daemon is a running `engram daemon`.
type daemon struct {
	proc   *os.Process
	exited chan error
}

// startDaemon starts `engram daemon` on data and waits until its control
// socket answers.
func startDaemon(ctx context.Context, engram, data string, log io.Writer) (*daemon, error) {
	cmd := exec.CommandContext(ctx, engram, "--data", data, "daemon")
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting engram daemon: %w", err)
	}
	d := &daemon{proc: cmd.Process, exited: make(chan error, 1)}
	go func() { d.exited <- cmd.Wait() }()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if c, err := control.Dial(data); err == nil {
			c.Close()
			return d, nil
		}
		select {
		case err := <-d.exited:
			return nil, fmt.Errorf("engram daemon exited before it answered: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	_ = d.proc.Kill()
	<-d.exited
	return nil, errors.New("engram daemon did not answer within 2 minutes")
}

// cpu is the CPU time the daemon has used, 0 where /proc does not say.
func (d *daemon) cpu() time.Duration {
	return procCPU(d.proc.Pid)
}

// stop asks the daemon on data to stop (engram daemon --stop's request)
// and waits for it to exit, killing it after 30 s.
func (d *daemon) stop(data string) error {
	c, err := control.Dial(data)
	if err == nil {
		_, err = control.Stop(c, io.Discard)
	}
	select {
	case <-d.exited:
		return err
	case <-time.After(30 * time.Second):
		_ = d.proc.Kill()
		<-d.exited
		return errors.Join(err, errors.New("engram daemon did not stop within 30 s; killed"))
	}
}

// buildEngram builds cmd/engram into dir with the go command, from the
// module this benchmark is run in (make bench runs it from the tree).
func buildEngram(ctx context.Context, dir string) (string, error) {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module to build engram from (go env GOMOD): %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	if strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == os.DevNull {
		return "", errors.New("not run inside the engram module: pass --engram PATH")
	}
	out := filepath.Join(dir, "engram")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./cmd/engram")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/engram: %v: %.300s", err, b)
	}
	return out, nil
}
