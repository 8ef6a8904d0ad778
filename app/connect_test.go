package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/engram-app/engram/connect"
	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/connect/connecttest"
	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/connect/secrets"
)

// connectApp is a container whose connectors point at the fakes, whose
// browser is the fake authorization server approving at once, and whose
// tokens go to the encrypted file.
func connectApp(t *testing.T, as *connecttest.AS, mode string) (*App, string) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv(EnvPassphrase, "test passphrase")
	a := newTestApp(t, dir)
	a.conn.retry = &api.Client{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}
	a.conn.browser = func(u string) error {
		loc, err := connecttest.Approve(u)
		if err != nil {
			return err
		}
		go connecttest.Visit(loc)
		return nil
	}
	must(t, a.SetSetting(SettingSecretsStore, mode))
	return a, dir
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func point(t *testing.T, a *App, name string, as *connecttest.AS, apiBase string) {
	t.Helper()
	must(t, a.SetSetting("connect."+name+".auth_url", as.AuthURL()))
	must(t, a.SetSetting("connect."+name+".token_url", as.TokenURL()))
	must(t, a.SetSetting("connect."+name+".api_base", apiBase))
	must(t, a.SetSetting("connect."+name+".client_id", as.ClientID))
	if as.ClientSecret != "" {
		must(t, a.SetSetting("connect."+name+".client_secret", as.ClientSecret))
	}
}

func caseMail(n int) []byte {
	return fmt.Appendf(nil, "From: Dana Scully <dana@example.org>\r\nTo: fox@example.org\r\nSubject: Case file %d\r\nMessage-ID: <case%d@example.org>\r\nDate: Tue, 3 Jan 2023 10:00:00 +0000\r\n\r\nThe case number %d mentions kestrel%d.\r\n", n, n, n, n)
}

// grepTree fails when any file under dir holds one of the tokens.
func grepTree(t *testing.T, dir string, tokens []string) {
	t.Helper()
	if len(tokens) == 0 {
		t.Fatal("no tokens to look for")
	}
	files := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // retired by the index's merger while walking
		}
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // a segment the index's merger retired meanwhile
		}
		if err != nil {
			return err
		}
		files++
		for _, tok := range tokens {
			if bytes.Contains(data, []byte(tok)) {
				t.Errorf("token %s… found in %s", tok[:12], p)
			}
		}
		return nil
	})
	must(t, err)
	if files == 0 {
		t.Fatal("nothing to grep")
	}
}

// TestGmailConnectorEndToEnd: sign in through the loopback, sync into the
// real store, index and graph, sync a change incrementally, find it all by
// search, and no token in the data directory; disconnect leaves no secret.
func TestGmailConnectorEndToEnd(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	as.ClientSecret = "canary-client-secret-77"
	g := connecttest.NewGmail(as, "dana@example.org")
	defer g.Close()
	g.AddLabel("Label_9", "X-Files")
	for i := range 300 {
		g.Add(caseMail(i), "INBOX")
	}
	a, dir := connectApp(t, as, "file")
	point(t, a, "gmail", as, g.URL())
	ctx := context.Background()

	st, err := a.Connect(ctx, "", "gmail", connect.ConnectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != connect.StatusConnected || st.Account != "dana@example.org" {
		t.Fatalf("after connect: %+v", st)
	}
	sts, err := a.SyncConnectors(ctx, "gmail", nil)
	must(t, err)
	if sts[0].Added != 300 || sts[0].Documents != 300 {
		t.Fatalf("first sync: %+v", sts[0])
	}
	if hits := find(t, a, "kestrel123"); len(hits) != 1 || hits[0].Title != "Case file 123" {
		t.Fatalf("search after sync: %+v", hits)
	}
	if hits := find(t, a, "tag:inbox kestrel7"); len(hits) != 1 {
		t.Fatalf("labels are not tags: %+v", hits)
	}
	var id5 string
	for _, h := range find(t, a, "kestrel5") {
		d, err := a.Document("", h.ID)
		must(t, err)
		id5 = d.Meta["gmail_id"]
	}
	g.Delete(id5)
	g.Add(caseMail(300), "INBOX", "Label_9")
	as.Expire() // the next request is refused; the token refreshes once
	sts, err = a.SyncConnectors(ctx, "", nil)
	must(t, err)
	if sts[0].Added != 1 || sts[0].Removed != 1 || sts[0].Documents != 300 {
		t.Fatalf("incremental sync: %+v", sts[0])
	}
	if as.Refreshes() != 1 {
		t.Fatalf("%d refreshes, want 1", as.Refreshes())
	}
	if hits := find(t, a, "kestrel5"); len(hits) != 0 {
		t.Fatalf("a message deleted in Gmail is still found: %+v", hits)
	}
	if hits := find(t, a, "tag:x-files kestrel300"); len(hits) != 1 {
		t.Fatalf("the new message: %+v", hits)
	}
	rep, err := a.Doctor(ctx, "", false)
	must(t, err)
	if !rep.OK {
		t.Fatalf("store, index and graph disagree after the sync: %+v", rep.Problems)
	}
	list, err := a.ConnectorStatuses()
	must(t, err)
	if len(list) != 3 || list[1].Name != "gmail" || list[1].LastSync.IsZero() || list[0].Status != connect.StatusNotConnected {
		t.Fatalf("connect list: %+v", list)
	}
	grepTree(t, dir, append(as.Issued(), as.ClientSecret))

	must(t, a.Disconnect("gmail"))
	sec := secrets.NewFile(filepath.Join(dir, "secrets.enc"), func() ([]byte, error) { return []byte("test passphrase"), nil }, 0)
	for _, k := range oauth.Kinds {
		if _, err := sec.Get(secrets.Key("gmail", k)); !errors.Is(err, secrets.ErrNotFound) {
			t.Fatalf("%s left after disconnect: %v", k, err)
		}
	}
	if _, err := a.SyncConnectors(ctx, "gmail", nil); !errors.Is(err, connect.ErrNotConnected) {
		t.Fatalf("sync after disconnect: %v", err)
	}
}

// TestSlackAndBoxConnectors: threads and file contents are searchable, a
// trashed Box file goes, and the keychain (go-keyring's mock) holds nothing
// after disconnect.
func TestSlackAndBoxConnectors(t *testing.T) {
	keyring.MockInit()
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	sl := connecttest.NewSlack(as, "acme")
	defer sl.Close()
	sl.AddUser("U1", "Ada Lovelace", "ada@acme.test")
	sl.AddUser("U2", "Alan Turing", "alan@acme.test")
	sl.AddChannel("C1", "engines")
	sl.AddChannel("C2", "random")
	sl.Post("C1", "U1", "1700000001.000100", "The analytical engine needs punched cards", "")
	sl.Post("C1", "U2", "1700000002.000100", "Reply about the marmoset protocol", "1700000001.000100")
	sl.Post("C1", "U1", "1700000003.000100", "Another reply in the thread", "1700000001.000100")
	sl.Post("C2", "U2", "1700000004.000100", "Lunch at noon?", "")
	sl.Post("C2", "U1", "1700000005.000100", "Sure <@U2>", "")
	sl.RateLimit(1)
	bx := connecttest.NewBox(as, "ada@acme.test")
	defer bx.Close()
	docs := bx.AddFolder("0", "Docs")
	bx.AddFile(docs, "notes.txt", []byte("Plain notes about the narwhal budget.\n"))
	bx.AddFile(docs, "page.html", []byte("<html><head><title>Ocelot plan</title></head><body><p>The ocelot plan for spring.</p></body></html>"))
	old := bx.AddFile("0", "old.md", []byte("# Old\n\nThe quokka draft.\n"))
	bx.AddFile("0", "photo.png", []byte("\x89PNG"))

	a, dir := connectApp(t, as, "keychain")
	point(t, a, "slack", as, sl.URL())
	point(t, a, "box", as, bx.URL())
	ctx := context.Background()
	for _, n := range []string{"slack", "box"} {
		if _, err := a.Connect(ctx, "", n, connect.ConnectOptions{}); err != nil {
			t.Fatalf("connect %s: %v", n, err)
		}
	}
	sts, err := a.SyncConnectors(ctx, "", nil)
	must(t, err)
	if len(sts) != 2 || sts[1].Added != 5 || sts[0].Added != 3 {
		t.Fatalf("sync: %+v", sts)
	}
	hits := find(t, a, "marmoset")
	if len(hits) != 1 {
		t.Fatalf("thread reply: %+v", hits)
	}
	reply, err := a.Document("", hits[0].ID)
	must(t, err)
	if reply.InReplyTo == "" || !strings.Contains(reply.From, "Alan Turing") || reply.Meta["thread_ts"] != "1700000001.000100" {
		t.Fatalf("the reply is not in its thread or has no author: %+v", reply)
	}
	for _, q := range []string{"narwhal", "ocelot", "quokka"} {
		if hits := find(t, a, q); len(hits) != 1 {
			t.Fatalf("Box file content %q: %+v", q, hits)
		}
	}
	bx.Trash(old)
	sl.Post("C2", "U2", "1700000006.000100", "A new platypus message", "")
	sts, err = a.SyncConnectors(ctx, "", nil)
	must(t, err)
	if sts[0].Removed != 1 || sts[1].Added != 1 {
		t.Fatalf("second sync: %+v", sts)
	}
	if len(find(t, a, "quokka")) != 0 || len(find(t, a, "platypus")) != 1 {
		t.Fatal("the Box trash or the new Slack message did not sync")
	}
	bx.Trash(docs) // a folder: its files go with it
	sts, err = a.SyncConnectors(ctx, "box", nil)
	must(t, err)
	if sts[0].Removed != 2 || len(find(t, a, "narwhal")) != 0 || len(find(t, a, "ocelot")) != 0 {
		t.Fatalf("a trashed folder's files stayed: %+v", sts[0])
	}
	grepTree(t, dir, as.Issued())
	for _, n := range []string{"slack", "box"} {
		must(t, a.Disconnect(n))
		for _, k := range oauth.Kinds {
			for _, entry := range []string{secrets.Key(n, k), secrets.Key(n, k) + "#2"} {
				if _, err := keyring.Get("engram:"+a.DataDir(), entry); !errors.Is(err, keyring.ErrNotFound) {
					t.Fatalf("keychain entry %s left: %v", entry, err)
				}
			}
		}
	}
}

func TestConnectSettings(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	cases := []struct {
		key, value string
		ok         bool
	}{
		{"connect.gmail.api_base", "https://proxy.example/gmail", true},
		{"connect.gmail.api_base", "http://127.0.0.1:8080", true},
		{"connect.gmail.api_base", "http://proxy.example", false},
		{"connect.slack.redirect_url", "https://relay.example/slack", true},
		{"connect.slack.redirect_url", "http://127.0.0.1/slack", false},
		{"connect.dropbox.client_id", "x", false},
		{"connect.gmail.colour", "x", false},
		{"secrets.store", "file", true},
		{"secrets.store", "plain", false},
		{"connect.sync_interval_min", "0", false},
		{"connect.sync_interval_min", "30", true},
	}
	for _, c := range cases {
		if err := a.SetSetting(c.key, c.value); (err == nil) != c.ok {
			t.Errorf("%s=%s: %v, want ok=%v", c.key, c.value, err, c.ok)
		}
	}
	t.Setenv(EnvPassphrase, "pw")
	must(t, a.SetSetting("connect.box.client_secret", "canary-box-secret"))
	all, err := a.Store().Settings()
	must(t, err)
	for k, v := range all {
		if strings.Contains(v, "canary-box-secret") || strings.Contains(k, "client_secret") {
			t.Fatalf("the client secret is in the settings: %s", k)
		}
	}
}

// TestConnectorsServiceStartConnect: the view's sign-in returns the address
// at once, without opening a browser itself (the view opens it), and
// completes in the background once the browser arrives at the redirect; a
// connector without a client ID fails at once with a message saying what
// to set.
func TestConnectorsServiceStartConnect(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	bx := connecttest.NewBox(as, "ada@acme.test")
	defer bx.Close()
	a, _ := connectApp(t, as, "file")
	svc := NewConnectorsService(a)
	if _, err := svc.StartConnect("", "box"); !errors.Is(err, connect.ErrNoClientID) {
		t.Fatalf("without a client ID: %v", err)
	}
	point(t, a, "box", as, bx.URL())
	start, err := svc.StartConnect("", "box")
	must(t, err)
	if !strings.HasPrefix(start.AuthURL, as.AuthURL()+"?") {
		t.Fatalf("auth URL %s", start.AuthURL)
	}
	// The view opens the address (the container's browser is not used):
	// play the browser the view sent there.
	loc, err := connecttest.Approve(start.AuthURL)
	must(t, err)
	if _, err := connecttest.Visit(loc); err != nil {
		t.Fatalf("the sign-in's redirect: %v", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		sts, err := svc.List()
		must(t, err)
		if sts[0].Status == connect.StatusConnected {
			break
		}
		if time.Now().After(deadline) {
			msg, _ := svc.ConnectError("box")
			t.Fatalf("not connected: %+v (%s)", sts[0], msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
	sts, err := svc.Disconnect("box")
	must(t, err)
	if sts[0].Status != connect.StatusNotConnected {
		t.Fatalf("after disconnect: %+v", sts[0])
	}
}

// TestRevokedSignInShowsReconnectNeeded: the provider refuses the refresh
// token (invalid_grant): the sync stops with ErrReconnect and the
// connector's status says "reconnect_needed".
func TestRevokedSignInShowsReconnectNeeded(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	g := connecttest.NewGmail(as, "dana@example.org")
	defer g.Close()
	g.Add(caseMail(1), "INBOX")
	a, _ := connectApp(t, as, "file")
	point(t, a, "gmail", as, g.URL())
	ctx := context.Background()
	if _, err := a.Connect(ctx, "", "gmail", connect.ConnectOptions{}); err != nil {
		t.Fatal(err)
	}
	as.Expire()
	as.RevokeRefresh()
	sts, err := a.SyncConnectors(ctx, "gmail", nil)
	if !errors.Is(err, connect.ErrReconnect) {
		t.Fatalf("sync with a revoked sign-in: %v", err)
	}
	if sts[0].Status != connect.StatusReconnect || !strings.Contains(sts[0].Error, "reconnect needed") {
		t.Fatalf("status %+v", sts[0])
	}
}
