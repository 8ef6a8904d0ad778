package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/engram-app/engram/ingest"
)

// progress draws an import's progress bar on a terminal, throttled; it does
// nothing when the output is not a terminal or JSON was asked for.
type progress struct {
	mu   sync.Mutex
	bar  *progressbar.ProgressBar
	w    io.Writer
	last time.Time
	on   bool
}

func newProgress(w io.Writer, want bool) *progress {
	p := &progress{w: w}
	if want {
		p.on = true
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("scanning"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("files"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *progress) update(pr ingest.Progress) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	if !pr.Walking && p.bar.GetMax() != pr.Total {
		p.bar.ChangeMax(pr.Total)
	}
	p.bar.Describe(fmt.Sprintf("%-24.24s", safe(filepath.Base(pr.Current))))
	_ = p.bar.Set(pr.Done)
}

func (p *progress) finish(err error) {
	if !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err == nil {
		_ = p.bar.Finish()
	}
	fmt.Fprintln(p.w)
}
