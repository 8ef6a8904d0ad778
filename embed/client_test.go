package embed_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/engram-app/engram/embed"
	"github.com/engram-app/engram/embed/embedtest"
)

func TestBothWireFormats(t *testing.T) {
	srv := embedtest.Start(t)
	texts := []string{"our kitten dozed", "the quarterly budget", "", "a cat sleeping"}
	for _, tc := range []struct {
		name, endpoint string
		api            embed.API
		wantAPI        string
	}{
		{"ollama", srv.URL, embed.APIOllama, "ollama"},
		{"openai base", srv.URL, embed.APIOpenAI, "openai"},
		{"openai /v1", srv.URL + "/v1", embed.APIOpenAI, "openai"},
		{"auto on a base URL", srv.URL + "/", embed.APIAuto, "ollama"},
		{"auto on /v1", srv.URL + "/v1", embed.APIAuto, "openai"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := embed.New(embed.Config{Endpoint: tc.endpoint, Model: "m", API: tc.api, BatchSize: 3})
			if err != nil {
				t.Fatal(err)
			}
			before := srv.Requests()
			vs, err := c.Embed(context.Background(), texts)
			if err != nil {
				t.Fatal(err)
			}
			if n := srv.Requests() - before; n != 2 {
				t.Fatalf("4 texts in batches of 3 took %d requests", n)
			}
			for i, v := range vs {
				want := srv.Vector(texts[i])
				if len(v) != embedtest.Dim || math.Abs(float64(dot(v, want))-1) > 1e-5 {
					t.Fatalf("vector %d is not the server's (or out of order)", i)
				}
			}
			if got := c.Status().API; got != tc.wantAPI {
				t.Fatalf("API %q, want %q", got, tc.wantAPI)
			}
		})
	}
}

// TestAutoDetectFallsBackToOpenAI: a server with only /v1/embeddings.
func TestAutoDetectFallsBackToOpenAI(t *testing.T) {
	fake := embedtest.Start(t)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/embeddings", func(w http.ResponseWriter, r *http.Request) { proxy(fake, w, r) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c, _ := embed.New(embed.Config{Endpoint: srv.URL, Model: "m"})
	if _, err := c.Embed(context.Background(), []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if c.Status().API != "openai" {
		t.Fatalf("detected %q", c.Status().API)
	}
}

// proxy passes a request on to the fake server.
func proxy(fake *embedtest.Server, w http.ResponseWriter, r *http.Request) {
	resp, err := http.Post(fake.URL+r.URL.Path, "application/json", r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func TestRetriesThenDown(t *testing.T) {
	var calls atomic.Int64
	failFirst := atomic.Int64{}
	failFirst.Store(2)
	fake := embedtest.Start(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if failFirst.Add(-1) >= 0 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, `{"error":"busy"}`, http.StatusServiceUnavailable)
			return
		}
		proxy(fake, w, r)
	}))
	defer srv.Close()
	c, _ := embed.New(embed.Config{Endpoint: srv.URL, Model: "m", API: embed.APIOllama, Backoff: time.Millisecond, Retries: 3, Cooldown: time.Hour})
	if _, err := c.Embed(context.Background(), []string{"a"}); err != nil {
		t.Fatalf("two 503s then success within 3 retries: %v", err)
	}
	if calls.Load() != 3 {
		t.Fatalf("%d calls, want 3", calls.Load())
	}

	failFirst.Store(100)
	calls.Store(0)
	_, err := c.Embed(context.Background(), []string{"b"})
	if !errors.Is(err, embed.ErrUnavailable) || calls.Load() != 4 {
		t.Fatalf("always 503: %v after %d calls; want ErrUnavailable after 4", err, calls.Load())
	}
	// Down: the next call fails at once, without a request.
	_, err = c.Query(context.Background(), "c")
	if !errors.Is(err, embed.ErrUnavailable) || calls.Load() != 4 {
		t.Fatalf("during the cool-down: %v, %d calls", err, calls.Load())
	}
	if st := c.Status(); st.Up || st.Error == "" {
		t.Fatalf("status %+v, want down with the error", st)
	}
}

func TestRefusedConnectionIsUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, _ := embed.New(embed.Config{Endpoint: url, Model: "m", Backoff: time.Millisecond})
	if _, err := c.Query(context.Background(), "x"); !errors.Is(err, embed.ErrUnavailable) {
		t.Fatalf("closed port: %v", err)
	}
}

func TestUnusableAnswers(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"unknown model", `{"error":"model \"m\" not found, try pulling it first"}`, 404},
		{"bad request", `{"error":{"message":"input too long"}}`, 400},
		{"not JSON", `<html>`, 200},
		{"too few vectors", `{"embeddings":[[1,0]]}`, 200},
		{"mixed dimensions", `{"embeddings":[[1,0],[1,0,0]]}`, 200},
		{"empty vector", `{"embeddings":[[],[]]}`, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			c, _ := embed.New(embed.Config{Endpoint: srv.URL, Model: "m", API: embed.APIOllama})
			_, err := c.Embed(context.Background(), []string{"a", "b"})
			if !errors.Is(err, embed.ErrBadResponse) {
				t.Fatalf("got %v, want ErrBadResponse", err)
			}
			if c.Status().Up != true {
				t.Fatal("an unusable answer is not an endpoint that is down")
			}
		})
	}
}

func TestConfigRejected(t *testing.T) {
	for _, cfg := range []embed.Config{
		{Endpoint: "127.0.0.1:11434", Model: "m"},
		{Endpoint: "ftp://x", Model: "m"},
		{Endpoint: "http://127.0.0.1:11434"},
		{Endpoint: "http://127.0.0.1:11434", Model: "m", API: "grpc"},
	} {
		if _, err := embed.New(cfg); !errors.Is(err, embed.ErrConfig) {
			t.Errorf("%+v: %v, want ErrConfig", cfg, err)
		}
	}
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
