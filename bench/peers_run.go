package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// execOutcome is what the exec child prints on stdout: the wall time,
// CPU time and peak resident memory of the program it ran, and that
// program's output.
type execOutcome struct {
	Seconds float64 `json:"seconds"`
	CPU     float64 `json:"cpu"`    // user + system seconds
	PeakRSS int64   `json:"peak"`   // bytes: the program's ru_maxrss
	Exit    int     `json:"exit"`   // its exit code; -1 when it did not run
	Stdout  string  `json:"stdout"` // at most maxExecStdout bytes
	Stderr  string  `json:"stderr"` // its last maxExecStderr bytes
	Err     string  `json:"err,omitempty"`
}

const (
	maxExecStdout = 1 << 20
	maxExecStderr = 2000
)

// execChild runs argv (with this process's environment minus ChildEnv)
// and reports on it. It exists so that a program's peak RSS is its own:
// on Linux, a process started from a large one (the bench) is charged at
// exec the parent's high-water mark, while this small child passes on
// only its own few megabytes.
func execChild(argv []string) execOutcome {
	if len(argv) == 0 {
		return execOutcome{Exit: -1, Err: "exec-child: no program"}
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, ChildEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	err := cmd.Run()
	out := execOutcome{Seconds: time.Since(t0).Seconds(), Exit: -1}
	if ps := cmd.ProcessState; ps != nil {
		out.Exit = ps.ExitCode()
		out.CPU = (ps.UserTime() + ps.SystemTime()).Seconds()
		out.PeakRSS, _ = peakRSS(ps)
	}
	if err != nil {
		out.Err = err.Error()
	}
	out.Stdout = stdout.String()[:min(stdout.Len(), maxExecStdout)]
	e := stderr.String()
	out.Stderr = e[max(len(e)-maxExecStderr, 0):]
	return out
}

// execInChild runs argv through the exec child, with extra environment.
func execInChild(ctx context.Context, opts Options, env []string, argv ...string) execOutcome {
	cmd := child(ctx, opts, append([]string{cmdExecChild, "--"}, argv...)...)
	cmd.Env = append(cmd.Env, env...)
	out, runErr := cmd.Output()
	var o execOutcome
	if err := json.Unmarshal(out, &o); err != nil {
		return execOutcome{Exit: -1, Err: fmt.Sprintf("the exec child failed (%v) without a result", runErr)}
	}
	return o
}

// cliImport runs `engram --data DATA import --json DIR` with the engram
// binary on a fresh data directory, timed end to end as a user sees it:
// exec, opening the data directory, the import, the wait for embedding
// (none is set up) and the close.
func cliImport(ctx context.Context, opts Options, engram, dir, data string) PeerImport {
	if engram == "" {
		return PeerImport{Err: "no engram binary"}
	}
	o := execInChild(ctx, opts, nil, engram, "--data", data, "import", "--json", dir)
	res := PeerImport{Seconds: o.Seconds, CPU: o.CPU, PeakRSS: o.PeakRSS}
	if o.Exit != 0 {
		res.Err = fmt.Sprintf("engram import: %s: %s", o.Err, strings.TrimSpace(o.Stderr))
		return res
	}
	var r struct {
		Imported int `json:"imported"`
		Updated  int `json:"updated"`
		Failed   int `json:"failed"`
	}
	if err := json.Unmarshal([]byte(o.Stdout), &r); err != nil {
		res.Err = "reading engram import --json: " + err.Error()
		return res
	}
	res.Docs = r.Imported + r.Updated
	if r.Failed > 0 {
		res.Err = fmt.Sprintf("%d files failed", r.Failed)
	}
	return res
}

// peerImportInChild indexes dir with peer into data in a child process.
func peerImportInChild(ctx context.Context, opts Options, peer, dir, data string) PeerImport {
	cmd := child(ctx, opts, cmdPeerImportChild, "--peer", peer, "--corpus", dir, "--data", data)
	out, runErr := cmd.Output()
	var res PeerImport
	if ps := cmd.ProcessState; ps != nil {
		res.CPU = (ps.UserTime() + ps.SystemTime()).Seconds()
	}
	var o peerImportOutcome
	if err := json.Unmarshal(out, &o); err != nil {
		res.Err = fmt.Sprintf("the %s import child failed (%v) without a result", peer, runErr)
		return res
	}
	res.Docs, res.Seconds, res.PeakRSS, res.Err = o.Docs, o.Seconds, o.HWM, o.Err
	if o.Failed > 0 && res.Err == "" {
		res.Err = fmt.Sprintf("%d files failed", o.Failed)
	}
	return res
}

// peerSearchInChild runs qs against peer's index at data in a child
// process; the queries go through a file in tmp.
func peerSearchInChild(ctx context.Context, opts Options, peer, data, tmp string, qs peerQueries) (conc, serial Latency, err error) {
	b, err := json.Marshal(qs)
	if err != nil {
		return conc, serial, err
	}
	path := filepath.Join(tmp, peer+"-queries.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return conc, serial, err
	}
	defer os.Remove(path)
	cmd := child(ctx, opts, cmdPeerSearchChild, "--peer", peer, "--data", data, "--queries", path)
	out, runErr := cmd.Output()
	var o peerSearchOutcome
	if err := json.Unmarshal(out, &o); err != nil {
		return conc, serial, fmt.Errorf("the %s search child failed (%v) without a result", peer, runErr)
	}
	if o.Err != "" {
		return o.Search, o.SearchSerial, fmt.Errorf("%s", o.Err)
	}
	return o.Search, o.SearchSerial, nil
}

// runPeers measures the comparison of issue 18 on the corpus at dir:
// engram import through the CLI, then each peer's import and its search
// load, one process at a time. Each index is removed once measured.
func runPeers(ctx context.Context, opts Options, lg *logger, n int, dir, tmp string, qs peerQueries) PeersResult {
	var res PeersResult
	if opts.Engram == "" {
		res.CLI.Err = "no engram binary (pass --engram PATH)"
	} else {
		lg.printf("%d: engram import through the CLI, fresh data directory", n)
		data := filepath.Join(tmp, "cli-data")
		res.CLI = cliImport(ctx, opts, opts.Engram, dir, data)
		_ = os.RemoveAll(data)
		c := res.CLI
		lg.printf("%d: engram import: %d messages in %.1fs (%.0f/s, %.1f CPU-s, peak %.0f MB) %s", n, c.Docs, c.Seconds, c.Rate(), c.CPU, mb(c.PeakRSS), c.Err)
	}
	for _, p := range []struct {
		name, file string
		res        *PeerResult
	}{{peerBleve, "peer.bleve", &res.Bleve}, {peerFTS5, "peer.sqlite", &res.FTS5}} {
		if ctx.Err() != nil {
			break
		}
		data := filepath.Join(tmp, p.file)
		lg.printf("%d: %s peer: import in a child process", n, p.name)
		p.res.Import = peerImportInChild(ctx, opts, p.name, dir, data)
		i := p.res.Import
		lg.printf("%d: %s peer: %d messages in %.1fs (%.0f/s, %.1f CPU-s, peak %.0f MB) %s", n, p.name, i.Docs, i.Seconds, i.Rate(), i.CPU, mb(i.PeakRSS), i.Err)
		if i.Docs > 0 && ctx.Err() == nil {
			lg.printf("%d: %s peer: %d queries from %d clients, %d from one", n, p.name, len(qs.Concurrent), qs.Clients, len(qs.Serial))
			var err error
			p.res.Search, p.res.SearchSerial, err = peerSearchInChild(ctx, opts, p.name, data, tmp, qs)
			if err != nil {
				p.res.Err = err.Error()
			}
			lg.printf("%d: %s peer: search p99 %.2f ms from %d clients, %.2f ms from one %s", n, p.name, p.res.Search.P99, qs.Clients, p.res.SearchSerial.P99, p.res.Err)
		} else if i.Err != "" {
			p.res.Err = "no index: " + i.Err
		}
		_ = os.RemoveAll(data)
	}
	return res
}
