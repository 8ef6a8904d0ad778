package embed

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// API is the wire format of an endpoint.
type API string

// The wire formats a Client speaks.
const (
	// APIAuto detects the format: an endpoint whose path ends in /v1 is
	// OpenAI-compatible; otherwise Ollama's /api/embed is tried first and
	// /v1/embeddings when it answers 404.
	APIAuto API = ""
	// APIOllama is Ollama's POST /api/embed {"model","input":[...]} ->
	// {"embeddings":[[...]]}.
	APIOllama API = "ollama"
	// APIOpenAI is POST /v1/embeddings {"model","input":[...]} ->
	// {"data":[{"embedding":[...],"index":i}]}, served by OpenAI, Ollama,
	// llama.cpp, vLLM and LM Studio.
	APIOpenAI API = "openai"
)

// ParseAPI checks an embed.api setting: "", "auto", "ollama" or "openai".
func ParseAPI(s string) (API, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return APIAuto, nil
	case "ollama":
		return APIOllama, nil
	case "openai":
		return APIOpenAI, nil
	}
	return "", fmt.Errorf("%w: embed.api must be ollama, openai or auto, not %q", ErrConfig, s)
}

// Limits of a Config; values outside are clamped.
const (
	MaxBatch     = 512
	MaxRetries   = 10
	MaxDimension = 16384
	// maxResponse bounds the bytes read from one answer.
	maxResponse = 64 << 20
)

// Config says where the endpoint is and how to talk to it. Zero values take
// the defaults noted.
type Config struct {
	// Endpoint is the base URL, e.g. http://127.0.0.1:11434 (Ollama) or
	// http://127.0.0.1:8080/v1 (OpenAI-compatible).
	Endpoint string
	// Model names the embedding model, e.g. nomic-embed-text. Required.
	Model string
	// API is the wire format; APIAuto detects it.
	API API
	// Timeout bounds one request; zero means 30 s.
	Timeout time.Duration
	// BatchSize is how many texts go in one request, 1 to MaxBatch; zero
	// means 32.
	BatchSize int
	// Retries is how many times a transient failure is retried, 0 to
	// MaxRetries; zero means 3, negative none.
	Retries int
	// Backoff is the wait before the first retry, doubled each time, with
	// ±50% jitter and at most 5 s; zero means 200 ms.
	Backoff time.Duration
	// Cooldown is how long the endpoint counts as down after it failed;
	// zero means 10 s.
	Cooldown time.Duration
	// HTTPClient sends the requests; nil means a plain client (the
	// timeout is applied per request through the context).
	HTTPClient *http.Client
}

// Client embeds texts through one endpoint and model. It is safe for
// concurrent use.
type Client struct {
	cfg      Config
	base     string
	detected atomic.Value // API, once auto-detection settled
	requests atomic.Int64

	mu        sync.Mutex
	downUntil time.Time
	lastErr   error
}

// New validates cfg and returns a Client; it sends no request.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.Endpoint))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: embed.endpoint must be an http(s) URL such as http://127.0.0.1:11434, not %q", ErrConfig, cfg.Endpoint)
	}
	if strings.TrimSpace(cfg.Model) == "" {
		return nil, fmt.Errorf("%w: set embed.model, e.g. nomic-embed-text", ErrConfig)
	}
	if _, err := ParseAPI(string(cfg.API)); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	cfg.BatchSize = clamp(cfg.BatchSize, 32, 1, MaxBatch)
	if cfg.Retries < 0 {
		cfg.Retries = 0
	} else {
		cfg.Retries = clamp(cfg.Retries, 3, 0, MaxRetries)
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 200 * time.Millisecond
	}
	if cfg.Cooldown <= 0 {
		cfg.Cooldown = 10 * time.Second
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	c := &Client{cfg: cfg, base: strings.TrimRight(u.String(), "/")}
	if cfg.API == APIAuto && strings.HasSuffix(c.base, "/v1") {
		c.detected.Store(APIOpenAI)
	} else if cfg.API != APIAuto {
		c.detected.Store(cfg.API)
	}
	return c, nil
}

func clamp(v, def, lo, hi int) int {
	if v == 0 {
		return def
	}
	return min(max(v, lo), hi)
}

// Model is the model the client asks for; vectors are cached under it.
func (c *Client) Model() string { return c.cfg.Model }

// Endpoint is the configured base URL.
func (c *Client) Endpoint() string { return c.cfg.Endpoint }

// Requests counts the HTTP requests sent so far.
func (c *Client) Requests() int64 { return c.requests.Load() }

// Status is what a user is told about the endpoint.
type Status struct {
	Endpoint string `json:"endpoint"`
	Model    string `json:"model"`
	API      string `json:"api"` // "ollama", "openai", or "auto" until detected
	Up       bool   `json:"up"`  // false while in the cool-down after a failure
	Error    string `json:"error,omitempty"`
}

// Status reports the endpoint's state as of the last request.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := Status{Endpoint: c.cfg.Endpoint, Model: c.cfg.Model, API: "auto", Up: time.Now().After(c.downUntil)}
	if a, ok := c.detected.Load().(API); ok {
		s.API = string(a)
	}
	if c.lastErr != nil {
		s.Error = c.lastErr.Error()
	}
	return s
}

// Embed returns one unit vector per text, in order, sending BatchSize
// texts a request. The error wraps ErrUnavailable when the endpoint is down
// (also, without a request, during the cool-down after a failure),
// ErrBadResponse when its answer is unusable, or ctx's error.
func (c *Client) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	return c.embed(ctx, texts, c.cfg.Retries)
}

// Query embeds one search query with at most one retry, so that a search
// waits little on an endpoint that is down.
func (c *Client) Query(ctx context.Context, text string) ([]float32, error) {
	vs, err := c.embed(ctx, []string{text}, min(c.cfg.Retries, 1))
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

func (c *Client) embed(ctx context.Context, texts []string, retries int) ([][]float32, error) {
	if err := c.checkDown(); err != nil {
		return nil, err
	}
	out := make([][]float32, 0, len(texts))
	dim := 0
	for start := 0; start < len(texts); start += c.cfg.BatchSize {
		batch := texts[start:min(start+c.cfg.BatchSize, len(texts))]
		vs, err := c.withRetries(ctx, batch, retries)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if dim == 0 {
				dim = len(v)
			} else if len(v) != dim {
				return nil, fmt.Errorf("%w: vectors of %d and %d dimensions", ErrBadResponse, dim, len(v))
			}
			out = append(out, v)
		}
	}
	return out, nil
}

func (c *Client) checkDown() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Now().Before(c.downUntil) {
		return fmt.Errorf("%w (%v); retrying after %s", ErrUnavailable, c.lastErr, c.downUntil.Format(time.TimeOnly))
	}
	return nil
}

func (c *Client) record(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err == nil:
		c.downUntil, c.lastErr = time.Time{}, nil
	case errors.Is(err, ErrUnavailable):
		c.downUntil, c.lastErr = time.Now().Add(c.cfg.Cooldown), err
	case errors.Is(err, ErrBadResponse):
		c.lastErr = err
	}
}

// retryable is a failure worth trying again: the endpoint may answer soon.
type retryable struct {
	err   error
	after time.Duration // the server's Retry-After, if it said
}

func (r retryable) Error() string { return r.err.Error() }

func (c *Client) withRetries(ctx context.Context, batch []string, retries int) ([][]float32, error) {
	wait := c.cfg.Backoff
	for attempt := 0; ; attempt++ {
		vs, err := c.send(ctx, batch)
		var r retryable
		if err == nil || !errors.As(err, &r) {
			if ctx.Err() == nil {
				c.record(err)
			}
			return vs, err
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if attempt >= retries {
			err = fmt.Errorf("%w: %s: %v", ErrUnavailable, c.cfg.Endpoint, r.err)
			c.record(err)
			return nil, err
		}
		d := time.Duration(float64(wait) * (0.5 + rand.Float64()))
		if r.after > 0 {
			d = r.after
		}
		d = min(d, 5*time.Second)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
}

// send makes one request in the detected format, detecting it first if
// needed: Ollama's path, then OpenAI's on a 404.
func (c *Client) send(ctx context.Context, batch []string) ([][]float32, error) {
	api, ok := c.detected.Load().(API)
	if ok {
		return c.post(ctx, api, batch)
	}
	vs, err := c.post(ctx, APIOllama, batch)
	var nf notFound
	if errors.As(err, &nf) {
		vs2, err2 := c.post(ctx, APIOpenAI, batch)
		if err2 == nil {
			c.detected.Store(APIOpenAI)
			return vs2, nil
		}
		if !errors.As(err2, &nf) {
			return nil, err2
		}
		return nil, err
	}
	if err == nil {
		c.detected.Store(APIOllama)
	}
	return vs, err
}

// notFound is a 404: the wrong path for this server, or (Ollama) an
// unknown model.
type notFound struct{ err error }

func (n notFound) Error() string { return n.err.Error() }
func (n notFound) Unwrap() error { return n.err }

func (c *Client) url(api API) string {
	base := c.base
	if api == APIOllama {
		return strings.TrimSuffix(base, "/v1") + "/api/embed"
	}
	if strings.HasSuffix(base, "/v1") {
		return base + "/embeddings"
	}
	return base + "/v1/embeddings"
}

func (c *Client) post(ctx context.Context, api API, batch []string) ([][]float32, error) {
	body, _ := json.Marshal(struct {
		Model string   `json:"model"`
		Input []string `json:"input"`
	}{c.cfg.Model, batch})
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url(api), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	req.Header.Set("Content-Type", "application/json")
	c.requests.Add(1)
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, retryable{err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, retryable{err: fmt.Errorf("reading the answer: %w", err)}
	}
	if len(raw) > maxResponse {
		return nil, fmt.Errorf("%w: answer over %d MB", ErrBadResponse, maxResponse>>20)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		r := retryable{err: fmt.Errorf("%s answered %s%s", c.url(api), resp.Status, errorText(raw))}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			r.after = time.Duration(s) * time.Second
		}
		return nil, r
	case resp.StatusCode == http.StatusNotFound:
		return nil, notFound{fmt.Errorf("%w: %s answered %s%s", ErrBadResponse, c.url(api), resp.Status, errorText(raw))}
	case resp.StatusCode/100 != 2:
		return nil, fmt.Errorf("%w: %s answered %s%s", ErrBadResponse, c.url(api), resp.Status, errorText(raw))
	}
	vs, err := decode(api, raw, len(batch))
	if err != nil {
		return nil, err
	}
	return vs, nil
}

// errorText is the server's error message, shortened, for the user.
func errorText(raw []byte) string {
	var e struct {
		Error json.RawMessage `json:"error"`
	}
	msg := strings.TrimSpace(string(raw))
	if json.Unmarshal(raw, &e) == nil && len(e.Error) > 0 {
		var s string
		var o struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(e.Error, &s) == nil {
			msg = s
		} else if json.Unmarshal(e.Error, &o) == nil && o.Message != "" {
			msg = o.Message
		}
	}
	if msg == "" {
		return ""
	}
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "…"
	}
	return ": " + msg
}

// decode reads an answer of either format; it wants exactly n vectors of
// one dimension, 1 to MaxDimension.
func decode(api API, raw []byte, n int) ([][]float32, error) {
	var vs [][]float64
	if api == APIOllama {
		var r struct {
			Embeddings [][]float64 `json:"embeddings"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadResponse, err)
		}
		vs = r.Embeddings
	} else {
		var r struct {
			Data []struct {
				Embedding []float64 `json:"embedding"`
				Index     int       `json:"index"`
			} `json:"data"`
		}
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadResponse, err)
		}
		vs = make([][]float64, len(r.Data))
		for i, d := range r.Data {
			if d.Index < 0 || d.Index >= len(r.Data) || vs[d.Index] != nil {
				return nil, fmt.Errorf("%w: item %d has index %d", ErrBadResponse, i, d.Index)
			}
			vs[d.Index] = d.Embedding
		}
	}
	if len(vs) != n {
		return nil, fmt.Errorf("%w: %d vectors for %d texts", ErrBadResponse, len(vs), n)
	}
	out := make([][]float32, n)
	for i, v := range vs {
		if len(v) == 0 || len(v) > MaxDimension || (i > 0 && len(v) != len(vs[0])) {
			return nil, fmt.Errorf("%w: vector %d has %d dimensions", ErrBadResponse, i, len(v))
		}
		out[i] = Normalize(v)
	}
	return out, nil
}

// Normalize returns v as float32 scaled to unit length; a zero (or
// non-finite) vector stays zero.
func Normalize(v []float64) []float32 {
	var sum float64
	for _, x := range v {
		sum += x * x
	}
	out := make([]float32, len(v))
	n := math.Sqrt(sum)
	if n == 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return out
	}
	for i, x := range v {
		out[i] = float32(x / n)
	}
	return out
}
