// Package teamclient is the desktop's side of the team sync server: sign-in
// through the server (the connectors' loopback + PKCE flow, tokens in the
// secrets store), and push, pull and status of the workspaces the user
// chooses, over syncproto.
//
// Its state is a bbolt file of its own, team.db in the data directory:
//
//	meta                 server, account (the e-mail signed in as), device, workspaces (JSON list)
//	ws/<name>/items      kind "/" key -> JSON item: the heads the pulled log gives
//	ws/<name>/outbox     8-byte sequence -> JSON syncproto.Change not yet acknowledged
//	ws/<name>/state      cursor -> the log position pulled up to; pushed_at, pulled_at ->
//	                     when the last push and pull completed (RFC 3339)
//
// A push first records every change it will send in the outbox, each with
// an ID made here, in one transaction; it then sends the outbox in batches
// and removes a batch only once the server acknowledged it. A push killed
// at any point and run again sends the same IDs, which the server stores
// once: nothing is lost, nothing duplicated. A pull applies each page and
// moves the cursor in one transaction.
package teamclient

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/connect/secrets"
	"github.com/engram-app/engram/syncproto"
)

// Provider is the name the team server's tokens are kept under in the
// secrets store (secrets.Key("team", ...)).
const Provider = "team"

// ErrNotSignedIn means there is no server or no token, or the server no
// longer takes the session (expired or revoked): run engram team login.
var ErrNotSignedIn = errors.New("not signed in to a team server: run `engram team login URL`")

// ErrUnreachable matches (errors.Is) every error of a request that got no
// answer from the team server: it is down, or the network is.
var ErrUnreachable = errors.New("the team server is unreachable")

// unreachableError is a request that got no answer; its message is the
// one the CLI has always printed.
type unreachableError struct{ err error }

func (e *unreachableError) Error() string   { return "reaching the team server: " + e.err.Error() }
func (e *unreachableError) Unwrap() []error { return []error{ErrUnreachable, e.err} }

var (
	bucketMeta = []byte("meta")
	bucketWS   = []byte("ws")
	keyItems   = []byte("items")
	keyOutbox  = []byte("outbox")
	keyState   = []byte("state")
)

// Options open a Client.
type Options struct {
	// Dir is the data directory; the state is Dir/team.db.
	Dir string
	// Secrets keeps the tokens (the keychain or the encrypted file).
	Secrets secrets.Store
	// HTTPClient talks to the team server; nil means a client with a
	// one-minute timeout.
	HTTPClient *http.Client
	// Batch is how many changes a push request carries, 1 to 1000; zero
	// means 200.
	Batch int
}

// Client is one desktop's link to its team server. Only the process that
// owns the data directory opens it (bbolt locks the file). Its methods are
// safe for concurrent use; a sign-in switches the server of the calls that
// start after it.
type Client struct {
	db     *bolt.DB
	sec    secrets.Store
	hc     *http.Client
	batch  int
	device string

	mu      sync.Mutex // guards server, account and tokens
	server  string
	account string
	tokens  *oauth.Tokens // nil until signed in
}

// Open opens (making on first use) the team state in opts.Dir.
func Open(opts Options) (*Client, error) {
	if opts.Batch == 0 {
		opts.Batch = 200
	}
	if opts.Batch < 1 || opts.Batch > 1000 {
		return nil, fmt.Errorf("the push batch must be 1 to 1000 changes, not %d", opts.Batch)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: time.Minute}
	}
	db, err := bolt.Open(filepath.Join(opts.Dir, "team.db"), 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", filepath.Join(opts.Dir, "team.db"), err)
	}
	c := &Client{db: db, sec: opts.Secrets, hc: opts.HTTPClient, batch: opts.Batch}
	err = db.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(bucketWS); err != nil {
			return err
		}
		if d := m.Get([]byte("device")); d != nil {
			c.device = string(d)
		} else {
			c.device = newID()
			if err := m.Put([]byte("device"), []byte(c.device)); err != nil {
				return err
			}
		}
		c.server = string(m.Get([]byte("server")))
		c.account = string(m.Get([]byte("account")))
		return nil
	})
	if err != nil {
		db.Close()
		return nil, err
	}
	if c.server != "" {
		c.tokens = oauth.NewTokens(endpoint(c.server), c.sec, c.hc, nil)
	}
	return c, nil
}

// Close closes the state file.
func (c *Client) Close() error { return c.db.Close() }

// Device is this desktop's device ID (a UUID made on first use).
func (c *Client) Device() string { return c.device }

// Server is the team server signed in to, "" before a sign-in.
func (c *Client) Server() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.server
}

// Account is the e-mail address the last sign-in was made as, "" before
// one (or when the server gave none).
func (c *Client) Account() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.account
}

// Session is the server signed in to and whether there is a sign-in
// (tokens kept for it; the server may still refuse them as expired).
func (c *Client) Session() (server string, signedIn bool) {
	server, tokens := c.session()
	return server, tokens != nil
}

// session is the server and tokens of a call; tokens is nil before a
// sign-in.
func (c *Client) session() (string, *oauth.Tokens) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.server, c.tokens
}

func endpoint(server string) oauth.Endpoint {
	return oauth.Endpoint{
		Provider: Provider,
		AuthURL:  server + "/auth/login",
		TokenURL: server + "/auth/token",
		ClientID: syncproto.DesktopClientID,
	}
}

// newID is a random (version 4) UUID, lower case.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand, Go 1.24 and later)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// CheckServerURL checks the team server's address: http(s), a host, no
// query; http only to a loopback host.
func CheckServerURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSuffix(raw, "/"))
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("the team server URL must be https://HOST[:PORT][/PATH], not %q", raw)
	}
	if u.Scheme == "http" && u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1" {
		return "", fmt.Errorf("the team server URL must be https unless it is on this machine (%q)", raw)
	}
	return u.String(), nil
}

// Who is the signed-in user, as the server says.
type Who struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Login signs in to the team server at server: it begins the loopback +
// PKCE flow (pending keeps it, so a restart can resume it), hands its
// address to browse, waits for the browser to come back, saves the tokens
// in the secrets store and records the server.
func (c *Client) Login(ctx context.Context, server string, pending oauth.Pending, browse func(authURL string) error) (Who, error) {
	server, err := CheckServerURL(server)
	if err != nil {
		return Who{}, err
	}
	ep := endpoint(server)
	flow, err := oauth.Begin(ep, pending, oauth.Options{HTTPClient: c.hc})
	if err != nil {
		return Who{}, err
	}
	defer flow.Close()
	if err := browse(flow.AuthURL()); err != nil {
		return Who{}, err
	}
	tok, err := flow.Wait(ctx)
	if err != nil {
		return Who{}, err
	}
	tokens := oauth.NewTokens(ep, c.sec, c.hc, nil)
	if err := tokens.Save(tok); err != nil {
		return Who{}, fmt.Errorf("saving the team server's token: %w", err)
	}
	if err := c.db.Update(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if err := m.Put([]byte("server"), []byte(server)); err != nil {
			return err
		}
		return m.Delete([]byte("account"))
	}); err != nil {
		return Who{}, err
	}
	c.mu.Lock()
	c.server, c.account, c.tokens = server, "", tokens
	c.mu.Unlock()
	var who Who
	if err := c.call(ctx, http.MethodGet, "/v1/whoami", nil, &who); err != nil {
		return who, err
	}
	if err := c.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put([]byte("account"), []byte(who.Email))
	}); err != nil {
		return who, err
	}
	c.mu.Lock()
	c.account = who.Email
	c.mu.Unlock()
	return who, nil
}

// RefusedError is the team server's refusal of a request: any answer but
// 200, and 401 (ErrNotSignedIn). Status is the HTTP status (403: the user
// may not; 404: no such user, team or workspace; 400: a bad name), Message
// the server's words, which say what to do.
type RefusedError struct {
	Status  int
	Message string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the team server answered %d: %s", e.Status, e.Message)
}

// call sends one request with the session token and decodes the JSON
// answer into out. A 401 makes it refresh the token once and try again.
func (c *Client) call(ctx context.Context, method, path string, body any, out any) error {
	server, tokens := c.session()
	if tokens == nil {
		return ErrNotSignedIn
	}
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			return err
		}
	}
	for attempt := 0; ; attempt++ {
		tok, err := tokens.Token(ctx)
		if errors.Is(err, oauth.ErrReconnect) {
			return fmt.Errorf("%w (%v)", ErrNotSignedIn, err)
		}
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, method, server+path, bytes.NewReader(raw))
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := c.hc.Do(req)
		if err != nil {
			return &unreachableError{err}
		}
		data, err := io.ReadAll(io.LimitReader(res.Body, 256<<20))
		res.Body.Close()
		if err != nil {
			return fmt.Errorf("reading the team server's answer: %w", err)
		}
		if res.StatusCode == http.StatusUnauthorized && attempt == 0 {
			tokens.Invalidate(tok.AccessToken)
			continue
		}
		if res.StatusCode != http.StatusOK {
			var e struct{ Error string }
			_ = json.Unmarshal(data, &e)
			if e.Error == "" {
				e.Error = http.StatusText(res.StatusCode)
			}
			if res.StatusCode == http.StatusUnauthorized {
				return fmt.Errorf("%w (%s)", ErrNotSignedIn, e.Error)
			}
			return &RefusedError{Status: res.StatusCode, Message: e.Error}
		}
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("the team server's answer is not the sync protocol's JSON: %w", err)
		}
		return nil
	}
}
