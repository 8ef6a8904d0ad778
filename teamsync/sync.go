package teamsync

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamclient"
)

// Applied says what a pull changed in the local workspace: the team's notes
// added, updated and removed, and the versions shown as one side of a
// conflict.
type Applied struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Removed   int `json:"removed"`
	Conflicts int `json:"conflicts"`
	// Memories are the memories added, changed or deleted as other
	// desktops made them.
	Memories int `json:"memories"`
}

// DictEntry is one entry of a workspace's dictionary as the desktop keeps
// it; Off is a built-in entry switched off here, which the team does not
// get either.
type DictEntry struct {
	Kind       string
	Term       string
	Expansions []string
	Off        bool
}

// Deps are what a Sync works on; every field is required.
type Deps struct {
	// Client is the data directory's team client; Close closes it.
	Client *teamclient.Client
	// Pending keeps a sign-in in progress (the store), so a restart can
	// resume it.
	Pending oauth.Pending
	// Notes streams the notes of workspace ws, as Push wants them
	// (teamclient.StoreNotes).
	Notes func(ws string) func(fn func(teamclient.Note) error) error
	// Dictionary is workspace ws's dictionary.
	Dictionary func(ws string) ([]DictEntry, error)
	// Apply makes the team's notes of ws in the local workspace what the
	// replica shares (app.ApplyTeam).
	Apply func(ctx context.Context, ws string, shared []teamclient.Shared) (Applied, error)
	// ApplyMemories makes ws's memories what other desktops made them
	// last (app.ApplyTeamMemories) and says how many changed.
	ApplyMemories func(ctx context.Context, ws string, mems []teamclient.SharedMemory) (int, error)
	// Local lists the local workspaces, for the ones not shared yet.
	Local func() ([]string, error)
	// Ensure makes the local workspace ws unless it is there (a Follow's).
	Ensure func(ws string) error
}

// Sync runs a desktop's team sync. Its methods are safe for concurrent use.
type Sync struct {
	d Deps

	mu    sync.Mutex
	busy  map[string]bool   // workspaces with a push or pull running
	jobs  map[string]*job   // by ID, every job of this process
	last  map[string]string // workspace -> its latest job's ID
	login LoginState        // the UI's latest sign-in
	// loginCancel stops the UI's latest sign-in, when a new one replaces it.
	loginCancel context.CancelFunc
	loginGen    int            // numbers the UI's sign-ins
	seq         int            // numbers the jobs
	wg          sync.WaitGroup // jobs and sign-ins running
}

// New builds the Sync over d.
func New(d Deps) *Sync {
	return &Sync{d: d, busy: map[string]bool{}, jobs: map[string]*job{}, last: map[string]string{}}
}

// Client is the team client the Sync works through.
func (s *Sync) Client() *teamclient.Client { return s.d.Client }

// Close waits for the jobs and sign-ins still running (cancel their
// context first) and closes the team client.
func (s *Sync) Close() error {
	s.wg.Wait()
	return s.d.Client.Close()
}

// Workspaces are the workspaces a push or pull covers: the ones named,
// else chosen when it is not "", else the ones pushed or pulled before,
// else fallback.
func (s *Sync) Workspaces(named []string, chosen, fallback string) ([]string, error) {
	if len(named) > 0 {
		return named, nil
	}
	if chosen == "" {
		if ws, err := s.d.Client.Workspaces(); err != nil || len(ws) > 0 {
			return ws, err
		}
		chosen = fallback
	}
	return []string{chosen}, nil
}

// Login signs in to the team server at server (see
// teamclient.Client.Login); browse gets the address to open.
func (s *Sync) Login(ctx context.Context, server string, browse func(authURL string) error) (teamclient.Who, error) {
	if _, err := teamclient.CheckServerURL(server); err != nil {
		return teamclient.Who{}, fmt.Errorf("%w: %w", ErrBadServer, err)
	}
	return s.d.Client.Login(ctx, server, s.d.Pending, browse)
}

// claim marks ws busy; release must follow.
func (s *Sync) claim(ws string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy[ws] {
		return fmt.Errorf("a push or pull of %s is running: wait for it to end (%w)", ws, ErrBusy)
	}
	s.busy[ws] = true
	return nil
}

func (s *Sync) release(ws string) {
	s.mu.Lock()
	delete(s.busy, ws)
	s.mu.Unlock()
}

// Push sends ws's local edits, then its dictionary (see the package
// comment). progress, when not nil, hears of each step. It fails with
// ErrBusy while another push or pull of ws runs.
func (s *Sync) Push(ctx context.Context, ws string, progress func(Step)) (teamclient.PushReport, error) {
	if err := s.claim(ws); err != nil {
		return teamclient.PushReport{Workspace: ws, Conflicts: []syncproto.Conflict{}}, err
	}
	defer s.release(ws)
	return s.push(ctx, ws, progress)
}

// Step is how far a push or pull has got.
type Step struct {
	Phase   string // PhaseSending, PhaseDictionary, PhasePulling or PhaseApplying
	Sent    int    // push: changes the server acknowledged so far
	Waiting int    // push: changes still in the outbox
	Pulled  int    // pull: changes pulled so far
}

// The phases of a Step.
const (
	PhaseSending    = "sending"
	PhaseDictionary = "dictionary"
	PhasePulling    = "pulling"
	PhaseApplying   = "applying"
)

func (s *Sync) push(ctx context.Context, ws string, progress func(Step)) (teamclient.PushReport, error) {
	if progress == nil {
		progress = func(Step) {}
	}
	rep, err := s.d.Client.PushProgress(ctx, ws, s.d.Notes(ws), func(r teamclient.PushReport, waiting int) {
		progress(Step{Phase: PhaseSending, Sent: r.Sent, Waiting: waiting})
	})
	if err != nil {
		return rep, err
	}
	// The dictionary goes along, for team search's synonyms.
	progress(Step{Phase: PhaseDictionary, Sent: rep.Sent})
	dict, err := s.d.Dictionary(ws)
	if err != nil {
		return rep, err
	}
	entries := make([]syncproto.DictEntry, 0, len(dict))
	for _, d := range dict {
		if d.Off {
			continue // switched off here: not for the team either
		}
		entries = append(entries, syncproto.DictEntry{Kind: d.Kind, Term: d.Term, Expansions: d.Expansions})
	}
	if _, err := s.d.Client.PushDictionary(ctx, ws, entries); err != nil {
		return rep, err
	}
	return rep, nil
}

// PullResult is one workspace's line of `team pull --json`: the pull and
// what it changed in the workspace.
type PullResult struct {
	teamclient.PullReport
	Applied Applied `json:"applied"`
}

// Pull fetches the team's changes of ws and puts what the team shares into
// the local workspace. progress, when not nil, hears of each step. It
// fails with ErrBusy while another push or pull of ws runs.
func (s *Sync) Pull(ctx context.Context, ws string, progress func(Step)) (PullResult, error) {
	if err := s.claim(ws); err != nil {
		return PullResult{PullReport: teamclient.PullReport{Workspace: ws}}, err
	}
	defer s.release(ws)
	return s.pull(ctx, ws, progress)
}

func (s *Sync) pull(ctx context.Context, ws string, progress func(Step)) (PullResult, error) {
	if progress == nil {
		progress = func(Step) {}
	}
	rep, err := s.d.Client.PullProgress(ctx, ws, func(r teamclient.PullReport) {
		progress(Step{Phase: PhasePulling, Pulled: r.Changes})
	})
	res := PullResult{PullReport: rep}
	if err != nil {
		return res, err
	}
	// What was pulled joins the workspace: searchable, linked.
	progress(Step{Phase: PhaseApplying, Pulled: rep.Changes})
	shared, err := s.d.Client.Shared(ws)
	if err != nil {
		return res, err
	}
	if res.Applied, err = s.d.Apply(ctx, ws, shared); err != nil {
		return res, fmt.Errorf("pulled %s, but adding the team's notes to it failed (pull again): %w", ws, err)
	}
	mems, err := s.d.Client.SharedMemories(ws)
	if err != nil {
		return res, err
	}
	if res.Applied.Memories, err = s.d.ApplyMemories(ctx, ws, mems); err != nil {
		return res, fmt.Errorf("pulled %s, but taking the team's memories failed (pull again): %w", ws, err)
	}
	return res, nil
}

// Status is the sync state of the workspaces (every one pushed or pulled
// so far when ws is empty), as `team status` shows it.
func (s *Sync) Status(ws []string) (teamclient.Status, error) { return s.d.Client.Status(ws) }

// unshared are the local workspaces not pushed or pulled yet, sorted.
func (s *Sync) unshared(shared []string) ([]string, error) {
	local, err := s.d.Local()
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, w := range local {
		if !slices.Contains(shared, w) {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out, nil
}
