package memory

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/engram-app/engram/store"
)

// GoldenSequence is one user's history of statements with what each must
// do, read from a golden file (ParseGolden).
type GoldenSequence struct {
	Name  string
	Steps []GoldenStep
}

// GoldenStep is one statement, said at Said, with the events it must give
// ("ADD Lives in Oslo") and, when Check is set, the user's current memories
// after it (their texts, in any order).
type GoldenStep struct {
	Line    int
	Said    time.Time
	Text    string
	Events  []string
	Current []string
	Check   bool
}

// GoldenStart is when a golden sequence's statements are said unless an
// "@ DATE" line says otherwise: a Wednesday.
var goldenStart = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

// ParseGolden reads golden sequences. The format, one item a line:
//
//	== name          starts a sequence (a new user)
//	@ 2026-04-10     the day the next statements are said (10:00 UTC)
//	> statement      a statement; each is said a minute after the one before
//	EVENT text       an event it must give (ADD, UPDATE, DELETE; NONE alone
//	                 for a NONE of any memory); a statement without event
//	                 lines must give none
//	= text           a current memory after the statement; "= -" for none.
//	                 The = lines of a statement list every current memory.
//	# ...            a comment
func ParseGolden(r io.Reader) ([]GoldenSequence, error) {
	var out []GoldenSequence
	sc := bufio.NewScanner(r)
	day := goldenStart
	var clock time.Time
	n := 0
	step := func() (*GoldenStep, error) {
		if len(out) == 0 || len(out[len(out)-1].Steps) == 0 {
			return nil, fmt.Errorf("line %d: an expectation before any statement", n)
		}
		seq := &out[len(out)-1]
		return &seq.Steps[len(seq.Steps)-1], nil
	}
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "=="):
			out = append(out, GoldenSequence{Name: strings.TrimSpace(line[2:])})
			day, clock = goldenStart, goldenStart
		case strings.HasPrefix(line, "@"):
			d, err := time.Parse("2006-01-02", strings.TrimSpace(line[1:]))
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			day = d.Add(10 * time.Hour)
			clock = day
		case strings.HasPrefix(line, ">"):
			if len(out) == 0 {
				return nil, fmt.Errorf("line %d: a statement before any == sequence", n)
			}
			seq := &out[len(out)-1]
			clock = clock.Add(time.Minute)
			seq.Steps = append(seq.Steps, GoldenStep{Line: n, Said: clock, Text: strings.TrimSpace(line[1:])})
		case strings.HasPrefix(line, "="):
			st, err := step()
			if err != nil {
				return nil, err
			}
			st.Check = true
			if t := strings.TrimSpace(line[1:]); t != "-" {
				st.Current = append(st.Current, t)
			}
		default:
			ev, _, _ := strings.Cut(line, " ")
			switch ev {
			case EventAdd, EventUpdate, EventDelete, EventNone:
			default:
				return nil, fmt.Errorf("line %d: %q is not an event line (ADD, UPDATE, DELETE or NONE, then the memory)", n, line)
			}
			st, err := step()
			if err != nil {
				return nil, err
			}
			st.Events = append(st.Events, line)
		}
	}
	return out, sc.Err()
}

// GoldenResult is what one statement did against what it should.
type GoldenResult struct {
	Sequence string
	Step     GoldenStep
	Events   []string // what it gave, as "EVENT text"
	Current  []string // the current memories after it
	Problems []string
}

// GoldenScore counts the changing events (ADD, UPDATE, DELETE) over a golden
// set: TruePositive matched an expected event exactly (event and text).
type GoldenScore struct {
	Statements, Failed              int
	Expected, Got, TruePositive     int
	StatementsWithNothing, Nothings int // statements that must change nothing; of them, how many did
}

// Precision is the share of the events given that were expected.
func (g GoldenScore) Precision() float64 {
	if g.Got == 0 {
		return 1
	}
	return float64(g.TruePositive) / float64(g.Got)
}

// Recall is the share of the expected events that were given.
func (g GoldenScore) Recall() float64 {
	if g.Expected == 0 {
		return 1
	}
	return float64(g.TruePositive) / float64(g.Expected)
}

// EvaluateGolden runs each sequence as its own user in workspace ws of st
// (which must exist), with the extractor ex (nil: the rules), and returns
// the outcome of every statement and the score.
func EvaluateGolden(ctx context.Context, st *store.Store, ws string, ex Extractor, seqs []GoldenSequence) ([]GoldenResult, GoldenScore, error) {
	var clock time.Time
	s, err := New(st, Options{Extractor: ex, Now: func() time.Time { return clock }})
	if err != nil {
		return nil, GoldenScore{}, err
	}
	var out []GoldenResult
	var score GoldenScore
	for i, seq := range seqs {
		k := Key{Workspace: ws, User: fmt.Sprintf("golden-%03d", i+1)}
		for _, step := range seq.Steps {
			clock = step.Said
			res, err := s.Add(ctx, k, step.Text, "golden")
			if err != nil {
				return nil, score, fmt.Errorf("%s, line %d: %w", seq.Name, step.Line, err)
			}
			r := GoldenResult{Sequence: seq.Name, Step: step}
			for _, e := range res.Events {
				r.Events = append(r.Events, strings.TrimSpace(e.Event+" "+e.Memory))
			}
			r.Problems = append(r.Problems, compareEvents(step.Events, r.Events, &score)...)
			if len(step.Events) == 0 {
				score.StatementsWithNothing++
				if len(changing(r.Events)) == 0 {
					score.Nothings++
				}
			}
			if step.Check {
				ms, err := s.List(ctx, k, false)
				if err != nil {
					return nil, score, err
				}
				for _, m := range ms {
					r.Current = append(r.Current, m.Text)
				}
				slices.Sort(r.Current) // memory IDs are random: order by text
				want, got := slices.Clone(step.Current), slices.Clone(r.Current)
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(want, got) {
					r.Problems = append(r.Problems, fmt.Sprintf("current memories %q, want %q", got, want))
				}
			}
			score.Statements++
			if len(r.Problems) > 0 {
				score.Failed++
			}
			out = append(out, r)
		}
	}
	return out, score, nil
}

func changing(evs []string) []string {
	var out []string
	for _, e := range evs {
		if !strings.HasPrefix(e, EventNone) {
			out = append(out, e)
		}
	}
	return out
}

// compareEvents checks the events given against the expected ones (a bare
// "NONE" matches any NONE) and counts them into score.
func compareEvents(want, got []string, score *GoldenScore) []string {
	var problems []string
	wantC, gotC := changing(want), changing(got)
	score.Expected += len(wantC)
	score.Got += len(gotC)
	left := slices.Clone(gotC)
	for _, w := range wantC {
		if i := slices.Index(left, w); i >= 0 {
			score.TruePositive++
			left = slices.Delete(left, i, i+1)
		}
	}
	match := len(want) == len(got)
	for i := 0; match && i < len(want); i++ {
		if want[i] != got[i] && !(want[i] == EventNone && strings.HasPrefix(got[i], EventNone)) {
			match = false
		}
	}
	if !match {
		problems = append(problems, fmt.Sprintf("events %q, want %q", got, want))
	}
	return problems
}
