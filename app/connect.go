package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pkg/browser"

	"github.com/engram-app/engram/connect"
	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/connect/secrets"
	"github.com/engram-app/engram/ingest"
)

// Settings of the connectors (see package connect for connect.<name>.*).
const (
	// SettingSecretsStore is where tokens are kept: "keychain" (the OS
	// keychain, the default) or "file" (an encrypted file in the data
	// directory, for machines without a keychain).
	SettingSecretsStore = "secrets.store"
	// SettingSyncInterval is how many minutes the running Engram waits
	// between syncs of the connectors (default 15, at least 1).
	SettingSyncInterval = "connect.sync_interval_min"
	// EnvPassphrase holds the passphrase of the encrypted secrets file.
	EnvPassphrase = "ENGRAM_SECRETS_PASSPHRASE"
)

// connectState is the container's connector service, built on first use.
type connectState struct {
	once    sync.Once
	svc     *connect.Service
	mu      sync.Mutex
	prompt  func() ([]byte, error) // asks for the passphrase; nil: only the environment
	file    *secrets.File
	chain   *secrets.Keychain
	retry   *api.Client        // tests shorten the connectors' retry waits
	browser func(string) error // tests play the browser; nil: the system browser
}

// SetPassphrasePrompt sets how the encrypted secrets file's passphrase is
// asked for when ENGRAM_SECRETS_PASSPHRASE is not set (the CLI asks on the
// terminal). Call it before the first connector call.
func (a *App) SetPassphrasePrompt(fn func() ([]byte, error)) {
	a.conn.mu.Lock()
	a.conn.prompt = fn
	a.conn.mu.Unlock()
}

// SecretsMode is "keychain" or "file", as the settings say.
func (a *App) SecretsMode() string {
	if v, ok, _ := a.store.Setting(SettingSecretsStore); ok && v == "file" {
		return "file"
	}
	return "keychain"
}

// secretStore returns the secret store the settings choose; the file
// store's key is derived once per process.
func (a *App) secretStore() (secrets.Store, error) {
	c := &a.conn
	c.mu.Lock()
	defer c.mu.Unlock()
	if a.SecretsMode() == "file" {
		if c.file == nil {
			prompt := c.prompt
			c.file = secrets.NewFile(filepath.Join(a.cfg.DataDir, "secrets.enc"), func() ([]byte, error) {
				if p := os.Getenv(EnvPassphrase); p != "" {
					return []byte(p), nil
				}
				if prompt != nil {
					return prompt()
				}
				return nil, secrets.ErrNoPassphrase
			}, 0)
		}
		return c.file, nil
	}
	if c.chain == nil {
		c.chain = secrets.NewKeychain("engram:" + a.cfg.DataDir)
	}
	return c.chain, nil
}

// connectTarget gives the connectors the import's sink of a workspace.
type connectTarget struct{ a *App }

func (t connectTarget) Sink(ws string) (ingest.Sink, func(), error) {
	w, release, err := t.a.acquire(ws)
	if err != nil {
		return nil, nil, err
	}
	return sink{a: t.a, w: w}, release, nil
}

// Connectors returns the connector service, built once.
func (a *App) Connectors() *connect.Service {
	a.conn.once.Do(func() {
		d := connect.Deps{
			Store:   a.store,
			Secrets: a.secretStore,
			Target:  connectTarget{a},
			Parsers: a.pipeline.Registry(),
			Limits:  a.Limits,
			Browser: browser.OpenURL,
		}
		if a.conn.browser != nil {
			d.Browser = a.conn.browser
		}
		d.APIRetry = a.conn.retry
		d.Relay = func() connect.Relay {
			t, err := a.Team()
			if err != nil {
				return nil
			}
			return t.Client()
		}
		a.conn.svc = connect.New(d)
	})
	return a.conn.svc
}

// setConnectSetting handles the connectors' settings for SetSetting:
// secrets.store, connect.sync_interval_min and connect.<name>.<field>, the
// client secret going to the secret store. handled is false for other keys.
func (a *App) setConnectSetting(key, value string) (handled bool, err error) {
	switch {
	case key == SettingSecretsStore:
		if value != "" && value != "keychain" && value != "file" {
			return true, invalidf("%s must be keychain or file, not %q", key, value)
		}
		a.conn.mu.Lock()
		a.conn.file, a.conn.chain = nil, nil
		a.conn.mu.Unlock()
		return true, a.store.SetSetting(key, value)
	case key == SettingSyncInterval:
		var n int
		if _, err := fmt.Sscanf(value, "%d", &n); value != "" && (err != nil || n < 1 || n > 7*24*60) {
			return true, invalidf("%s must be a whole number of minutes from 1 to 10080, not %q", key, value)
		}
		return true, a.store.SetSetting(key, value)
	case strings.HasPrefix(key, "connect."):
		rest := strings.TrimPrefix(key, "connect.")
		name, field, ok := strings.Cut(rest, ".")
		if !ok {
			return true, invalidf("unknown setting %q: connector settings are connect.NAME.FIELD (fields: %s)", key, strings.Join(connect.Fields(), ", "))
		}
		if _, err := connect.Lookup(name); err != nil {
			return true, err
		}
		if err := connect.CheckSetting(field, value); err != nil {
			return true, fmt.Errorf("%s: %w", key, err)
		}
		if field == connect.FieldClientSecret {
			sec, err := a.secretStore()
			if err != nil {
				return true, err
			}
			if value == "" {
				return true, sec.Delete(secrets.Key(name, oauth.KindClientSecret))
			}
			return true, sec.Set(secrets.Key(name, oauth.KindClientSecret), value)
		}
		return true, a.store.SetSetting(key, value)
	}
	return false, nil
}

// Connect signs in to a connector (gmail, slack or box) for workspace ws
// ("" the default) and records it; see connect.Service.Connect.
func (a *App) Connect(ctx context.Context, ws, name string, opts connect.ConnectOptions) (connect.Status, error) {
	opts.Workspace = a.wsName(ws)
	return a.Connectors().Connect(ctx, name, opts)
}

// ConnectorStatuses lists every connector with its status, account, last
// sync, counts and last error.
func (a *App) ConnectorStatuses() ([]connect.Status, error) {
	return a.Connectors().List()
}

// SyncConnectors syncs the named connector, or every connected one when
// name is "", and returns their statuses; the errors are joined.
func (a *App) SyncConnectors(ctx context.Context, name string, progress func(name string, c api.Counts)) ([]connect.Status, error) {
	names := []string{name}
	if name == "" {
		var err error
		if names, err = a.Connectors().Connected(); err != nil {
			return nil, err
		}
	}
	var out []connect.Status
	var errs []error
	for _, n := range names {
		st, err := a.Connectors().Sync(ctx, n, func(c api.Counts) {
			if progress != nil {
				progress(n, c)
			}
		})
		out = append(out, st)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", n, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return out, errors.Join(errs...)
}

// Disconnect removes a connector's tokens, client secret and record; its
// documents stay.
func (a *App) Disconnect(name string) error { return a.Connectors().Disconnect(name) }

// StartConnectorSync runs the periodic sync of the connected connectors in
// the background until Close; the one running Engram (desktop or serve)
// calls it once.
func (a *App) StartConnectorSync() {
	every := 15 * time.Minute
	if v, ok, _ := a.store.Setting(SettingSyncInterval); ok {
		var n int
		if _, err := fmt.Sscanf(v, "%d", &n); err == nil && n >= 1 {
			every = time.Duration(n) * time.Minute
		}
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		_ = a.Connectors().Serve(a.ctx, every)
	}()
}

// ConnectorsService is the Connectors view's API bound to the desktop
// window. Each method returns (T, error).
type ConnectorsService struct {
	app  *App
	mu   sync.Mutex
	errs map[string]string // the last StartConnect's error, by connector
}

// NewConnectorsService binds the container a to the Connectors view.
func NewConnectorsService(a *App) *ConnectorsService { return &ConnectorsService{app: a} }

// List returns every connector's status.
func (s *ConnectorsService) List() ([]connect.Status, error) { return s.app.ConnectorStatuses() }

// ConnectStart is what StartConnect returns at once: the address the
// system browser was sent to (shown in case it did not open).
type ConnectStart struct {
	Name    string `json:"name"`
	AuthURL string `json:"auth_url"`
}

// StartConnect starts the sign-in and returns its address at once, for the
// view to open (the desktop's system browser, or a tab of the browser the
// web UI runs in: the machine running Engram may not be the one in front
// of the user); the sign-in completes in the background (up to 10
// minutes), after which List shows the connector connected, or its error
// (ConnectError).
func (s *ConnectorsService) StartConnect(ws, name string) (ConnectStart, error) {
	urls := make(chan string, 1)
	errs := make(chan error, 1)
	s.mu.Lock()
	delete(s.errs, name) // a failure of an earlier sign-in is not this one's
	s.mu.Unlock()
	s.app.wg.Add(1)
	go func() {
		defer s.app.wg.Done()
		_, err := s.app.Connect(s.app.ctx, ws, name, connect.ConnectOptions{NoBrowser: true, OnURL: func(u string) { urls <- u }})
		s.mu.Lock()
		if s.errs == nil {
			s.errs = map[string]string{}
		}
		s.errs[name] = ""
		if err != nil {
			s.errs[name] = err.Error()
		}
		s.mu.Unlock()
		errs <- err
	}()
	select {
	case u := <-urls:
		return ConnectStart{Name: name, AuthURL: u}, nil
	case err := <-errs:
		return ConnectStart{}, err
	}
}

// ConnectError is why the last StartConnect of a connector failed, "" when
// it did not (or has not ended yet).
func (s *ConnectorsService) ConnectError(name string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.errs[name], nil
}

// Sync syncs one connector now and returns its status.
func (s *ConnectorsService) Sync(name string) (connect.Status, error) {
	sts, err := s.app.SyncConnectors(s.app.ctx, name, nil)
	if len(sts) == 0 {
		return connect.Status{Name: name}, err
	}
	return sts[0], err
}

// Disconnect removes a connector and returns the statuses after it.
func (s *ConnectorsService) Disconnect(name string) ([]connect.Status, error) {
	if err := s.app.Disconnect(name); err != nil {
		return nil, err
	}
	return s.app.ConnectorStatuses()
}
