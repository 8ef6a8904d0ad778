package bench

import (
	"context"
	"fmt"

	"github.com/engram-app/engram/teamserver/loadtest"
)

// The team server's rows the smoke test looks for.
const (
	RowTeamSearch = "team search p50 / p99"
	RowTeamLeaks  = "answers holding the canary of a user outside the asker's team"
)

// defaultTeamRequests is the team server load's size (issue 16: at least
// 100,000 requests).
const defaultTeamRequests = 100000

// budgetTeamSearchP99 is the specification's "team search, 200 users over
// 3 instances: p99 <= 100 ms".
const budgetTeamSearchP99 = 100.0 // ms

// TeamResult is the team server under load (package teamserver/loadtest):
// 200 users over 3 instances with pools of 2 on a private PostgreSQL, a
// tenth of the requests cancelled mid-query.
type TeamResult struct {
	loadtest.Result
	Err string
}

func runTeam(ctx context.Context, opts Options, lg *logger) *TeamResult {
	o := loadtest.Options{Instances: 3, Pool: 2, Users: 200, NotesPerUser: 20, Requests: opts.TeamRequests, Workers: 16, Cancel: 0.1, Seed: opts.Seed,
		Progress: func(n int) {
			if n%50000 == 0 {
				lg.printf("team: %d requests", n)
			}
		}}
	lg.printf("team: %d requests from 200 users in teams of 4 over 3 instances", o.Requests)
	r, err := loadtest.Run(ctx, o)
	res := &TeamResult{}
	if r != nil {
		res.Result = *r
	}
	if err != nil {
		res.Err = err.Error()
	}
	lg.printf("team: search p50 %.1f ms, p99 %.1f ms; %d leaks, %d errors", millis(res.SearchP50), millis(res.SearchP99), res.Leaks, res.Errors)
	return res
}

// rows are the team server's rows of the report.
func (t *TeamResult) rows() []row {
	what := "team server, 200 users in teams of 4 over 3 instances (pools of 2), 10% cancelled mid-query"
	if t.Err != "" && t.Requests == 0 {
		return []row{{what, notMeasured, noBudget, oneLine(t.Err)}}
	}
	leaks := "none"
	if t.Leaks > 0 {
		leaks = fmt.Sprintf("**%d answers leaked**", t.Leaks)
	}
	rows := []row{
		{what, fmt.Sprintf("%s requests (%s searches, %s pulls, %s pushes) in %.0f s; %s cancelled, %s errors, %s pulls of another team's workspace refused",
			group(int64(t.Requests)), group(int64(t.ByKind["search"])), group(int64(t.ByKind["pull"])), group(int64(t.ByKind["push"])),
			t.Elapsed.Seconds(), group(int64(t.Cancelled)), group(int64(t.Errors)), group(int64(t.Refused))), noBudget, noBudget},
		{RowTeamLeaks, group(int64(t.Leaks)), "0", leaks},
		{RowTeamSearch, fmt.Sprintf("%.1f / %.1f ms", millis(t.SearchP50), millis(t.SearchP99)), fmt.Sprintf("p99 <= %.0f ms", budgetTeamSearchP99), atMost(millis(t.SearchP99), budgetTeamSearchP99)},
		{"pull p50 / p99", fmt.Sprintf("%.1f / %.1f ms", millis(t.PullP50), millis(t.PullP99)), noBudget, noBudget},
		{"push p50 / p99", fmt.Sprintf("%.1f / %.1f ms", millis(t.PushP50), millis(t.PushP99)), noBudget, noBudget},
	}
	if t.Err != "" {
		rows = append(rows, row{"the run stopped", notMeasured, noBudget, oneLine(t.Err)})
	}
	return rows
}
