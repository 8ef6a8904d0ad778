// Package api is the HTTP client the connectors share: it adds the bearer
// token, honours 429 with Retry-After (no request to the service before the
// time it named), backs off with full jitter on 5xx and network errors,
// refreshes the token once on a 401, and reports errors without their
// response bodies, which could hold a token or a user's mail.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Errors callers branch on.
var (
	// ErrNotFound is an HTTP 404 (a message or file that is gone).
	ErrNotFound = errors.New("not found at the service")
	// ErrUnauthorized is a 401 that a refreshed token did not cure.
	ErrUnauthorized = errors.New("the service refused the token")
)

// StatusError is a response the client gave up on.
type StatusError struct {
	Status int
	URL    string
}

func (e *StatusError) Error() string { return fmt.Sprintf("HTTP %d from %s", e.Status, e.URL) }

// Tokens gives the access token (package oauth's Tokens).
type Tokens interface {
	Token(ctx context.Context) (*oauth2.Token, error)
	Invalidate(access string)
}

// Client makes authorised requests to one service. It is safe for concurrent
// use; a Retry-After from any response holds back every request of the
// client until it elapses.
type Client struct {
	HTTP   *http.Client // nil: http.DefaultClient
	Tokens Tokens
	// Sleep waits d or until ctx is done; nil sleeps on a timer. Tests
	// replace it to observe waits without spending them.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxRetries bounds retries of one request (default 6).
	MaxRetries int
	// BaseDelay is the first backoff step (default 500 ms), doubling up
	// to MaxDelay (default 30 s).
	BaseDelay, MaxDelay time.Duration
	// MaxBody bounds a response read whole (default 64 MiB).
	MaxBody int64

	mu       sync.Mutex
	notUntil time.Time // no request before this (Retry-After)
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// MaxRetryAfter bounds a Retry-After: a service asking for longer than a
// day is waited on for a day (the sync can be cancelled meanwhile).
const MaxRetryAfter = 24 * time.Hour

// RetryAfter reads a Retry-After header: delay-seconds or an HTTP-date,
// between 0 and MaxRetryAfter. It returns ok false when there is none or it
// cannot be read.
func RetryAfter(h string, now time.Time) (time.Duration, bool) {
	if h == "" {
		return 0, false
	}
	if s, err := strconv.ParseInt(h, 10, 64); err == nil && s >= 0 {
		if s > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(h); err == nil {
		return min(max(t.Sub(now), 0), MaxRetryAfter), true
	}
	return 0, false
}

func (c *Client) backoff(attempt int) time.Duration {
	base, top := c.BaseDelay, c.MaxDelay
	if base <= 0 {
		base = 500 * time.Millisecond
	}
	if top <= 0 {
		top = 30 * time.Second
	}
	d := base << min(attempt, 16)
	if d > top || d <= 0 {
		d = top
	}
	// Full jitter: many clients retrying do not come back together.
	return time.Duration(rand.Int64N(int64(d)) + 1)
}

// holdUntil records that no request may go before t.
func (c *Client) holdUntil(t time.Time) {
	c.mu.Lock()
	if t.After(c.notUntil) {
		c.notUntil = t
	}
	c.mu.Unlock()
}

func (c *Client) waitHold(ctx context.Context) error {
	for {
		c.mu.Lock()
		d := c.notUntil.Sub(c.now())
		c.mu.Unlock()
		if d <= 0 {
			return ctx.Err()
		}
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// Do sends the request built by build (called again for each attempt) with
// the bearer token and returns a 2xx response, whose body the caller closes.
// A 404 is ErrNotFound; other failures after the retries are *StatusError.
func (c *Client) Do(ctx context.Context, build func(ctx context.Context) (*http.Request, error)) (*http.Response, error) {
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	maxRetries := c.MaxRetries
	if maxRetries <= 0 {
		maxRetries = 6
	}
	refreshed := false
	for attempt := 0; ; attempt++ {
		if err := c.waitHold(ctx); err != nil {
			return nil, err
		}
		tok, err := c.Tokens.Token(ctx)
		if err != nil {
			return nil, err
		}
		req, err := build(ctx)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := hc.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if attempt >= maxRetries {
				return nil, fmt.Errorf("requesting %s: %w", req.URL.Redacted(), err)
			}
			if err := c.sleep(ctx, c.backoff(attempt)); err != nil {
				return nil, err
			}
			continue
		}
		switch s := resp.StatusCode; {
		case s >= 200 && s < 300:
			return resp, nil
		case s == http.StatusNotFound:
			drain(resp)
			return nil, fmt.Errorf("%s: %w", req.URL.Path, ErrNotFound)
		case s == http.StatusUnauthorized && !refreshed:
			drain(resp)
			refreshed = true
			c.Tokens.Invalidate(tok.AccessToken)
			attempt--
			continue
		case s == http.StatusUnauthorized:
			drain(resp)
			return nil, ErrUnauthorized
		case s == http.StatusTooManyRequests || s >= 500 || s == http.StatusForbidden && rateLimited(resp):
			wait, ok := RetryAfter(resp.Header.Get("Retry-After"), c.now())
			drain(resp)
			if attempt >= maxRetries {
				return nil, &StatusError{Status: s, URL: req.URL.Redacted()}
			}
			if ok {
				c.holdUntil(c.now().Add(wait))
			} else {
				if err := c.sleep(ctx, c.backoff(attempt)); err != nil {
					return nil, err
				}
			}
			continue
		default:
			drain(resp)
			return nil, &StatusError{Status: s, URL: req.URL.Redacted()}
		}
	}
}

// rateLimited reports a 403 that is Google's way of saying 429
// (rateLimitExceeded, userRateLimitExceeded). It reads at most 64 KiB of
// the body and puts it back for drain.
func rateLimited(resp *http.Response) bool {
	head, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return bytes.Contains(head, []byte("ateLimitExceeded"))
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
}

// Get returns the body of a GET of url, read whole (at most MaxBody bytes).
func (c *Client) Get(ctx context.Context, url string) ([]byte, error) {
	resp, err := c.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	limit := c.MaxBody
	if limit <= 0 {
		limit = 64 << 20
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", resp.Request.URL.Redacted(), err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("response from %s is larger than %d bytes", resp.Request.URL.Redacted(), limit)
	}
	return data, nil
}

// GetJSON decodes the JSON body of a GET of url into v.
func (c *Client) GetJSON(ctx context.Context, url string, v any) error {
	data, err := c.Get(ctx, url)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decoding the response of %s: %w", url, err)
	}
	return nil
}
