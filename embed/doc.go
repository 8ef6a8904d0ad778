// Package embed turns text into vectors with a local embedding endpoint the
// user configures (Ollama's /api/embed or any OpenAI-compatible
// /v1/embeddings), and splits documents into the passages that get
// embedded.
//
// A Client batches texts, bounds every request with a timeout, retries
// transient failures (connection errors, 429 and 5xx) with exponential
// backoff and jitter, and remembers when the endpoint is down so that a
// search falls back to text at once instead of waiting on it again: while
// it is down, calls return ErrUnavailable without a request until the
// cool-down passes.
//
// Vectors are normalised to unit length, so a dot product is their cosine.
//
// Cached puts a persistent Cache (bbolt, through package store) in front of
// the endpoint: a text is embedded once per model, ever, found again by the
// hash of its content. Worker drains a workspace's queue of changed
// documents in the background: it chunks them, embeds the chunks no cache
// holds, and records which chunks each document has.
//
// Nothing here keeps package-level state: every cache and counter belongs
// to a value its owner constructs.
package embed
