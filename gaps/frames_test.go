package gaps

import (
	"strings"
	"testing"
	"time"
)

var testRef = time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC) // a Tuesday

func sentenceFactsOf(t testing.TB, s string) sentenceFacts {
	t.Helper()
	a, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	se := newSentence(s)
	f, _ := a.analyseSentence(&se, 0, testRef, nil)
	return f
}

func TestFrames(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // "kind who when" of each frame, in order; who/when only when set
	}{
		{"decision", "We decided to switch the caterer to Acme Corp.", []string{"decision"}},
		{"decision colon", "Decision: go with vendor B for the hosting.", []string{"decision"}},
		{"decision agreed", "It was agreed that the freeze starts in May.", []string{"decision"}},
		{"question about a decision is no decision", "Have we decided on the venue yet?", []string{"question"}},
		{"hypothetical is no decision", "If we decided to move, who would pay?", []string{"question"}},
		{"owner by name", "Priya will update the plan.", []string{"ownership Priya"}},
		{"owner to-infinitive", "Bob to follow up with legal.", []string{"ownership Bob"}},
		{"owner assigned", "Assigning the audit to Dana Lee.", []string{"ownership Dana Lee"}},
		{"owner label", "Owner: Sam", []string{"ownership Sam"}},
		{"we will is no owner", "We will look at it.", []string{"commitment"}},
		{"will be is no owner", "Priya will be out on Friday.", nil},
		{"request with date", "Jeff, can you send the signed contract by March 3?", []string{"deadline 2024-03-03", "question Jeff"}},
		{"commitment with weekday", "I will send the report by Friday.", []string{"commitment", "ownership I", "deadline I 2024-02-23"}},
		{"deadline label", "The deadline is March 12 for the vendor report.", []string{"deadline 2024-03-12"}},
		{"due statement is no deadline", "There is a payment due on 11/15/01.", nil},
		{"by a place is no deadline", "Please drive by the properties tomorrow.", nil},
		{"ordinal day", "Please get me the draft by the 28th.", []string{"deadline 2024-02-28"}},
		{"end of week", "Could you finish the slides by end of week?", []string{"deadline 2024-02-23", "question"}},
		{"social question", "How are you?", nil},
		{"lost cent sign", "Save with Sprint 7? a minute.", nil},
		{"lost cent sign at the end", "You will be saving money by signing up with Sprint 7?", nil},
		{"question ending in a number", "Can we meet on March 3?", []string{"question"}},
		{"quoted question", `See why I call it "Why the heck not?"`, nil},
		{"headline", "Where Do We Go From Here?", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sentenceFactsOf(t, tc.text)
			var got []string
			for _, fr := range f.frames {
				s := string(fr.Kind)
				if fr.Who != "" {
					s += " " + fr.Who
				}
				if fr.When != "" {
					s += " " + fr.When
				}
				got = append(got, s)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%q: frames %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestClaimsAndProcesses(t *testing.T) {
	for _, tc := range []struct {
		text, want string // "subject|attr=value" or "process name[+describe]"
	}{
		{"The Falcon budget is $2.4M for this year.", "falcon budget|money=USD 2400000"},
		{"The budget for Project Falcon is $3.1 million.", "falcon budget|money=USD 3100000"},
		{"Falcon's budget is 2,400,000 dollars.", "falcon budget|money=USD 2400000"},
		{"Falcon budget: $2.4M", "falcon budget|money=USD 2400000"},
		{"The Heron launch date is March 14.", "heron launch date|date=2024-03-14"},
		{"The Heron launch date is 14 March.", "heron launch date|date=2024-03-14"},
		{"The Osprey headcount is 40 people.", "osprey headcount|quantity:people=40 people"},
		{"The Osprey owner is Dan Brown.", "osprey|owner=dan brown"},
		{"The budget is $5M.", ""},                  // nothing named: no claim
		{"Falcon is $2M over budget, not $3M.", ""}, // no attribute noun
		{"The Falcon budget is not $2M.", ""},       // negated
		{"Please follow the usual sign-off before sending it.", "sign-off"},
		{"Per the onboarding checklist, new hires get a laptop.", "onboarding checklist"},
		{"We should follow the Zorvan release procedure.", "zorvan release"},
		{"The steps of the expense approval process are as follows:", "expense approval+describe"},
		{"Do it the usual way.", ""},
		{"Per the attached memo, prices rise.", ""},
	} {
		f := sentenceFactsOf(t, tc.text)
		var got []string
		for _, c := range f.claims {
			got = append(got, c.Subject+"|"+c.Attr+"="+c.Value)
		}
		for _, p := range f.processes {
			s := p.Name
			if p.Describe {
				s += "+describe"
			}
			got = append(got, s)
		}
		if strings.Join(got, ";") != tc.want {
			t.Errorf("%q: got %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestOwnText(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"outlook", "Yes, Friday works.\n\n-----Original Message-----\nFrom: A\nSent: Monday\n\nCan you do Friday?", "Yes, Friday works."},
		{"gmail", "Sounds good.\n\nOn Mon, Jan 2, 2024, Ann <a@x> wrote:\n> Shall we go?", "Sounds good."},
		{"quoted lines", "> old question?\nNew text.", "New text."},
		{"forward", "FYI\n---------------------- Forwarded by Ann on 01/02/2001\nWhat now?", "FYI"},
		{"signature", "See you.\n-- \nAnn, who asks: why?", "See you."},
	} {
		if got := strings.TrimSpace(ownText(tc.body)); got != tc.want {
			t.Errorf("%s: ownText = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPeople(t *testing.T) {
	for _, tc := range []struct{ in, name, addr string }{
		{"Jeff Skilling <jeff.skilling@enron.com>", "Jeff Skilling", "jeff.skilling@enron.com"},
		{"jeff.skilling@enron.com", "Jeff Skilling", "jeff.skilling@enron.com"},
		{`"Cook, Kathleen A." <a..cook@enron.com>`, "Kathleen A. Cook", "a..cook@enron.com"},
	} {
		if p := parsePerson(tc.in); p.Name != tc.name || p.Address != tc.addr {
			t.Errorf("parsePerson(%q) = %+v, want %s <%s>", tc.in, p, tc.name, tc.addr)
		}
	}
	r := &roster{}
	r.add(parsePerson("Jeff Skilling <jeff.skilling@enron.com>"))
	r.add(parsePerson("Ken Lay <kenneth.lay@enron.com>"))
	if p, ok := r.resolve("Jeff"); !ok || p.Address != "jeff.skilling@enron.com" {
		t.Errorf(`"Jeff" resolved to %+v, %v`, p, ok)
	}
	r.add(parsePerson("Jeff Dasovich <jeff.dasovich@enron.com>"))
	if p, ok := r.resolve("Jeff"); ok {
		t.Errorf(`"Jeff" with two Jeffs in the thread resolved to %+v`, p)
	}
}

func FuzzSentences(f *testing.F) {
	for _, s := range []string{"We decided. Jeff, can you send it by March 3?", "$2.4M: the 15th", "a\n\n- b\n1. c", "é€£ 3/15/2024?"} {
		f.Add(s)
	}
	a, err := New(nil, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var hits []hit
		for i, se := range splitSentences(ownText(body)) {
			var sf sentenceFacts
			sf, hits = a.analyseSentence(&se, i, testRef, hits)
			for _, fr := range sf.frames {
				if !strings.Contains(se.text, strings.TrimSpace(fr.Text)) {
					t.Fatalf("frame passage %q not in its sentence %q", fr.Text, se.text)
				}
			}
		}
	})
}
