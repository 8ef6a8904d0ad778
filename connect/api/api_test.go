package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/engram-app/engram/connect/api"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name string
		h    string
		want time.Duration
		ok   bool
	}{
		{"seconds", "120", 120 * time.Second, true},
		{"zero", "0", 0, true},
		{"http date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"empty", "", 0, false},
		{"negative", "-5", 0, false},
		{"garbage", "soon", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := api.RetryAfter(c.h, now)
			if got != c.want || ok != c.ok {
				t.Fatalf("RetryAfter(%q) = %v, %v; want %v, %v", c.h, got, ok, c.want, c.ok)
			}
		})
	}
}

func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"1", "Wed, 21 Oct 2015 07:28:00 GMT", "", "x", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		if d, ok := api.RetryAfter(h, time.Now()); ok && d < 0 {
			t.Fatalf("negative wait %v for %q", d, h)
		}
	})
}

// tokens counts refreshes: Invalidate makes the next Token a new one.
type tokens struct {
	mu        sync.Mutex
	cur       string
	refreshes int
}

func (k *tokens) Token(context.Context) (*oauth2.Token, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return &oauth2.Token{AccessToken: k.cur}, nil
}

func (k *tokens) Invalidate(old string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if old == k.cur {
		k.refreshes++
		k.cur = "t" + strconv.Itoa(k.refreshes)
	}
}

func TestStatuses(t *testing.T) {
	cases := []struct {
		name      string
		answers   []int // status per request, the last repeats
		want      error
		requests  int
		refreshes int
	}{
		{"ok", []int{200}, nil, 1, 0},
		{"401 then ok refreshes once", []int{401, 200}, nil, 2, 1},
		{"401 twice is unauthorized", []int{401, 401}, api.ErrUnauthorized, 2, 1},
		{"503 retried", []int{503, 503, 200}, nil, 3, 0},
		{"404", []int{404}, api.ErrNotFound, 1, 0},
		{"400 not retried", []int{400}, &api.StatusError{}, 1, 0},
		{"500 until the retries end", []int{500}, &api.StatusError{}, 4, 0},
		{"403 rate limit retried", []int{-403, 200}, nil, 2, 0},
		{"403 forbidden not retried", []int{403}, &api.StatusError{}, 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var n atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				code := c.answers[min(i, len(c.answers)-1)]
				if code == -403 { // Google's rate limit
					w.WriteHeader(http.StatusForbidden)
					w.Write([]byte(`{"error":{"code":403,"errors":[{"reason":"userRateLimitExceeded"}]}}`))
					return
				}
				w.WriteHeader(code)
				w.Write([]byte("{}"))
			}))
			defer srv.Close()
			tk := &tokens{cur: "t0"}
			cl := &api.Client{Tokens: tk, MaxRetries: 3, Sleep: func(context.Context, time.Duration) error { return nil }}
			var v map[string]any
			err := cl.GetJSON(context.Background(), srv.URL, &v)
			var se *api.StatusError
			switch want := c.want.(type) {
			case nil:
				if err != nil {
					t.Fatal(err)
				}
			case *api.StatusError:
				if !errors.As(err, &se) {
					t.Fatalf("got %v, want a StatusError", err)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("got %v, want %v", err, want)
				}
			}
			if int(n.Load()) != c.requests || tk.refreshes != c.refreshes {
				t.Fatalf("%d requests, %d refreshes; want %d, %d", n.Load(), tk.refreshes, c.requests, c.refreshes)
			}
		})
	}
}

// TestRetryAfterHoldsEveryRequest: after a 429 with Retry-After: 5 no
// request of the client, the retried one or others, reaches the server
// before 5 seconds passed on the client's clock.
func TestRetryAfterHoldsEveryRequest(t *testing.T) {
	var mu sync.Mutex
	clock := time.Unix(1700000000, 0)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	var first429 time.Time
	var early atomic.Int64
	var limited atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if limited.CompareAndSwap(false, true) {
			first429 = now()
			w.Header().Set("Retry-After", "5")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if now().Sub(first429) < 5*time.Second {
			early.Add(1)
		}
		w.Write([]byte("{}"))
	}))
	defer srv.Close()
	cl := &api.Client{Tokens: &tokens{cur: "t"}, Now: now, Sleep: func(_ context.Context, d time.Duration) error {
		mu.Lock()
		clock = clock.Add(d)
		mu.Unlock()
		return nil
	}}
	var v map[string]any
	if err := cl.GetJSON(context.Background(), srv.URL, &v); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var v map[string]any
			if err := cl.GetJSON(context.Background(), srv.URL, &v); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if early.Load() != 0 {
		t.Fatalf("%d requests reached the server before Retry-After elapsed", early.Load())
	}
}
