package teamserver_test

import (
	"context"
	"testing"
	"time"

	"github.com/engram-app/engram/syncproto"
)

// TestSearchSynonyms: a workspace's dictionary expands team search over
// what its readers may read; another user's dictionary does not expand
// this user's queries; a term of stop words alone makes no rule.
func TestSearchSynonyms(t *testing.T) {
	_, s := setup(t, 1)
	ctx := context.Background()
	_, alice, _ := s[0].NewSession(ctx, "https://idp.test", "alice", "", "", time.Hour)
	_, bob, _ := s[0].NewSession(ctx, "https://idp.test", "bob", "", "", time.Hour)
	pushNote(t, s[0], alice, "fleet", "a1", "00000000-0000-4000-8000-0000000000c1", "fleet.md", "the automobile fleet is serviced in spring")
	pushNote(t, s[0], alice, "fleet", "a1", "00000000-0000-4000-8000-0000000000c2", "ml.md", "notes on machine learning for routes")
	hits := func(user, q string) int {
		t.Helper()
		res, err := s[0].Search(ctx, user, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Hits)
	}
	if n := hits(alice, "car"); n != 0 {
		t.Fatalf("car found %d before any dictionary", n)
	}
	n, err := s[0].SetDictionary(ctx, alice, syncproto.DictionaryRequest{Workspace: "fleet", Entries: []syncproto.DictEntry{
		{Kind: "synonym", Term: "Car", Expansions: []string{"automobile", "vehicle"}},
		{Kind: "abbreviation", Term: "ML", Expansions: []string{"machine learning"}},
		{Kind: "synonym", Term: "the", Expansions: []string{"a"}},
	}})
	if err != nil || n != 5 {
		t.Fatalf("SetDictionary: %d rules, %v; want 5 (car, automobile, vehicle, ml, machine learning)", n, err)
	}
	if n := hits(alice, "car"); n != 1 {
		t.Fatalf("car found %d with the dictionary, want fleet.md", n)
	}
	if n := hits(alice, "ml routes"); n != 1 {
		t.Fatalf("ml found %d, want ml.md through machine learning", n)
	}
	if n := hits(alice, "vehicle"); n != 1 {
		t.Fatalf("vehicle found %d, want fleet.md through the group", n)
	}
	if n := hits(alice, "car -spring"); n != 0 {
		t.Fatalf("a negated word still applies after the rewrite: %d", n)
	}
	// Bob's dictionary maps boat to automobile: alice's searches do not use it.
	pushNote(t, s[0], bob, "boats", "b1", "00000000-0000-4000-8000-0000000000c3", "boat.md", "a sailing dinghy")
	if _, err := s[0].SetDictionary(ctx, bob, syncproto.DictionaryRequest{Workspace: "boats", Entries: []syncproto.DictEntry{
		{Kind: "synonym", Term: "boat", Expansions: []string{"automobile"}}}}); err != nil {
		t.Fatal(err)
	}
	if n := hits(alice, "boat"); n != 0 {
		t.Fatalf("bob's dictionary expanded alice's search: %d hits", n)
	}
	if n := hits(bob, "car"); n != 0 {
		t.Fatalf("bob found alice's note through her dictionary: %d", n)
	}
	// Replacing the dictionary drops the old rules.
	if _, err := s[0].SetDictionary(ctx, alice, syncproto.DictionaryRequest{Workspace: "fleet"}); err != nil {
		t.Fatal(err)
	}
	if n := hits(alice, "car"); n != 0 {
		t.Fatalf("car found %d after the dictionary was emptied", n)
	}
	if _, err := s[0].SetDictionary(ctx, alice, syncproto.DictionaryRequest{Workspace: "fleet", Entries: []syncproto.DictEntry{{Term: ""}}}); err == nil {
		t.Fatal("an empty term was accepted")
	}
}
