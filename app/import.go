package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/store"
)

// ImportResult is the outcome of an import. Its JSON form is the CLI
// contract of `engram import --json`.
type ImportResult struct {
	JobID    string             `json:"job_id"`
	Imported int                `json:"imported"`
	Updated  int                `json:"updated"`
	Skipped  int                `json:"skipped"`
	Failed   int                `json:"failed"`
	Removed  int                `json:"removed"`
	Errors   []ingest.ItemError `json:"errors"`
}

// Import reads the paths (files or folders) into a workspace as one job,
// persisted in the store with its counts and per-item errors. progress, if
// not nil, is called for every file handled; callers throttle it. Cancelling
// ctx stops the import between files, keeps what was committed, and marks
// the job cancelled.
func (a *App) Import(ctx context.Context, ws string, paths []string, progress func(ingest.Progress)) (*ImportResult, error) {
	return a.ImportJob(ctx, ws, JobStart{}, paths, progress)
}

// JobStart names an import job before it starts. ID, from NewJobID, is
// the job's ID ("": a fresh one); Started, if not nil, is called once the
// job is in the store's job list, before any file is read.
type JobStart struct {
	ID      string
	Started func(id string)
}

// NewJobID returns a fresh import job ID: the UTC time to the nanosecond,
// so IDs sort by start.
func NewJobID() string { return time.Now().UTC().Format("20060102T150405.000000000Z") }

// ImportJob is Import under a job ID the caller chose, so that the ID it
// shows when the job starts (the desktop's imports view, `engram import
// --detach`) is the one the job's history keeps.
func (a *App) ImportJob(ctx context.Context, ws string, start JobStart, paths []string, progress func(ingest.Progress)) (*ImportResult, error) {
	id := start.ID
	if id == "" {
		id = NewJobID()
	}
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { // the container closing cancels the import too
		select {
		case <-a.ctx.Done():
			stop()
		case <-ctx.Done():
		}
	}()

	job := store.Job{
		ID:      id,
		Kind:    "import",
		Sources: paths,
		State:   "running",
		Started: time.Now().UTC(),
	}
	if err := a.store.PutJob(w.name, job); err != nil {
		return nil, err
	}
	if start.Started != nil {
		start.Started(job.ID)
	}
	a.mu.Lock()
	a.running[job.ID] = true
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.running, job.ID)
		a.mu.Unlock()
	}()
	lastSave := time.Now()
	prog, runErr := a.pipeline.Run(ctx, sink{a: a, w: w}, ingest.Options{
		Paths:  paths,
		Limits: a.Limits(),
		Progress: func(p ingest.Progress) {
			if progress != nil {
				progress(p)
			}
			if time.Since(lastSave) > time.Second {
				lastSave = time.Now()
				_ = a.store.PutJob(w.name, jobFrom(job, p))
			}
		},
	})
	a.startEmbedding(w.name) // in the background (app/semantic.go)
	job = jobFrom(job, prog)
	job.Finished = time.Now().UTC()
	switch {
	case runErr == nil:
		job.State = "done"
	case errors.Is(runErr, context.Canceled):
		job.State = "cancelled"
	default:
		job.State = "failed"
		job.Errors = append(job.Errors, store.JobError{Error: runErr.Error()})
	}
	job.Current = ""
	if err := a.store.PutJob(w.name, job); err != nil && runErr == nil {
		runErr = err
	}
	a.publishImport(w.name, job.ID)
	ingest.SortErrors(prog.Errors)
	res := &ImportResult{
		JobID:    job.ID,
		Imported: prog.Imported,
		Updated:  prog.Updated,
		Skipped:  prog.Skipped,
		Failed:   prog.Failed,
		Removed:  prog.Removed,
		Errors:   prog.Errors,
	}
	if res.Errors == nil {
		res.Errors = []ingest.ItemError{}
	}
	if runErr != nil {
		return res, fmt.Errorf("import: %w", runErr)
	}
	a.gapsAfterImport(w.name)
	return res, nil
}

func jobFrom(j store.Job, p ingest.Progress) store.Job {
	j.Total, j.Done = p.Total, p.Done
	j.Imported, j.Updated, j.Skipped, j.Failed, j.Removed = p.Imported, p.Updated, p.Skipped, p.Failed, p.Removed
	j.Current = p.Current
	j.Errors = j.Errors[:0]
	for _, e := range p.Errors {
		j.Errors = append(j.Errors, store.JobError{Path: e.Path, Error: e.Error})
	}
	return j
}

// Jobs lists a workspace's import jobs, newest first. A job the store says
// is running but no part of this process runs was cut short (killed, or the
// machine went down): it shows as "interrupted", and importing the same
// source again resumes it.
func (a *App) Jobs(ws string) ([]store.Job, error) {
	jobs, err := a.store.Jobs(a.wsName(ws))
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range jobs {
		if jobs[i].State == "running" && !a.running[jobs[i].ID] {
			jobs[i].State = "interrupted"
		}
	}
	return jobs, err
}
