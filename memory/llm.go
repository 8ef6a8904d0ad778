package memory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// LLMConfig says where an OpenAI-compatible chat completions endpoint is:
// OpenAI, a local llama.cpp or vLLM server, or Ollama's /v1.
type LLMConfig struct {
	Endpoint string        // base URL, e.g. http://127.0.0.1:11434/v1
	Model    string        // e.g. llama3.1
	Timeout  time.Duration // per request; zero means 20 s
	Client   *http.Client  // nil means a client with Timeout
}

// LLM is an Extractor that asks a language model for the facts of a
// statement, as JSON, and validates every field before a candidate is
// used. Any error (no answer, a timeout, invalid JSON, an invalid fact)
// is returned whole, and the Service falls back to the rules.
type LLM struct {
	cfg    LLMConfig
	client *http.Client
}

// NewLLM returns an LLM extractor; it makes no request until Extract.
func NewLLM(cfg LLMConfig) *LLM {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 20 * time.Second
	}
	c := cfg.Client
	if c == nil {
		c = &http.Client{Timeout: cfg.Timeout}
	}
	cfg.Endpoint = strings.TrimRight(cfg.Endpoint, "/")
	return &LLM{cfg: cfg, client: c}
}

// ErrLLMAnswer means the model's answer was not the JSON asked for.
var ErrLLMAnswer = errors.New("the language model's answer is not valid")

// maxLLMFacts bounds what one statement may yield.
const maxLLMFacts = 20

const llmPrompt = `You extract durable facts about the user from what the user says.
Answer with JSON only: {"facts":[...]}, each fact an object with these fields:
- "kind": one of preference, relationship, place, plan, feeling, work, fact
- "subject": "user", or the relation of a person the fact is about (e.g. "sister")
- "attribute": what the fact is about, stable across updates: "lives_in", "works_at", "job", "name",
  "age", "pref:<thing>", "favourite:<what>", "relation:<relation>", "plan:<what>", "feels:<emotion>"
- "value": the value (a place, a name, "likes"/"dislikes", an emotion, ...)
- "memory": the fact as a short sentence in the third person without the subject ("Lives in Oslo")
- "people", "places", "emotions": lists of names mentioned (may be empty)
- "trigger": what triggered a feeling, if said
- "valid_from": the date the fact began if the user says so (YYYY-MM-DD), else ""
- "importance": 0 to 1
- "retract": true when the user says the fact no longer holds or asks to forget it
Only facts the user states about themself or people close to them; none from questions.`

type llmFact struct {
	Kind       string   `json:"kind"`
	Subject    string   `json:"subject"`
	Attribute  string   `json:"attribute"`
	Value      string   `json:"value"`
	Memory     string   `json:"memory"`
	People     []string `json:"people"`
	Places     []string `json:"places"`
	Emotions   []string `json:"emotions"`
	Trigger    string   `json:"trigger"`
	ValidFrom  string   `json:"valid_from"`
	Importance float64  `json:"importance"`
	Retract    bool     `json:"retract"`
}

// Extract asks the model and validates its answer.
func (l *LLM) Extract(ctx context.Context, text string, now time.Time) ([]Candidate, error) {
	body, _ := json.Marshal(map[string]any{
		"model":           l.cfg.Model,
		"temperature":     0,
		"response_format": map[string]string{"type": "json_object"},
		"messages": []map[string]string{
			{"role": "system", "content": llmPrompt + "\nToday is " + now.Format("2006-01-02") + "."},
			{"role": "user", "content": text},
		},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.cfg.Endpoint+"/chat/completions", bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("asking the language model: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("asking the language model at %s: %w", l.cfg.Endpoint, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("reading the language model's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the language model at %s answered %s", l.cfg.Endpoint, resp.Status)
	}
	var chat struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
	}
	if err := json.Unmarshal(raw, &chat); err != nil || len(chat.Choices) == 0 {
		return nil, fmt.Errorf("%w: no chat completion in %.100q", ErrLLMAnswer, raw)
	}
	return parseLLMFacts(chat.Choices[0].Message.Content, text)
}

// parseLLMFacts validates the model's JSON and turns it into candidates.
func parseLLMFacts(content, said string) ([]Candidate, error) {
	content = strings.TrimSpace(content)
	content = strings.TrimPrefix(strings.TrimPrefix(content, "```json"), "```")
	content = strings.TrimSuffix(strings.TrimSpace(content), "```")
	var ans struct {
		Facts []llmFact `json:"facts"`
	}
	dec := json.NewDecoder(strings.NewReader(content))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ans); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrLLMAnswer, err)
	}
	if len(ans.Facts) > maxLLMFacts {
		return nil, fmt.Errorf("%w: %d facts from one statement", ErrLLMAnswer, len(ans.Facts))
	}
	out := make([]Candidate, 0, len(ans.Facts))
	for i, f := range ans.Facts {
		c, err := f.candidate(said)
		if err != nil {
			return nil, fmt.Errorf("%w: fact %d: %v", ErrLLMAnswer, i, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func (f llmFact) candidate(said string) (Candidate, error) {
	switch f.Kind {
	case KindPreference, KindRelationship, KindPlace, KindPlan, KindFeeling, KindWork, KindFact:
	default:
		return Candidate{}, fmt.Errorf("kind %q is not one of the memory kinds", f.Kind)
	}
	clean := func(s string, max int) (string, error) {
		s = strings.TrimSpace(s)
		if len(s) > max {
			return "", fmt.Errorf("%.40q is longer than %d bytes", s, max)
		}
		return s, nil
	}
	var err error
	c := Candidate{Kind: f.Kind, People: f.People, Places: f.Places, Emotions: f.Emotions, Retract: f.Retract, Said: said}
	if c.Subject, err = clean(strings.ToLower(f.Subject), 64); err != nil || c.Subject == "" {
		return Candidate{}, fmt.Errorf("subject: %v", orEmpty(err))
	}
	if c.Attribute, err = clean(strings.ToLower(f.Attribute), 128); err != nil || c.Attribute == "" {
		return Candidate{}, fmt.Errorf("attribute: %v", orEmpty(err))
	}
	if c.Value, err = clean(f.Value, 512); err != nil || (c.Value == "" && !c.Retract) {
		return Candidate{}, fmt.Errorf("value: %v", orEmpty(err))
	}
	if c.Text, err = clean(f.Memory, 512); err != nil || c.Text == "" {
		return Candidate{}, fmt.Errorf("memory: %v", orEmpty(err))
	}
	if c.Trigger, err = clean(f.Trigger, 512); err != nil {
		return Candidate{}, fmt.Errorf("trigger: %v", err)
	}
	if f.Importance < 0 || f.Importance > 1 {
		return Candidate{}, fmt.Errorf("importance %v is not between 0 and 1", f.Importance)
	}
	c.Importance = f.Importance
	if f.ValidFrom != "" {
		t, err := time.Parse("2006-01-02", f.ValidFrom)
		if err != nil {
			return Candidate{}, fmt.Errorf("valid_from %q is not YYYY-MM-DD", f.ValidFrom)
		}
		c.ValidFrom = t
	}
	for _, l := range [][]string{c.People, c.Places, c.Emotions} {
		if len(l) > 20 {
			return Candidate{}, fmt.Errorf("more than 20 names in a list")
		}
	}
	return c, nil
}

func orEmpty(err error) error {
	if err != nil {
		return err
	}
	return errors.New("empty")
}
