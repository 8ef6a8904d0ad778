// Package embedtest is a loopback embedding server for tests and
// benchmarks. It speaks both wire formats a real endpoint does — Ollama's
// POST /api/embed and the OpenAI-compatible POST /v1/embeddings — and
// answers with deterministic vectors: a hashed bag of words, where words of
// one synonym group ("kitten", "cat", "feline") count as one, projected to
// Dim dimensions and normalised. So two texts that share words, or
// synonyms, are near; a paraphrase that shares no word with a text but uses
// its synonyms lands next to it; unrelated texts are near-orthogonal. No
// model is needed.
//
// It counts requests and texts (also served as JSON at GET /stats, which is
// not counted), and can be switched off (every request
// refused with 503) and on again.
package embedtest

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"
)

// Dim is the dimension of the vectors.
const Dim = 384

// Server is a running fake endpoint.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:PORT.
	URL string

	srv      *httptest.Server
	requests atomic.Int64
	texts    atomic.Int64
	down     atomic.Bool
	words    words
}

// Start starts a server on 127.0.0.1 and closes it when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := New()
	tb.Cleanup(s.Close)
	return s
}

// New starts a server on 127.0.0.1 at a free port; Close stops it.
func New() *Server {
	s, err := Listen("127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	return s
}

// Listen starts a server on addr (a loopback address); Close stops it.
func Listen(addr string) (*Server, error) {
	s := &Server{words: newWords()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/embed", s.ollama)
	mux.HandleFunc("POST /v1/embeddings", s.openai)
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]int64{"requests": s.Requests(), "texts": s.Texts()})
	})
	s.srv = httptest.NewUnstartedServer(mux)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s.srv.Listener.Close()
	s.srv.Listener = l
	s.srv.Start()
	s.URL = s.srv.URL
	return s, nil
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Requests counts the embedding requests answered or refused.
func (s *Server) Requests() int64 { return s.requests.Load() }

// Texts counts the texts embedded.
func (s *Server) Texts() int64 { return s.texts.Load() }

// SetDown makes every request fail with 503 (true) or succeed (false).
func (s *Server) SetDown(down bool) { s.down.Store(down) }

type request struct {
	Model string          `json:"model"`
	Input json.RawMessage `json:"input"`
}

// read decodes a request whose input is a string or a list of strings.
func (s *Server) read(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	s.requests.Add(1)
	if s.down.Load() {
		http.Error(w, `{"error":"switched off"}`, http.StatusServiceUnavailable)
		return nil, false
	}
	var req request
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<20)).Decode(&req); err != nil || req.Model == "" {
		http.Error(w, `{"error":"invalid request: model and input are required"}`, http.StatusBadRequest)
		return nil, false
	}
	var in []string
	if err := json.Unmarshal(req.Input, &in); err != nil {
		var one string
		if err := json.Unmarshal(req.Input, &one); err != nil {
			http.Error(w, `{"error":"input must be a string or a list of strings"}`, http.StatusBadRequest)
			return nil, false
		}
		in = []string{one}
	}
	s.texts.Add(int64(len(in)))
	return in, true
}

func (s *Server) ollama(w http.ResponseWriter, r *http.Request) {
	in, ok := s.read(w, r)
	if !ok {
		return
	}
	out := struct {
		Model      string      `json:"model"`
		Embeddings [][]float32 `json:"embeddings"`
	}{Model: "fake"}
	for _, t := range in {
		out.Embeddings = append(out.Embeddings, s.Vector(t))
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func (s *Server) openai(w http.ResponseWriter, r *http.Request) {
	in, ok := s.read(w, r)
	if !ok {
		return
	}
	type item struct {
		Object    string    `json:"object"`
		Embedding []float32 `json:"embedding"`
		Index     int       `json:"index"`
	}
	out := struct {
		Object string `json:"object"`
		Data   []item `json:"data"`
		Model  string `json:"model"`
	}{Object: "list", Model: "fake"}
	// Answer in reverse order: clients must use the index.
	for i := len(in) - 1; i >= 0; i-- {
		out.Data = append(out.Data, item{Object: "embedding", Embedding: s.Vector(in[i]), Index: i})
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// words is how the server reads text: synonyms maps a word to its group's
// first word; stop words are skipped.
type words struct {
	synonyms  map[string]string
	stopwords map[string]bool
}

func newWords() words {
	groups := [][]string{
		{"cat", "cats", "kitten", "kittens", "feline", "felines"},
		{"sleep", "sleeping", "slept", "asleep", "dozed", "dozing", "napped", "napping", "nap", "snooze", "snoozing"},
		{"sofa", "couch", "settee", "divan"},
		{"dog", "dogs", "puppy", "puppies", "canine", "hound"},
		{"ocean", "sea", "seaside", "coast", "shore", "beach"},
		{"happy", "glad", "joyful", "cheerful", "delighted"},
		{"sad", "unhappy", "gloomy", "miserable", "sorrowful"},
		{"fast", "quick", "rapid", "swift", "speedy"},
		{"big", "large", "huge", "enormous", "vast"},
		{"begin", "start", "commence", "kickoff"},
		{"quarrel", "argument", "dispute", "row", "disagreement"},
		{"money", "cash", "funds", "finances"},
		{"journey", "trip", "voyage", "travel", "travelling", "traveling"},
		{"house", "home", "dwelling", "residence"},
		{"illness", "sickness", "disease", "ailment", "flu"},
	}
	m := map[string]string{}
	for _, g := range groups {
		for _, w := range g {
			m[w] = g[0]
		}
	}
	stop := map[string]bool{}
	for _, w := range strings.Fields("a an the of on in and or to is was all our my for at with it its this that by be") {
		stop[w] = true
	}
	return words{synonyms: m, stopwords: stop}
}

// Vector is the server's vector of text: each word (lower-cased, stop
// words dropped, synonyms folded) adds ±1 in two hashed dimensions, then
// the sum is normalised. A text without words gets a fixed unit vector.
func (s *Server) Vector(text string) []float32 {
	v := make([]float64, Dim)
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if s.words.stopwords[w] {
			continue
		}
		if g, ok := s.words.synonyms[w]; ok {
			w = g
		}
		h := fnv.New64a()
		h.Write([]byte(w))
		x := h.Sum64()
		for k := range 2 {
			bits := x >> (k * 20)
			sign := 1.0
			if bits&1 == 1 {
				sign = -1
			}
			v[(bits>>1)%Dim] += sign
		}
	}
	var n float64
	for _, x := range v {
		n += x * x
	}
	out := make([]float32, Dim)
	if n == 0 {
		out[0] = 1
		return out
	}
	n = math.Sqrt(n)
	for i, x := range v {
		out[i] = float32(x / n)
	}
	return out
}
