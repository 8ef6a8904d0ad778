package gaps_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/gaps"
)

// msg is one message of a hand-written case: hours after the case's start.
type msg struct {
	from, to, body string
	hours          int
	note           string // a note's title: the message is a Markdown note
	forward        bool   // the subject starts "FW:"
}

var people = map[string]string{
	"ann": "Ann Lee <ann.lee@corp.test>", "bob": "Bob Ray <bob.ray@corp.test>", "cat": "Cat Poe <cat.poe@corp.test>",
	"dan": "Dan Oz <dan.oz@corp.test>",
}

// thread builds a case's documents: one mail thread by subject, notes apart.
func thread(n int, subject string, ms []msg) []document.Document {
	start := time.Date(2024, 5, 6, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 3*n)
	var out []document.Document
	var parent *document.Document
	for i, m := range ms {
		d := document.Document{Date: start.Add(time.Duration(m.hours) * time.Hour), Body: m.body}
		if m.note != "" {
			d.Source, d.Title, d.Path = document.SourceMarkdown, m.note, fmt.Sprintf("/notes/%d-%d.md", n, i)
			d.ID = document.IDFor(d.Path)
			out = append(out, d)
			continue
		}
		d.Source, d.From, d.To = document.SourceEmail, people[m.from], []string{people[m.to]}
		d.MessageID = fmt.Sprintf("<case%d.%d@corp.test>", n, i)
		d.Title = subject
		if m.forward {
			d.Title = "FW: " + subject
		}
		if parent != nil {
			d.Title, d.InReplyTo = "Re: "+subject, parent.MessageID
		}
		d.ID = document.MessageDocID(d.MessageID)
		out = append(out, d)
		parent = &out[len(out)-1]
	}
	return out
}

// TestPhrasings checks hand-written threads, in words the generator does
// not use, for the gap each should or should not raise.
func TestPhrasings(t *testing.T) {
	cases := []struct {
		name    string
		kind    gaps.Kind
		passage string // "" means no gap of kind may cite the case
		msgs    []msg
	}{
		{"question ignored", gaps.UnansweredQuestion, "Does the Q3 forecast include the Ohio plant?", []msg{
			{from: "ann", to: "bob", body: "Bob,\n\nDoes the Q3 forecast include the Ohio plant?\n\nAnn"}}},
		{"question answered by the addressee", gaps.UnansweredQuestion, "", []msg{
			{from: "ann", to: "bob", body: "Does the Q3 forecast include the Ohio plant?"},
			{from: "bob", to: "ann", hours: 2, body: "Yes, it does, from July on."}}},
		{"question put off, never answered", gaps.UnansweredQuestion, "Which region hosts the Lyra backups?", []msg{
			{from: "ann", to: "bob", body: "Which region hosts the Lyra backups?"},
			{from: "bob", to: "ann", hours: 2, body: "Good question, let me check and get back to you."}}},
		{"question answered by someone else on its subject", gaps.UnansweredQuestion, "", []msg{
			{from: "ann", to: "bob", body: "Who signed off on the Ohio plant forecast?"},
			{from: "cat", to: "ann", hours: 2, body: "The Ohio plant forecast was signed off by the CFO on Monday."}}},
		{"decision with nobody on it", gaps.DecisionWithoutOwner, "we've agreed to retire the legacy billing API", []msg{
			{from: "ann", to: "bob", body: "After Tuesday's call we've agreed to retire the legacy billing API because nobody uses it."}}},
		{"decision with an owner in the reply", gaps.DecisionWithoutOwner, "", []msg{
			{from: "ann", to: "bob", body: "Decision: we retire the legacy billing API next quarter, since nobody uses it."},
			{from: "bob", to: "ann", hours: 1, body: "Great. I'll handle the customer notice."}}},
		{"decision without a reason", gaps.DecisionWithoutRationale, "it was decided to move the offsite to Lisbon", []msg{
			{from: "ann", to: "bob", body: "FYI it was decided to move the offsite to Lisbon. Bob will book the hotel."}}},
		{"decision with a reason", gaps.DecisionWithoutRationale, "", []msg{
			{from: "ann", to: "bob", body: "We're going with Lisbon for the offsite, given the flight prices. Bob will book the hotel."}}},
		{"promise forgotten", gaps.DeadlineWithoutFollowup, "I'll have the pricing memo ready by June 3", []msg{
			{from: "bob", to: "ann", body: "I'll have the pricing memo ready by June 3."}}},
		{"promise kept", gaps.DeadlineWithoutFollowup, "", []msg{
			{from: "bob", to: "ann", body: "I'll have the pricing memo ready by June 3."},
			{from: "bob", to: "ann", hours: 30, body: "Pricing memo attached."}}},
		{"process nobody wrote down", gaps.UndocumentedProcess, "the standard vendor onboarding", []msg{
			{from: "cat", to: "dan", body: "New supplier: please put them through the standard vendor onboarding."}}},
		{"process with a page", gaps.UndocumentedProcess, "", []msg{
			{from: "cat", to: "dan", body: "Please run the quarterly access review as usual, per the access review checklist."},
			{note: "Access review checklist", body: "1. Export the accounts.\n2. Ask each manager to confirm.\n3. Remove the rest."}}},
		{"values that disagree", gaps.Contradiction, "the Atlas contract value is", []msg{
			{from: "ann", to: "bob", body: "For the record, the Atlas contract value is $1.2 million."},
			{from: "dan", to: "cat", hours: 48, body: "Reminder that the Atlas contract value is $950,000."}}},
		{"values that agree", gaps.Contradiction, "", []msg{
			{from: "ann", to: "bob", body: "The Borealis renewal date is July 1."},
			{from: "dan", to: "cat", hours: 48, body: "Per legal, the Borealis renewal date is 1 July."}}},
		{"pasted article in a forward", gaps.UnansweredQuestion, "", []msg{
			{from: "ann", to: "bob", forward: true, body: "Worth a read.\n\nThe Daily Ledger, page 6\n\nHas the market priced in the merger? Analysts disagree."}}},
		{"request with a weekday, followed up", gaps.DeadlineWithoutFollowup, "", []msg{
			{from: "ann", to: "bob", body: "Can you review the Kepler slides by Friday?"},
			{from: "bob", to: "ann", hours: 20, body: "Done, comments are in the deck."}}},
		{"request with a weekday, forgotten", gaps.DeadlineWithoutFollowup, "Please send me the audit log export by Thursday", []msg{
			{from: "ann", to: "bob", body: "Please send me the audit log export by Thursday."}}},
		{"owners that disagree", gaps.Contradiction, "owner is", []msg{
			{from: "ann", to: "bob", body: "The Nimbus rollout owner is Cat Poe."},
			{from: "bob", to: "dan", hours: 30, body: "Heads up, the Nimbus rollout owner is Dan Oz."}}},
		{"one person on a topic", gaps.SingleExpert, "Kestrel migration", []msg{
			{from: "dan", to: "ann", body: "Status: the Kestrel migration moved two tables."},
			{from: "dan", to: "bob", hours: 24, body: "The Kestrel migration is paused for the weekend."},
			{from: "dan", to: "cat", hours: 48, body: "I restarted the Kestrel migration this morning."},
			{from: "dan", to: "ann", hours: 72, body: "Kestrel migration notes are on the wiki."}}},
		{"a topic people share", gaps.SingleExpert, "", []msg{
			{from: "dan", to: "ann", body: "Status: the Vega integration passed the tests."},
			{from: "ann", to: "bob", hours: 24, body: "The Vega integration needs a new key."},
			{from: "bob", to: "cat", hours: 48, body: "I rotated the key for the Vega integration."},
			{from: "cat", to: "dan", hours: 72, body: "The Vega integration is live."}}},
	}
	st := openStore(t)
	var docs []document.Document
	for i, c := range cases {
		docs = append(docs, thread(i, fmt.Sprintf("case %d %s", i, c.name), c.msgs)...)
	}
	put(t, st, docs)
	an := newAnalyzer(t, st, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	analyse(t, an)
	for i, c := range cases {
		gs, err := an.List(ws, gaps.Filter{Kind: c.kind})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]bool{}
		for _, d := range thread(i, "", c.msgs) {
			ids[d.ID] = true
		}
		var got []string
		for _, g := range gs {
			for _, e := range g.Evidence {
				if ids[e.DocID] {
					got = append(got, e.Passage)
				}
			}
		}
		switch {
		case c.passage == "" && len(got) > 0:
			t.Errorf("%s: %s raised on %q", c.name, c.kind, got)
		case c.passage != "" && !strings.Contains(strings.Join(got, "|"), c.passage):
			t.Errorf("%s: no %s citing %q (got %q)", c.name, c.kind, c.passage, got)
		}
	}
}

func TestAliasesPersistBehindTheCache(t *testing.T) {
	st := openStore(t)
	put(t, st, thread(0, "kestrel", []msg{
		{from: "dan", to: "ann", body: "Status: the Kestrel migration moved two tables for Northwind Corp in Lisbon."},
	}))
	analyse(t, newAnalyzer(t, st, time.Now()))
	fresh := newAnalyzer(t, st, time.Now()) // an empty cache: the store answers
	for _, tc := range []struct {
		kind       gaps.EntityKind
		name, want string
	}{
		{gaps.EntityPerson, "ann lee", "ann.lee@corp.test"},
		{gaps.EntityProject, "Kestrel migration", "kestrel"},
		{gaps.EntityOrg, "Northwind Corp", "northwind"},
		{gaps.EntityPlace, "Lisbon", "lisbon"},
	} {
		al, ok, err := fresh.Lookup(ws, tc.kind, tc.name)
		if got := firstNonEmptyStr(al.Address, al.Norm); err != nil || !ok || got != tc.want {
			t.Errorf("Lookup(%s %q) = %+v, %v, %v; want %s", tc.kind, tc.name, al, ok, err, tc.want)
		}
	}
	if _, ok, _ := fresh.Lookup(ws, gaps.EntityPerson, "nobody here"); ok {
		t.Error("an unknown name resolved")
	}
}

func firstNonEmptyStr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
