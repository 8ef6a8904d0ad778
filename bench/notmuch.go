package bench

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// NotmuchResult is `notmuch new` timed on the same corpus, the baseline the
// specification sets for import speed.
type NotmuchResult struct {
	Seconds float64
	Err     string // "not installed" or what went wrong
}

// notmuchNew indexes dir with Debian's notmuch into a database of its own
// (under tmp), timing the whole `notmuch new`.
func notmuchNew(ctx context.Context, dir, tmp string) NotmuchResult {
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
	cmd := exec.CommandContext(ctx, bin, "new", "--quiet")
	cmd.Env = append(os.Environ(), "NOTMUCH_CONFIG="+cfg)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	el := time.Since(start)
	if err != nil {
		return NotmuchResult{Err: fmt.Sprintf("notmuch new: %v: %.200s", err, out)}
	}
	return NotmuchResult{Seconds: el.Seconds()}
}
