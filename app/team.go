package app

import (
	"net/http"
	"sync"

	"github.com/engram-app/engram/connect/secrets"
	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamsync"
)

// TeamSecrets is the secret store the team client keeps its tokens in: the
// connectors' (the keychain, or the encrypted file when secrets.store is
// file).
func (a *App) TeamSecrets() (secrets.Store, error) { return a.secretStore() }

// teamState is the container's team sync, built on first use. Its mutex
// serialises only that build (which opens team.db); nothing else waits on
// it.
type teamState struct {
	mu   sync.Mutex
	sync *teamsync.Sync
	hc   *http.Client // the team client's; nil: its default (tests set one that trusts their server)
}

// Team returns the data directory's team sync (package teamsync), built
// once over its team client (team.db) and this container's store, notes,
// dictionary and import: the CLI, the desktop window and the web face share
// it. It fails when team.db cannot be opened (another process holds it).
func (a *App) Team() (*teamsync.Sync, error) {
	t := &a.team
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sync != nil {
		return t.sync, nil
	}
	if err := a.ctx.Err(); err != nil {
		return nil, ErrClosed
	}
	sec, err := a.TeamSecrets()
	if err != nil {
		return nil, err
	}
	c, err := teamclient.Open(teamclient.Options{Dir: a.cfg.DataDir, Secrets: sec, HTTPClient: t.hc})
	if err != nil {
		return nil, err
	}
	t.sync = teamsync.New(teamsync.Deps{
		Client:  c,
		Pending: a.store,
		Notes: func(ws string) func(fn func(teamclient.Note) error) error {
			return teamclient.Join(teamclient.StoreNotes(a.store, ws), teamclient.StoreMemories(a.store, ws))
		},
		Dictionary: func(ws string) ([]teamsync.DictEntry, error) {
			list, err := a.DictList(ws)
			out := make([]teamsync.DictEntry, 0, len(list))
			for _, d := range list {
				out = append(out, teamsync.DictEntry{Kind: d.Kind, Term: d.Term, Expansions: d.Expansions, Off: d.Off})
			}
			return out, err
		},
		Apply:         a.ApplyTeam,
		ApplyMemories: a.ApplyTeamMemories,
		Local: func() ([]string, error) {
			wss, err := a.store.Workspaces()
			names := make([]string, 0, len(wss))
			for _, w := range wss {
				names = append(names, w.Name)
			}
			return names, err
		},
		Ensure: a.EnsureWorkspace,
	})
	return t.sync, nil
}

// closeTeam waits for the team jobs (a.ctx is cancelled by then) and
// closes team.db; Close calls it before the workspaces close.
func (a *App) closeTeam() error {
	a.team.mu.Lock()
	s := a.team.sync
	a.team.sync = nil
	a.team.mu.Unlock()
	if s == nil {
		return nil
	}
	return s.Close()
}

// TeamService is the Team view's API bound to the desktop window (and
// served by the web face). Each method returns (T, error); none returns a
// token.
type TeamService struct {
	app  *App
	mu   sync.Mutex
	emit func(event string, data any)
}

// NewTeamService binds the container a to the Team view.
func NewTeamService(a *App) *TeamService { return &TeamService{app: a} }

// TeamProgressEvent starts the name of a team job's progress event, which
// ends in the job's ID (mirrored in frontend/src/api/wails.ts).
const TeamProgressEvent = "team:progress:"

// SetTeamEmitter makes s send the jobs' progress as TeamProgressEvent+ID
// events through emit (Wails' EventsEmit). A function, not a method: Wails
// must not bind it.
func SetTeamEmitter(s *TeamService, emit func(event string, data any)) {
	s.mu.Lock()
	s.emit = emit
	s.mu.Unlock()
}

// Overview returns the Team view's state (teamsync.Overview).
func (s *TeamService) Overview() (teamsync.Overview, error) {
	t, err := s.app.Team()
	if err != nil {
		return teamsync.Overview{}, err
	}
	return t.Overview()
}

// SignIn returns the sign-in's state (teamsync.SignIn), cheap enough to
// poll while a sign-in waits for the browser.
func (s *TeamService) SignIn() (teamsync.SignIn, error) {
	t, err := s.app.Team()
	if err != nil {
		return teamsync.SignIn{}, err
	}
	return t.SignIn(), nil
}

// StartLogin begins the sign-in to the team server at server and returns
// the address to open; it completes in the background (Overview's login
// says how it ended).
func (s *TeamService) StartLogin(server string) (string, error) {
	t, err := s.app.Team()
	if err != nil {
		return "", err
	}
	return t.StartLogin(s.app.ctx, server)
}

// StartPush begins pushing workspace ws ("" the default) and returns the
// job's ID at once; its progress goes out as events and answers Job.
func (s *TeamService) StartPush(ws string) (string, error) {
	return s.start(teamsync.JobPush, ws)
}

// StartPull begins pulling workspace ws ("" the default), as StartPush.
func (s *TeamService) StartPull(ws string) (string, error) {
	return s.start(teamsync.JobPull, ws)
}

func (s *TeamService) start(kind, ws string) (string, error) {
	t, err := s.app.Team()
	if err != nil {
		return "", err
	}
	return t.Start(s.app.ctx, kind, s.app.wsName(ws), s.progress)
}

// progress sends a job's progress as its TeamProgressEvent.
func (s *TeamService) progress(p teamsync.Progress) {
	s.mu.Lock()
	emit := s.emit
	s.mu.Unlock()
	if emit != nil {
		emit(TeamProgressEvent+p.JobID, p)
	}
}

// Job is the latest progress of a push or pull this process started.
func (s *TeamService) Job(id string) (teamsync.Progress, error) {
	t, err := s.app.Team()
	if err != nil {
		return teamsync.Progress{}, err
	}
	return t.Job(id)
}

// Teams lists the user's teams, with the rosters of those they administer
// (teamsync.Sync.Teams).
func (s *TeamService) Teams() ([]syncproto.Team, error) {
	t, err := s.app.Team()
	if err != nil {
		return nil, err
	}
	return t.Teams(s.app.ctx)
}

// MakeTeam makes a team called name that the user administers.
func (s *TeamService) MakeTeam(name string) (syncproto.Team, error) {
	t, err := s.app.Team()
	if err != nil {
		return syncproto.Team{}, err
	}
	return t.MakeTeam(s.app.ctx, name)
}

// AddMember adds the user who signed in as email to the team (its ID).
func (s *TeamService) AddMember(team, email string) (syncproto.Person, error) {
	t, err := s.app.Team()
	if err != nil {
		return syncproto.Person{}, err
	}
	return t.AddMember(s.app.ctx, team, email)
}

// RemoveMember takes email out of the team (its ID); the user's own e-mail
// leaves it.
func (s *TeamService) RemoveMember(team, email string) error {
	t, err := s.app.Team()
	if err != nil {
		return err
	}
	return t.RemoveMember(s.app.ctx, team, email)
}

// Leave takes the user out of the team (its ID).
func (s *TeamService) Leave(team string) error {
	t, err := s.app.Team()
	if err != nil {
		return err
	}
	return t.Leave(s.app.ctx, team)
}

// Share shares the user's pushed workspace ws with the team (its ID); ""
// makes it private.
func (s *TeamService) Share(ws, team string) error {
	t, err := s.app.Team()
	if err != nil {
		return err
	}
	return t.Share(s.app.ctx, ws, team)
}

// Remotes lists the workspaces on the server the user may read, each with
// the local workspace that syncs with it (teamsync.Remote).
func (s *TeamService) Remotes() ([]teamsync.Remote, error) {
	t, err := s.app.Team()
	if err != nil {
		return nil, err
	}
	return t.Remotes(s.app.ctx)
}

// Follow makes the local workspace local ("" the remote's name; made when
// missing) sync with the teammate's workspace id and starts pulling it: its
// progress goes out as the job's events.
func (s *TeamService) Follow(id, local string) (teamsync.Followed, error) {
	t, err := s.app.Team()
	if err != nil {
		return teamsync.Followed{}, err
	}
	return t.Follow(s.app.ctx, id, local, s.progress)
}
