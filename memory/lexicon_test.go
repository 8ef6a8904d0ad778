package memory

import (
	"context"
	"strings"
	"testing"
)

// TestSearchByMeaning asks questions whose words are not the memories'
// words: stems, synonyms, hypernyms and question words must find them.
func TestSearchByMeaning(t *testing.T) {
	s, _ := newTestService(t, Options{})
	k := Key{"personal", "maya"}
	for _, st := range []string{"My sister Anna lives in York.", "My brother Theo is a chef.", "My manager Priya works at Acme.",
		"I'm allergic to peanuts.", "I live in Utrecht.", "I grew up in Inverness.", "I love bouldering.", "I have a dog named Rex.",
		"My colleague Sam is from Leeds.", "I have a dentist appointment next Tuesday.", "I'm vegan."} {
		add(t, s, k, st)
	}
	tests := []struct {
		q     string
		want  []string // these first, in any order
		notIn []string // and these not at all
	}{
		{"allergy", []string{"allergic to peanuts"}, nil},
		{"do I have any allergies", []string{"allergic to peanuts"}, nil},
		{"where do I live", []string{"Lives in Utrecht"}, nil},
		{"where did I grow up", []string{"Grew up in Inverness"}, nil},
		{"my siblings", []string{"Sister Anna", "Brother Theo"}, []string{"Manager Priya", "Daughter Mia"}},
		{"do I have pets", []string{"dog named Rex"}, nil},
		{"what is my diet", []string{"Is vegan"}, nil},
		{"who are my coworkers", []string{"Manager Priya", "Colleague Sam"}, []string{"Sister Anna"}},
		{"hobbies", []string{"bouldering"}, nil},
		{"doctor", []string{"dentist"}, nil},
	}
	for _, st := range []string{"My daughter Mia is 7.", "I'm from Ireland.", "I'm going to Paris next month."} {
		add(t, s, k, st)
	}
	tests = append(tests, []struct {
		q     string
		want  []string
		notIn []string
	}{
		{"do I have kids", []string{"Daughter Mia"}, []string{"dog named Rex", "Manager Priya"}},
		{"where am I from", []string{"Is from Ireland"}, nil},
		{"where am I travelling", []string{"Paris"}, nil},
		{"who is in my family", []string{"Sister Anna", "Brother Theo", "Daughter Mia"}, []string{"Manager Priya", "Colleague Sam"}},
	}...)
	for _, tc := range tests {
		hits, err := s.Search(context.Background(), k, tc.q, 10, false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, h.Text)
		}
		for i, w := range tc.want {
			if i >= len(got) || !containsAny(got[:len(tc.want)], w) {
				t.Errorf("%q: hits %q, want %q among the first %d", tc.q, got, w, len(tc.want))
			}
		}
		for _, n := range tc.notIn {
			if containsAny(got, n) {
				t.Errorf("%q: hits %q hold %q", tc.q, got, n)
			}
		}
	}
}

func containsAny(texts []string, sub string) bool {
	for _, t := range texts {
		if strings.Contains(t, sub) {
			return true
		}
	}
	return false
}
