package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/engram-app/engram/store"
)

// SalvageResult is the CLI contract of `engram doctor --salvage --json`: what
// the store's salvage copied and left out, and the repair of each
// workspace's index and graph that follows it.
type SalvageResult struct {
	Store   *store.SalvageReport `json:"store"`
	Repairs []*DoctorReport      `json:"repairs"`
	OK      bool                 `json:"ok"`
}

// Salvage copies every readable record of the data directory's damaged
// store into a new store (store.Salvage: the damaged file is kept beside
// it), then opens the container and repairs every workspace's index and
// graph from the new store. No other Engram process may hold the directory.
func Salvage(ctx context.Context, cfg Config) (*SalvageResult, error) {
	if cfg.DataDir == "" {
		d, err := DefaultDataDir()
		if err != nil {
			return nil, err
		}
		cfg.DataDir = d
	}
	rep, err := store.Salvage(filepath.Join(cfg.DataDir, "engram.db"))
	if err != nil {
		return nil, err
	}
	res := &SalvageResult{Store: rep, Repairs: []*DoctorReport{}, OK: true}
	a, err := New(cfg)
	if err != nil {
		return res, fmt.Errorf("opening the salvaged store: %w", err)
	}
	defer a.Close()
	wss, err := a.store.Workspaces()
	if err != nil {
		return res, err
	}
	var errs []error
	for _, w := range wss {
		d, err := a.Doctor(ctx, w.Name, true)
		if d != nil {
			res.Repairs = append(res.Repairs, d)
			res.OK = res.OK && d.OK
		}
		if err != nil {
			res.OK = false
			errs = append(errs, fmt.Errorf("repairing workspace %s: %w", w.Name, err))
		}
	}
	return res, errors.Join(errs...)
}
