package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/store"
)

// progressInterval is the least time between two progress events of one
// import (about ten a second); the final event is always sent.
const progressInterval = 100 * time.Millisecond

// ImportProgress is one import's state as the UI shows it: the counts, the
// rate and ETA, the per-item errors, and whether it has finished. It goes out
// as the "import:progress:<jobID>" event and answers GET /api/jobs/{id}.
type ImportProgress struct {
	JobID    string             `json:"job_id"`
	Paths    []string           `json:"paths"`
	State    string             `json:"state"` // running, done, failed, cancelled
	Total    int                `json:"total"`
	Done     int                `json:"done"`
	Imported int                `json:"imported"`
	Updated  int                `json:"updated"`
	Skipped  int                `json:"skipped"`
	Failed   int                `json:"failed"`
	Removed  int                `json:"removed"`
	Walking  bool               `json:"walking"`
	Current  string             `json:"current"`
	Rate     float64            `json:"rate"`        // files a second
	ETASec   float64            `json:"eta_seconds"` // 0 when unknown
	Errors   []ingest.ItemError `json:"errors"`
	Error    string             `json:"error,omitempty"` // why the job failed
	Finished bool               `json:"finished"`
}

// ImportService runs imports for the UI: Start returns a job ID at once and
// the import runs on a goroutine the service owns; progress goes out through
// the emitter (Wails events) and is kept for polling (web mode). Close
// cancels the imports still running and waits for them.
type ImportService struct {
	app *App

	mu       sync.Mutex
	emit     func(event string, data any)
	pickDir  func(title string) (string, error)
	jobs     map[string]*importJob
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	starting sync.Mutex // one job ID a time: IDs are timestamps
}

type importJob struct {
	cancel context.CancelFunc
	last   ImportProgress
}

// NewImportService binds the container a to the UI's imports.
func NewImportService(a *App) *ImportService {
	ctx, cancel := context.WithCancel(context.Background())
	return &ImportService{app: a, jobs: map[string]*importJob{}, ctx: ctx, cancel: cancel}
}

// SetImportEmitter makes s send progress events through emit (Wails'
// EventsEmit). A function, not a method: Wails must not bind it.
func SetImportEmitter(s *ImportService, emit func(event string, data any)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.emit = emit
}

// SetFolderPicker gives s the native folder dialog (Wails only).
func SetFolderPicker(s *ImportService, pick func(title string) (string, error)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pickDir = pick
}

// CloseImports cancels the imports still running and waits until they have
// stopped. Call it before closing the container.
func CloseImports(s *ImportService) {
	s.cancel()
	s.wg.Wait()
}

// Start begins importing path (a file or folder) into workspace ws ("" is
// the default workspace) and returns the job's ID at once.
func (s *ImportService) Start(ws, path string) (string, error) {
	path = strings.TrimSpace(path)
	if path == "" {
		return "", invalidf("type the path of a folder or file to import")
	}
	if strings.HasPrefix(path, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			path = filepath.Join(home, path[2:])
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil {
		// Not found or not readable: a path the user gave.
		return "", invalidf("cannot import %s: %w", abs, err)
	}
	if s.ctx.Err() != nil {
		return "", fmt.Errorf("%w: no new imports", ErrClosed)
	}
	ctx, cancel := context.WithCancel(s.ctx)
	ids := make(chan string, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		s.run(ctx, cancel, ws, abs, ids)
	}()
	select {
	case id := <-ids:
		return id, nil
	case <-time.After(10 * time.Second):
		return "", errors.New("the import did not start within 10 seconds")
	}
}

// run imports path under a job ID of its own making, which it sends on ids
// once the job is registered.
func (s *ImportService) run(ctx context.Context, cancel context.CancelFunc, ws, path string, ids chan<- string) {
	// The job's ID, chosen here, is the one App.ImportJob stores: the
	// progress events, the job list and the job's history share it.
	id := NewJobID()
	job := &importJob{cancel: cancel, last: ImportProgress{JobID: id, Paths: []string{path}, State: "running", Walking: true, Errors: []ingest.ItemError{}}}
	s.mu.Lock()
	s.jobs[id] = job
	s.mu.Unlock()
	ids <- id

	var lastEmit time.Time
	res, err := s.app.ImportJob(ctx, ws, JobStart{ID: id}, []string{path}, func(p ingest.Progress) {
		pr := progressFrom(id, path, p)
		s.mu.Lock()
		job.last = pr
		s.mu.Unlock()
		if time.Since(lastEmit) >= progressInterval {
			lastEmit = time.Now()
			s.send(pr)
		}
	})
	s.mu.Lock()
	final := job.last
	s.mu.Unlock()
	final.Finished = true
	final.Walking = false
	final.Current = ""
	switch {
	case err == nil:
		final.State = "done"
	case errors.Is(err, context.Canceled):
		final.State = "cancelled"
	default:
		final.State = "failed"
		final.Error = err.Error()
	}
	if res != nil {
		final.Imported, final.Updated, final.Skipped, final.Failed, final.Removed = res.Imported, res.Updated, res.Skipped, res.Failed, res.Removed
		final.Errors = res.Errors
	}
	if final.Total < final.Done {
		final.Total = final.Done
	}
	final.ETASec = 0
	s.mu.Lock()
	job.last = final
	s.mu.Unlock()
	s.send(final)
}

func (s *ImportService) send(p ImportProgress) {
	s.mu.Lock()
	emit := s.emit
	s.mu.Unlock()
	if emit != nil {
		emit("import:progress:"+p.JobID, p)
	}
}

func progressFrom(id, path string, p ingest.Progress) ImportProgress {
	errs := append([]ingest.ItemError{}, p.Errors...)
	return ImportProgress{
		JobID: id, Paths: []string{path}, State: "running",
		Total: p.Total, Done: p.Done, Imported: p.Imported, Updated: p.Updated,
		Skipped: p.Skipped, Failed: p.Failed, Removed: p.Removed,
		Walking: p.Walking, Current: p.Current,
		Rate: p.Rate(), ETASec: p.ETA().Seconds(), Errors: errs,
	}
}

// Progress returns the latest state of a job this service started.
func (s *ImportService) Progress(jobID string) (ImportProgress, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[jobID]
	if !ok {
		return ImportProgress{}, fmt.Errorf("%w: no import %q in this session", store.ErrNotFound, jobID)
	}
	return j.last, nil
}

// Cancel stops a running import between two files; what was imported stays.
// It reports whether the job was still running.
func (s *ImportService) Cancel(jobID string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[jobID]
	if !ok {
		return false, fmt.Errorf("%w: no import %q in this session", store.ErrNotFound, jobID)
	}
	if j.last.Finished {
		return false, nil
	}
	j.cancel()
	return true, nil
}

// Jobs lists workspace ws's import jobs, newest first ("" is the default
// workspace).
func (s *ImportService) Jobs(ws string) ([]store.Job, error) {
	jobs, err := s.app.Jobs(ws)
	if jobs == nil {
		jobs = []store.Job{}
	}
	return jobs, err
}

// PickFolder opens the native folder dialog and returns the chosen folder,
// "" when the user cancelled. Only the desktop app has one.
func (s *ImportService) PickFolder() (string, error) {
	s.mu.Lock()
	pick := s.pickDir
	s.mu.Unlock()
	if pick == nil {
		return "", fmt.Errorf("%w: type the folder's path", ErrNoDialog)
	}
	return pick("Choose a folder to import")
}
