package app

import (
	"strconv"
	"strings"

	"github.com/engram-app/engram/config"
)

// SettingsService is the settings view's API bound to the desktop window
// (and served by package web under /api/settings, /api/workspaces and
// /api/dictionary). Each method returns (T, error).
type SettingsService struct {
	app *App
}

// NewSettingsService binds the container a to the UI's settings view.
func NewSettingsService(a *App) *SettingsService { return &SettingsService{app: a} }

// Settings is what the settings view shows and edits.
type Settings struct {
	DataDir   string `json:"data_dir"`
	Workspace string `json:"workspace"`
	MaxFileMB string `json:"max_file_mb"`
	MaxDepth  string `json:"max_depth"`
	// EmbedEndpoint and EmbedModel are search by meaning's settings
	// (embed.endpoint, embed.model); "" endpoint means words only.
	EmbedEndpoint string `json:"embed_endpoint"`
	EmbedModel    string `json:"embed_model"`
}

// Get returns the current settings; Workspace is ws, or the default
// workspace when ws is "".
func (s *SettingsService) Get(ws string) (Settings, error) {
	l := s.app.Limits()
	ep, err := s.app.Setting(config.EmbedEndpoint)
	if err != nil {
		return Settings{}, err
	}
	model, err := s.app.Setting(config.EmbedModel)
	if err != nil {
		return Settings{}, err
	}
	return Settings{
		DataDir:       s.app.DataDir(),
		Workspace:     s.app.uiWorkspace(ws),
		MaxFileMB:     strconv.FormatFloat(float64(l.MaxFileBytes)/(1<<20), 'f', -1, 64),
		MaxDepth:      strconv.Itoa(l.MaxDepth),
		EmbedEndpoint: ep.Value,
		EmbedModel:    model.Value,
	}, nil
}

// Set validates and stores one setting (import.max_file_mb,
// import.max_depth, embed.endpoint, embed.model, …) and returns the settings after it.
func (s *SettingsService) Set(ws, key, value string) (Settings, error) {
	if err := s.app.SetSetting(key, strings.TrimSpace(value)); err != nil {
		return Settings{}, err
	}
	return s.Get(ws)
}

// Workspaces lists the workspaces with their document counts.
func (s *SettingsService) Workspaces() ([]WorkspaceInfo, error) {
	ws, err := s.app.Workspaces()
	if ws == nil {
		ws = []WorkspaceInfo{}
	}
	return ws, err
}

// CreateWorkspace adds an empty workspace and returns the new list.
func (s *SettingsService) CreateWorkspace(name string) ([]WorkspaceInfo, error) {
	if err := s.app.CreateWorkspace(WorkspaceSlug(name)); err != nil {
		return nil, err
	}
	return s.Workspaces()
}

// Dictionary lists workspace ws's dictionary entries ("" is the default
// workspace).
func (s *SettingsService) Dictionary(ws string) ([]DictEntry, error) {
	es, err := s.app.DictList(ws)
	if es == nil {
		es = []DictEntry{}
	}
	return es, err
}

// DictAdd adds an entry (kind "acronym" or "synonym") and returns the
// new list.
func (s *SettingsService) DictAdd(ws, kind, term string, expansions []string) ([]DictEntry, error) {
	if err := s.app.DictAdd(ws, kind, strings.TrimSpace(term), expansions); err != nil {
		return nil, err
	}
	return s.Dictionary(ws)
}

// DictRemove removes an entry and returns the new list.
func (s *SettingsService) DictRemove(ws, kind, term string) ([]DictEntry, error) {
	if err := s.app.DictRemove(ws, kind, term); err != nil {
		return nil, err
	}
	return s.Dictionary(ws)
}
