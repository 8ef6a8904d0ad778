// Package config declares every setting a user can change with `engram
// config set`, in the Settings view or through the API: its key, its
// default, what it does and which values it takes. The values themselves
// live in the store's settings bucket; a key that is not set there has its
// default. The faces list keys in the order Keys returns them.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// ErrUnknownKey is wrapped by every *UnknownKeyError.
var ErrUnknownKey = errors.New("unknown setting")

// ErrBadValue is wrapped by the error of a value a key does not take.
var ErrBadValue = errors.New("bad value")

// UnknownKeyError names a key that is not a setting and lists the ones
// that are.
type UnknownKeyError struct{ Key string }

func (e *UnknownKeyError) Error() string {
	names := make([]string, 0, 8)
	for _, k := range Keys() {
		names = append(names, k.Name)
	}
	return fmt.Sprintf("unknown setting %q: the settings are %s (engram config list shows them with their values)", e.Key, strings.Join(names, ", "))
}

// Unwrap makes errors.Is(err, ErrUnknownKey) hold.
func (e *UnknownKeyError) Unwrap() error { return ErrUnknownKey }

// Key is one setting.
type Key struct {
	Name    string `json:"key"`
	Default string `json:"default"`
	Doc     string `json:"doc"`
	// check returns nil for a value the key takes; "" always resets a key
	// to its default.
	check func(string) error
}

// Check says whether v is a value k takes; the error wraps ErrBadValue and
// says what the key takes. The empty value always resets k to its default.
func (k Key) Check(v string) error {
	if v == "" || k.check == nil {
		return nil
	}
	if err := k.check(v); err != nil {
		return fmt.Errorf("%w: %s %v, not %q", ErrBadValue, k.Name, err, v)
	}
	return nil
}

// Keys names.
const (
	MaxFileMB   = "import.max_file_mb"
	MaxDepth    = "import.max_depth"
	MaxMessages = "import.max_messages"
	LLMEndpoint = "memory.llm_endpoint"
	LLMModel    = "memory.llm_model"

	EmbedEndpoint = "embed.endpoint"
	EmbedModel    = "embed.model"
	EmbedAPI      = "embed.api"
)

// Keys returns every setting, sorted by name.
func Keys() []Key {
	keys := []Key{
		{Name: MaxFileMB, Default: "20", Doc: "largest file an import reads, in MB (0.001 to 4096); a larger file is skipped with its reason", check: number(0.001, 4096)},
		{Name: MaxMessages, Default: "10000000", Doc: "most messages an import reads from one mailbox file such as an mbox (1 to 1000000000); the file's job entry says when it cuts", check: whole(1, 1_000_000_000)},
		{Name: MaxDepth, Default: "32", Doc: "deepest nesting an import follows: folders, zip archives, MIME parts (1 to 1000)", check: whole(1, 1000)},
		{Name: LLMEndpoint, Default: "", Doc: "OpenAI-compatible or Ollama endpoint that extracts memories (read at start-up); empty uses the offline rules", check: httpURL},
		{Name: LLMModel, Default: "", Doc: "model the memory endpoint runs, e.g. llama3.2"},
		{Name: EmbedEndpoint, Default: "", Doc: "local embedding endpoint (Ollama or OpenAI-compatible) for search by meaning, e.g. http://127.0.0.1:11434; empty: words only", check: httpURL},
		{Name: EmbedModel, Default: "nomic-embed-text", Doc: "embedding model; changing it re-embeds in the background", check: oneLine},
		{Name: EmbedAPI, Default: "auto", Doc: "the endpoint's wire format: auto, ollama or openai", check: oneOf("auto", "ollama", "openai")},
	}
	slices.SortFunc(keys, func(a, b Key) int { return strings.Compare(a.Name, b.Name) })
	return keys
}

// Lookup returns the setting called name, or an *UnknownKeyError.
func Lookup(name string) (Key, error) {
	for _, k := range Keys() {
		if k.Name == name {
			return k, nil
		}
	}
	return Key{}, &UnknownKeyError{Key: name}
}

func number(lo, hi float64) func(string) error {
	return func(v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < lo || f > hi {
			return fmt.Errorf("takes a number from %g to %g", lo, hi)
		}
		return nil
	}
}

func whole(lo, hi int) func(string) error {
	return func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("takes a whole number from %d to %d", lo, hi)
		}
		return nil
	}
}

func httpURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("takes an http(s) URL such as http://127.0.0.1:11434/v1")
	}
	return nil
}

func oneLine(v string) error {
	if strings.ContainsAny(v, "\x00\r\n") {
		return errors.New("takes one line of text")
	}
	return nil
}

func oneOf(vals ...string) func(string) error {
	return func(v string) error {
		if !slices.Contains(vals, v) {
			return fmt.Errorf("takes one of %s", strings.Join(vals, ", "))
		}
		return nil
	}
}
