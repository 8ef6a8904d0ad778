// Package pgtest starts a private PostgreSQL server for tests: initdb in a
// temporary folder, a Unix socket in that folder and no TCP port, trust
// authentication for the socket alone, and two roles: an owner that runs
// the migrations and an app role (no superuser, no BYPASSRLS) that the
// server connects as. As root it runs the server as the postgres user
// (runuser), as PostgreSQL refuses to run as root.
package pgtest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	dir  string
	stop func()
	// OwnerURL, AppURL and SuperURL connect as the tables' owner, as the
	// app role and as the superuser.
	OwnerURL, AppURL, SuperURL string
}

// bindir finds PostgreSQL's programs: on PATH, else Debian's folders.
func bindir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Strings(dirs)
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
			return dirs[i], nil
		}
	}
	return "", fmt.Errorf("PostgreSQL's initdb is not installed: apt-get install postgresql (make test does)")
}

// Start starts a cluster for t and stops it when t ends.
func Start(t testing.TB) *Cluster {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// New starts a cluster outside a test (the load benchmark); Stop ends it
// and removes its folder.
func New() (*Cluster, error) {
	bin, err := bindir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "engram-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{dir: dir}
	c.stop = func() { os.RemoveAll(dir) }
	fail := func(err error) (*Cluster, error) {
		c.Stop()
		return nil, err
	}
	asUser := []string{}
	super := currentUser()
	if os.Getuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return fail(fmt.Errorf("running as root needs the postgres user to run PostgreSQL: %v", err))
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return fail(err)
		}
		asUser = []string{"runuser", "-u", "postgres", "--"}
		super = "postgres"
	}
	pgdata := filepath.Join(dir, "data")
	run := func(args ...string) error {
		full := append(append([]string{}, asUser...), args...)
		cmd := exec.Command(full[0], full[1:]...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%v: %v\n%s", args, err, out.String())
		}
		return nil
	}
	if err := run(filepath.Join(bin, "initdb"), "-D", pgdata, "-A", "trust", "-U", super, "--no-sync", "-E", "UTF8", "--locale=C"); err != nil {
		return fail(err)
	}
	opts := fmt.Sprintf("-c listen_addresses='' -c unix_socket_directories='%s' -c fsync=off -c max_connections=200 -c shared_buffers=64MB", dir)
	if err := run(filepath.Join(bin, "pg_ctl"), "-D", pgdata, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start"); err != nil {
		return fail(err)
	}
	c.stop = func() {
		full := append(append([]string{}, asUser...), filepath.Join(bin, "pg_ctl"), "-D", pgdata, "-m", "immediate", "stop")
		exec.Command(full[0], full[1:]...).Run()
		os.RemoveAll(dir)
	}
	url := func(role, db string) string {
		return fmt.Sprintf("postgres://%s@/%s?host=%s&port=5432&sslmode=disable", role, db, dir)
	}
	c.SuperURL = url(super, "postgres")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.SuperURL)
	if err != nil {
		return fail(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		"CREATE ROLE engram_owner LOGIN",
		"CREATE ROLE engram_app LOGIN NOSUPERUSER NOBYPASSRLS",
		"CREATE DATABASE engram OWNER engram_owner",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return fail(fmt.Errorf("%s: %v", sql, err))
		}
	}
	c.OwnerURL = url("engram_owner", "engram")
	c.AppURL = url("engram_app", "engram")
	c.SuperURL = url(super, "engram")
	return c, nil
}

// Stop stops the server and removes its folder.
func (c *Cluster) Stop() {
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "postgres"
}
