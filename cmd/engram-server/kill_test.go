package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/engram-app/engram/connect/secrets"
	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamserver"
	"github.com/engram-app/engram/teamserver/pgtest"
)

// TestMain lets a test start this binary as a real engram-server process
// (ENGRAM_TEST_AS_SERVER=1), which a test can kill -9.
func TestMain(m *testing.M) {
	if os.Getenv("ENGRAM_TEST_AS_SERVER") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// instance is one engram-server process.
type instance struct {
	cmd *exec.Cmd
	url *url.URL
}

// startInstance starts engram-server serve on a free loopback port and
// waits for its "serving" log line.
func startInstance(t *testing.T, args ...string) *instance {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0", "--pool", "2"}, args...)...)
	cmd.Env = append(os.Environ(), "ENGRAM_TEST_AS_SERVER=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			var line struct{ Msg, Addr string }
			if !sent && json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "serving" {
				addr <- line.Addr
				sent = true
			}
		}
		if !sent {
			close(addr)
		}
	}()
	select {
	case a, ok := <-addr:
		if !ok {
			t.Fatal("engram-server exited before it served")
		}
		return &instance{cmd: cmd, url: &url.URL{Scheme: "http", Host: a}}
	case <-time.After(30 * time.Second):
		t.Fatal("engram-server did not start in 30 s")
	}
	return nil
}

// kill9 kills the instance with SIGKILL and reaps it.
func (in *instance) kill9() {
	in.cmd.Process.Kill()
	in.cmd.Wait()
}

// balancer is the load balancer in front of the instances: it sends every
// request to the instance now chosen, and a hook sees each request before
// it goes and its answer before the client gets it.
type balancer struct {
	to     atomic.Pointer[instance]
	before atomic.Pointer[func(*http.Request)]
	after  atomic.Pointer[func(*http.Request) error] // an error drops the answer: the client gets a 502
	base   http.RoundTripper
}

func (b *balancer) RoundTrip(r *http.Request) (*http.Response, error) {
	if f := b.before.Load(); f != nil {
		(*f)(r)
	}
	res, err := b.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if f := b.after.Load(); f != nil {
		if herr := (*f)(r); herr != nil {
			res.Body.Close()
			return nil, herr
		}
	}
	return res, nil
}

func (b *balancer) handler() http.Handler {
	return &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(b.to.Load().url)
			r.Out.Host = r.In.Host
		},
		Transport: b,
	}
}

// TestInstanceKilledMidSync: two engram-server processes on one
// PostgreSQL behind a load balancer. Instance A is killed -9 while a
// push's batch waits inside its transaction; B takes over and is killed
// -9 after it committed a batch and before the client heard back; a new
// A finishes the push. Then a second desktop's pull loses its instance
// after a page was read and before it arrived. Every change is stored
// once, the rerun counts the unanswered batch as duplicates, and both
// desktops end with every note, each with one version.
func TestInstanceKilledMidSync(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	if _, err := teamserver.Migrate(ctx, pg.OwnerURL, "engram_app"); err != nil {
		t.Fatal(err)
	}
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer idp.Shutdown()
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte(idp.ClientSecret), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pub := "http://" + ln.Addr().String()
	lb := &balancer{base: &http.Transport{DisableKeepAlives: true}}
	hs := &httptest.Server{Listener: ln, Config: &http.Server{Handler: lb.handler()}}
	hs.Start()
	defer hs.Close()
	start := func() *instance {
		return startInstance(t, "--db", pg.AppURL, "--oidc-issuer", idp.Issuer(), "--oidc-client-id", idp.ClientID,
			"--oidc-client-secret-file", secret, "--oidc-secret-in-body", "--public-url", pub)
	}
	a, b := start(), start()

	desk := func(subject string, batch int) *teamclient.Client {
		dir := t.TempDir()
		st, err := store.Open(filepath.Join(dir, "engram.db"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		sec := secrets.NewFile(filepath.Join(dir, "secrets.enc"), func() ([]byte, error) { return []byte("pw"), nil }, 1<<10)
		c, err := teamclient.Open(teamclient.Options{Dir: dir, Secrets: sec, Batch: batch})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		_, err = c.Login(ctx, pub, st, func(authURL string) error {
			idp.QueueUser(&mockoidc.MockUser{Subject: subject, Email: subject + "@example.org"})
			res, err := http.Get(authURL)
			if err != nil {
				return err
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				return fmt.Errorf("the sign-in ended with %d at %s", res.StatusCode, res.Request.URL)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("sign-in of %s: %v", subject, err)
		}
		return c
	}
	lb.to.Store(a)
	laptop := desk("kit", 50)
	lb.to.Store(b)
	desktop := desk("kit", 50)

	const n = 1200
	notes := func(fn func(teamclient.Note) error) error {
		for i := range n {
			if err := fn(teamclient.Note{Kind: syncproto.KindNote, Key: fmt.Sprintf("n/%04d.md", i), Title: fmt.Sprint(i), Body: fmt.Sprintf("note %d", i)}); err != nil {
				return err
			}
		}
		return nil
	}
	super, err := pgx.Connect(ctx, pg.SuperURL)
	if err != nil {
		t.Fatal(err)
	}
	defer super.Close(ctx)
	locker, err := pgx.Connect(ctx, pg.SuperURL)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	isPush := func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, "/v1/sync/push") }

	// 1. A dies while the fourth batch waits for a lock inside its
	// transaction: three batches are stored, the fourth is not.
	lb.to.Store(a)
	var pushes atomic.Int64
	var lockTx pgx.Tx
	locked := make(chan struct{})
	before := func(r *http.Request) {
		if isPush(r) && pushes.Add(1) == 4 {
			var err error
			if lockTx, err = locker.Begin(ctx); err == nil {
				_, err = lockTx.Exec(ctx, `LOCK TABLE changes IN SHARE MODE`)
			}
			if err != nil {
				t.Errorf("locking changes: %v", err)
			}
			close(locked)
		}
	}
	lb.before.Store(&before)
	pushed := make(chan error, 1)
	go func() { _, err := laptop.Push(ctx, "team", notes); pushed <- err }()
	select {
	case <-locked:
	case err := <-pushed:
		t.Fatalf("the push ended before its fourth batch: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("the push never sent its fourth batch")
	}
	lb.before.Store(nil)
	waitFor(t, "the fourth batch waiting for its lock", func() bool {
		var waiting int
		super.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE usename = 'engram_app' AND wait_event_type = 'Lock'`).Scan(&waiting)
		return waiting == 1
	})
	a.kill9()
	if err := <-pushed; err == nil {
		t.Fatal("the push through a killed instance reported success")
	}
	if err := lockTx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// The killed instance's backend finds its client gone and rolls back.
	waitFor(t, "the killed instance's transaction to end", func() bool {
		var open int
		super.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE usename = 'engram_app' AND state <> 'idle'`).Scan(&open)
		return open == 0
	})
	if rows := count(t, super, `SELECT count(*) FROM changes`); rows != 3*50 {
		t.Fatalf("after A died the server holds %d changes, want the 150 of three batches", rows)
	}

	// 2. B takes over and dies after it committed the third batch of the
	// rerun and before the client heard back.
	lb.to.Store(b)
	pushes.Store(0)
	after := func(r *http.Request) error {
		if isPush(r) && pushes.Add(1) == 3 {
			b.kill9()
			return errors.New("instance B killed")
		}
		return nil
	}
	lb.after.Store(&after)
	if _, err := laptop.Push(ctx, "team", notes); err == nil {
		t.Fatal("the push through a killed instance reported success")
	}
	lb.after.Store(nil)
	if rows := count(t, super, `SELECT count(*) FROM changes`); rows != 6*50 {
		t.Fatalf("after B died the server holds %d changes, want 300", rows)
	}

	// 3. A comes back (a new process) and the push finishes.
	a = start()
	lb.to.Store(a)
	rep, err := laptop.Push(ctx, "team", notes)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Queued != 0 || rep.Duplicates != 50 || rep.Accepted != n-6*50 {
		t.Fatalf("the push after both kills: %+v", rep)
	}
	var rows, keys, ids int
	if err := super.QueryRow(ctx, `SELECT count(*), count(DISTINCT key), count(DISTINCT change_id) FROM changes`).Scan(&rows, &keys, &ids); err != nil {
		t.Fatal(err)
	}
	if rows != n || keys != n || ids != n {
		t.Fatalf("the server holds %d changes of %d keys with %d ids, want %d of each", rows, keys, ids, n)
	}

	// 4. The desktop pulls (pages of 500); A dies after it read the second
	// page and before the desktop got it; B, started again, finishes.
	var pulls atomic.Int64
	afterPull := func(r *http.Request) error {
		if strings.HasSuffix(r.URL.Path, "/v1/sync/pull") && pulls.Add(1) == 2 {
			a.kill9()
			return errors.New("instance A killed")
		}
		return nil
	}
	lb.after.Store(&afterPull)
	if _, err := desktop.Pull(ctx, "team"); err == nil {
		t.Fatal("the pull through a killed instance reported success")
	}
	lb.after.Store(nil)
	b = start()
	lb.to.Store(b)
	if _, err := desktop.Pull(ctx, "team"); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.Pull(ctx, "team"); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]*teamclient.Client{"laptop": laptop, "desktop": desktop} {
		items, err := c.Items("team")
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != n {
			t.Fatalf("the %s has %d items, want %d", name, len(items), n)
		}
		for i, it := range items {
			if want := fmt.Sprintf("note %d", i); len(it.Heads) != 1 || it.Heads[0].Body != want || it.Heads[0].Deleted {
				t.Fatalf("the %s's item %s: %+v, want the one version %q", name, it.Key, it.Heads, want)
			}
		}
		st, err := c.Status([]string{"team"})
		if err != nil || st.Workspaces[0].Pending != 0 || len(st.Workspaces[0].Conflicts) != 0 {
			t.Fatalf("the %s's status: %+v %v", name, st, err)
		}
	}
}

func count(t *testing.T, conn *pgx.Conn, sql string) int {
	t.Helper()
	var n int
	if err := conn.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond for up to 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
	}
}
