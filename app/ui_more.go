package app

import (
	"context"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// The settings and memories views' calls beyond ui_settings.go and
// ui_memory.go: the language-model endpoint, deleting a workspace, and
// every memory with its past and deleted versions.

// maxWorkspaceName is the longest workspace name (store.ValidWorkspaceName).
const maxWorkspaceName = 64

// LLMSettings name the language model memory extraction asks, if any.
type LLMSettings struct {
	Endpoint string `json:"endpoint"` // "" means the offline rules
	Model    string `json:"model"`
}

// LLM returns the language-model endpoint and model memory extraction
// uses (set them with Set and the keys memory.llm_endpoint and
// memory.llm_model; they take effect at the next start).
func (s *SettingsService) LLM() (LLMSettings, error) {
	e, _, err := s.app.store.Setting(SettingLLMEndpoint)
	if err != nil {
		return LLMSettings{}, err
	}
	m, _, err := s.app.store.Setting(SettingLLMModel)
	return LLMSettings{Endpoint: e, Model: m}, err
}

// DeleteWorkspace removes workspace name with its documents, memories,
// index and graph, and returns the workspaces left. The default workspace
// cannot be deleted.
func (s *SettingsService) DeleteWorkspace(name string) ([]WorkspaceInfo, error) {
	if err := s.app.DeleteWorkspace(strings.TrimSpace(name)); err != nil {
		return nil, err
	}
	return s.Workspaces()
}

// Repair checks that workspace ws's index and graph agree with the store
// and rebuilds from the store what does not (`engram doctor --repair`).
func (s *SettingsService) Repair(ws string) (*DoctorReport, error) {
	return s.app.Doctor(context.Background(), ws, true)
}

// ListAll returns all of user's memories, past and deleted ones included
// (their state says which), newest first.
func (s *MemoryService) ListAll(ws, user string) (*MemoryList, error) {
	return s.app.MemoryList(context.Background(), ws, strings.TrimSpace(user), true)
}

// WorkspaceSlug maps what a person types as a workspace name ("My Work",
// "Études 2024") to a valid one ("my-work", "etudes-2024"): accents
// dropped, lower case, each run of other characters one '-', at most 64
// characters. A name with no letter or digit is returned as typed, for the
// store's rule (store.ValidWorkspaceName) to refuse with its message.
func WorkspaceSlug(name string) string {
	var b strings.Builder
	dash := false
	n := 0
	plain, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), name)
	if err != nil {
		plain = name
	}
	for _, r := range strings.TrimSpace(plain) {
		if n >= maxWorkspaceName {
			break
		}
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)), r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
				n++
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
			n++
		default:
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return strings.TrimSpace(name)
	}
	return out
}
