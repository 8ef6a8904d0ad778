package bench

import (
	"context"
	"fmt"
	"github.com/engram-app/engram/contextpack"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/bench/corpus"
	"github.com/engram-app/engram/memory"
	"github.com/engram-app/engram/store"
)

// MemoryResult holds the measurements of the memory benchmark, run once
// per Run in its own data directory.
type MemoryResult struct {
	Users    int
	Memories int // statements added in the load phase
	Docs     int // documents imported beside them, for the context's passages
	// Events counts what the load phase's statements did (ADD, UPDATE, ...).
	Events map[string]int
	// Stored is the number of current memories after every add.
	Stored int
	// Add is the load phase: one client, each MemoryAdd timed.
	Add Latency
	// AddConcurrent is further adds from Clients goroutines at once.
	AddConcurrent Latency
	Search        Latency
	Context       Latency
	// ContextDistinct is the same load with a question never asked before
	// in each call, so that no cached pack is served.
	ContextDistinct Latency
	// ContextTokens is the mean size of the packs built, in tokens.
	ContextTokens float64
	// ContextPassages is the mean number of document passages per pack.
	ContextPassages float64
	// Golden is the memory package's golden set (issue 11), scored as its
	// table test scores it.
	Golden   GoldenResult
	Problems []string
}

// GoldenResult is the score of the golden set: the changing events (ADD,
// UPDATE, DELETE) expected, given and right, over every statement.
type GoldenResult struct {
	Sequences, Statements, Failed int
	Expected, Got, Right          int
	// MustChangeNothing statements expect no changing event; Quiet of
	// them gave none.
	MustChangeNothing, Quiet int
	Seconds                  float64
	Err                      string
}

// Precision is the share of the events given that were expected (1 when
// none was given).
func (g GoldenResult) Precision() float64 { return share(g.Right, g.Got) }

// Recall is the share of the expected events that were given (1 when none
// was expected).
func (g GoldenResult) Recall() float64 { return share(g.Right, g.Expected) }

func share(n, of int) float64 {
	if of <= 0 {
		return 1
	}
	return float64(n) / float64(of)
}

// runGolden runs the shipped golden set through the memory rules in a
// fresh store under dir, as memory's TestGolden does.
func runGolden(ctx context.Context, dir string) GoldenResult {
	var g GoldenResult
	seqs, err := memory.GoldenSet()
	if err != nil {
		g.Err = err.Error()
		return g
	}
	st, err := store.Open(filepath.Join(dir, "golden.db"), store.Options{})
	if err != nil {
		g.Err = err.Error()
		return g
	}
	defer st.Close()
	if err := st.CreateWorkspace("personal", true); err != nil {
		g.Err = err.Error()
		return g
	}
	t0 := time.Now()
	_, sc, err := memory.EvaluateGolden(ctx, st, "personal", nil, seqs)
	g.Seconds = time.Since(t0).Seconds()
	if err != nil {
		g.Err = err.Error()
		return g
	}
	g.Sequences, g.Statements, g.Failed = len(seqs), sc.Statements, sc.Failed
	g.Expected, g.Got, g.Right = sc.Expected, sc.Got, sc.TruePositive
	g.MustChangeNothing, g.Quiet = sc.StatementsWithNothing, sc.Nothings
	return g
}

// Memory benchmark defaults (the issue's "10,000 memories across 10
// users").
const (
	defaultMemories        = 10000
	defaultMemoryUsers     = 10
	defaultMemorySearches  = 2000
	defaultContextQueries  = 500
	defaultMemoryDocs      = 2000
	memoryWarmup           = 50
	concurrentAddsFraction = 10 // AddConcurrent makes Memories/10 adds
	defaultContextBudget   = contextpack.DefaultBudget
)

// memoryUser names the i-th benchmark user.
func memoryUser(i int) string { return fmt.Sprintf("bench-user-%02d", i+1) }

// statements generates first-person statements, deterministic from the
// seed: preferences, places, relationships, plans, feelings, work, habits
// and favourites, over vocabularies large enough that most are new facts
// (ADD), with the occasional move or new favourite (UPDATE) and repeat
// (NONE).
type statements struct{ r *rand.Rand }

func newStatements(seed, stream uint64) *statements {
	return &statements{r: rand.New(rand.NewPCG(seed, stream))}
}

var (
	memFoods = []string{"ramen", "sushi", "olives", "dark chocolate", "goat cheese", "kimchi", "falafel", "pho", "tapas", "croissants",
		"blueberries", "espresso", "green tea", "lasagne", "dumplings", "tacos", "paella", "curry", "pancakes", "oysters"}
	memHobbies = []string{"bouldering", "hiking", "swimming", "knitting", "chess", "jazz", "gardening", "painting", "cycling", "sailing",
		"photography", "pottery", "running", "yoga", "birdwatching", "baking", "woodworking", "surfing", "skiing", "poetry",
		"crosswords", "podcasts", "board games", "camping", "salsa dancing", "calligraphy", "archery", "fishing", "origami", "tennis"}
	memQualifiers = []string{"early morning", "late night", "weekend", "winter", "summer", "rainy day", "mountain", "city", "indoor",
		"outdoor", "competitive", "quiet", "spontaneous", "long", "short", "group", "solo", "vintage", "modern", "classic"}
	memCities = []string{"Paris", "Berlin", "Oslo", "Lyon", "Porto", "Leeds", "Vienna", "Prague", "Madrid", "Lisbon", "Dublin", "Zurich",
		"Copenhagen", "Helsinki", "Krakow", "Seville", "Bologna", "Ghent", "Tallinn", "Riga", "Bristol", "Glasgow", "Munich",
		"Hamburg", "Valencia", "Naples", "Turin", "Utrecht", "Antwerp", "Bergen", "Malmo", "Graz", "Bilbao", "Marseille"}
	memRelations = []string{"sister", "brother", "cousin", "friend", "colleague", "neighbour", "aunt", "uncle", "niece", "nephew",
		"daughter", "son", "partner", "boss", "mentor"}
	memNames = []string{"Anna", "Theo", "Maya", "Lukas", "Sofia", "Jonas", "Elena", "Omar", "Priya", "Felix", "Ines", "Marco",
		"Hana", "Tariq", "Clara", "Mateo", "Yuki", "Nora", "Emil", "Leila", "Ravi", "Greta", "Pablo", "Zoe", "Ivan", "Lena",
		"Kofi", "Aisha", "Bruno", "Chloe", "Dmitri", "Freya", "Hugo", "Ingrid", "Jamal", "Katya", "Liam", "Mina", "Nils", "Olga"}
	memFeelings = []string{"anxious", "nervous", "happy", "stressed", "calm", "excited", "frustrated", "sad", "relaxed", "angry",
		"grateful", "lonely", "proud", "tired", "overwhelmed"}
	memTriggers = []string{"my manager schedules last-minute meetings", "the train is late", "I get an email from {name}",
		"{name} calls me on Sunday", "I finish a long run", "the deadline for {thing} gets closer", "I cook {food} for friends",
		"I see the sea", "the office is noisy", "I forget my keys", "I read about {thing}", "my {rel} visits",
		"I spend a whole day on {thing}", "people talk during films", "I wake up before sunrise"}
	memThings = []string{"the quarterly report", "the garden shed", "the kitchen renovation", "my thesis", "the tax return",
		"the team offsite", "the budget review", "the product launch", "my novel", "the wedding speech", "the house move",
		"the grant proposal", "the board meeting", "the photo album", "the conference talk"}
	memPlanVerbs = []string{"visit", "fly to", "drive to", "take a train to", "spend a week in", "go hiking near", "cycle to", "sail to"}
	memPlanWith  = []string{"with my sister", "with my brother", "with friends", "alone", "with my partner", "for work", "for a wedding",
		"for a concert", "with the kids", "with my parents", "for a conference", "for the marathon"}
	memMonths    = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	memCompanies = []string{"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Tyrell", "Cyberdyne", "Soylent"}
	memDays      = []string{"Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"}
	memHabits    = []string{"swim", "read", "call my parents", "bake bread", "go to the market", "play chess", "walk the dog",
		"meditate", "practise piano", "write letters", "clean the flat", "visit the library", "cook dinner for friends"}
	memFavourites = []string{"food", "film", "book", "colour", "band", "season", "drink", "city", "sport", "game"}
)

// article is "a" or "an" for word.
func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

func (s *statements) pick(xs []string) string { return xs[s.r.IntN(len(xs))] }

func (s *statements) fill(t string) string {
	return strings.NewReplacer("{name}", s.pick(memNames), "{thing}", s.pick(memThings), "{food}", s.pick(memFoods), "{rel}", s.pick(memRelations)).Replace(t)
}

// next returns one statement.
func (s *statements) next() string {
	switch n := s.r.IntN(100); {
	case n < 20: // preferences over a large space of qualified hobbies and foods
		verb := []string{"I love", "I really enjoy", "I like", "I don't like", "I hate"}[s.r.IntN(5)]
		if s.r.IntN(3) == 0 {
			return verb + " " + s.pick(memQualifiers) + " " + s.pick(memFoods) + "."
		}
		return verb + " " + s.pick(memQualifiers) + " " + s.pick(memHobbies) + "."
	case n < 40: // relationships, often with where they live or work
		rel, name := s.pick(memRelations), s.pick(memNames)
		switch s.r.IntN(3) {
		case 0:
			return fmt.Sprintf("My %s %s lives in %s.", rel, name, s.pick(memCities))
		case 1:
			return fmt.Sprintf("My %s %s works at %s.", rel, name, s.pick(memCompanies))
		}
		return fmt.Sprintf("I have %s %s called %s.", article(rel), rel, name)
	case n < 58: // feelings and their triggers
		return fmt.Sprintf("I feel %s when %s.", s.pick(memFeelings), s.fill(s.pick(memTriggers)))
	case n < 74: // plans with dates
		return fmt.Sprintf("I plan to %s %s %s in %s.", s.pick(memPlanVerbs), s.pick(memCities), s.pick(memPlanWith), s.pick(memMonths))
	case n < 90: // habits
		if s.r.IntN(3) > 0 {
			return fmt.Sprintf("I usually %s with %s on %s.", s.pick(memHabits), s.pick(memNames), s.pick(memDays))
		}
		return fmt.Sprintf("I usually %s on %s.", s.pick(memHabits), s.pick(memDays))
	case n < 94: // favourites (an UPDATE when the thing comes again)
		fav := s.pick(memFavourites)
		val := s.pick(memFoods)
		switch fav {
		case "city":
			val = s.pick(memCities)
		case "sport", "game":
			val = s.pick(memHobbies)
		}
		return fmt.Sprintf("My favourite %s is %s.", fav, val)
	case n < 97: // places lived in (a move is an UPDATE)
		if s.r.IntN(2) == 0 {
			return "I live in " + s.pick(memCities) + "."
		}
		return fmt.Sprintf("I moved to %s %d years ago.", s.pick(memCities), 1+s.r.IntN(9))
	}
	return "I work at " + s.pick(memCompanies) + "." // work (an UPDATE on a change)
}

// memorySearches are the questions of the search mix; words of memories
// are mixed in by query.
var memoryQuestions = []string{"where do I live", "who is my sister", "what do I like", "what do I love", "where does my brother live",
	"what makes me anxious", "what are my plans", "where do I work", "what is my favourite food", "who are my friends",
	"what stresses me", "when do I swim", "where am I going in March", "who is Anna", "what do I hate"}

var contextQuestions = []string{"What should I do this weekend?", "Where does my sister live and when could I visit her?",
	"Why do I get anxious at work?", "What should I cook for my friends?", "Plan my trip next month",
	"What do I usually do on Sundays?", "Who should I invite to dinner?", "Remind me what I think about the quarterly report",
	"Suggest a present for my brother", "How have I been feeling lately?"}

// memoryQuery returns the i-th search of the mix: two in three are natural
// questions, the rest a word of the memories' vocabulary.
func memoryQuery(r *rand.Rand) string {
	if r.IntN(3) < 2 {
		return memoryQuestions[r.IntN(len(memoryQuestions))]
	}
	pools := [][]string{memHobbies, memNames, memCities, memFoods, memFeelings, memCompanies}
	p := pools[r.IntN(len(pools))]
	return p[r.IntN(len(p))]
}

// runMemory measures memory add, search and context in a fresh data
// directory.
func runMemory(ctx context.Context, opts Options, lg *logger) (*MemoryResult, error) {
	res := &MemoryResult{Users: opts.MemoryUsers, Memories: opts.Memories, Events: map[string]int{}}
	tmp, err := os.MkdirTemp(opts.WorkDir, "engram-bench-memory-")
	if err != nil {
		return res, err
	}
	if !opts.Keep {
		defer os.RemoveAll(tmp)
	} else {
		lg.printf("memory: keeping %s", tmp)
	}
	a, err := app.New(app.Config{DataDir: filepath.Join(tmp, "data")})
	if err != nil {
		res.Problems = append(res.Problems, "opening the data directory: "+err.Error())
		return res, nil
	}
	defer a.Close()

	var words *querySource // of the documents, for the context questions
	if opts.MemoryDocs > 0 {
		lg.printf("memory: importing %d generated emails for the context's passages", opts.MemoryDocs)
		gen := corpus.New(corpus.Options{Messages: opts.MemoryDocs, Seed: opts.Seed})
		dir := filepath.Join(tmp, "corpus")
		if st, err := gen.Generate(dir); err != nil {
			res.Problems = append(res.Problems, "generating the documents: "+err.Error())
		} else if ir, err := a.Import(ctx, "", []string{dir}, nil); err != nil {
			res.Problems = append(res.Problems, "importing the documents: "+err.Error())
		} else {
			res.Docs = ir.Imported + ir.Updated
			words = newQuerySource(opts.Seed, gen, st)
		}
		// The import started the gap analysis in the background: let it
		// end, so that the timings below are of memory alone.
		if _, err := a.GapsAnalyze(ctx, "", nil); err != nil {
			res.Problems = append(res.Problems, "waiting for the gap analysis: "+err.Error())
		}
	}

	users := make([]string, opts.MemoryUsers)
	for i := range users {
		users[i] = memoryUser(i)
	}
	// The load: every statement timed, one client.
	lg.printf("memory: adding %d memories for %d users, one client", opts.Memories, len(users))
	gen := newStatements(opts.Seed, 0x6d656d6f) // "memo"
	pickUser := rand.New(rand.NewPCG(opts.Seed, 0x75736572))
	ms := make([]float64, 0, opts.Memories)
	var errs int
	var first string
	for i := 0; i < opts.Memories && ctx.Err() == nil; i++ {
		user, text := users[pickUser.IntN(len(users))], gen.next()
		t0 := time.Now()
		ev, err := a.MemoryAdd(ctx, "", user, text, "bench")
		d := millis(time.Since(t0))
		if err != nil {
			if errs++; errs == 1 {
				first = fmt.Sprintf("%s: %v", text, err)
			}
			continue
		}
		ms = append(ms, d)
		if len(ev.Events) == 0 {
			res.Events["nothing extracted"]++
		}
		for _, e := range ev.Events {
			res.Events[e.Event]++
		}
	}
	res.Add = summarise(ms)
	res.Add.N, res.Add.Errors, res.Add.FirstError = opts.Memories, errs, first
	res.Add.Empty = res.Events["nothing extracted"]
	if err := ctx.Err(); err != nil {
		return res, err
	}

	// Adds from many clients at once, each statement for a random user.
	nAdd := max(opts.Memories/concurrentAddsFraction, 1)
	lg.printf("memory: adding %d more memories from %d clients", nAdd, opts.Clients)
	cgen := newStatements(opts.Seed, 0x636f6e63) // "conc"
	type addJob struct{ user, text string }
	jobs := make([]addJob, nAdd)
	for i := range jobs {
		jobs[i] = addJob{users[pickUser.IntN(len(users))], cgen.next()}
	}
	stop := startProfile(opts.Profile, "memory-add-concurrent.pprof")
	res.AddConcurrent = concurrently(ctx, nAdd, opts.Clients, func(i int) (bool, error) {
		ev, err := a.MemoryAdd(ctx, "", jobs[i].user, jobs[i].text, "bench")
		return err == nil && len(ev.Events) == 0, err
	})
	stop()
	for _, u := range users {
		if l, err := a.MemoryList(ctx, "", u, false); err == nil {
			res.Stored += len(l.Memories)
		}
	}

	// Searches: natural questions and words, each for a random user.
	r := rand.New(rand.NewPCG(opts.Seed, 0x73726368)) // "srch"
	for range memoryWarmup {
		_, _ = a.MemorySearch(ctx, "", users[r.IntN(len(users))], memoryQuery(r), 10, false)
	}
	lg.printf("memory: search, %d queries from %d clients", opts.MemorySearches, opts.Clients)
	type qJob struct{ user, q string }
	sjobs := make([]qJob, opts.MemorySearches)
	for i := range sjobs {
		sjobs[i] = qJob{users[r.IntN(len(users))], memoryQuery(r)}
	}
	stop = startProfile(opts.Profile, "memory-search.pprof")
	res.Search = concurrently(ctx, len(sjobs), opts.Clients, func(i int) (bool, error) {
		sr, err := a.MemorySearch(ctx, "", sjobs[i].user, sjobs[i].q, 10, false)
		return err == nil && len(sr.Hits) == 0, err
	})
	stop()

	// Context packs: a realistic question, the default budget.
	cr := rand.New(rand.NewPCG(opts.Seed, 0x63747874)) // "ctxt"
	question := func() string {
		// Three in five a question about the user's life; the rest about
		// the documents, two words of their vocabulary.
		if words == nil || cr.IntN(5) < 3 {
			return contextQuestions[cr.IntN(len(contextQuestions))]
		}
		return words.word(0, 400) + " " + words.word(0, 400) + "?"
	}
	for range memoryWarmup / 5 {
		_, _ = a.Context(ctx, "", users[cr.IntN(len(users))], question(), 0)
	}
	lg.printf("memory: context, %d packs from %d clients", opts.ContextQueries, opts.Clients)
	cjobs := make([]qJob, opts.ContextQueries)
	for i := range cjobs {
		cjobs[i] = qJob{users[cr.IntN(len(users))], question()}
	}
	var toks, passages atomic.Int64
	stop = startProfile(opts.Profile, "context.pprof")
	res.Context = concurrently(ctx, len(cjobs), opts.Clients, func(i int) (bool, error) {
		p, err := a.Context(ctx, "", cjobs[i].user, cjobs[i].q, 0)
		if err != nil {
			return false, err
		}
		toks.Add(int64(p.Tokens))
		passages.Add(int64(len(p.Passages)))
		return len(p.Memories) == 0, nil
	})
	stop()
	if ok := res.Context.N - res.Context.Errors; ok > 0 {
		res.ContextTokens = float64(toks.Load()) / float64(ok)
		res.ContextPassages = float64(passages.Load()) / float64(ok)
	}
	// The same with questions never asked before: every pack built afresh.
	lg.printf("memory: context, %d packs of distinct questions from %d clients", opts.ContextQueries, opts.Clients)
	seen := map[string]bool{}
	for i := range cjobs {
		for {
			q := question()
			if strings.HasSuffix(q, "?") && cr.IntN(2) == 0 {
				q = strings.TrimSuffix(q, "?") + " " + memHobbies[cr.IntN(len(memHobbies))] + "?"
			}
			q += fmt.Sprintf(" (%s, %s)", memCities[cr.IntN(len(memCities))], memNames[cr.IntN(len(memNames))])
			if !seen[q] {
				seen[q] = true
				cjobs[i] = qJob{users[cr.IntN(len(users))], q}
				break
			}
		}
	}
	stop = startProfile(opts.Profile, "context-distinct.pprof")
	res.ContextDistinct = concurrently(ctx, len(cjobs), opts.Clients, func(i int) (bool, error) {
		p, err := a.Context(ctx, "", cjobs[i].user, cjobs[i].q, 0)
		return err == nil && len(p.Memories) == 0, err
	})
	stop()
	lg.printf("memory: golden set")
	res.Golden = runGolden(ctx, tmp)
	lg.printf("memory: golden set: %d statements, %d failed; events precision %.3f, recall %.3f",
		res.Golden.Statements, res.Golden.Failed, res.Golden.Precision(), res.Golden.Recall())
	lg.printf("memory: done")
	return res, ctx.Err()
}

// concurrently runs call(0..n-1) from clients goroutines, timing each
// call's wall time. call reports whether the answer was empty.
func concurrently(ctx context.Context, n, clients int, call func(i int) (empty bool, err error)) Latency {
	return timedCalls(ctx, n, clients, call).summary(nil)
}

// calls are the timings of one concurrent phase.
type calls struct {
	ms     []float64
	failed []bool
	empty  []bool
	errs   int
	first  string
	wall   time.Duration
}

// timedCalls runs call(0..n-1) from clients goroutines and keeps each
// call's wall time and outcome.
func timedCalls(ctx context.Context, n, clients int, call func(i int) (empty bool, err error)) calls {
	c := calls{ms: make([]float64, n), failed: make([]bool, n), empty: make([]bool, n)}
	var (
		next, errs atomic.Int64
		once       sync.Once
		wg         sync.WaitGroup
	)
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				// A call is timed from when it is made, and its client
				// goroutine then yields, as a server's goroutine does
				// when it reads its next request: the call waits its
				// turn behind the others' calls, and that wait is in its
				// time. A loop of in-process calls that never blocks
				// would keep its core for Go's 10 ms slice instead, and
				// put every other client's slice into the one call that
				// a preemption cut off: a p99 of 80 to 150 ms for
				// 0.25 ms memory searches, from the benchmark alone.
				t0 := time.Now()
				runtime.Gosched()
				e, err := call(i)
				c.ms[i] = millis(time.Since(t0))
				if err != nil {
					c.failed[i] = true
					errs.Add(1)
					once.Do(func() { c.first = err.Error() })
					continue
				}
				c.empty[i] = e
			}
		}()
	}
	wg.Wait()
	c.wall = time.Since(start)
	c.errs = int(errs.Load())
	return c
}

// join is c followed by d, as one phase.
func (c calls) join(d calls) calls {
	c.ms = append(c.ms, d.ms...)
	c.failed = append(c.failed, d.failed...)
	c.empty = append(c.empty, d.empty...)
	c.errs += d.errs
	if c.first == "" {
		c.first = d.first
	}
	c.wall += d.wall
	return c
}

// summary summarises the calls whose keep is true (every call when keep is
// nil): N counts them, errors included; QPS is every call over the wall
// time of the phase.
func (c calls) summary(keep []bool) Latency {
	ok := make([]float64, 0, len(c.ms))
	var n, errs, empty int
	for i, d := range c.ms {
		if keep != nil && !keep[i] {
			continue
		}
		n++
		switch {
		case c.failed[i]:
			errs++
		case d > 0:
			ok = append(ok, d)
			if c.empty[i] {
				empty++
			}
		}
	}
	lat := summarise(ok)
	lat.N, lat.Errors, lat.Empty, lat.FirstError = n, errs, empty, c.first
	if c.wall > 0 {
		lat.QPS = float64(len(c.ms)) / c.wall.Seconds()
	}
	return lat
}
