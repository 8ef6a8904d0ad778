// Package connecttest holds fakes of the third-party services package
// connect talks to, each following the service's documented wire format: an
// OAuth 2.0 authorization server (RFC 6749 with PKCE, RFC 7636, and the
// native-app rules of RFC 8252), and the Gmail, Slack and Box APIs. They
// listen on 127.0.0.1 (httptest) and are strict: what the specification says
// a server must refuse, they refuse.
package connecttest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// AS is a strict authorization server: the authorization endpoint approves
// every valid request at once (there is no user to ask) by redirecting to
// the client's redirect URI with a code; the token endpoint exchanges a code
// once, with its PKCE verifier, and rotates refresh tokens.
type AS struct {
	Server   *httptest.Server
	ClientID string
	// ClientSecret, when set, must come with every token request.
	ClientSecret string
	// Issuer is sent as "iss" with the code when SendIssuer is set
	// (RFC 9207).
	Issuer     string
	SendIssuer bool
	// HTTPSRedirect is an https redirect URI registered besides the
	// loopback ones (Slack's relay).
	HTTPSRedirect string
	// AccessTTL is the lifetime of access tokens (default one hour).
	AccessTTL time.Duration
	// Prefix starts every token issued, so a test can grep for them.
	Prefix string
	// Now is the server's clock (default time.Now).
	Now func() time.Time

	mu       sync.Mutex
	codes    map[string]*grant
	access   map[string]time.Time // access token -> expiry
	refresh  map[string]bool      // refresh token -> still valid
	issued   []string             // every token ever issued
	tokenReq atomic.Int64
	refreshN atomic.Int64
}

type grant struct {
	clientID, redirect, challenge, scope string
	expires                              time.Time
	used                                 bool
	tokens                               []string // issued from this code, revoked if it is replayed
}

// NewAS starts an authorization server for one registered client.
func NewAS(clientID string) *AS {
	a := &AS{ClientID: clientID, Prefix: "canary-", codes: map[string]*grant{}, access: map[string]time.Time{}, refresh: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/authorize", a.authorize)
	mux.HandleFunc("/token", a.token)
	a.Server = httptest.NewServer(mux)
	return a
}

// Close stops the server.
func (a *AS) Close() { a.Server.Close() }

// AuthURL and TokenURL are the endpoints.
func (a *AS) AuthURL() string  { return a.Server.URL + "/authorize" }
func (a *AS) TokenURL() string { return a.Server.URL + "/token" }

// TokenRequests counts the requests that reached the token endpoint.
func (a *AS) TokenRequests() int64 { return a.tokenReq.Load() }

// Refreshes counts the refresh_token grants served.
func (a *AS) Refreshes() int64 { return a.refreshN.Load() }

// Issued lists every token the server issued (access and refresh).
func (a *AS) Issued() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.issued...)
}

// Valid reports whether an access token is one this server issued and it has
// not expired or been revoked; the API fakes call it.
func (a *AS) Valid(access string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	exp, ok := a.access[access]
	return ok && a.now().Before(exp)
}

// Expire makes every access token expire now.
func (a *AS) Expire() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for k := range a.access {
		a.access[k] = time.Unix(1, 0)
	}
}

// RevokeRefresh invalidates every refresh token (the user revoked access).
func (a *AS) RevokeRefresh() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for k := range a.refresh {
		a.refresh[k] = false
	}
}

func (a *AS) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *AS) newToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	t := a.Prefix + base64.RawURLEncoding.EncodeToString(b)
	a.issued = append(a.issued, t)
	return t
}

// redirectAllowed follows RFC 8252 section 7.3: a loopback redirect URI on
// 127.0.0.1 may use any port; any other must be registered exactly.
func (a *AS) redirectAllowed(raw string) bool {
	if raw == "" {
		return false
	}
	if a.HTTPSRedirect != "" && raw == a.HTTPSRedirect {
		return true
	}
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == "http" && u.Hostname() == "127.0.0.1" && u.Port() != "" && u.Path == "/oauth2/callback" && u.RawQuery == "" && u.Fragment == ""
}

func (a *AS) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect := q.Get("redirect_uri")
	if q.Get("client_id") != a.ClientID || !a.redirectAllowed(redirect) {
		// RFC 6749 4.1.2.1: never redirect to an unverified URI.
		http.Error(w, "invalid client_id or redirect_uri", http.StatusBadRequest)
		return
	}
	fail := func(code string) {
		v := url.Values{"error": {code}, "state": {q.Get("state")}}
		http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
	}
	ch := q.Get("code_challenge")
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type")
		return
	case ch == "" || len(ch) != 43 || q.Get("code_challenge_method") != "S256":
		// Native clients must use PKCE; only S256 is accepted.
		fail("invalid_request")
		return
	}
	code := func() string {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		return base64.RawURLEncoding.EncodeToString(b)
	}()
	a.mu.Lock()
	a.codes[code] = &grant{clientID: a.ClientID, redirect: redirect, challenge: ch, scope: q.Get("scope"), expires: a.now().Add(time.Minute)}
	a.mu.Unlock()
	v := url.Values{"code": {code}}
	if s := q.Get("state"); s != "" {
		v.Set("state", s)
	}
	if a.SendIssuer {
		v.Set("iss", a.Issuer)
	}
	http.Redirect(w, r, redirect+"?"+v.Encode(), http.StatusFound)
}

func tokenError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func (a *AS) token(w http.ResponseWriter, r *http.Request) {
	a.tokenReq.Add(1)
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	f := r.PostForm
	id, secret, basic := r.BasicAuth()
	if basic {
		// RFC 6749 2.3.1: both are form-urlencoded before Basic.
		id, _ = url.QueryUnescape(id)
		secret, _ = url.QueryUnescape(secret)
	} else {
		id, secret = f.Get("client_id"), f.Get("client_secret")
	}
	if id != a.ClientID || (a.ClientSecret != "" && secret != a.ClientSecret) {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	switch f.Get("grant_type") {
	case "authorization_code":
		g, ok := a.codes[f.Get("code")]
		if !ok || g.clientID != id || !a.now().Before(g.expires) {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		if g.used {
			// RFC 6749 4.1.2: a code used twice revokes what it gave.
			for _, t := range g.tokens {
				delete(a.access, t)
				a.refresh[t] = false
			}
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		g.used = true
		if f.Get("redirect_uri") != g.redirect {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		v := f.Get("code_verifier")
		sum := sha256.Sum256([]byte(v))
		if len(v) < 43 || len(v) > 128 || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		acc, ref := a.issue()
		g.tokens = append(g.tokens, acc, ref)
		a.writeToken(w, acc, ref, g.scope)
	case "refresh_token":
		rt := f.Get("refresh_token")
		if !a.refresh[rt] {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		a.refreshN.Add(1)
		a.refresh[rt] = false // rotation: the old one is spent
		acc, ref := a.issue()
		a.writeToken(w, acc, ref, "")
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type")
	}
}

// issue makes an access and a refresh token; callers hold a.mu.
func (a *AS) issue() (string, string) {
	ttl := a.AccessTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	acc, ref := a.newToken(), a.newToken()
	a.access[acc] = a.now().Add(ttl)
	a.refresh[ref] = true
	return acc, ref
}

func (a *AS) writeToken(w http.ResponseWriter, acc, ref, scope string) {
	ttl := a.AccessTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": acc, "token_type": "Bearer", "expires_in": int(ttl / time.Second),
		"refresh_token": ref, "scope": scope,
	})
}

// Bearer returns the access token of a request's Authorization header if
// the server issued it and it is valid; "" otherwise.
func (a *AS) Bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || !a.Valid(tok) {
		return ""
	}
	return tok
}

// Approve plays the browser: it follows the authorization URL to the
// server's redirect and returns the address the browser would be sent to,
// without visiting it.
func Approve(authURL string) (string, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return "", &url.Error{Op: "authorize", URL: authURL, Err: http.ErrNotSupported}
	}
	return resp.Header.Get("Location"), nil
}

// Visit plays the browser arriving at a redirect: it GETs the address and
// returns the status code.
func Visit(addr string) (int, error) {
	resp, err := http.Get(addr)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}
