package memory

import (
	"context"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)

func TestRulesExtract(t *testing.T) {
	r := NewRules()
	tests := []struct {
		name, text               string
		kind, subject, attribute string
		value                    string
		retract                  bool
		validFrom                string // 2006-01-02, "" for unknown
		textHas                  string
	}{
		{"lives in", "I live in Lyon.", KindPlace, "user", "lives_in", "Lyon", false, "", "Lives in Lyon"},
		{"moved last year", "I moved to Oslo last year.", KindPlace, "user", "lives_in", "Oslo", false, "2025-01-01", "Oslo"},
		{"since year", "I've lived in Berlin since 2019", KindPlace, "user", "lives_in", "Berlin", false, "2019-01-01", "since 2019"},
		{"years ago", "I moved to Porto three years ago", KindPlace, "user", "lives_in", "Porto", false, "2023-01-01", "Porto"},
		{"lower-case place", "i live in new york", KindPlace, "user", "lives_in", "New York", false, "", "New York"},
		{"retraction any more", "I don't live in Paris any more", KindPlace, "user", "lives_in", "Paris", true, "", ""},
		{"retraction no longer", "I no longer work at Acme", KindWork, "user", "works_at", "Acme", true, "", ""},
		{"forget that", "Forget that I love bouldering", KindPreference, "user", "pref:boulder", "loves", true, "", ""},
		{"preference", "I love bouldering.", KindPreference, "user", "pref:boulder", "loves", false, "", "Loves bouldering"},
		{"dislike", "I don't like olives", KindPreference, "user", "pref:oliv", "dislikes", false, "", "Dislikes olives"},
		{"favourite", "My favourite food is ramen", KindPreference, "user", "favourite:food", "ramen", false, "", "ramen"},
		{"sibling with place", "My brother Theo lives in Leeds.", KindRelationship, "brother:theo", "lives_in", "Leeds", false, "", "Brother Theo lives in Leeds"},
		{"named relation", "My sister Anna", KindRelationship, "user", "relation:sister:anna", "Anna", false, "", "sister named Anna"},
		{"have a relation", "I have a sister called Anna.", KindRelationship, "user", "relation:sister:anna", "Anna", false, "", "Anna"},
		{"is my relation", "Anna is my sister", KindRelationship, "user", "relation:sister:anna", "Anna", false, "", "Anna"},
		{"unnamed relation", "My mum is a teacher", KindRelationship, "mother", "is", "teacher", false, "", "teacher"},
		{"feeling with trigger", "I feel anxious when my manager schedules last-minute meetings", KindFeeling, "user", "feels:anxiety:manag-schedul-last-minut-meet", "anxiety", false, "", "Feels anxious"},
		{"makes me", "Crowds make me nervous", KindFeeling, "user", "feels:nervousness:crowd", "nervousness", false, "", "nervous"},
		{"about", "I get stressed about deadlines", KindFeeling, "user", "feels:stress:deadlin", "stress", false, "", "deadlines"},
		{"plan with month", "I'm going to Japan in March", KindPlan, "user", "plan:go-japan", "2027-03-01", false, "", "Japan"},
		{"plan leading time", "Next week I'm flying to Berlin", KindPlan, "user", "plan:fly-berlin", "2026-05-17", false, "", "Berlin"},
		{"plan to", "I plan to run a marathon in October.", KindPlan, "user", "plan:run-marathon", "2026-10-01", false, "", "marathon"},
		{"work since", "I work at Acme since 2021", KindWork, "user", "works_at", "Acme", false, "2021-01-01", "Acme"},
		{"generic first person", "I usually swim on Sundays", KindFact, "user", "fact:usual-swim-sundai", "I usually swim on Sundays", false, "", "Usually swims on Sundays"},
		{"my x is y", "My car is a Volvo", KindFact, "user", "car", "a Volvo", false, "", "Volvo"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := r.Extract(context.Background(), tc.text, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != 1 {
				t.Fatalf("got %d candidates, want 1: %+v", len(cs), cs)
			}
			c := cs[0]
			if c.Kind != tc.kind || c.Subject != tc.subject || c.Attribute != tc.attribute || c.Value != tc.value || c.Retract != tc.retract {
				t.Errorf("got %s %s/%s=%q retract=%v, want %s %s/%s=%q retract=%v", c.Kind, c.Subject, c.Attribute, c.Value, c.Retract, tc.kind, tc.subject, tc.attribute, tc.value, tc.retract)
			}
			gotFrom := ""
			if !c.ValidFrom.IsZero() {
				gotFrom = c.ValidFrom.Format("2006-01-02")
			}
			if gotFrom != tc.validFrom {
				t.Errorf("valid from %q, want %q", gotFrom, tc.validFrom)
			}
			if !strings.Contains(c.Text, tc.textHas) {
				t.Errorf("text %q lacks %q", c.Text, tc.textHas)
			}
		})
	}
}

func TestRulesExtractNothing(t *testing.T) {
	r := NewRules()
	for _, s := range []string{"", "Where do I live?", "The weather is nice today.", "ok", "What is my sister called?"} {
		cs, _ := r.Extract(context.Background(), s, testNow)
		if len(cs) != 0 {
			t.Errorf("%q gave %+v, want nothing", s, cs)
		}
	}
}

func TestRulesExtractSeveral(t *testing.T) {
	cs, _ := NewRules().Extract(context.Background(), "I live in Paris and I love cheese. My sister Anna works at Acme!", testNow)
	var got []string
	for _, c := range cs {
		got = append(got, c.Subject+"/"+c.Attribute)
	}
	want := "user/lives_in user/pref:chees sister:anna/works_at"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{"I moved to Oslo last year.", "My brother Theo lives in Leeds.", "Forget that I love bouldering",
		"I feel anxious when my manager schedules last-minute meetings", "Next week I'm flying to Berlin", "I don't live in Paris any more"} {
		f.Add(s)
	}
	r := NewRules()
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := r.Extract(context.Background(), s, testNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Kind == "" {
				t.Fatalf("candidate without a kind from %q: %+v", s, c)
			}
			if !c.Retract && (c.Subject == "" || c.Attribute == "") {
				t.Fatalf("candidate without subject or attribute from %q: %+v", s, c)
			}
			if strings.ContainsRune(c.Subject+c.Attribute, 0) {
				t.Fatalf("NUL in a key from %q", s)
			}
		}
	})
}
