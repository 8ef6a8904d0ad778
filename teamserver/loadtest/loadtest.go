// Package loadtest drives the team server as many users at once: several
// instances with small pools over one PostgreSQL, users each with a canary
// word in their own notes, a mix of searches, pulls and pushes through
// HTTP with a share cancelled mid-query, and a count of the answers that
// hold the canary of a user outside the asker's team (which row-level
// security must make 0). Users are in teams of TeamSize, made through the
// team API, each sharing their workspace with their team: a teammate's
// canary is found, a stranger's never; a pull of a stranger's workspace by
// its ID is refused (404).
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamserver"
	"github.com/engram-app/engram/teamserver/pgtest"
)

// Options size a run. Every number has a range, checked by Run.
type Options struct {
	Instances    int     // server instances, 1 to 16
	Pool         int     // connections per instance, 1 to 100
	Users        int     // simulated users, 2 to 100,000
	NotesPerUser int     // notes each user pushes first, 1 to 1,000
	Requests     int     // requests in all, 1 to 100,000,000
	Workers      int     // requests in flight, 1 to 1,000
	Cancel       float64 // share of requests cancelled mid-query, 0 to 1
	TeamSize     int     // users a team, 1 to 100 (0: 4)
	Seed         uint64
	// DB, when set, is an existing database's app-role URL with OwnerDB its
	// owner's (migrated here); otherwise a private PostgreSQL is started.
	DB, OwnerDB string
	// Progress, when set, is told every 10,000 requests.
	Progress func(done int)
}

// Result is a run's numbers.
type Result struct {
	Options
	Requests   int            `json:"requests"`
	ByKind     map[string]int `json:"by_kind"`
	Cancelled  int            `json:"cancelled"`
	Errors     int            `json:"errors"`    // not cancelled, yet not the answer expected
	Refused    int            `json:"refused"`   // pulls of a stranger's workspace, refused as they must be
	Leaks      int            `json:"leaks"`     // answers holding the canary of a user outside the asker's team
	OwnFound   int            `json:"own_found"` // canaries of the asker and their teammates found
	Elapsed    time.Duration  `json:"elapsed"`
	SearchP50  time.Duration  `json:"search_p50"`
	SearchP99  time.Duration  `json:"search_p99"`
	PullP50    time.Duration  `json:"pull_p50"`
	PullP99    time.Duration  `json:"pull_p99"`
	PushP50    time.Duration  `json:"push_p50"`
	PushP99    time.Duration  `json:"push_p99"`
	FirstError string         `json:"first_error,omitempty"`
}

func check(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("loadtest: %s must be from %d to %d, not %d", name, lo, hi, v)
	}
	return nil
}

type user struct {
	n     int
	team  int // n / TeamSize
	id    string
	token string
	ws    string // the workspace's ID, for pulls by ID
}

var canaryRE = regexp.MustCompile(`canary(\d+)x`)

func canary(n int) string { return "canary" + strconv.Itoa(n) + "x" }

// word is the i-th word of the notes' and queries' vocabulary (i modulo its size).
func word(i int) string {
	ws := [...]string{"falcon", "budget", "kayak", "harbour", "ledger", "orchid", "quarry", "signal", "tundra", "velvet"}
	return ws[i%len(ws)]
}

// Run sets up the servers and users, drives the requests and returns the
// numbers.
func Run(ctx context.Context, o Options) (*Result, error) {
	for _, c := range []struct {
		name      string
		v, lo, hi int
	}{{"instances", o.Instances, 1, 16}, {"pool", o.Pool, 1, 100}, {"users", o.Users, 2, 100000},
		{"notes per user", o.NotesPerUser, 1, 1000}, {"requests", o.Requests, 1, 100000000}, {"workers", o.Workers, 1, 1000}} {
		if err := check(c.name, c.v, c.lo, c.hi); err != nil {
			return nil, err
		}
	}
	if o.TeamSize == 0 {
		o.TeamSize = 4
	}
	if err := check("team size", o.TeamSize, 1, 100); err != nil {
		return nil, err
	}
	if o.Cancel < 0 || o.Cancel > 1 {
		return nil, fmt.Errorf("loadtest: the cancelled share must be from 0 to 1, not %g", o.Cancel)
	}
	if o.DB == "" {
		c, err := pgtest.New()
		if err != nil {
			return nil, err
		}
		defer c.Stop()
		o.DB, o.OwnerDB = c.AppURL, c.OwnerURL
	}
	if _, err := teamserver.Migrate(ctx, o.OwnerDB, "engram_app"); err != nil {
		return nil, err
	}
	var urls []string
	var servers []*teamserver.Server
	for range o.Instances {
		s, err := teamserver.Open(ctx, teamserver.Config{DB: o.DB, MaxConns: int32(o.Pool)})
		if err != nil {
			return nil, err
		}
		defer s.Close()
		hs := httptest.NewServer(s.Handler())
		defer hs.Close()
		servers = append(servers, s)
		urls = append(urls, hs.URL)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.Workers}, Timeout: time.Minute}

	// Users, and their notes, each with the user's canary.
	r := rand.New(rand.NewPCG(o.Seed, 16))
	users := make([]user, o.Users)
	for i := range users {
		tok, id, err := servers[i%len(servers)].NewSession(ctx, "https://idp.load", "user-"+strconv.Itoa(i), email(i), "", 24*time.Hour)
		if err != nil {
			return nil, err
		}
		users[i] = user{n: i, team: i / o.TeamSize, id: id, token: tok}
		var changes []syncproto.Change
		for k := range o.NotesPerUser {
			changes = append(changes, syncproto.Change{ID: uuid(r), Kind: syncproto.KindNote, Key: fmt.Sprintf("note-%d.md", k),
				Title: "Note " + strconv.Itoa(k), Body: note(r, i)})
		}
		var res syncproto.PushResponse
		if _, err := do(ctx, hc, "POST", urls[i%len(urls)]+"/v1/sync/push", tok, syncproto.PushRequest{Device: "seed", Workspace: "notes", Changes: changes}, &res); err != nil {
			return nil, fmt.Errorf("seeding user %d: %w", i, err)
		}
		// The workspace's ID, for other users to ask for it by ID.
		if users[i].ws, err = servers[0].WorkspaceID(ctx, id, "notes"); err != nil {
			return nil, err
		}
	}

	// Teams: the first user of each makes it and adds the others; each
	// shares their workspace with it.
	var teamIDs []string // by team number
	for i, u := range users {
		if i%o.TeamSize == 0 {
			t, err := servers[0].MakeTeam(ctx, u.id, "team-"+strconv.Itoa(u.team))
			if err != nil {
				return nil, err
			}
			teamIDs = append(teamIDs, t.ID)
		} else if _, err := servers[0].AddMember(ctx, users[i-i%o.TeamSize].id, teamIDs[u.team], email(i)); err != nil {
			return nil, err
		}
		if err := servers[0].Share(ctx, u.id, "notes", teamIDs[u.team]); err != nil {
			return nil, err
		}
	}

	res := &Result{Options: o, ByKind: map[string]int{}}
	var mu sync.Mutex
	var lat = map[string][]time.Duration{}
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for w := range o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wr := rand.New(rand.NewPCG(o.Seed, uint64(w)+1000))
			for {
				n := int(next.Add(1))
				if n > o.Requests || ctx.Err() != nil {
					return
				}
				u := users[wr.IntN(len(users))]
				base := urls[n%len(urls)] // round robin over the instances
				kind, method, path, body, refuse := request(wr, u, users)
				cancel := wr.Float64() < o.Cancel
				rctx, stop := context.WithCancel(ctx)
				var timer *time.Timer
				if cancel { // mid-query: within the first 3 ms
					timer = time.AfterFunc(time.Duration(wr.IntN(3000))*time.Microsecond, stop)
				}
				t0 := time.Now()
				raw, err := do(rctx, hc, method, base+path, u.token, body, nil)
				el := time.Since(t0)
				cancelled := err != nil && rctx.Err() != nil
				var he *httpError
				refused := refuse && errors.As(err, &he) && he.status == http.StatusNotFound
				if timer != nil {
					timer.Stop()
				}
				stop()
				leak, own := scan(raw, u, o.TeamSize)
				mu.Lock()
				res.Requests++
				res.ByKind[kind]++
				res.Leaks += leak
				res.OwnFound += own
				switch {
				case cancelled:
					res.Cancelled++
				case refused:
					res.Refused++
				case refuse || err != nil:
					if err == nil {
						err = fmt.Errorf("%s %s: answered, though the workspace is another team's", method, path)
					}
					res.Errors++
					if res.FirstError == "" {
						res.FirstError = err.Error()
					}
				default:
					lat[kind] = append(lat[kind], el)
				}
				if o.Progress != nil && res.Requests%10000 == 0 {
					o.Progress(res.Requests)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.SearchP50, res.SearchP99 = pct(lat["search"], 50), pct(lat["search"], 99)
	res.PullP50, res.PullP99 = pct(lat["pull"], 50), pct(lat["pull"], 99)
	res.PushP50, res.PushP99 = pct(lat["push"], 50), pct(lat["push"], 99)
	return res, ctx.Err()
}

func note(r *rand.Rand, owner int) string {
	var b bytes.Buffer
	for range 30 {
		b.WriteString(word(r.IntN(10)))
		b.WriteByte(' ')
	}
	b.WriteString(canary(owner))
	return b.String()
}

// request picks one request of the mix: 60% searches (common words, the
// user's own canary, another user's canary), 25% pulls (the user's own
// workspace, or another user's by ID: refused unless a teammate's), 15%
// pushes.
func request(r *rand.Rand, u user, users []user) (kind, method, path string, body any, refuse bool) {
	other := users[r.IntN(len(users))]
	switch p := r.IntN(100); {
	case p < 60:
		q := word(r.IntN(10)) + " " + word(r.IntN(10))
		switch r.IntN(3) {
		case 0:
			q = canary(u.n)
		case 1:
			q = canary(other.n) + " | " + word(r.IntN(10))
		}
		return "search", "GET", "/v1/search?limit=20&q=" + url.QueryEscape(q), nil, false
	case p < 85:
		if r.IntN(2) == 0 {
			return "pull", "GET", "/v1/sync/pull?device=load&limit=50&workspace=notes&after=" + strconv.Itoa(r.IntN(5)), nil, false
		}
		return "pull", "GET", "/v1/sync/pull?device=load&limit=50&workspace_id=" + other.ws, nil, other.team != u.team
	default:
		return "push", "POST", "/v1/sync/push", syncproto.PushRequest{Device: "load", Workspace: "notes", Changes: []syncproto.Change{
			{ID: uuid(r), Kind: syncproto.KindNote, Key: "load-" + strconv.Itoa(r.IntN(50)) + ".md", Title: "Load", Body: note(r, u.n)},
		}}, false
	}
}

// scan counts the canaries in an answer: those of users outside the
// asker's team (a leak), and the asker's own and their teammates'.
func scan(raw []byte, me user, teamSize int) (leak, own int) {
	for _, m := range canaryRE.FindAllSubmatch(raw, -1) {
		if n, _ := strconv.Atoi(string(m[1])); n/teamSize == me.team {
			own++
		} else {
			leak++
		}
	}
	return leak, own
}

func do(ctx context.Context, hc *http.Client, method, u, token string, body any, out any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return raw, err
	}
	if res.StatusCode != 200 {
		return raw, &httpError{status: res.StatusCode, msg: fmt.Sprintf("%s %s: %d %s", method, req.URL.Path, res.StatusCode, bytes.TrimSpace(raw))}
	}
	if out != nil {
		return raw, json.Unmarshal(raw, out)
	}
	return raw, nil
}

type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func email(i int) string { return "user-" + strconv.Itoa(i) + "@load.test" }

func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	i := (len(d)*p + 99) / 100
	if i > 0 {
		i--
	}
	return d[i]
}

func uuid(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Markdown is the result as BENCHMARKS.md rows.
func (r *Result) Markdown() string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	var b bytes.Buffer
	fmt.Fprintf(&b, "| Team server load (%d instances × pool %d, %d users in teams of %d, %d workers, %.0f%% cancelled) | value |\n|---|---|\n",
		r.Instances, r.Pool, r.Users, r.TeamSize, r.Workers, r.Cancel*100)
	fmt.Fprintf(&b, "| requests (search / pull / push) | %d (%d / %d / %d) in %.1f s |\n", r.Requests, r.ByKind["search"], r.ByKind["pull"], r.ByKind["push"], r.Elapsed.Seconds())
	fmt.Fprintf(&b, "| cancelled mid-query | %d |\n", r.Cancelled)
	fmt.Fprintf(&b, "| errors (not cancelled) | %d |\n", r.Errors)
	fmt.Fprintf(&b, "| pulls of another team's workspace refused (404) | %d |\n", r.Refused)
	fmt.Fprintf(&b, "| answers with the canary of a user outside the asker's team | %d |\n", r.Leaks)
	fmt.Fprintf(&b, "| team search p50 / p99 (budget p99 ≤ 100 ms) | %s / %s |\n", ms(r.SearchP50), ms(r.SearchP99))
	fmt.Fprintf(&b, "| pull p50 / p99 | %s / %s |\n", ms(r.PullP50), ms(r.PullP99))
	fmt.Fprintf(&b, "| push p50 / p99 | %s / %s |\n", ms(r.PushP50), ms(r.PushP99))
	return b.String()
}
