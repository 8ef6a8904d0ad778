package memory

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/engram-app/engram/store"
)

// clockService is a service whose clock the test moves.
func clockService(tb testing.TB, start time.Time) (*Service, *time.Time) {
	tb.Helper()
	now := start
	s, _ := newTestService(tb, Options{Now: func() time.Time { return now }})
	return s, &now
}

func history(tb testing.TB, s *Service, k Key, id string) []store.MemoryVersion {
	tb.Helper()
	vs, err := s.History(context.Background(), k, id)
	if err != nil {
		tb.Fatal(err)
	}
	return vs
}

// noVersionEndsBeforeItStarts checks both clocks of every version.
func noVersionEndsBeforeItStarts(tb testing.TB, vs []store.MemoryVersion) {
	tb.Helper()
	for i, v := range vs {
		if v.ValidFrom != nil && v.ValidTo != nil && !v.ValidTo.After(*v.ValidFrom) {
			tb.Errorf("version %d %q is valid %v..%v: it ends before it starts", v.Version, v.Text, v.ValidFrom, v.ValidTo)
		}
		// An unknown start is, in effect, the end of the version before.
		if i > 0 && v.ValidFrom == nil && v.ValidTo != nil && vs[i-1].ValidTo != nil && v.Event == EventUpdate && v.ValidTo.Before(*vs[i-1].ValidTo) {
			tb.Errorf("version %d %q ends %v, before the version it follows ended (%v)", v.Version, v.Text, v.ValidTo, vs[i-1].ValidTo)
		}
		if v.Superseded != nil && v.Superseded.Before(v.Recorded) {
			tb.Errorf("version %d %q is recorded %v, superseded %v", v.Version, v.Text, v.Recorded, v.Superseded)
		}
	}
}

func TestMoveReadsAsOneTimeline(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s, now := clockService(t, start)
	k := Key{"personal", "maya"}
	ctx := context.Background()
	id := add(t, s, k, "I live in Utrecht.")[0].ID
	*now = start.Add(time.Hour)
	up := add(t, s, k, "I moved to Aarhus in April.")
	if up[0].Event != EventUpdate || up[0].ID != id {
		t.Fatalf("the move gave %+v", up)
	}
	vs := history(t, s, k, id)
	noVersionEndsBeforeItStarts(t, vs)
	april := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	if vs[0].ValidFrom != nil {
		t.Errorf("Utrecht's start was never said, yet it is %v", vs[0].ValidFrom)
	}
	if vs[0].ValidTo == nil || !vs[0].ValidTo.Equal(april) {
		t.Errorf("Utrecht's valid time ends at %v, want April", vs[0].ValidTo)
	}
	if vs[0].Superseded == nil || !vs[0].Superseded.Equal(*now) {
		t.Errorf("Utrecht's record time ends at %v, want now (%v)", vs[0].Superseded, *now)
	}
	if vs[1].ValidFrom == nil || !vs[1].ValidFrom.Equal(april) || vs[1].ValidTo != nil || vs[1].Superseded != nil {
		t.Errorf("Aarhus: %+v, want valid from April, open", vs[1])
	}
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2026, 3, 15, 0, 0, 0, 0, time.UTC), "Lives in Utrecht"},
		{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), "Lives in Utrecht"},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), "Lives in Aarhus (since April 2026)"},
		{time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), "Lives in Aarhus (since April 2026)"},
	} {
		hits, err := s.SearchAsOf(ctx, k, "where did I live", 5, tc.day)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].Text != tc.want {
			t.Errorf("as of %s: %v, want %q first", tc.day.Format("2006-01-02"), hits, tc.want)
		}
	}
}

func TestRetractionClosesValidTime(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s, _ := clockService(t, start)
	k := Key{"personal", "maya"}
	id := add(t, s, k, "I sing in a choir.")[0].ID
	del := add(t, s, k, "I stopped going to the choir last year.")
	if del[0].Event != EventDelete {
		t.Fatalf("got %+v", del)
	}
	vs := history(t, s, k, id)
	noVersionEndsBeforeItStarts(t, vs)
	if vs[0].ValidTo == nil || vs[0].ValidTo.Year() != 2025 {
		t.Errorf("the choir ends %v, want last year", vs[0].ValidTo)
	}
	past, err := s.SearchAsOf(context.Background(), k, "choir", 5, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(past) != 1 {
		t.Errorf("as of 2024 the choir was sung in: %v %v", past, err)
	}
}

func TestUsedToIsClosed(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s, _ := clockService(t, start)
	k := Key{"personal", "maya"}
	ev := add(t, s, k, "I used to live in Rome")
	m, err := s.Get(context.Background(), k, ev[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.ValidTo == nil || m.Attribute == "lives_in" {
		t.Errorf("used to: %+v, want a past fact with its span closed", m)
	}
	hits, _ := s.SearchAsOf(context.Background(), k, "where do I live", 5, start.AddDate(0, 0, 1))
	if len(hits) != 0 {
		t.Errorf("tomorrow the user lives in %v, want nowhere known", hits)
	}
}

func TestUndoRestoresTheExactState(t *testing.T) {
	start := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s, now := clockService(t, start)
	k := Key{"personal", "maya"}
	ctx := context.Background()
	add(t, s, k, "I love tea.")
	id := add(t, s, k, "I've lived in Lyon since 2019")[0].ID
	before, _ := s.Get(ctx, k, id)
	*now = start.Add(time.Hour)
	up := add(t, s, k, "I moved to Oslo in April.")[0]
	*now = start.Add(2 * time.Hour)
	if _, err := s.Undo(ctx, k, EventID(id, 1)); !errors.Is(err, ErrNotLatest) {
		t.Errorf("undoing an older event: %v, want ErrNotLatest", err)
	}
	res, err := s.Undo(ctx, k, up.EventID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Events[0].Event != EventUndo {
		t.Errorf("undo event %+v", res.Events[0])
	}
	after, _ := s.Get(ctx, k, id)
	// Everything but the version counter and the time of the change.
	want := before
	want.Version, want.Updated = after.Version, after.Updated
	if !reflect.DeepEqual(after, want) {
		t.Errorf("after the undo\n%+v\nwant\n%+v", after, want)
	}
	vs := history(t, s, k, id)
	if len(vs) != 3 || vs[2].Event != EventUndo || vs[2].Undoes != up.EventID {
		t.Errorf("history %+v, want the undo as version 3", vs)
	}
	noVersionEndsBeforeItStarts(t, vs)
	if cur := currentTexts(t, s, k); cur != "Lives in Lyon (since 2019) | Loves tea" && cur != "Loves tea | Lives in Lyon (since 2019)" {
		t.Errorf("current %q", cur)
	}
	// The undo can be undone, and an undone ADD leaves nothing.
	if _, err := s.Undo(ctx, k, EventID(id, 3)); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Get(ctx, k, id); m.Text != "Lives in Oslo (since April 2026)" {
		t.Errorf("undoing the undo gave %q", m.Text)
	}
	tea := add(t, s, k, "I love coffee.")[0]
	if _, err := s.Undo(ctx, k, tea.EventID); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Get(ctx, k, tea.ID); m.State != store.MemoryDeleted {
		t.Errorf("an undone ADD is %s", m.State)
	}
	if _, err := s.Undo(ctx, Key{"personal", "sam"}, tea.EventID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another user undid maya's event: %v", err)
	}
}

func TestConfirm(t *testing.T) {
	s, _ := newTestService(t, Options{})
	k := Key{"personal", "maya"}
	ev := add(t, s, k, "I live in Oslo.")[0]
	res, err := s.Confirm(context.Background(), k, ev.ID)
	if err != nil || res.Events[0].Event != EventConfirm {
		t.Fatalf("%+v %v", res, err)
	}
	m, _ := s.Get(context.Background(), k, ev.ID)
	if !m.Confirmed || m.Text != "Lives in Oslo" {
		t.Errorf("%+v", m)
	}
	hits, _ := s.SearchAsOf(context.Background(), k, "where do I live", 5, time.Now())
	if len(hits) != 1 || hits[0].Text != "Lives in Oslo" {
		t.Errorf("as of now after a confirm: %v", hits)
	}
}
