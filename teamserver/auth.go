package teamserver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/jackc/pgx/v5"
	"golang.org/x/oauth2"

	"github.com/engram-app/engram/syncproto"
)

// OIDC configures sign-in through the team's OpenID Connect provider.
type OIDC struct {
	// Issuer is the provider's issuer URL; its discovery document is read
	// when the server opens.
	Issuer string
	// ClientID and ClientSecret are this server's registration at the
	// provider. The secret is never logged.
	ClientID, ClientSecret string
	// PublicURL is the address browsers reach this server at (behind the
	// load balancer): the provider redirects to PublicURL + "/auth/callback".
	PublicURL string
	// FlowTTL is how long a sign-in may take, from a minute to an hour;
	// zero means 10 minutes.
	FlowTTL time.Duration
	// SecretInBody sends the client secret in the token request's form
	// (client_secret_post) rather than HTTP Basic (client_secret_basic,
	// the default every provider must accept). One style, never
	// auto-detection, which would retry a refused code.
	SecretInBody bool
	// HTTPClient talks to the provider; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// Sign-in lifetimes.
const (
	codeTTL    = 2 * time.Minute     // a code handed to the desktop
	accessTTL  = time.Hour           // a session (the desktop's access token)
	refreshTTL = 30 * 24 * time.Hour // a refresh token, single use
	// DesktopClientID is the client_id the desktop signs in with.
	DesktopClientID = syncproto.DesktopClientID
	// SessionCookie holds a browser's session after a browser sign-in.
	SessionCookie = "engram_session"
)

// ErrNoOIDC means sign-in was asked of a server configured without a provider.
var ErrNoOIDC = errors.New("this team server has no OpenID Connect provider configured (--oidc-issuer)")

// oidcClient is the discovered provider, read once at Open. It holds no
// state of any sign-in: those are rows.
type oidcClient struct {
	cfg      OIDC
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    *oauth2.Config
}

func newOIDC(ctx context.Context, cfg OIDC) (*oidcClient, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" {
		return nil, fmt.Errorf("the OpenID Connect provider needs an issuer URL and a client id")
	}
	if cfg.FlowTTL == 0 {
		cfg.FlowTTL = 10 * time.Minute
	}
	if cfg.FlowTTL < time.Minute || cfg.FlowTTL > time.Hour {
		return nil, fmt.Errorf("the sign-in TTL must be from 1m to 1h, not %s", cfg.FlowTTL)
	}
	pu, err := url.Parse(cfg.PublicURL)
	if err != nil || (pu.Scheme != "https" && pu.Scheme != "http") || pu.Host == "" || pu.RawQuery != "" {
		return nil, fmt.Errorf("the public URL must be an http(s) address without a query, not %q", cfg.PublicURL)
	}
	if cfg.HTTPClient != nil {
		ctx = oidc.ClientContext(ctx, cfg.HTTPClient)
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("reading the OpenID Connect discovery document of %s: %w", cfg.Issuer, err)
	}
	ep := p.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInHeader
	if cfg.SecretInBody {
		ep.AuthStyle = oauth2.AuthStyleInParams
	}
	return &oidcClient{
		cfg:      cfg,
		provider: p,
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: &oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			Endpoint:     ep,
			RedirectURL:  strings.TrimSuffix(cfg.PublicURL, "/") + "/auth/callback",
			Scopes:       []string{oidc.ScopeOpenID, "email", "profile"},
		},
	}, nil
}

func (o *oidcClient) ctx(ctx context.Context) context.Context {
	if o.cfg.HTTPClient != nil {
		return context.WithValue(ctx, oauth2.HTTPClient, o.cfg.HTTPClient)
	}
	return ctx
}

func random(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// loopbackRedirect reports whether u is a native app's loopback redirect
// (RFC 8252 section 7.3): http, a loopback IP literal or localhost, any
// port, no fragment.
func loopbackRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.Fragment != "" || u.User != nil || len(raw) > 512 {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// login begins a sign-in. The desktop calls it as an OAuth 2.0
// authorization endpoint (response_type=code, client_id=engram-desktop, a
// loopback redirect_uri, its state and an S256 code_challenge); a browser
// calls it bare, with an optional return path. Either way the state sent
// to the provider (256 bits), its PKCE verifier and the ID token's nonce
// are stored as a row with the TTL, and the browser is sent to the
// provider.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.oidc == nil {
		writeError(w, http.StatusNotFound, ErrNoOIDC.Error())
		return
	}
	q := r.URL.Query()
	var clientRedirect, clientState, challenge, returnTo string
	if clientRedirect = q.Get("redirect_uri"); clientRedirect != "" {
		clientState, challenge = q.Get("state"), q.Get("code_challenge")
		switch {
		case !loopbackRedirect(clientRedirect):
			writeError(w, http.StatusBadRequest, "redirect_uri must be a loopback address (http://127.0.0.1:PORT/...)")
			return
		case q.Get("client_id") != DesktopClientID:
			writeError(w, http.StatusBadRequest, "client_id must be "+DesktopClientID)
			return
		case q.Get("response_type") != "code":
			writeError(w, http.StatusBadRequest, "response_type must be code")
			return
		case q.Get("code_challenge_method") != "S256" || len(challenge) < 43 || len(challenge) > 128:
			writeError(w, http.StatusBadRequest, "a PKCE code_challenge (43 to 128 characters) with code_challenge_method=S256 is required")
			return
		case clientState == "" || len(clientState) > 512:
			writeError(w, http.StatusBadRequest, "state must be 1 to 512 characters")
			return
		}
	} else {
		returnTo = q.Get("return")
		if returnTo == "" {
			returnTo = "/auth/done"
		}
		if !strings.HasPrefix(returnTo, "/") || strings.HasPrefix(returnTo, "//") || strings.ContainsAny(returnTo, "\\\r\n") || len(returnTo) > 512 {
			writeError(w, http.StatusBadRequest, "return must be a path on this server")
			return
		}
	}
	state, err := random(32)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nonce, err := random(16)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	verifier := oauth2.GenerateVerifier()
	ctx := r.Context()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Expired flows only (the purge policy): see 002_auth.sql.
		if _, err := tx.Exec(ctx, `DELETE FROM auth_flows`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT set_config('engram.flow', $1, true)`, hashToken(state)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO auth_flows (state_hash, verifier, nonce, client_redirect, client_state, client_challenge, return_to, expires)
			VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8::interval)`,
			hashToken(state), verifier, nonce, clientRedirect, clientState, challenge, returnTo, interval(s.oidc.cfg.FlowTTL))
		return err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, s.oidc.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)), http.StatusFound)
}

func interval(d time.Duration) string { return fmt.Sprintf("%d milliseconds", d.Milliseconds()) }

// flow is a consumed auth_flows row.
type flow struct {
	verifier, nonce, clientRedirect, clientState, challenge, returnTo string
	live                                                              bool
}

// takeFlow consumes the flow of state in one statement: a second take of
// the same state, on any instance, finds nothing.
func (s *Server) takeFlow(ctx context.Context, state string) (flow, error) {
	var f flow
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('engram.flow', $1, true)`, hashToken(state)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `DELETE FROM auth_flows WHERE state_hash = $1
			RETURNING verifier, nonce, client_redirect, client_state, client_challenge, return_to, expires > now()`, hashToken(state)).
			Scan(&f.verifier, &f.nonce, &f.clientRedirect, &f.clientState, &f.challenge, &f.returnTo, &f.live)
	})
	return f, err
}

// authPage answers a browser with a short HTML page.
func authPage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>Engram team sign-in</title><p>%s</p>\n", html.EscapeString(msg))
}

// Callback errors, as the page and the log say them.
var (
	errStateUnknown = errors.New("this sign-in is unknown or was already used; start it again")
	errStateExpired = errors.New("this sign-in took too long; start it again")
)

// callback is where the provider sends the browser back: it consumes the
// state, exchanges the code with the flow's PKCE verifier, verifies the ID
// token (signature, issuer, audience, expiry, nonce) and signs the user in:
// the desktop's flow gets a one-time code at its loopback redirect, a
// browser a session cookie.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	if s.oidc == nil {
		writeError(w, http.StatusNotFound, ErrNoOIDC.Error())
		return
	}
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" || len(state) > 512 {
		authPage(w, http.StatusBadRequest, "The sign-in response has no state.")
		return
	}
	ctx := r.Context()
	f, err := s.takeFlow(ctx, state)
	if errors.Is(err, pgx.ErrNoRows) {
		s.log.Warn("sign-in refused", "reason", "unknown state")
		authPage(w, http.StatusBadRequest, errStateUnknown.Error())
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !f.live {
		s.log.Warn("sign-in refused", "reason", "expired state")
		authPage(w, http.StatusBadRequest, errStateExpired.Error())
		return
	}
	if e := q.Get("error"); e != "" {
		s.log.Warn("sign-in refused by the provider", "error", clipString(e, 64))
		if f.clientRedirect != "" {
			http.Redirect(w, r, withParams(f.clientRedirect, url.Values{"error": {"access_denied"}, "state": {f.clientState}}), http.StatusFound)
			return
		}
		authPage(w, http.StatusForbidden, "The provider refused the sign-in.")
		return
	}
	code := q.Get("code")
	if code == "" {
		authPage(w, http.StatusBadRequest, "The sign-in response has no authorization code.")
		return
	}
	id, err := s.verifyCode(ctx, code, f)
	if err != nil {
		s.log.Warn("sign-in refused", "reason", err.Error())
		authPage(w, http.StatusBadGateway, "The provider's answer could not be verified; start the sign-in again.")
		return
	}
	if f.clientRedirect != "" {
		dcode, err := random(32)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `DELETE FROM auth_codes`); err != nil { // expired ones only
				return err
			}
			if _, err := tx.Exec(ctx, `SELECT set_config('engram.code', $1, true)`, hashToken(dcode)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO auth_codes (code_hash, issuer, subject, email, name, client_redirect, challenge, expires)
				VALUES ($1, $2, $3, $4, $5, $6, $7, now() + $8::interval)`,
				hashToken(dcode), id.issuer, id.subject, id.email, id.name, f.clientRedirect, f.challenge, interval(codeTTL))
			return err
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, withParams(f.clientRedirect, url.Values{"code": {dcode}, "state": {f.clientState}}), http.StatusFound)
		return
	}
	token, _, err := s.NewSession(ctx, id.issuer, id.subject, id.email, id.name, accessTTL*24)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: strings.HasPrefix(s.oidc.cfg.PublicURL, "https:"), MaxAge: int((accessTTL * 24).Seconds())})
	http.Redirect(w, r, f.returnTo, http.StatusFound)
}

func clipString(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func withParams(raw string, v url.Values) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	for k, vs := range v {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// identity is who the provider's ID token says signed in.
type identity struct{ issuer, subject, email, name string }

func (s *Server) verifyCode(ctx context.Context, code string, f flow) (identity, error) {
	var id identity
	ctx = s.oidc.ctx(ctx)
	tok, err := s.oidc.oauth.Exchange(ctx, code, oauth2.VerifierOption(f.verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return id, fmt.Errorf("the provider refused the code: %s", clipString(re.ErrorCode, 64))
		}
		return id, errors.New("the code exchange with the provider failed")
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return id, errors.New("the provider's token response has no id_token")
	}
	idt, err := s.oidc.verifier.Verify(ctx, raw)
	if err != nil {
		return id, fmt.Errorf("the ID token does not verify: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.nonce)) != 1 {
		return id, errors.New("the ID token's nonce is not this sign-in's")
	}
	var claims struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return id, fmt.Errorf("the ID token's claims: %w", err)
	}
	if idt.Subject == "" || len(idt.Subject) > 255 {
		return id, errors.New("the ID token's subject must be 1 to 255 bytes")
	}
	return identity{issuer: idt.Issuer, subject: idt.Subject, email: clipString(claims.Email, 320), name: clipString(claims.Name, 200)}, nil
}

// tokenError answers the token endpoint's errors in RFC 6749's format.
func tokenError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

// token is the desktop's token endpoint (RFC 6749 section 3.2): it
// exchanges a code from the callback (with the PKCE verifier of the
// challenge the desktop sent to /auth/login) or a refresh token for a
// session (the access token, an hour) and a new refresh token (30 days,
// single use).
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "the token request is not a form of at most 16 KiB")
		return
	}
	if id := r.PostForm.Get("client_id"); id != "" && id != DesktopClientID {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "client_id must be "+DesktopClientID)
		return
	}
	ctx := r.Context()
	var user string
	var err error
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		user, err = s.takeCode(ctx, r.PostForm.Get("code"), r.PostForm.Get("code_verifier"), r.PostForm.Get("redirect_uri"))
	case "refresh_token":
		user, err = s.takeRefresh(ctx, r.PostForm.Get("refresh_token"))
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
		return
	}
	var ge grantError
	if errors.As(err, &ge) {
		tokenError(w, http.StatusBadRequest, "invalid_grant", string(ge))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	access, refresh, err := s.issue(ctx, user)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": int(accessTTL.Seconds()), "refresh_token": refresh,
	})
}

type grantError string

func (e grantError) Error() string { return string(e) }

// takeCode consumes a desktop code in one statement and checks its PKCE
// verifier and redirect URI; it makes the user on first sign-in.
func (s *Server) takeCode(ctx context.Context, code, verifier, redirect string) (string, error) {
	if code == "" || len(code) > 512 || len(verifier) < 43 || len(verifier) > 128 {
		return "", grantError("a code and a PKCE code_verifier of 43 to 128 characters are required")
	}
	var id identity
	var clientRedirect, challenge string
	var live bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('engram.code', $1, true)`, hashToken(code)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `DELETE FROM auth_codes WHERE code_hash = $1
			RETURNING issuer, subject, email, name, client_redirect, challenge, expires > now()`, hashToken(code)).
			Scan(&id.issuer, &id.subject, &id.email, &id.name, &clientRedirect, &challenge, &live)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", grantError("the code is unknown or was already used")
	}
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(verifier))
	switch {
	case !live:
		return "", grantError("the code expired")
	case subtle.ConstantTimeCompare([]byte(base64.RawURLEncoding.EncodeToString(sum[:])), []byte(challenge)) != 1:
		return "", grantError("the code_verifier does not match the code_challenge")
	case redirect != clientRedirect:
		return "", grantError("redirect_uri is not the one the sign-in began with")
	}
	user := uuidFor(id.issuer + "\x00" + id.subject)
	err = s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO users (id, issuer, subject, email, name) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name`, user, id.issuer, id.subject, id.email, id.name)
		return err
	})
	return user, err
}

// takeRefresh consumes a refresh token in one statement.
func (s *Server) takeRefresh(ctx context.Context, refresh string) (string, error) {
	if refresh == "" || len(refresh) > 512 {
		return "", grantError("refresh_token is required")
	}
	var user string
	var live bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Before any setting: expired ones only (002_auth.sql).
		if _, err := tx.Exec(ctx, `DELETE FROM refresh_tokens`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT set_config('engram.refresh', $1, true)`, hashToken(refresh)); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `DELETE FROM refresh_tokens WHERE token_hash = $1 RETURNING user_id::text, expires > now()`, hashToken(refresh)).Scan(&user, &live)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return "", grantError("the refresh token is unknown or was already used: sign in again")
	}
	if err != nil {
		return "", err
	}
	if !live {
		return "", grantError("the refresh token expired: sign in again")
	}
	return user, nil
}

// issue makes a session and a refresh token for an existing user.
func (s *Server) issue(ctx context.Context, user string) (access, refresh string, err error) {
	if access, err = random(32); err != nil {
		return "", "", err
	}
	if refresh, err = random(32); err != nil {
		return "", "", err
	}
	err = s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, expires) VALUES ($1, $2, now() + $3::interval)`, hashToken(access), user, interval(accessTTL)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (token_hash, user_id, expires) VALUES ($1, $2, now() + $3::interval)`, hashToken(refresh), user, interval(refreshTTL))
		return err
	})
	return access, refresh, err
}

// done is where a browser sign-in lands by default.
func (s *Server) done(w http.ResponseWriter, r *http.Request) {
	authPage(w, http.StatusOK, "You are signed in to the Engram team server. You can close this page.")
}
