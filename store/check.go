package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The consistency check of a store file runs in a child process: this
// binary again, with ENGRAM_WORKER=store-check. bbolt walks a file's pages
// on goroutines of its own (Tx.Check, and the free-page scan of Open), and a
// damaged page panics there, where no recover can reach; in a child that
// panic is only the child's exit status, which the parent reports as a
// damaged file.
const (
	envWorker      = "ENGRAM_WORKER"
	checkWorker    = "store-check"
	envCheckPath   = "ENGRAM_STORE_CHECK_PATH"
	exitCheckLock  = 3 // the child could not take the file's lock
	maxPageProblem = 20
)

// The check worker's entry: any binary that links the store (the CLI, the
// desktop app, test binaries) can be started as the worker, with nothing to
// add to its main.
func init() {
	if os.Getenv(envWorker) == checkWorker {
		os.Exit(checkMain(os.Getenv(envCheckPath), os.Stdout, os.Stderr))
	}
}

// checkReport is the worker's answer, as JSON on its stdout.
type checkReport struct {
	Pages   []string `json:"pages"`   // bbolt's consistency problems
	Records []string `json:"records"` // damaged records (Verify)
}

// checkMain checks the store at path read-only: bbolt's page consistency
// check, then Verify of every workspace. It returns the exit status.
func checkMain(path string, out, errOut io.Writer) int {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return exitCheckLock
	}
	if err != nil {
		fmt.Fprintln(errOut, err)
		return 1
	}
	defer db.Close()
	s := &Store{db: db, path: path}
	var rep checkReport
	err = s.view(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			if len(rep.Pages) < maxPageProblem {
				rep.Pages = append(rep.Pages, e.Error())
			}
		}
		return nil
	})
	if err != nil {
		rep.Pages = append(rep.Pages, err.Error())
	}
	if len(rep.Pages) == 0 {
		wss, err := s.Workspaces()
		if err != nil {
			rep.Pages = append(rep.Pages, err.Error())
		}
		for _, w := range wss {
			damaged, err := s.Verify(w.Name)
			if err != nil {
				rep.Pages = append(rep.Pages, err.Error())
			}
			for _, d := range damaged {
				rep.Records = append(rep.Records, d.Record+": "+d.Reason)
			}
		}
	}
	if err := json.NewEncoder(out).Encode(rep); err != nil {
		return 1
	}
	return 0
}

// CheckFile checks the store file at path in a child process (see
// checkMain) and returns the damaged records it found. A file whose pages
// are inconsistent, or that makes the check crash, is a *FileDamagedError;
// a file another process holds is ErrLocked.
func CheckFile(ctx context.Context, path string) ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("checking the store: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), envWorker+"="+checkWorker, envCheckPath+"="+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == exitCheckLock {
		return nil, lockedError(path)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &FileDamagedError{Path: path, Detail: "checking it crashed: " + firstLines(stderr.String(), err)}
	}
	var rep checkReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		return nil, &FileDamagedError{Path: path, Detail: "its check gave no answer"}
	}
	if len(rep.Pages) > 0 {
		return rep.Records, &FileDamagedError{Path: path, Detail: strings.Join(rep.Pages, "; ")}
	}
	return rep.Records, nil
}

// firstLines is the gist of a crashed child's stderr: its panic message.
func firstLines(s string, err error) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return err.Error()
	}
	lines := strings.SplitN(s, "\n", 3)
	return strings.Join(lines[:min(2, len(lines))], " ")
}

// cleanMarker is the file beside the store that a clean Close leaves: the
// store file's size and modification time then. Open trusts a file that
// still matches it; any other (after a crash, a kill, or a change by
// something else) is checked first (CheckFile).
func cleanMarker(path string) string { return path + ".clean" }

type cleanState struct {
	Size    int64 `json:"size"`
	ModNano int64 `json:"mod_unix_nano"`
}

func fileState(path string) (cleanState, bool) {
	info, err := os.Stat(path)
	if err != nil {
		return cleanState{}, false
	}
	return cleanState{Size: info.Size(), ModNano: info.ModTime().UnixNano()}, true
}

// needsCheck reports whether the store file exists and was not left by a
// clean Close, then forgets the marker: until the next clean Close, the file
// is in use.
func needsCheck(path string) bool {
	now, exists := fileState(path)
	raw, err := os.ReadFile(cleanMarker(path))
	var was cleanState
	clean := err == nil && json.Unmarshal(raw, &was) == nil && was == now
	return exists && !clean
}

// markClean records that the store file was closed cleanly.
func markClean(path string) error {
	st, ok := fileState(path)
	if !ok {
		return nil
	}
	raw, _ := json.Marshal(st)
	return os.WriteFile(cleanMarker(path), raw, 0o600)
}

// CheckBoltFile runs bbolt's consistency check on any bbolt file (the
// graph's, the index's root.bolt) opened read-only, and returns what it
// found wrong, nil when nothing. bbolt checks on a goroutine of its own,
// where a damaged page panics beyond recovery: call it only in a child
// process.
func CheckBoltFile(path string) error {
	db, err := openBolt(path, Options{ReadOnly: true, LockTimeout: time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	s := &Store{db: db, path: path, readOnly: true}
	var probs []string
	err = s.view(func(tx *bolt.Tx) error {
		for e := range tx.Check() {
			if len(probs) < maxPageProblem {
				probs = append(probs, e.Error())
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(probs) > 0 {
		return &FileDamagedError{Path: path, Detail: strings.Join(probs, "; ")}
	}
	return nil
}
