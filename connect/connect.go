// Package connect signs in to Gmail, Slack and Box (package oauth), keeps
// their tokens in the OS keychain or the encrypted file (package secrets),
// and syncs each as a source whose documents go through the import's sink
// into the store, the index and the graph like any other. The sync position
// (cursor) and status of each connector are records in the store, written
// after every page, so nothing that matters lives in memory: a restart, a
// kill or a second Engram start (one at a time) picks up where it stopped.
//
// Endpoints come from settings, so tests and people behind a proxy can point
// them elsewhere: connect.<name>.auth_url, token_url, api_base, client_id,
// redirect_url (an https relay, Slack), issuer (RFC 9207); the client secret
// is kept in the secret store, never in settings.
package connect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/connect/box"
	"github.com/engram-app/engram/connect/gmail"
	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/connect/secrets"
	"github.com/engram-app/engram/connect/slack"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/store"
)

// Errors callers branch on.
var (
	// ErrUnknown means no connector has that name.
	ErrUnknown = errors.New("unknown connector")
	// ErrNotConnected means the connector was never connected (or was
	// disconnected).
	ErrNotConnected = errors.New("not connected")
	// ErrNoClientID means connect.<name>.client_id is not set.
	ErrNoClientID = errors.New("no OAuth client ID configured")
	// ErrBusy means a sync of the connector is already running.
	ErrBusy = errors.New("a sync of this connector is already running")
	// ErrReconnect is oauth.ErrReconnect: the user must connect again.
	ErrReconnect = oauth.ErrReconnect
)

// Statuses of a connector.
const (
	StatusNotConnected = "not_connected"
	StatusConnected    = "connected"
	StatusSyncing      = "syncing"
	StatusReconnect    = "reconnect_needed"
	StatusError        = "error"
)

// Provider is a connector's defaults.
type Provider struct {
	Name       string
	AuthURL    string
	TokenURL   string
	APIBase    string
	Scopes     []string
	AuthParams map[string]string
	Issuer     string
	// SecretInBody: the provider wants the client secret in the token
	// request's body (Box), not HTTP Basic.
	SecretInBody bool
}

// Providers lists the connectors, by name.
func Providers() []Provider {
	return []Provider{
		{Name: "box", AuthURL: "https://account.box.com/api/oauth2/authorize", TokenURL: "https://api.box.com/oauth2/token", APIBase: box.DefaultAPIBase, SecretInBody: true},
		{Name: "gmail", AuthURL: "https://accounts.google.com/o/oauth2/v2/auth", TokenURL: "https://oauth2.googleapis.com/token", APIBase: gmail.DefaultAPIBase,
			Scopes:     []string{"https://www.googleapis.com/auth/gmail.readonly"},
			AuthParams: map[string]string{"access_type": "offline", "prompt": "consent"},
			Issuer:     "https://accounts.google.com"},
		{Name: "slack", AuthURL: "https://slack.com/oauth/v2/authorize", TokenURL: "https://slack.com/api/oauth.v2.access", APIBase: slack.DefaultAPIBase,
			Scopes: []string{"channels:read", "channels:history", "groups:read", "groups:history", "im:read", "im:history", "mpim:read", "mpim:history", "users:read", "users:read.email"}},
	}
}

// Lookup returns the provider of a name, or ErrUnknown.
func Lookup(name string) (Provider, error) {
	for _, p := range Providers() {
		if p.Name == name {
			return p, nil
		}
	}
	var names []string
	for _, p := range Providers() {
		names = append(names, p.Name)
	}
	return Provider{}, fmt.Errorf("%w %q: the connectors are %s", ErrUnknown, name, strings.Join(names, ", "))
}

// Setting keys of a connector, "connect.<name>.<field>".
const (
	FieldAuthURL      = "auth_url"
	FieldTokenURL     = "token_url"
	FieldAPIBase      = "api_base"
	FieldClientID     = "client_id"
	FieldClientSecret = "client_secret" // kept in the secret store
	FieldRedirectURL  = "redirect_url"
	FieldIssuer       = "issuer"
	FieldScopes       = "scopes"     // space-separated; replaces the defaults
	FieldTokenAuth    = "token_auth" // "basic" (client_secret_basic) or "post" (client_secret_post)
)

// Fields lists the settable fields of a connector.
func Fields() []string {
	return []string{FieldAuthURL, FieldTokenURL, FieldAPIBase, FieldClientID, FieldClientSecret, FieldRedirectURL, FieldIssuer, FieldScopes, FieldTokenAuth}
}

// SettingKey is the setting of a connector's field.
func SettingKey(name, field string) string { return "connect." + name + "." + field }

// ErrBadSetting matches every value of a connector setting that
// CheckSetting refuses.
var ErrBadSetting = errors.New("bad connector setting")

// badSetting is a refusal of CheckSetting: its message is its own, and it
// is ErrBadSetting.
type badSetting struct{ error }

func (badSetting) Is(target error) bool { return target == ErrBadSetting }

// CheckSetting validates a connector setting's value ("" clears it): URLs
// are https, or http on a loopback address (a local fake or proxy); a
// redirect URL is https only. A refusal wraps ErrBadSetting.
func CheckSetting(field, value string) error {
	if value == "" {
		return nil
	}
	switch field {
	case FieldAuthURL, FieldTokenURL, FieldAPIBase, FieldIssuer:
		u, err := url.Parse(value)
		if err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && loopback(u.Hostname()))) {
			return badSetting{fmt.Errorf("%q must be an https URL (or http on 127.0.0.1, ::1 or localhost)", value)}
		}
	case FieldRedirectURL:
		u, err := url.Parse(value)
		if err != nil || u.Host == "" || u.Scheme != "https" || u.RawQuery != "" {
			return badSetting{fmt.Errorf("%q must be an https URL without a query", value)}
		}
	case FieldTokenAuth:
		if value != "basic" && value != "post" {
			return badSetting{fmt.Errorf("%q must be basic or post", value)}
		}
	case FieldScopes:
		if strings.ContainsAny(value, "\"\\\x00") {
			return badSetting{errors.New("scopes are space-separated words")}
		}
	case FieldClientID, FieldClientSecret:
		if strings.ContainsAny(value, " \t\r\n") {
			return badSetting{errors.New("the value has white space in it")}
		}
	default:
		return badSetting{fmt.Errorf("unknown field %q: the fields are %s", field, strings.Join(Fields(), ", "))}
	}
	return nil
}

func loopback(host string) bool {
	return host == "127.0.0.1" || host == "::1" || host == "localhost"
}

// Settings reads the store's settings.
type Settings interface {
	Setting(key string) (string, bool, error)
}

// Target opens the sink of a workspace: the import's, over the store, the
// index and the graph. release must be called when the sync is done.
type Target interface {
	Sink(ws string) (sink ingest.Sink, release func(), err error)
}

// Deps is what the service is built from.
type Deps struct {
	Store    *store.Store
	Secrets  func() (secrets.Store, error) // the store the settings choose, at each use
	Target   Target
	Parsers  *ingest.Registry
	Limits   func() ingest.Limits
	HTTP     *http.Client // nil: a client with a 2-minute timeout
	Browser  func(url string) error
	Now      func() time.Time
	APIRetry *api.Client // template for tests: Sleep, BaseDelay, MaxDelay; nil: defaults
	// Relay, when not nil, is the team server's https relay of sign-ins,
	// or nil when there is none (not signed in to a team server).
	Relay func() Relay
}

// Relay is an https page that receives a provider's redirect and keeps it
// for this desktop (the team server's /relay/callback): a sign-in whose
// redirect_url is the relay's finishes without pasting its address.
type Relay interface {
	// RelayHandles reports whether redirect is this relay's callback.
	RelayHandles(redirect string) bool
	// RelayBegin registers the sign-in's state.
	RelayBegin(ctx context.Context, state string) error
	// RelayWait returns the query the browser brought back for state.
	RelayWait(ctx context.Context, state string) (string, error)
}

// Service connects, syncs and disconnects. Its methods are safe for
// concurrent use; at most one sync per connector runs at a time.
type Service struct {
	d Deps

	mu      sync.Mutex
	tokens  map[string]*oauth.Tokens
	syncing map[string]bool
}

// New builds the service.
func New(d Deps) *Service {
	if d.HTTP == nil {
		d.HTTP = &http.Client{Timeout: 2 * time.Minute}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Service{d: d, tokens: map[string]*oauth.Tokens{}, syncing: map[string]bool{}}
}

func (s *Service) setting(name, field, def string) string {
	if v, ok, _ := s.d.Store.Setting(SettingKey(name, field)); ok && v != "" {
		return v
	}
	return def
}

// Endpoint is the sign-in endpoint of a connector from its defaults and
// settings, with the client secret from the secret store.
func (s *Service) Endpoint(name string) (oauth.Endpoint, error) {
	p, err := Lookup(name)
	if err != nil {
		return oauth.Endpoint{}, err
	}
	ep := oauth.Endpoint{
		Provider:    name,
		AuthURL:     s.setting(name, FieldAuthURL, p.AuthURL),
		TokenURL:    s.setting(name, FieldTokenURL, p.TokenURL),
		ClientID:    s.setting(name, FieldClientID, ""),
		Scopes:      p.Scopes,
		Issuer:      s.setting(name, FieldIssuer, ""),
		RedirectURL: s.setting(name, FieldRedirectURL, ""),
		AuthParams:  p.AuthParams,
	}
	ep.SecretInBody = s.setting(name, FieldTokenAuth, map[bool]string{true: "post", false: "basic"}[p.SecretInBody]) == "post"
	if v := s.setting(name, FieldScopes, ""); v != "" {
		ep.Scopes = strings.Fields(v)
	}
	if ep.Issuer == "" && ep.AuthURL == p.AuthURL {
		// The provider's own issuer only at its own endpoint: another
		// server (a proxy, a test AS) has its own, which
		// connect.<name>.issuer names.
		ep.Issuer = p.Issuer
	}
	if ep.ClientID == "" {
		return ep, fmt.Errorf("%w for %s: register an OAuth app with the provider, then run `engram config set %s ID`", ErrNoClientID, name, SettingKey(name, FieldClientID))
	}
	sec, err := s.d.Secrets()
	if err != nil {
		return ep, err
	}
	cs, err := sec.Get(secrets.Key(name, oauth.KindClientSecret))
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return ep, err
	}
	ep.ClientSecret = cs
	return ep, nil
}

func (s *Service) tokensFor(name string, ep oauth.Endpoint) (*oauth.Tokens, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.tokens[name]; ok {
		return t, nil
	}
	sec, err := s.d.Secrets()
	if err != nil {
		return nil, err
	}
	t := oauth.NewTokens(ep, sec, s.d.HTTP, s.d.Now)
	s.tokens[name] = t
	return t, nil
}

// syncer is a connector's sync engine.
type syncer interface {
	Account(ctx context.Context) (string, error)
	Sync(ctx context.Context, run api.Run) error
}

func (s *Service) syncer(name string) (syncer, error) {
	ep, err := s.Endpoint(name)
	if err != nil {
		return nil, err
	}
	tk, err := s.tokensFor(name, ep)
	if err != nil {
		return nil, err
	}
	cl := &api.Client{HTTP: s.d.HTTP, Tokens: tk, Now: s.d.Now}
	if t := s.d.APIRetry; t != nil {
		cl.Sleep, cl.BaseDelay, cl.MaxDelay, cl.MaxRetries = t.Sleep, t.BaseDelay, t.MaxDelay, t.MaxRetries
	}
	p, _ := Lookup(name)
	base := s.setting(name, FieldAPIBase, p.APIBase)
	parser := func(ext string) ingest.Parser {
		pr, _, _ := s.d.Parsers.Lookup(ext)
		return pr
	}
	switch name {
	case "gmail":
		return &gmail.Connector{API: cl, Base: base, Parser: parser(".eml")}, nil
	case "slack":
		return &slack.Connector{API: cl, Base: base}, nil
	case "box":
		return &box.Connector{API: cl, Base: base, Parsers: s.d.Parsers}, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknown, name)
}

// ConnectOptions tune Connect.
type ConnectOptions struct {
	// Workspace receives the connector's documents ("" is the default
	// workspace as the caller resolves it).
	Workspace string
	// NoBrowser prints the address instead of opening the browser.
	NoBrowser bool
	// Out is told the address to open (and what to do).
	Out io.Writer
	// OnURL, if not nil, is given the sign-in address as soon as it is
	// known (the UI shows it while Connect waits).
	OnURL func(authURL string)
	// Paste returns the address the browser was sent to, for an https
	// redirect (a relay); nil reads nothing and fails such sign-ins.
	Paste func() (string, error)
}

// Connect signs in (in the system browser, back on the loopback or through
// the configured https redirect), saves the tokens in the secret store and
// records the connector, ready to sync. A sign-in begun by an Engram that
// was stopped is resumed while its 10 minutes last.
func (s *Service) Connect(ctx context.Context, name string, opts ConnectOptions) (Status, error) {
	ep, err := s.Endpoint(name)
	if err != nil {
		return Status{}, err
	}
	flow, err := oauth.Begin(ep, s.d.Store, oauth.Options{HTTPClient: s.d.HTTP, Now: s.d.Now, Resume: true})
	if err != nil {
		return Status{}, err
	}
	defer flow.Close()
	out := opts.Out
	if out == nil {
		out = io.Discard
	}
	var relay Relay
	if ep.RedirectURL != "" && s.d.Relay != nil {
		if r := s.d.Relay(); r != nil && r.RelayHandles(ep.RedirectURL) {
			if err := r.RelayBegin(ctx, flow.State()); err != nil {
				return Status{}, fmt.Errorf("registering the %s sign-in with the team server's relay: %w", name, err)
			}
			relay = r
		}
	}
	fmt.Fprintf(out, "Sign in to %s in your browser:\n\n  %s\n\n", name, flow.AuthURL())
	if opts.OnURL != nil {
		opts.OnURL(flow.AuthURL())
	}
	if !opts.NoBrowser && s.d.Browser != nil {
		if err := s.d.Browser(flow.AuthURL()); err != nil {
			fmt.Fprintf(out, "(could not open a browser: %v; open the address above yourself)\n", err)
		}
	}
	var tokErr error
	var tok *oauth2.Token
	switch {
	case relay != nil:
		fmt.Fprintf(out, "Waiting for the browser, through the team server (until %s)...\n", flow.Expires().Local().Format("15:04:05"))
		wctx, cancel := context.WithDeadline(ctx, flow.Expires())
		q, err := relay.RelayWait(wctx, flow.State())
		cancel()
		if err != nil {
			return Status{}, fmt.Errorf("waiting for the %s sign-in at the team server's relay: %w", name, err)
		}
		tok, tokErr = flow.Complete(ctx, ep.RedirectURL+"?"+q)
	case ep.RedirectURL != "":
		if opts.Paste == nil {
			return Status{}, fmt.Errorf("%s redirects to %s: paste the address you land on after signing in", name, ep.RedirectURL)
		}
		fmt.Fprintf(out, "Then paste the address the browser shows after signing in (it starts with %s):\n", ep.RedirectURL)
		for {
			addr, err := opts.Paste()
			if err != nil {
				return Status{}, err
			}
			tok, tokErr = flow.Complete(ctx, addr)
			if tokErr == nil || !(errors.Is(tokErr, oauth.ErrRedirect) || errors.Is(tokErr, oauth.ErrStateMismatch) || errors.Is(tokErr, oauth.ErrStateMissing)) {
				break
			}
			fmt.Fprintf(out, "%v; paste it again:\n", tokErr)
		}
	default:
		fmt.Fprintf(out, "Waiting for the browser (until %s)...\n", flow.Expires().Local().Format("15:04:05"))
		tok, tokErr = flow.Wait(ctx)
	}
	if tokErr != nil {
		return Status{}, tokErr
	}
	tk, err := s.tokensFor(name, ep)
	if err != nil {
		return Status{}, err
	}
	if err := tk.Save(tok); err != nil {
		return Status{}, fmt.Errorf("saving the %s token: %w", name, err)
	}
	sy, err := s.syncer(name)
	if err != nil {
		return Status{}, err
	}
	account, err := sy.Account(ctx)
	if err != nil {
		return Status{}, fmt.Errorf("reading the %s account: %w", name, err)
	}
	err = s.d.Store.UpdateConnector(name, func(c *store.Connector) error {
		if c.Account != account || c.Workspace != opts.Workspace {
			// Another account or workspace: start over.
			*c = store.Connector{Name: name}
		}
		c.Account, c.Workspace, c.Status, c.LastError = account, opts.Workspace, StatusConnected, ""
		c.Connected = s.d.Now().UTC()
		return nil
	})
	if err != nil {
		return Status{}, err
	}
	return s.Status(name)
}

// Status is what `engram connect list` and the Connectors view show of a
// connector. Its JSON is the CLI contract of `engram connect list --json`.
type Status struct {
	Name      string    `json:"name"`
	Status    string    `json:"status"`
	Account   string    `json:"account,omitempty"`
	Workspace string    `json:"workspace,omitempty"`
	Connected time.Time `json:"connected,omitzero"`
	LastSync  time.Time `json:"last_sync,omitzero"`
	Documents int       `json:"documents"`
	Added     int       `json:"added"`
	Updated   int       `json:"updated"`
	Removed   int       `json:"removed"`
	Failed    int       `json:"failed"`
	Error     string    `json:"error,omitempty"`
	Syncing   bool      `json:"syncing"`
}

func (s *Service) status(c store.Connector) Status {
	s.mu.Lock()
	running := s.syncing[c.Name]
	s.mu.Unlock()
	st := Status{Name: c.Name, Status: c.Status, Account: c.Account, Workspace: c.Workspace, Connected: c.Connected,
		LastSync: c.LastSync, Documents: c.Documents, Added: c.Added, Updated: c.Updated, Removed: c.Removed, Error: c.LastError, Syncing: running}
	if c.Status == StatusSyncing && !running {
		st.Status = StatusConnected // a sync cut short (killed): the next one resumes
		st.Error = "the last sync was interrupted; it resumes with the next"
	}
	return st
}

// Status returns one connector's status.
func (s *Service) Status(name string) (Status, error) {
	if _, err := Lookup(name); err != nil {
		return Status{}, err
	}
	c, err := s.d.Store.ConnectorRecord(name)
	if errors.Is(err, store.ErrNotFound) {
		return Status{Name: name, Status: StatusNotConnected}, nil
	}
	if err != nil {
		return Status{}, err
	}
	return s.status(c), nil
}

// List returns every connector's status, by name, connected or not.
func (s *Service) List() ([]Status, error) {
	out := []Status{}
	for _, p := range Providers() {
		st, err := s.Status(p.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Connected lists the names of the connectors that are connected.
func (s *Service) Connected() ([]string, error) {
	cs, err := s.d.Store.Connectors()
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	slices.Sort(out)
	return out, err
}

// Sync brings a connector's workspace up to date, from the cursor its last
// sync saved. progress, if not nil, hears the running counts after every
// page. An expired or revoked sign-in ends it with ErrReconnect and the
// status "reconnect_needed".
func (s *Service) Sync(ctx context.Context, name string, progress func(api.Counts)) (Status, error) {
	rec, err := s.d.Store.ConnectorRecord(name)
	if errors.Is(err, store.ErrNotFound) {
		if _, lerr := Lookup(name); lerr != nil {
			return Status{}, lerr
		}
		return Status{Name: name, Status: StatusNotConnected}, fmt.Errorf("%s is %w; run `engram connect %s`", name, ErrNotConnected, name)
	}
	if err != nil {
		return Status{}, err
	}
	s.mu.Lock()
	if s.syncing[name] {
		s.mu.Unlock()
		return s.status(rec), fmt.Errorf("%s: %w", name, ErrBusy)
	}
	s.syncing[name] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.syncing, name)
		s.mu.Unlock()
	}()

	sy, err := s.syncer(name)
	if err != nil {
		return s.status(rec), err
	}
	sink, release, err := s.d.Target.Sink(rec.Workspace)
	if err != nil {
		return s.status(rec), err
	}
	defer release()
	var total api.Counts
	_ = s.d.Store.UpdateConnector(name, func(c *store.Connector) error {
		c.Status, c.Added, c.Updated, c.Removed = StatusSyncing, 0, 0, 0
		return nil
	})
	lim := ingest.DefaultLimits()
	if s.d.Limits != nil {
		lim = s.d.Limits()
	}
	run := api.Run{
		Sink:   sink,
		Cursor: rec.Cursor,
		Limits: lim,
		Save: func(cursor any, n api.Counts) error {
			raw, err := json.Marshal(cursor)
			if err != nil {
				return err
			}
			total.Add(n)
			return s.d.Store.UpdateConnector(name, func(c *store.Connector) error {
				c.Cursor = raw
				c.Added += n.Added
				c.Updated += n.Updated
				c.Removed += n.Removed
				c.Documents += n.Added - n.Removed
				return nil
			})
		},
		Progress: func(api.Counts) {
			if progress != nil {
				progress(total)
			}
		},
	}
	syncErr := sy.Sync(ctx, run)
	err = s.d.Store.UpdateConnector(name, func(c *store.Connector) error {
		switch {
		case syncErr == nil:
			c.Status, c.LastError, c.LastSync = StatusConnected, "", s.d.Now().UTC()
		case errors.Is(syncErr, oauth.ErrReconnect), errors.Is(syncErr, api.ErrUnauthorized):
			c.Status, c.LastError = StatusReconnect, syncErr.Error()
		case errors.Is(syncErr, context.Canceled):
			c.Status, c.LastError = StatusConnected, "the last sync was cancelled; it resumes with the next"
		default:
			c.Status, c.LastError = StatusError, syncErr.Error()
		}
		return nil
	})
	st, _ := s.Status(name)
	st.Failed = total.Failed
	if errors.Is(syncErr, api.ErrUnauthorized) {
		syncErr = fmt.Errorf("%w: %w; run `engram connect %s`", syncErr, ErrReconnect, name)
	}
	return st, errors.Join(syncErr, err)
}

// Disconnect removes every secret of the connector (tokens and client
// secret) and its record. The documents it synced stay in the workspace.
func (s *Service) Disconnect(name string) error {
	if _, err := Lookup(name); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.tokens, name)
	s.mu.Unlock()
	sec, err := s.d.Secrets()
	if err != nil {
		return err
	}
	if err := secrets.DeleteAll(sec, name, oauth.Kinds...); err != nil {
		return err
	}
	return s.d.Store.DeleteConnector(name)
}

// Serve syncs every connected connector every interval until ctx is done,
// and returns ctx.Err(). A failing connector is recorded in its status and
// does not stop the others.
func (s *Service) Serve(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		interval = 15 * time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		names, _ := s.Connected()
		for _, n := range names {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			_, _ = s.Sync(ctx, n, nil)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
