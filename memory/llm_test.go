package memory

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// fakeChat answers like an OpenAI-compatible /chat/completions endpoint.
func fakeChat(t *testing.T, content string, status int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chat/completions" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		var req struct {
			Model    string `json:"model"`
			Messages []struct{ Role, Content string }
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model != "tiny" || len(req.Messages) != 2 || req.Messages[1].Role != "user" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": content}}}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLLMExtractorValidatesItsAnswer(t *testing.T) {
	good := `{"facts":[{"kind":"place","subject":"user","attribute":"lives_in","value":"Oslo","memory":"Lives in Oslo","places":["Oslo"],"valid_from":"2025-01-01","importance":0.8}]}`
	tests := []struct {
		name    string
		content string
		status  int
		wantErr bool
	}{
		{"a valid answer", good, 200, false},
		{"fenced JSON", "```json\n" + good + "\n```", 200, false},
		{"not JSON", "Sure! The user lives in Oslo.", 200, true},
		{"an unknown kind", strings.Replace(good, `"place"`, `"gossip"`, 1), 200, true},
		{"an unknown field", strings.Replace(good, `"importance"`, `"confidence":1,"importance"`, 1), 200, true},
		{"importance out of range", strings.Replace(good, `0.8`, `7`, 1), 200, true},
		{"a bad date", strings.Replace(good, `2025-01-01`, `last spring`, 1), 200, true},
		{"an empty attribute", strings.Replace(good, `"lives_in"`, `""`, 1), 200, true},
		{"a server error", good, 500, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := fakeChat(t, tc.content, tc.status)
			l := NewLLM(LLMConfig{Endpoint: srv.URL + "/v1", Model: "tiny"})
			cs, err := l.Extract(context.Background(), "I moved to Oslo at new year.", time.Now())
			if tc.wantErr {
				if err == nil {
					t.Fatalf("accepted: %+v", cs)
				}
				return
			}
			if err != nil || len(cs) != 1 || cs[0].Attribute != "lives_in" || cs[0].Value != "Oslo" || cs[0].ValidFrom.Year() != 2025 {
				t.Fatalf("got %+v, %v", cs, err)
			}
		})
	}
}

func TestServiceFallsBackToRulesWhenTheLLMFails(t *testing.T) {
	srv := fakeChat(t, "not json", 200)
	svc, _ := newTestService(t, Options{Extractor: NewLLM(LLMConfig{Endpoint: srv.URL + "/v1", Model: "tiny"})})
	res, err := svc.Add(context.Background(), Key{Workspace: "personal", User: "maya"}, "I live in Lyon.", "test")
	if err != nil || len(res.Events) != 1 || res.Events[0].Event != "ADD" || !strings.Contains(res.Events[0].Memory, "Lyon") {
		t.Fatalf("fallback to rules: %+v, %v", res, err)
	}
}

func TestServiceUsesTheLLMsFacts(t *testing.T) {
	srv := fakeChat(t, `{"facts":[{"kind":"place","subject":"user","attribute":"lives_in","value":"Oslo","memory":"Lives in Oslo","places":["Oslo"],"valid_from":"2025-01-01","importance":0.8}]}`, 200)
	svc, _ := newTestService(t, Options{Extractor: NewLLM(LLMConfig{Endpoint: srv.URL + "/v1", Model: "tiny"})})
	res, err := svc.Add(context.Background(), Key{Workspace: "personal", User: "maya"}, "Since New Year I have been living up north in Oslo.", "test")
	if err != nil || len(res.Events) != 1 || res.Events[0].Event != "ADD" || res.Events[0].Memory != "Lives in Oslo" {
		t.Fatalf("%+v, %v", res, err)
	}
}
