package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// NotmuchResult is `notmuch new` timed on the same corpus, the baseline the
// specification sets for import speed.
type NotmuchResult struct {
	Seconds float64
	CPU     float64 // user + system seconds
	PeakRSS int64   // bytes; 0 when unknown
	Err     string  // "not installed" or what went wrong
}

// notmuchNew indexes dir with Debian's notmuch into a database of its own
// (under tmp), timing the whole `notmuch new`. It runs through the exec
// child, so that its CPU time and peak memory are its own.
func notmuchNew(ctx context.Context, opts Options, dir, tmp string) NotmuchResult {
	bin, err := exec.LookPath("notmuch")
	if err != nil {
		return NotmuchResult{Err: "notmuch is not installed (make deps-desktop, which make test runs, installs Debian's notmuch)"}
	}
	cfg := filepath.Join(tmp, "notmuch-config")
	db := filepath.Join(tmp, "notmuch-db")
	conf := fmt.Sprintf("[database]\npath=%s\nmail_root=%s\n[new]\ntags=inbox;\nignore=\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n", db, dir)
	if err := os.MkdirAll(db, 0o700); err != nil {
		return NotmuchResult{Err: err.Error()}
	}
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		return NotmuchResult{Err: err.Error()}
	}
	o := execInChild(ctx, opts, []string{"NOTMUCH_CONFIG=" + cfg}, bin, "new", "--quiet")
	if o.Exit != 0 {
		return NotmuchResult{Err: fmt.Sprintf("notmuch new: %s: %.200s", o.Err, o.Stdout+o.Stderr)}
	}
	return NotmuchResult{Seconds: o.Seconds, CPU: o.CPU, PeakRSS: o.PeakRSS}
}
