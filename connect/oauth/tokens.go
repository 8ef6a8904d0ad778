package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"

	"github.com/engram-app/engram/connect/secrets"
)

// Token kinds: the secret entries one connector keeps.
const (
	KindAccess       = "access"        // JSON {access_token, token_type, expiry}
	KindRefresh      = "refresh"       // the refresh token as issued
	KindClientSecret = "client_secret" // the app's client secret, when the provider needs one
)

// Kinds lists every kind of secret a connector may keep; disconnecting
// removes them all.
var Kinds = []string{KindAccess, KindRefresh, KindClientSecret}

// ErrReconnect means the provider no longer accepts the refresh token
// (invalid_grant: revoked, expired, rotated elsewhere) or there is none:
// the user must connect again.
var ErrReconnect = errors.New("reconnect needed")

// early is how long before its expiry an access token is refreshed, so a
// request does not start with a token that expires in flight.
const early = 30 * time.Second

// Tokens holds one connector's token: read from the secret store once,
// refreshed (with rotation) exactly once per expiry however many goroutines
// ask at the same time, and saved back before it replaces the old one in
// memory. It is safe for concurrent use.
type Tokens struct {
	name string
	ep   Endpoint
	sec  secrets.Store
	hc   *http.Client
	now  func() time.Time

	mu  sync.Mutex
	cur *oauth2.Token // nil until loaded
	sf  singleflight.Group

	refreshes atomic.Int64
}

// NewTokens returns the token holder of connector ep.Provider. hc makes the
// refresh requests (nil: http.DefaultClient); now is the clock (nil:
// time.Now).
func NewTokens(ep Endpoint, sec secrets.Store, hc *http.Client, now func() time.Time) *Tokens {
	if now == nil {
		now = time.Now
	}
	return &Tokens{name: ep.Provider, ep: ep, sec: sec, hc: hc, now: now}
}

type accessJSON struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type,omitempty"`
	Expiry      time.Time `json:"expiry,omitzero"`
}

// Save stores tok (the refresh token first, then the access token) and makes
// it current. A token without a refresh token keeps the stored one (a
// provider that does not rotate).
func (t *Tokens) Save(tok *oauth2.Token) error {
	if tok == nil || tok.AccessToken == "" {
		return fmt.Errorf("%s: no access token to save", t.name)
	}
	if tok.RefreshToken != "" {
		if err := t.sec.Set(secrets.Key(t.name, KindRefresh), tok.RefreshToken); err != nil {
			return err
		}
	}
	raw, err := json.Marshal(accessJSON{AccessToken: tok.AccessToken, TokenType: tok.TokenType, Expiry: tok.Expiry})
	if err != nil {
		return err
	}
	if err := t.sec.Set(secrets.Key(t.name, KindAccess), string(raw)); err != nil {
		return err
	}
	t.mu.Lock()
	cp := *tok
	if cp.RefreshToken == "" && t.cur != nil {
		cp.RefreshToken = t.cur.RefreshToken
	}
	t.cur = &cp
	t.mu.Unlock()
	return nil
}

func (t *Tokens) load() (*oauth2.Token, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur != nil {
		return t.cur, nil
	}
	tok := &oauth2.Token{}
	raw, err := t.sec.Get(secrets.Key(t.name, KindAccess))
	switch {
	case errors.Is(err, secrets.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		var a accessJSON
		if json.Unmarshal([]byte(raw), &a) == nil {
			tok.AccessToken, tok.TokenType, tok.Expiry = a.AccessToken, a.TokenType, a.Expiry
		}
	}
	rt, err := t.sec.Get(secrets.Key(t.name, KindRefresh))
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return nil, err
	}
	tok.RefreshToken = rt
	if tok.AccessToken == "" && tok.RefreshToken == "" {
		return nil, fmt.Errorf("%s is not connected: %w; run `engram connect %s`", t.name, ErrReconnect, t.name)
	}
	t.cur = tok
	return tok, nil
}

func (t *Tokens) fresh(tok *oauth2.Token) bool {
	return tok.AccessToken != "" && (tok.Expiry.IsZero() || t.now().Add(early).Before(tok.Expiry))
}

// Token returns a valid access token, refreshing it when it expires within
// 30 seconds. Concurrent callers share one refresh; a caller that arrives
// after it finished finds the new token. A refused refresh (invalid_grant)
// is ErrReconnect.
func (t *Tokens) Token(ctx context.Context) (*oauth2.Token, error) {
	tok, err := t.load()
	if err != nil {
		return nil, err
	}
	if t.fresh(tok) {
		return tok, nil
	}
	return t.refresh(ctx, tok.AccessToken)
}

// Invalidate tells the holder that the API refused access token access
// (HTTP 401): the next Token refreshes, once, unless another caller already
// replaced that token.
func (t *Tokens) Invalidate(access string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cur != nil && t.cur.AccessToken == access {
		cp := *t.cur
		cp.Expiry = time.Unix(1, 0)
		t.cur = &cp
	}
}

// Refreshes counts the refresh requests this holder made.
func (t *Tokens) Refreshes() int64 { return t.refreshes.Load() }

func (t *Tokens) refresh(ctx context.Context, stale string) (*oauth2.Token, error) {
	v, err, _ := t.sf.Do("refresh", func() (any, error) {
		// Double check: the flight before this one may have replaced
		// the token already.
		tok, err := t.load()
		if err != nil {
			return nil, err
		}
		if tok.AccessToken != stale && t.fresh(tok) {
			return tok, nil
		}
		if tok.RefreshToken == "" {
			return nil, fmt.Errorf("%s: the access token expired and there is no refresh token: %w; run `engram connect %s`", t.name, ErrReconnect, t.name)
		}
		rctx := context.WithoutCancel(ctx) // one caller giving up must not fail the others
		if t.hc != nil {
			rctx = context.WithValue(rctx, oauth2.HTTPClient, t.hc)
		}
		rctx, cancel := context.WithTimeout(rctx, time.Minute)
		defer cancel()
		t.refreshes.Add(1)
		expired := &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Unix(1, 0)}
		next, err := t.ep.config("").TokenSource(rctx, expired).Token()
		if err != nil {
			var re *oauth2.RetrieveError
			if errors.As(err, &re) && (re.ErrorCode == "invalid_grant" || re.ErrorCode == "invalid_token" || re.ErrorCode == "token_revoked") {
				return nil, fmt.Errorf("%s refused the saved sign-in (%s): %w; run `engram connect %s`", t.name, re.ErrorCode, ErrReconnect, t.name)
			}
			return nil, fmt.Errorf("refreshing the %s token: %s", t.name, describe(err))
		}
		if next.RefreshToken == "" {
			next.RefreshToken = tok.RefreshToken
		}
		// The rotated token is saved before it replaces the old one.
		if err := t.Save(next); err != nil {
			return nil, fmt.Errorf("saving the refreshed %s token: %w", t.name, err)
		}
		return next, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*oauth2.Token), nil
}
