package teamsync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/engram-app/engram/teamclient"
)

// ProgressInterval is the least time between two progress reports of one
// job (about ten a second); the final one is always sent.
const ProgressInterval = 100 * time.Millisecond

// The kinds of job Start runs.
const (
	JobPush = "push"
	JobPull = "pull"
)

// Progress is one push or pull job's state as the UI shows it. It goes out
// as the "team:progress:<jobID>" event and answers a poll (Job).
type Progress struct {
	JobID     string `json:"job_id"`
	Kind      string `json:"kind"` // JobPush or JobPull
	Workspace string `json:"workspace"`
	State     string `json:"state"` // running, done, failed or cancelled
	Phase     string `json:"phase"` // the Step's phase; "" before the first
	Sent      int    `json:"sent"`
	Waiting   int    `json:"waiting"`
	Pulled    int    `json:"pulled"`
	// Push and Pull are the job's result once it has ended (the JSON of
	// `team push --json` and `team pull --json`).
	Push      *teamclient.PushReport `json:"push,omitempty"`
	Pull      *PullResult            `json:"pull,omitempty"`
	Error     string                 `json:"error,omitempty"`
	ErrorKind string                 `json:"error_kind,omitempty"` // see ErrorKind
	Finished  bool                   `json:"finished"`
}

type job struct{ last Progress }

// Start begins a push or pull (kind JobPush or JobPull) of ws on a
// goroutine of its own and returns the job's ID at once; ctx (the
// container's) cancels it. emit, when not nil, gets the job's progress,
// at most every ProgressInterval and always the final state, on the job's
// goroutine. It fails with ErrBusy while a push or pull of ws runs.
func (s *Sync) Start(ctx context.Context, kind, ws string, emit func(Progress)) (string, error) {
	if kind != JobPush && kind != JobPull {
		return "", fmt.Errorf("a team job is push or pull, not %q", kind)
	}
	if ws == "" {
		return "", errors.New("name the workspace to push or pull")
	}
	if err := s.claim(ws); err != nil {
		return "", err
	}
	s.mu.Lock()
	s.seq++
	id := fmt.Sprintf("team-%d-%d", time.Now().UnixMilli(), s.seq)
	j := &job{last: Progress{JobID: id, Kind: kind, Workspace: ws, State: "running"}}
	// A workspace keeps its latest job only (the one before has ended:
	// ws was not busy), so the jobs kept are bounded by the workspaces.
	delete(s.jobs, s.last[ws])
	s.jobs[id] = j
	s.last[ws] = id
	s.mu.Unlock()
	if emit == nil {
		emit = func(Progress) {}
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		var lastEmit time.Time
		step := func(st Step) {
			s.mu.Lock()
			j.last.Phase, j.last.Sent, j.last.Waiting, j.last.Pulled = st.Phase, st.Sent, st.Waiting, st.Pulled
			p := j.last
			s.mu.Unlock()
			if time.Since(lastEmit) >= ProgressInterval {
				lastEmit = time.Now()
				emit(p)
			}
		}
		var err error
		var rep teamclient.PushReport
		var res PullResult
		if kind == JobPush {
			rep, err = s.push(ctx, ws, step)
		} else {
			res, err = s.pull(ctx, ws, step)
		}
		waiting := s.d.Client.Pending(ws)
		s.mu.Lock()
		final := &j.last
		if kind == JobPush {
			final.Push, final.Sent = &rep, rep.Sent
		} else {
			final.Pull, final.Pulled = &res, res.Changes
		}
		final.Finished, final.Waiting = true, waiting
		switch {
		case err == nil:
			final.State = "done"
		case errors.Is(err, context.Canceled):
			final.State = "cancelled"
		default:
			final.State, final.Error, final.ErrorKind = "failed", err.Error(), ErrorKind(err)
		}
		// The workspace is free the moment the job reads as ended, for a
		// poller (Job) and for whoever the final progress reaches: either
		// may start the next push or pull at once.
		delete(s.busy, ws)
		p := *final
		s.mu.Unlock()
		emit(p)
	}()
	return id, nil
}

// Job is the latest state of the job id started in this process; only
// each workspace's latest job is kept.
func (s *Sync) Job(id string) (Progress, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return Progress{}, fmt.Errorf("%w %q in this session", ErrNoJob, id)
	}
	return j.last, nil
}

// LoginState is the UI's latest sign-in: running, or how it ended.
type LoginState struct {
	Running   bool   `json:"running"`
	Server    string `json:"server,omitempty"`
	AuthURL   string `json:"auth_url,omitempty"` // the address to open while it runs
	Error     string `json:"error,omitempty"`
	ErrorKind string `json:"error_kind,omitempty"`
}

// LoginTimeout bounds a sign-in started by StartLogin (the flow's own TTL).
const LoginTimeout = 10 * time.Minute

// StartLogin begins a sign-in to server and returns the address to open
// (in the system browser, or a tab of the browser the web face runs in)
// at once; it completes in the background, within LoginTimeout or when ctx
// ends, and Overview then shows the account, or Login the error. A sign-in
// started while one runs replaces it.
func (s *Sync) StartLogin(ctx context.Context, server string) (string, error) {
	if _, err := teamclient.CheckServerURL(server); err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadServer, err)
	}
	ctx, cancel := context.WithTimeout(ctx, LoginTimeout)
	s.mu.Lock()
	if s.loginCancel != nil {
		s.loginCancel() // the sign-in it replaces stops listening
	}
	s.loginGen++
	gen := s.loginGen
	s.login, s.loginCancel = LoginState{Running: true, Server: server}, cancel
	s.mu.Unlock()
	urls := make(chan string, 1)
	errs := make(chan error, 1)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		_, err := s.Login(ctx, server, func(u string) error {
			s.mu.Lock()
			if s.loginGen == gen {
				s.login.AuthURL = u
			}
			s.mu.Unlock()
			urls <- u
			return nil
		})
		s.mu.Lock()
		if s.loginGen == gen { // not replaced by a later sign-in
			s.login, s.loginCancel = LoginState{Server: server}, nil
			if err != nil {
				s.login.Error, s.login.ErrorKind = err.Error(), ErrorKind(err)
			}
		}
		s.mu.Unlock()
		errs <- err
	}()
	select {
	case u := <-urls:
		return u, nil
	case err := <-errs:
		return "", err
	}
}

// LoginState is the UI's latest sign-in (StartLogin).
func (s *Sync) LoginState() LoginState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.login
}
