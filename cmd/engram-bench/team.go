package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/engram-app/engram/teamserver/loadtest"
)

// team drives the team server as many users (package teamserver/loadtest)
// and prints its BENCHMARKS.md rows. It starts a private PostgreSQL unless
// --db and --owner-db name one.
func team(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("team", flag.ContinueOnError)
	var o loadtest.Options
	fs.IntVar(&o.Instances, "instances", 3, "server instances, 1 to 16")
	fs.IntVar(&o.Pool, "pool", 2, "database connections per instance, 1 to 100")
	fs.IntVar(&o.Users, "users", 200, "simulated users, 2 to 100000")
	fs.IntVar(&o.NotesPerUser, "notes", 20, "notes each user pushes first, 1 to 1000")
	fs.IntVar(&o.Requests, "requests", 100000, "requests in all (search, pull, push), 1 to 100000000")
	fs.IntVar(&o.Workers, "workers", 16, "requests in flight, 1 to 1000")
	fs.Float64Var(&o.Cancel, "cancel", 0.1, "share of requests cancelled mid-query, 0 to 1")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the request mix")
	fs.StringVar(&o.DB, "db", "", "an existing database's app-role URL (default: a private PostgreSQL)")
	fs.StringVar(&o.OwnerDB, "owner-db", "", "its owner's URL, to migrate it")
	out := fs.String("out", "", "also write the rows to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (o.DB == "") != (o.OwnerDB == "") {
		return fmt.Errorf("team: --db and --owner-db go together")
	}
	o.Progress = func(n int) { fmt.Fprintf(os.Stderr, "team: %d requests\n", n) }
	r, err := loadtest.Run(ctx, o)
	if r != nil {
		md := r.Markdown()
		fmt.Print(md)
		if *out != "" {
			if werr := os.WriteFile(*out, []byte(md), 0o644); werr != nil {
				return werr
			}
		}
		if err == nil && r.Leaks > 0 {
			err = fmt.Errorf("team: %d answers held another user's canary", r.Leaks)
		}
	}
	return err
}
