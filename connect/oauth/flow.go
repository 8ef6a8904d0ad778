// Package oauth signs a native app in with OAuth 2.0 as RFC 8252 (OAuth for
// native apps), RFC 7636 (PKCE) and RFC 9700 (the security BCP) ask: the
// authorization code grant with a PKCE S256 challenge, in the system browser
// (never an embedded web view), back to a loopback listener on 127.0.0.1 with
// an ephemeral port and one exact path. The state has 256 bits from
// crypto/rand, is bound to the provider and the flow, is single use, and is
// persisted with its 10-minute time to live, so a sign-in survives a restart
// of Engram (Begin with Resume listens again on the same port) and an expired
// or replayed state never completes. An "iss" returned with the code is
// checked against the provider's issuer (RFC 9207).
//
// For providers that accept only https redirects (Slack), the redirect can be
// a user-supplied https page (a relay) that hands the code and state back:
// Complete takes the full URL it was redirected to, with state and PKCE kept
// end to end.
//
// Tokens (tokens.go) are kept in a secrets.Store and refreshed once per
// expiry however many goroutines need them.
package oauth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/engram-app/engram/store"
)

// TTL is how long a sign-in waits for its callback.
const TTL = 10 * time.Minute

// CallbackPath is the exact path of the loopback redirect URI.
const CallbackPath = "/oauth2/callback"

// Errors of a sign-in. Every callback refused for one of these reasons is
// answered with an error page and, for the state errors, no token request.
var (
	ErrStateMissing  = errors.New("the sign-in response has no state")
	ErrStateMismatch = errors.New("the sign-in response's state does not belong to this sign-in")
	ErrStateUsed     = errors.New("the sign-in response's state is unknown or was already used")
	ErrStateExpired  = errors.New("the sign-in took longer than 10 minutes; start it again")
	ErrWrongProvider = errors.New("the sign-in response belongs to another provider")
	ErrIssuer        = errors.New("the sign-in response comes from an unexpected issuer (RFC 9207)")
	ErrRedirect      = errors.New("the sign-in response came to the wrong address")
	ErrDenied        = errors.New("the provider refused the sign-in")
	ErrNoCode        = errors.New("the sign-in response has no authorization code")
	ErrExchange      = errors.New("the provider did not exchange the code for a token")
)

// Endpoint is what a sign-in needs to know of a provider.
type Endpoint struct {
	Provider     string // connector name: "gmail", "slack", "box"
	AuthURL      string
	TokenURL     string
	ClientID     string
	ClientSecret string // "" for public clients
	Scopes       []string
	// Issuer is the provider's issuer identifier. When set, an "iss"
	// parameter in the response must equal it, and RequireIssuer makes
	// its absence an error too (a provider that advertises
	// authorization_response_iss_parameter_supported).
	Issuer        string
	RequireIssuer bool
	// RedirectURL, when set, is an https page that receives the redirect
	// (Slack's relay) instead of the loopback listener.
	RedirectURL string
	// AuthParams are extra authorization request parameters
	// (access_type=offline for Google).
	AuthParams map[string]string
	// SecretInBody sends the client secret in the token request's body
	// (client_secret_post) instead of HTTP Basic (client_secret_basic,
	// which RFC 6749 section 2.3.1 requires every server to support).
	// A public client (no secret) sends its client_id in the body.
	SecretInBody bool
}

func (e Endpoint) config(redirect string) *oauth2.Config {
	// One style, not auto-detection: auto-detection retries a refused
	// request in the other style, which would spend a code twice.
	style := oauth2.AuthStyleInParams
	if e.ClientSecret != "" && !e.SecretInBody {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{
		ClientID:     e.ClientID,
		ClientSecret: e.ClientSecret,
		Scopes:       e.Scopes,
		RedirectURL:  redirect,
		Endpoint:     oauth2.Endpoint{AuthURL: e.AuthURL, TokenURL: e.TokenURL, AuthStyle: style},
	}
}

// Pending is where sign-ins in progress are kept (the store).
type Pending interface {
	PutPending(p store.PendingAuth) error
	TakePending(state string, now time.Time, check func(store.PendingAuth) error) (store.PendingAuth, error)
	PendingFor(provider string, now time.Time) ([]store.PendingAuth, error)
}

// Options tune a sign-in.
type Options struct {
	// HTTPClient makes the token request; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Resume takes up a sign-in of the same provider that is still
	// within its TTL (after a restart), listening again on its port,
	// instead of starting a new one.
	Resume bool
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// Flow is one sign-in in progress. Its methods are safe for concurrent use.
type Flow struct {
	ep      Endpoint
	ps      Pending
	opts    Options
	pending store.PendingAuth
	authURL string

	ln   net.Listener // nil with an https redirect
	srv  *http.Server
	done chan struct{} // closed with the result set
	once sync.Once
	tok  *oauth2.Token
	err  error
}

func randomString(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Begin starts a sign-in: it records the state, the flow and the PKCE
// verifier in ps, opens the loopback listener (unless ep.RedirectURL is
// set) and returns the flow, whose AuthURL the user opens. The caller must
// call Wait (loopback) or Complete (https redirect), or Close.
func Begin(ep Endpoint, ps Pending, opts Options) (*Flow, error) {
	f := &Flow{ep: ep, ps: ps, opts: opts, done: make(chan struct{})}
	if ep.RedirectURL != "" {
		u, err := url.Parse(ep.RedirectURL)
		if err != nil || u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("connect.%s.redirect_url must be an https address without query (%q)", ep.Provider, ep.RedirectURL)
		}
	}
	if opts.Resume {
		if ok, err := f.resume(); err != nil || ok {
			return f, err
		}
	}
	state, err := randomString(32) // 256 bits
	if err != nil {
		return nil, err
	}
	flowID, err := randomString(16)
	if err != nil {
		return nil, err
	}
	redirect := ep.RedirectURL
	if redirect == "" {
		if f.ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("opening the sign-in listener on 127.0.0.1: %w", err)
		}
		redirect = "http://" + f.ln.Addr().String() + CallbackPath
	}
	now := opts.now()
	f.pending = store.PendingAuth{
		State: state, Provider: ep.Provider, FlowID: flowID,
		Verifier:    oauth2.GenerateVerifier(),
		RedirectURI: redirect, Created: now, Expires: now.Add(TTL),
	}
	if err := ps.PutPending(f.pending); err != nil {
		f.closeListener()
		return nil, fmt.Errorf("saving the sign-in: %w", err)
	}
	f.start()
	return f, nil
}

// resume takes up the newest sign-in in progress of the provider whose
// redirect this flow can receive again.
func (f *Flow) resume() (bool, error) {
	ps, err := f.ps.PendingFor(f.ep.Provider, f.opts.now())
	if err != nil {
		return false, err
	}
	for _, p := range ps {
		if f.ep.RedirectURL != "" {
			if p.RedirectURI == f.ep.RedirectURL {
				f.pending = p
				f.start()
				return true, nil
			}
			continue
		}
		u, err := url.Parse(p.RedirectURI)
		if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != CallbackPath {
			continue
		}
		ln, err := net.Listen("tcp", u.Host)
		if err != nil {
			continue // the port is taken: that flow cannot be resumed here
		}
		f.ln, f.pending = ln, p
		f.start()
		return true, nil
	}
	return false, nil
}

func (f *Flow) start() {
	f.authURL = f.ep.config(f.pending.RedirectURI).AuthCodeURL(f.pending.State, f.authOptions()...)
	if f.ln == nil {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", f.serveCallback)
	f.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = f.srv.Serve(f.ln) }()
}

func (f *Flow) authOptions() []oauth2.AuthCodeOption {
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(f.pending.Verifier)}
	keys := make([]string, 0, len(f.ep.AuthParams))
	for k := range f.ep.AuthParams {
		keys = append(keys, k)
	}
	for _, k := range keys {
		opts = append(opts, oauth2.SetAuthURLParam(k, f.ep.AuthParams[k]))
	}
	return opts
}

// AuthURL is the address the user opens in the system browser.
func (f *Flow) AuthURL() string { return f.authURL }

// State is the sign-in's state parameter (for a relay that keeps the
// callback under it).
func (f *Flow) State() string { return f.pending.State }

// RedirectURI is where the provider sends the browser back.
func (f *Flow) RedirectURI() string { return f.pending.RedirectURI }

// Expires is when the sign-in stops waiting.
func (f *Flow) Expires() time.Time { return f.pending.Expires }

// Wait returns the token once a valid callback was exchanged, the error of
// the first callback whose state was valid (denied, bad code), or
// ErrStateExpired at the TTL, or ctx.Err(). The listener is closed before it
// returns.
func (f *Flow) Wait(ctx context.Context) (*oauth2.Token, error) {
	defer f.Close()
	ttl := time.NewTimer(f.pending.Expires.Sub(f.opts.now()))
	defer ttl.Stop()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ttl.C:
		// Spend the state so a late callback cannot complete it.
		_, _ = f.ps.TakePending(f.pending.State, f.opts.now(), nil)
		f.finish(nil, ErrStateExpired)
		return nil, ErrStateExpired
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Close stops listening. The pending sign-in stays in the store until its
// TTL, so a restarted Engram can resume it.
func (f *Flow) Close() {
	f.closeListener()
}

func (f *Flow) closeListener() {
	if f.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if f.srv.Shutdown(ctx) != nil {
			f.srv.Close()
		}
		return
	}
	if f.ln != nil {
		f.ln.Close()
	}
}

func (f *Flow) finish(tok *oauth2.Token, err error) {
	f.once.Do(func() {
		f.tok, f.err = tok, err
		close(f.done)
	})
}

// serveCallback is the loopback redirect's handler.
func (f *Flow) serveCallback(w http.ResponseWriter, r *http.Request) {
	want, _ := url.Parse(f.pending.RedirectURI)
	if r.URL.Path != CallbackPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// The Host must be the listener's own address: a page that rebinds a
	// DNS name to 127.0.0.1 cannot drive it.
	if r.Host != want.Host {
		page(w, http.StatusBadRequest, f.ep.Provider, ErrRedirect)
		return
	}
	tok, err := f.complete(r.Context(), r.URL.Query())
	var ig ignored
	if errors.As(err, &ig) {
		page(w, http.StatusBadRequest, f.ep.Provider, ig.err)
		return
	}
	if err != nil {
		page(w, http.StatusBadRequest, f.ep.Provider, err)
	} else {
		page(w, http.StatusOK, f.ep.Provider, nil)
	}
	f.finish(tok, err)
	// Wait closes the listener; a Flow nobody waits on closes itself.
	go f.closeListener()
}

// ignored wraps the refusals that leave the flow waiting: a callback that
// is not this flow's cannot end it.
type ignored struct{ err error }

func (i ignored) Error() string { return i.err.Error() }
func (i ignored) Unwrap() error { return i.err }

// complete checks a callback's parameters in order (state present and this
// flow's, iss, single use within the TTL, bound to provider and flow) and
// exchanges the code with the PKCE verifier. Refusals before the state is
// spent are of type ignored.
func (f *Flow) complete(ctx context.Context, q url.Values) (*oauth2.Token, error) {
	state := q.Get("state")
	if state == "" {
		return nil, ignored{ErrStateMissing}
	}
	if subtle.ConstantTimeCompare([]byte(state), []byte(f.pending.State)) != 1 {
		return nil, ignored{ErrStateMismatch}
	}
	if err := f.checkIssuer(q); err != nil {
		return nil, ignored{err}
	}
	p, err := f.ps.TakePending(state, f.opts.now(), func(p store.PendingAuth) error {
		if p.Provider != f.ep.Provider {
			return ErrWrongProvider
		}
		if p.FlowID != f.pending.FlowID || p.RedirectURI != f.pending.RedirectURI {
			return ErrStateMismatch
		}
		return nil
	})
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, ignored{ErrStateUsed}
	case errors.Is(err, store.ErrExpired):
		return nil, ErrStateExpired
	case errors.Is(err, ErrWrongProvider), errors.Is(err, ErrStateMismatch):
		return nil, ignored{err}
	case err != nil:
		return nil, err
	}
	if e := q.Get("error"); e != "" {
		return nil, fmt.Errorf("%w: %s %s", ErrDenied, clip(e), clip(q.Get("error_description")))
	}
	code := q.Get("code")
	if code == "" {
		return nil, ErrNoCode
	}
	ctx = context.WithoutCancel(ctx) // the browser closing its tab must not lose the token
	if f.opts.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, f.opts.HTTPClient)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	tok, err := f.ep.config(p.RedirectURI).Exchange(ctx, code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrExchange, describe(err))
	}
	return tok, nil
}

func (f *Flow) checkIssuer(q url.Values) error {
	iss, has := q["iss"]
	switch {
	case has && f.ep.Issuer != "" && (len(iss) != 1 || iss[0] != f.ep.Issuer):
		return ErrIssuer
	case !has && f.ep.RequireIssuer:
		return fmt.Errorf("%w: no iss parameter", ErrIssuer)
	}
	return nil
}

// Complete finishes a sign-in whose redirect went to an https page: callback
// is the full address the browser was sent to. It is checked like a loopback
// callback (and its scheme, host and path against the redirect URI), then
// the code is exchanged. A refused callback leaves the flow waiting.
func (f *Flow) Complete(ctx context.Context, callback string) (*oauth2.Token, error) {
	u, err := url.Parse(strings.TrimSpace(callback))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRedirect, err)
	}
	want, _ := url.Parse(f.pending.RedirectURI)
	if u.Scheme != want.Scheme || u.Host != want.Host || u.Path != want.Path {
		return nil, ErrRedirect
	}
	tok, err := f.complete(ctx, u.Query())
	var ig ignored
	if errors.As(err, &ig) {
		return nil, ig.err
	}
	f.finish(tok, err)
	if err == nil {
		f.Close()
	}
	return tok, err
}

func clip(s string) string {
	if len(s) > 200 {
		s = s[:200]
	}
	return strconv.Quote(s)
}

// describe says why a token request failed without repeating the response
// body, which could hold a token.
func describe(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		if re.ErrorCode != "" {
			return fmt.Sprintf("%s (HTTP %d)", re.ErrorCode, re.Response.StatusCode)
		}
		return fmt.Sprintf("HTTP %d", re.Response.StatusCode)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return "the response could not be read"
}

func page(w http.ResponseWriter, status int, provider string, err error) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	msg := "Signed in to " + provider + ". You can close this tab and return to Engram."
	if err != nil {
		msg = "Engram could not sign in to " + provider + ": " + err.Error()
	}
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>Engram</title><p>%s</p>\n", html.EscapeString(msg))
}
