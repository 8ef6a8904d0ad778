package oauth_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/engram-app/engram/connect/connecttest"
	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/store"
)

func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "engram.db")
	}
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func endpoint(as *connecttest.AS, provider string) oauth.Endpoint {
	return oauth.Endpoint{Provider: provider, AuthURL: as.AuthURL(), TokenURL: as.TokenURL(), ClientID: as.ClientID, Scopes: []string{"read"}}
}

// clock is a settable clock shared by the flow and the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func begin(t *testing.T, ep oauth.Endpoint, ps oauth.Pending, opts oauth.Options) (*oauth.Flow, string) {
	t.Helper()
	f, err := oauth.Begin(ep, ps, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	loc, err := connecttest.Approve(f.AuthURL())
	if err != nil {
		t.Fatal(err)
	}
	return f, loc
}

func withQuery(t *testing.T, loc string, edit func(q url.Values)) string {
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	edit(q)
	u.RawQuery = q.Encode()
	return u.String()
}

func waitResult(t *testing.T, f *oauth.Flow) (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return f.Wait(ctx)
}

func TestSignInCompletes(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	st := openStore(t, "")
	f, loc := begin(t, endpoint(as, "gmail"), st, oauth.Options{})

	u, _ := url.Parse(f.AuthURL())
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 {
		t.Fatalf("authorization URL without an S256 challenge: %s", f.AuthURL())
	}
	if len(q.Get("state")) < 22 { // 128 bits in base64url
		t.Fatalf("state %q is shorter than 128 bits", q.Get("state"))
	}
	ru, _ := url.Parse(q.Get("redirect_uri"))
	if ru.Hostname() != "127.0.0.1" || ru.Port() == "" || ru.Path != oauth.CallbackPath {
		t.Fatalf("redirect URI %s is not the loopback with an exact path", ru)
	}
	if code, err := connecttest.Visit(loc); err != nil || code != http.StatusOK {
		t.Fatalf("callback: %d, %v", code, err)
	}
	tok, err := waitResult(t, f)
	if err != nil || !as.Valid(tok.AccessToken) || tok.RefreshToken == "" {
		t.Fatalf("token %v, %v", tok, err)
	}
	if n := as.TokenRequests(); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
	if c, err := net.Dial("tcp", ru.Host); err == nil {
		c.Close()
		t.Fatal("the loopback listener is still open after the sign-in")
	}
	// The state was spent: nothing is left pending.
	if ps, _ := st.PendingFor("gmail", time.Now()); len(ps) != 0 {
		t.Fatalf("%d pending sign-ins left", len(ps))
	}
}

// TestCallbackNegativeMatrix: every callback that is not this flow's valid,
// fresh, first response is refused, and those about the state make no token
// request. After each refusal the flow still completes with its real
// callback, so a forged request cannot end it either.
func TestCallbackNegativeMatrix(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	st := openStore(t, "")
	_, otherLoc := begin(t, endpoint(as, "gmail"), st, oauth.Options{})
	_, slackLoc := begin(t, endpoint(as, "slack"), st, oauth.Options{})
	stateOf := func(loc string) string { u, _ := url.Parse(loc); return u.Query().Get("state") }

	cases := []struct {
		name   string
		tamper func(t *testing.T, loc string) (string, string) // address, Host header ("" = the address's)
		status int
	}{
		{"state missing", func(t *testing.T, loc string) (string, string) {
			return withQuery(t, loc, func(q url.Values) { q.Del("state") }), ""
		}, http.StatusBadRequest},
		{"state wrong", func(t *testing.T, loc string) (string, string) {
			return withQuery(t, loc, func(q url.Values) { q.Set("state", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") }), ""
		}, http.StatusBadRequest},
		{"state of another flow", func(t *testing.T, loc string) (string, string) {
			return withQuery(t, loc, func(q url.Values) { q.Set("state", stateOf(otherLoc)) }), ""
		}, http.StatusBadRequest},
		{"state of another provider", func(t *testing.T, loc string) (string, string) {
			return withQuery(t, loc, func(q url.Values) { q.Set("state", stateOf(slackLoc)) }), ""
		}, http.StatusBadRequest},
		{"state twice", func(t *testing.T, loc string) (string, string) {
			return withQuery(t, loc, func(q url.Values) { q["state"] = []string{q.Get("state") + "x", q.Get("state")} }), ""
		}, http.StatusBadRequest},
		{"redirect path wrong", func(t *testing.T, loc string) (string, string) {
			return strings.Replace(loc, oauth.CallbackPath, "/oauth2/callback/", 1), ""
		}, http.StatusNotFound},
		{"redirect host wrong", func(t *testing.T, loc string) (string, string) {
			u, _ := url.Parse(loc)
			return loc, "localhost:" + u.Port()
		}, http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, loc := begin(t, endpoint(as, "gmail"), st, oauth.Options{})
			before := as.TokenRequests()
			addr, host := c.tamper(t, loc)
			req, _ := http.NewRequest(http.MethodGet, addr, nil)
			if host != "" {
				req.Host = host
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
			}
			if n := as.TokenRequests() - before; n != 0 {
				t.Fatalf("%d token requests reached the server", n)
			}
			if code, _ := connecttest.Visit(loc); code != http.StatusOK {
				t.Fatalf("the real callback after the refusal: %d", code)
			}
			if _, err := waitResult(t, f); err != nil {
				t.Fatalf("the flow did not complete after the refusal: %v", err)
			}
		})
	}
}

func TestExpiredStateNeverCompletes(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	st := openStore(t, "")
	clk := &clock{t: time.Now()}
	f, loc := begin(t, endpoint(as, "gmail"), st, oauth.Options{Now: clk.Now})
	clk.Add(oauth.TTL + time.Second)
	if code, _ := connecttest.Visit(loc); code != http.StatusBadRequest {
		t.Fatalf("expired callback: %d", code)
	}
	if _, err := waitResult(t, f); !errors.Is(err, oauth.ErrStateExpired) {
		t.Fatalf("Wait: %v, want ErrStateExpired", err)
	}
	if n := as.TokenRequests(); n != 0 {
		t.Fatalf("%d token requests for an expired state", n)
	}
}

func TestWaitStopsAtTheTTL(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	st := openStore(t, "")
	clk := &clock{t: time.Now().Add(-oauth.TTL)} // the flow was begun 10 minutes ago
	f, loc := begin(t, endpoint(as, "gmail"), st, oauth.Options{Now: clk.Now})
	clk.Add(oauth.TTL)
	if _, err := waitResult(t, f); !errors.Is(err, oauth.ErrStateExpired) {
		t.Fatalf("Wait: %v, want ErrStateExpired", err)
	}
	if _, err := connecttest.Visit(loc); err == nil {
		t.Fatal("the listener still answers after the TTL")
	}
}

func TestIssuer(t *testing.T) {
	cases := []struct {
		name    string
		send    bool
		sent    string
		want    string
		require bool
		ok      bool
	}{
		{"matching iss", true, "https://as.example", "https://as.example", false, true},
		{"other iss (mix-up)", true, "https://evil.example", "https://as.example", false, false},
		{"no iss, not required", false, "", "https://as.example", false, true},
		{"no iss, required", false, "", "https://as.example", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			as := connecttest.NewAS("engram-desktop")
			defer as.Close()
			as.SendIssuer, as.Issuer = c.send, c.sent
			ep := endpoint(as, "gmail")
			ep.Issuer, ep.RequireIssuer = c.want, c.require
			f, loc := begin(t, ep, openStore(t, ""), oauth.Options{})
			code, _ := connecttest.Visit(loc)
			if c.ok != (code == http.StatusOK) {
				t.Fatalf("status %d, want ok=%v", code, c.ok)
			}
			if c.ok {
				if _, err := waitResult(t, f); err != nil {
					t.Fatal(err)
				}
			} else if as.TokenRequests() != 0 {
				t.Fatal("a token request for a refused issuer")
			}
		})
	}
}

// TestRestartMidLogin: the process that began the sign-in is gone (its
// listener closed, its store closed); the next one resumes it on the same
// port with the same state and verifier, and the browser's redirect
// completes.
func TestRestartMidLogin(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	path := filepath.Join(t.TempDir(), "engram.db")
	st, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := oauth.Begin(endpoint(as, "gmail"), st, oauth.Options{})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := connecttest.Approve(f.AuthURL()) // the user signs in while Engram restarts
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	st.Close()

	st2 := openStore(t, path)
	f2, err := oauth.Begin(endpoint(as, "gmail"), st2, oauth.Options{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if f2.RedirectURI() != f.RedirectURI() {
		t.Fatalf("resumed on %s, the first listened on %s", f2.RedirectURI(), f.RedirectURI())
	}
	if code, _ := connecttest.Visit(loc); code != http.StatusOK {
		t.Fatalf("callback after restart: %d", code)
	}
	if _, err := waitResult(t, f2); err != nil {
		t.Fatal(err)
	}
}

// TestHTTPSRedirect: Slack's relay. The flow keeps state and PKCE end to
// end; the pasted address is checked like a callback, and a replay is
// refused without a token request.
func TestHTTPSRedirect(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	as.HTTPSRedirect = "https://relay.example/slack/callback"
	st := openStore(t, "")
	ep := endpoint(as, "slack")
	ep.RedirectURL = as.HTTPSRedirect
	f, loc := begin(t, ep, st, oauth.Options{})
	ctx := context.Background()
	for _, bad := range []string{
		strings.Replace(loc, "relay.example", "relay.example.evil", 1),
		strings.Replace(loc, "/slack/callback", "/slack/other", 1),
		strings.Replace(loc, "https://", "http://", 1),
		withQuery(t, loc, func(q url.Values) { q.Del("state") }),
	} {
		if _, err := f.Complete(ctx, bad); err == nil {
			t.Fatalf("accepted %s", bad)
		}
	}
	if as.TokenRequests() != 0 {
		t.Fatal("token requests for refused callbacks")
	}
	if _, err := f.Complete(ctx, loc); err != nil {
		t.Fatal(err)
	}
	n := as.TokenRequests()
	f2, err := oauth.Begin(ep, st, oauth.Options{Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f2.Complete(ctx, loc); err == nil {
		t.Fatal("a replayed callback was accepted")
	}
	if as.TokenRequests() != n {
		t.Fatal("a replayed state reached the token endpoint")
	}
	if _, err := oauth.Begin(oauth.Endpoint{Provider: "slack", RedirectURL: "http://relay.example/cb"}, st, oauth.Options{}); err == nil {
		t.Fatal("a plain http redirect other than the loopback was accepted")
	}
}

// tamper changes the last character of s (to "A", or to "B" when it is an
// "A": a fixed replacement equals the original one time in 64).
func tamper(s string) string {
	last := "A"
	if strings.HasSuffix(s, "A") {
		last = "B"
	}
	return s[:len(s)-1] + last
}

// TestServerRefuses checks the authorization server's side of the matrix,
// with the client library: PKCE verifier missing, tampered or of another
// flow, a redirect URI that differs, and a code used twice are refused, and
// the replay revokes what the code gave.
func TestServerRefuses(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	redirect := "http://127.0.0.1:1/oauth2/callback"
	cfg := &oauth2.Config{ClientID: as.ClientID, RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: as.AuthURL(), TokenURL: as.TokenURL(), AuthStyle: oauth2.AuthStyleInParams}}
	authorize := func(verifier string) string {
		loc, err := connecttest.Approve(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(verifier)))
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(loc)
		return u.Query().Get("code")
	}
	ctx := context.Background()
	v1, v2 := oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
	cases := []struct {
		name string
		opts []oauth2.AuthCodeOption
		cfg  *oauth2.Config
	}{
		{"verifier missing", nil, cfg},
		{"verifier tampered", []oauth2.AuthCodeOption{oauth2.VerifierOption(tamper(v1))}, cfg},
		{"verifier of another flow", []oauth2.AuthCodeOption{oauth2.VerifierOption(v2)}, cfg},
		{"redirect differs", []oauth2.AuthCodeOption{oauth2.VerifierOption(v1)}, func() *oauth2.Config {
			c := *cfg
			c.RedirectURL = "http://127.0.0.1:2/oauth2/callback"
			return &c
		}()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code := authorize(v1)
			_, err := c.cfg.Exchange(ctx, code, c.opts...)
			var re *oauth2.RetrieveError
			if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
				t.Fatalf("got %v, want invalid_grant", err)
			}
		})
	}
	t.Run("code used twice", func(t *testing.T) {
		code := authorize(v1)
		tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(v1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(v1)); err == nil {
			t.Fatal("second use of a code accepted")
		}
		if as.Valid(tok.AccessToken) {
			t.Fatal("the token of a replayed code still works")
		}
	})
	t.Run("plain challenge and foreign redirect", func(t *testing.T) {
		if _, err := connecttest.Approve(strings.Replace(cfg.AuthCodeURL("s", oauth2.S256ChallengeOption(v1)), "127.0.0.1%3A1", "evil.example", 1)); err == nil {
			t.Fatal("the server redirected to a foreign host")
		}
		loc, _ := connecttest.Approve(cfg.AuthCodeURL("s", oauth2.SetAuthURLParam("code_challenge", v1[:43]), oauth2.SetAuthURLParam("code_challenge_method", "plain")))
		if !strings.Contains(loc, "error=invalid_request") {
			t.Fatalf("plain PKCE: %s", loc)
		}
	})
}
