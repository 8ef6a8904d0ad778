package memory

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/store"
)

// newTestService opens a real store in a temporary directory with one
// workspace, "personal".
func newTestService(tb testing.TB, opts Options) (*Service, *store.Store) {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "engram.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if err := st.CreateWorkspace("personal", true); err != nil {
		tb.Fatal(err)
	}
	s, err := New(st, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return s, st
}

func add(tb testing.TB, s *Service, k Key, text string) []Event {
	tb.Helper()
	res, err := s.Add(context.Background(), k, text, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return res.Events
}

func events(evs []Event) string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Event)
	}
	return strings.Join(out, " ")
}

func currentTexts(tb testing.TB, s *Service, k Key) string {
	tb.Helper()
	ms, err := s.List(context.Background(), k, false)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return strings.Join(out, " | ")
}

func TestDecisions(t *testing.T) {
	maya := Key{"personal", "maya"}
	tests := []struct {
		name   string
		steps  []string
		last   string // events of the last step
		has    []string
		hasNot []string
	}{
		{"same fact twice is NONE", []string{"I love bouldering.", "I love bouldering."}, "NONE", []string{"Loves bouldering"}, nil},
		{"same fact, other words, is NONE", []string{"I live in Lyon", "I'm living in lyon."}, "NONE", []string{"Lives in Lyon"}, nil},
		{"move updates the place", []string{"I live in Lyon.", "I love bouldering.", "My brother Theo lives in Leeds.", "I moved to Oslo last year."}, "UPDATE",
			[]string{"Oslo", "bouldering", "Theo lives in Leeds"}, []string{"Lyon"}},
		{"another subject is untouched", []string{"I live in Lyon.", "My sister Anna lives in York."}, "ADD", []string{"Lives in Lyon", "Anna lives in York"}, nil},
		{"retraction deletes", []string{"I live in Paris.", "I love tea.", "I don't live in Paris any more"}, "DELETE", []string{"tea"}, []string{"Paris"}},
		{"retraction of another value is NONE", []string{"I live in Oslo.", "I don't live in Paris any more"}, "NONE", []string{"Oslo"}, nil},
		{"forget that", []string{"I love bouldering.", "I live in Oslo.", "Forget that I love bouldering"}, "DELETE", []string{"Oslo"}, []string{"bouldering"}},
		{"forget free text", []string{"I usually swim on Sundays", "forget about swimming on sundays"}, "DELETE", nil, []string{"swim"}},
		{"preference flips", []string{"I love olives", "I hate olives"}, "UPDATE", []string{"Hates olives"}, []string{"Loves olives"}},
		{"re-add after delete", []string{"I live in Paris.", "I don't live in Paris any more", "I live in Paris"}, "ADD", []string{"Paris"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestService(t, Options{})
			var evs []Event
			for _, st := range tc.steps {
				evs = add(t, s, maya, st)
			}
			if got := events(evs); got != tc.last {
				t.Errorf("last step gave %q, want %q", got, tc.last)
			}
			cur := currentTexts(t, s, maya)
			for _, h := range tc.has {
				if !strings.Contains(cur, h) {
					t.Errorf("current memories %q lack %q", cur, h)
				}
			}
			for _, h := range tc.hasNot {
				if strings.Contains(cur, h) {
					t.Errorf("current memories %q still hold %q", cur, h)
				}
			}
		})
	}
}

func TestHistoryKeepsEveryVersion(t *testing.T) {
	s, _ := newTestService(t, Options{})
	k := Key{"personal", "maya"}
	ctx := context.Background()
	id := add(t, s, k, "I live in Lyon.")[0].ID
	up := add(t, s, k, "I moved to Oslo last year.")
	if up[0].ID != id || up[0].Previous != "Lives in Lyon" {
		t.Fatalf("update event %+v, want the same ID with the old text as previous", up[0])
	}
	del := add(t, s, k, "I don't live in Oslo any more")
	if del[0].Event != EventDelete {
		t.Fatalf("got %+v", del)
	}
	vs, err := s.History(ctx, k, id)
	if err != nil {
		t.Fatal(err)
	}
	var evs []string
	for _, v := range vs {
		evs = append(evs, v.Event)
		if v.Version < 3 && v.ValidTo == nil {
			t.Errorf("version %d (%s) was not closed", v.Version, v.Text)
		}
	}
	if strings.Join(evs, " ") != "ADD UPDATE DELETE" {
		t.Fatalf("history %v", evs)
	}
	if vs[1].ValidFrom.Year() != time.Now().Year()-1 {
		t.Errorf("the move dates from %v, want last year (not today)", vs[1].ValidFrom)
	}
	if !strings.Contains(vs[0].Text, "Lyon") || !strings.Contains(vs[1].Text, "Oslo") {
		t.Errorf("versions %+v", vs)
	}
	if _, err := s.History(ctx, Key{"personal", "sam"}, id); err == nil {
		t.Error("another user read maya's history")
	}
}

func TestSearchAnswersQuestions(t *testing.T) {
	s, _ := newTestService(t, Options{})
	k := Key{"personal", "maya"}
	for _, st := range []string{"My brother Theo lives in Leeds.", "I live in Lyon.", "I love bouldering.", "I moved to Oslo last year.",
		"My sister Anna is a doctor.", "I'm going to Japan in March", "I feel anxious when my manager schedules last-minute meetings",
		"I work at Acme", "My favourite food is ramen"} {
		add(t, s, k, st)
	}
	tests := []struct{ q, want string }{
		{"where do I live", "Oslo"},
		{"who is my brother", "Theo"},
		{"what does my sister do", "Anna"},
		{"what do I like doing", "bouldering"},
		{"when is my trip", "Japan"},
		{"what are my plans", "Japan"},
		{"what makes me anxious", "manager"},
		{"where do I work", "Acme"},
		{"favourite food", "ramen"},
		{"bouldering", "bouldering"},
	}
	for _, tc := range tests {
		hits, err := s.Search(context.Background(), k, tc.q, 3, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || !strings.Contains(hits[0].Text, tc.want) {
			var got []string
			for _, h := range hits {
				got = append(got, h.Text)
			}
			t.Errorf("%q: top hits %q, want %q first", tc.q, got, tc.want)
		}
	}
}

func TestProfileCachedAndShared(t *testing.T) {
	s, _ := newTestService(t, Options{})
	k := Key{"personal", "maya"}
	ctx := context.Background()
	add(t, s, k, "I love bouldering.")
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := s.Profile(ctx, k)
			if err != nil || !strings.Contains(p.Summary, "bouldering") {
				t.Errorf("profile %+v, %v", p, err)
			}
		}()
	}
	wg.Wait()
	if n := s.ProfileBuilds(); n != 1 {
		t.Errorf("%d builds for 16 concurrent requests, want 1", n)
	}
	add(t, s, k, "I live in Oslo.")
	p, _ := s.Profile(ctx, k)
	if !strings.Contains(p.Summary, "Oslo") || s.ProfileBuilds() != 2 {
		t.Errorf("profile not rebuilt after a write: %q (%d builds)", p.Summary, s.ProfileBuilds())
	}
	other, _ := s.Profile(ctx, Key{"personal", "sam"})
	if other.Summary != "" {
		t.Errorf("sam's profile shows %q", other.Summary)
	}
}

// TestIsolation is the property test: many users act at once, with random
// statements, searches, lists, deletes, edits and profiles, on a service
// whose caches are small enough to evict all the time; no operation ever
// returns or changes another user's memory.
func TestIsolation(t *testing.T) {
	s, st := newTestService(t, Options{MaxIndexes: 3, MaxProfiles: 2})
	if err := st.CreateWorkspace("work", false); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const users = 12
	places := []string{"Oslo", "Lyon", "Cork", "Porto", "Kyoto", "Quito"}
	hobbies := []string{"bouldering", "chess", "sailing", "knitting", "jazz", "running"}
	var wg sync.WaitGroup
	for u := range users {
		wg.Add(1)
		go func(u int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(u)))
			ws := []string{"personal", "work"}[u%2]
			k := Key{ws, fmt.Sprintf("user%02d", u)}
			mark := fmt.Sprintf("zq%02d", u) // a word only this user ever says
			owns := func(m store.Memory, what string) {
				if m.User != k.User || (m.Text != "" && strings.Contains(m.Text, "zq") && !strings.Contains(m.Text, mark)) {
					t.Errorf("%s: %s returned %s's memory %q", k.User, what, m.User, m.Text)
				}
			}
			for range 60 {
				switch rng.Intn(7) {
				case 0, 1:
					txt := fmt.Sprintf("I live in %s. I love %s %s.", places[rng.Intn(len(places))], hobbies[rng.Intn(len(hobbies))], mark)
					res, err := s.Add(ctx, k, txt, "prop")
					if err != nil {
						t.Error(err)
						return
					}
					for _, m := range res.Changed {
						owns(m, "add")
					}
				case 2:
					hits, err := s.Search(ctx, k, "zq where do I live "+hobbies[rng.Intn(len(hobbies))], 20, rng.Intn(2) == 0)
					if err != nil {
						t.Error(err)
					}
					for _, h := range hits {
						owns(h.Memory, "search")
					}
				case 3:
					ms, _ := s.List(ctx, k, true)
					for _, m := range ms {
						owns(m, "list")
					}
				case 4:
					// Try to delete or edit a memory of another user by ID.
					other := Key{[]string{"personal", "work"}[rng.Intn(2)], fmt.Sprintf("user%02d", rng.Intn(users))}
					if other == k {
						continue
					}
					oms, _ := st.Memories(other.Workspace, other.User)
					for _, m := range oms {
						if _, err := s.Delete(ctx, k, m.ID); err == nil {
							t.Errorf("%s deleted %s's memory %s", k.User, other.User, m.ID)
						}
						if _, err := s.Edit(ctx, k, m.ID, "I live in Nowhere"); err == nil {
							t.Errorf("%s edited %s's memory %s", k.User, other.User, m.ID)
						}
						if _, err := s.Get(ctx, k, m.ID); err == nil {
							t.Errorf("%s read %s's memory %s", k.User, other.User, m.ID)
						}
						break
					}
				case 5:
					p, err := s.Profile(ctx, k)
					if err != nil {
						t.Error(err)
					} else if strings.Contains(p.Summary, "zq") && strings.Count(p.Summary, "zq") != strings.Count(p.Summary, mark) {
						t.Errorf("%s's profile holds another user's memory: %q", k.User, p.Summary)
					}
				case 6:
					ms, _ := s.List(ctx, k, false)
					if len(ms) > 0 {
						m := ms[rng.Intn(len(ms))]
						if _, err := s.Delete(ctx, k, m.ID); err != nil {
							t.Error(err)
						}
					}
				}
			}
			// What the store holds for this user is what the cache says.
			stored, _ := st.Memories(k.Workspace, k.User)
			listed, _ := s.List(ctx, k, true)
			if len(stored) != len(listed) {
				t.Errorf("%s: store has %d memories, the index %d", k.User, len(stored), len(listed))
			}
			for _, m := range stored {
				owns(m, "store")
			}
		}(u)
	}
	wg.Wait()
}

func TestBadUser(t *testing.T) {
	s, _ := newTestService(t, Options{})
	for _, u := range []string{"", "a\x00b", "../x", strings.Repeat("a", 200)} {
		if _, err := s.Add(context.Background(), Key{"personal", u}, "I live in Oslo", ""); err == nil {
			t.Errorf("user %q accepted", u)
		}
	}
}

// seed fills the store with n memories for each of users users.
func seed(b *testing.B, s *Service, users, n int) []Key {
	b.Helper()
	places := []string{"Oslo", "Lyon", "Cork", "Porto", "Kyoto", "Quito", "Leeds", "York"}
	var keys []Key
	ctx := context.Background()
	for u := range users {
		k := Key{"personal", fmt.Sprintf("user%02d", u)}
		keys = append(keys, k)
		var msgs []Message
		for i := range n {
			var txt string
			switch i % 5 {
			case 0:
				txt = fmt.Sprintf("I love hobby%d", i)
			case 1:
				txt = fmt.Sprintf("My friend Person%d lives in %s", i, places[i%len(places)])
			case 2:
				txt = fmt.Sprintf("I feel anxious when meeting%d runs late", i)
			case 3:
				txt = fmt.Sprintf("I plan to visit city%d next month", i)
			default:
				txt = fmt.Sprintf("My favourite thing%d is colour%d", i, i)
			}
			msgs = append(msgs, Message{Role: "user", Content: txt})
		}
		if _, err := s.AddConversation(ctx, k, msgs, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	return keys
}

// clients runs op from 16 concurrent clients b.N times in all and reports
// the p50 and p99 latency.
func clients(b *testing.B, op func(i int)) {
	const n = 16
	lat := make([]time.Duration, b.N)
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	b.ResetTimer()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				j := i
				i++
				next.Unlock()
				if j >= b.N {
					return
				}
				t0 := time.Now()
				op(j)
				lat[j] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	sort.Slice(lat, func(a, c int) bool { return lat[a] < lat[c] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkSearch: 10,000 memories across 10 users, 16 concurrent clients.
func BenchmarkSearch(b *testing.B) {
	s, _ := newTestService(b, Options{})
	keys := seed(b, s, 10, 1000)
	qs := []string{"where do I live", "who is my friend", "what do I love", "what makes me anxious", "plans next month"}
	clients(b, func(i int) {
		if _, err := s.Search(context.Background(), keys[i%len(keys)], qs[i%len(qs)], 10, false); err != nil {
			b.Error(err)
		}
	})
}

// BenchmarkAdd: one statement at a time to 10 users holding 1,000 memories
// each, 16 concurrent clients.
func BenchmarkAdd(b *testing.B) {
	s, _ := newTestService(b, Options{})
	keys := seed(b, s, 10, 1000)
	clients(b, func(i int) {
		if _, err := s.Add(context.Background(), keys[i%len(keys)], fmt.Sprintf("I love newhobby%d", i), "bench"); err != nil {
			b.Error(err)
		}
	})
}
