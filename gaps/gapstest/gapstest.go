// Package gapstest generates mail threads and notes with planted knowledge
// gaps of every kind, and as many planted non-gaps (answered questions,
// owned and reasoned decisions, deadlines followed up, documented
// processes, shared topics, consistent values), for tests and benchmarks
// of package gaps. The corpus is deterministic for a seed.
package gapstest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/gaps"
)

// Planted is one planted case: a gap of Kind that the analysis should find
// (Gap true) or a near miss it should not report (Gap false), with the
// document and passage a found gap must cite.
type Planted struct {
	Kind    gaps.Kind
	Gap     bool
	DocID   string
	Passage string
}

// Corpus is a generated workspace.
type Corpus struct {
	Docs    []document.Document
	Planted []Planted
	// Now is the time the analysis should take as now: after every
	// deadline of the corpus.
	Now time.Time
}

// Options size the corpus.
type Options struct {
	Seed uint64
	// PerKind is how many gaps are planted per kind, and as many non-gaps;
	// zero means 10.
	PerKind int
	// Noise is how many extra messages without any cue are added; zero
	// means 4*PerKind.
	Noise int
}

type person struct{ name, addr string }

func (p person) header() string { return p.name + " <" + p.addr + ">" }
func (p person) first() string  { return strings.Fields(p.name)[0] }

var firstNames = []string{"Priya", "Daniel", "Mara", "Tomas", "Aiko", "Lena", "Omar", "Grace", "Victor", "Noor", "Felix", "Ines", "Hugo", "Sofia", "Kenji", "Ruth"}
var lastNames = []string{"Shah", "Brown", "Okafor", "Novak", "Tanaka", "Berg", "Haddad", "Lee", "Moreau", "Khan", "Weber", "Costa", "Lindqvist", "Rossi", "Mori", "Adler"}

type gen struct {
	r      *rand.Rand
	people []person
	base   time.Time
	seq    int
	names  map[string]bool
	c      *Corpus
}

// Generate builds a corpus.
func Generate(opts Options) *Corpus {
	if opts.PerKind <= 0 {
		opts.PerKind = 10
	}
	if opts.Noise <= 0 {
		opts.Noise = 4 * opts.PerKind
	}
	g := &gen{
		r:     rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		base:  time.Date(2016, 1, 4, 9, 0, 0, 0, time.UTC),
		names: map[string]bool{},
		c:     &Corpus{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for i, f := range firstNames {
		l := lastNames[(i*5+3)%len(lastNames)]
		g.people = append(g.people, person{f + " " + l, strings.ToLower(f+"."+l) + "@example.com"})
	}
	n := opts.PerKind
	for i := 0; i < n; i++ {
		g.question(true)
		g.question(false)
		g.deadline(true)
		g.deadline(false)
		g.process(true)
		g.process(false)
		g.contradiction(true)
		g.contradiction(false)
	}
	// Decisions: each variant plants or spares one of the two kinds.
	for i := 0; i < 2*n; i++ {
		g.decision(i%2 == 0, true)  // no owner (gap) / owner
		g.decision(i%2 == 1, false) // rationale / no rationale (gap)
	}
	for i := 0; i < n; i++ {
		g.expert(true)
		g.expert(false)
	}
	for i := 0; i < opts.Noise; i++ {
		g.noise()
	}
	return g.c
}

// name makes a new capitalised code name, unique in the corpus.
func (g *gen) name() string {
	cons, vows := "bdfgklmnprstvz", "aeiou"
	for {
		var b strings.Builder
		for i := 0; i < 3; i++ {
			b.WriteByte(cons[g.r.IntN(len(cons))])
			if i < 2 {
				b.WriteByte(vows[g.r.IntN(len(vows))])
			}
		}
		s := b.String()
		s = strings.ToUpper(s[:1]) + s[1:]
		if !g.names[s] {
			g.names[s] = true
			return s
		}
	}
}

func (g *gen) pick(ss ...string) string { return ss[g.r.IntN(len(ss))] }

// two picks distinct people.
func (g *gen) two() (person, person) {
	i := g.r.IntN(len(g.people))
	j := (i + 1 + g.r.IntN(len(g.people)-1)) % len(g.people)
	return g.people[i], g.people[j]
}

func (g *gen) three() (person, person, person) {
	a, b := g.two()
	for {
		c := g.people[g.r.IntN(len(g.people))]
		if c != a && c != b {
			return a, b, c
		}
	}
}

// day moves the corpus clock on and returns a date for a new thread: half
// an hour a step keeps 100,000 messages before Corpus.Now.
func (g *gen) day() time.Time {
	g.seq++
	return g.base.Add(time.Duration(g.seq) * 30 * time.Minute)
}

var fillers = []string{
	"Hope your week is going well.",
	"The slides from Tuesday are in the team folder.",
	"Lunch on the third floor was great.",
	"The coffee machine on five is fixed again.",
	"Good to see everyone at the town hall.",
	"The printer on two is out of toner.",
}

func (g *gen) filler() string { return g.pick(fillers...) }

// mail adds a message and returns it. parent, if not nil, is the message
// it replies to, quoted below the new text.
func (g *gen) mail(from person, to []person, subject, body string, date time.Time, parent *document.Document) *document.Document {
	g.seq++
	mid := fmt.Sprintf("<gen%d.%d@example.com>", g.seq, g.r.Uint32())
	d := document.Document{
		Source:    document.SourceEmail,
		Path:      fmt.Sprintf("/gen/mail/%d.eml", g.seq),
		Title:     subject,
		From:      from.header(),
		MessageID: mid,
		Date:      date,
	}
	for _, p := range to {
		d.To = append(d.To, p.header())
	}
	if parent != nil {
		d.Title = "Re: " + strings.TrimPrefix(parent.Title, "Re: ")
		d.InReplyTo = parent.MessageID
		d.References = append(append([]string{}, parent.References...), parent.MessageID)
		quote := "\n\n-----Original Message-----\nFrom: " + parent.From + "\nSent: " + parent.Date.Format(time.RFC1123) + "\nTo: " + strings.Join(parent.To, "; ") + "\nSubject: " + parent.Title + "\n\n" + parent.Body
		if g.r.IntN(2) == 0 {
			quote = "\n\nOn " + parent.Date.Format("Mon, Jan 2, 2006") + ", " + parent.From + " wrote:\n> " + strings.ReplaceAll(parent.Body, "\n", "\n> ")
		}
		body += quote
	}
	d.Body = body
	d.ID = document.MessageDocID(mid)
	d.ContentHash = document.HashContent([]byte(d.Body))
	g.c.Docs = append(g.c.Docs, d)
	return &g.c.Docs[len(g.c.Docs)-1]
}

func (g *gen) plant(k gaps.Kind, gap bool, d *document.Document, passage string) {
	g.c.Planted = append(g.c.Planted, Planted{Kind: k, Gap: gap, DocID: d.ID, Passage: passage})
}

func letter(to person, from person, lines ...string) string {
	return "Hi " + to.first() + ",\n\n" + strings.Join(lines, " ") + "\n\nThanks,\n" + from.first()
}

func (g *gen) question(gap bool) {
	a, b := g.two()
	x := g.name()
	q := g.pick(
		"Can you tell me when the "+x+" vendor shortlist will be ready?",
		"What is the status of the "+x+" data migration?",
		"Who is reviewing the "+x+" security audit?",
		"Do we have the final numbers for the "+x+" pilot?",
		"Where did we land on the "+x+" pricing model?",
		b.first()+", could you confirm the venue for the "+x+" offsite?",
	)
	date := g.day()
	m := g.mail(a, []person{b}, x+" "+g.pick("status", "follow-up", "question", "check-in"), letter(b, a, g.filler(), q), date, nil)
	g.plant(gaps.UnansweredQuestion, gap, m, q)
	if gap {
		if g.r.IntN(2) == 0 { // the asker writes again; no one answers
			g.mail(a, []person{b}, "", letter(b, a, "Adding the notes from the kickoff for reference."), date.Add(30*time.Hour), m)
		}
		return
	}
	ans := g.pick("The shortlist is ready; it has three vendors.", "It finished last night and the numbers look fine.",
		"Mara is on it and expects to finish soon.", "The final numbers are in the tracker.", "We landed on the per-seat model.", "The venue is the lake house.")
	g.mail(b, []person{a}, "", letter(a, b, ans), date.Add(5*time.Hour), m)
}

func (g *gen) decision(plant bool, ownerKind bool) {
	a, b, c := g.three()
	x := g.name()
	dec := g.pick(
		"We decided to move the "+x+" launch to June.",
		"We agreed to go with Northwind Corp for the "+x+" hosting.",
		"After the review we've decided to drop the "+x+" mobile app.",
		"The decision is to freeze new features on "+x+" until the audit.",
		"We settled on the blue theme for the "+x+" portal.",
	)
	owner := g.pick(
		c.first()+" will update the "+x+" plan and tell the customers.",
		c.first()+" is responsible for the rollout.",
		"I'll take care of the paperwork.",
		"Action item: "+c.first()+" to draft the announcement.",
	)
	why := g.pick(
		"This is because the vendor missed two deadlines.",
		"The reason is that the old contract ends in June.",
		"We need to do this to save on licence fees.",
		"It was due to the budget cut in March.",
	)
	hasOwner, hasWhy := true, true
	if ownerKind {
		hasOwner = !plant
	} else {
		hasWhy = !plant
	}
	lines := []string{g.filler(), dec}
	if hasWhy && g.r.IntN(2) == 0 {
		lines = append(lines, why)
		hasWhy = false // given already
	}
	if hasOwner && g.r.IntN(2) == 0 {
		lines = append(lines, owner)
		hasOwner = false
	}
	date := g.day()
	m := g.mail(a, []person{b, c}, x+" "+g.pick("decision", "outcome", "next steps"), letter(b, a, lines...), date, nil)
	if ownerKind {
		g.plant(gaps.DecisionWithoutOwner, plant, m, dec)
	} else {
		g.plant(gaps.DecisionWithoutRationale, plant, m, dec)
	}
	var reply []string
	if hasWhy {
		reply = append(reply, why)
	}
	if hasOwner {
		reply = append(reply, owner)
	}
	if len(reply) == 0 {
		if g.r.IntN(2) == 0 {
			g.mail(b, []person{a, c}, "", letter(a, b, "Sounds good to me."), date.Add(3*time.Hour), m)
		}
		return
	}
	g.mail(c, []person{a, b}, "", letter(a, c, reply...), date.Add(3*time.Hour), m)
}

func (g *gen) deadline(gap bool) {
	a, b := g.two()
	x := g.name()
	date := g.day()
	due := date.AddDate(0, 0, 5+g.r.IntN(5))
	dueText := due.Format("January 2")
	item := g.pick("signed "+x+" contract", x+" cost estimate", x+" test results", x+" design review deck", x+" budget forecast")
	ask := g.pick(
		b.first()+", please send the "+item+" by "+dueText+".",
		"Could you get me the "+item+" by "+dueText+"?",
		"Please have the "+item+" ready by "+dueText+".",
		"The "+item+" is due on "+dueText+", please.",
	)
	commit := g.r.IntN(3) == 0
	from, to := a, b
	if commit {
		ask = "I will deliver the " + item + " by " + dueText + "."
		from, to = b, a
	}
	m := g.mail(from, []person{to}, x+" "+g.pick("deliverable", "timeline", "request"), letter(to, from, g.filler(), ask), date, nil)
	g.plant(gaps.DeadlineWithoutFollowup, gap, m, ask)
	if gap {
		if g.r.IntN(2) == 0 { // a reply long after the date
			g.mail(to, []person{from}, "", letter(from, to, "Sorry for the silence, I was travelling."), due.AddDate(0, 0, 12), m)
		}
		return
	}
	sender := to
	if commit {
		sender = from
	}
	other := from
	if commit {
		other = to
	}
	fu := g.pick("Here is the "+item+".", "Attached is the "+item+".", "The "+item+" is done and in the shared drive.")
	g.mail(sender, []person{other}, "", letter(other, sender, fu), due.AddDate(0, 0, -1), m)
}

func (g *gen) process(gap bool) {
	a, b := g.two()
	x := g.name()
	kind := g.r.IntN(3)
	var ref, desc, title string
	switch kind {
	case 0:
		ref = "Please run it through the usual " + x + " sign-off before it goes out."
		title = x + " sign-off"
		desc = "The " + x + " sign-off works like this: the lead reviews the draft, then finance approves it."
	case 1:
		ref = "Per the " + x + " onboarding checklist, new hires get their laptop on day one."
		title = x + " onboarding checklist"
		desc = "Here is how the " + x + " onboarding checklist goes: order the laptop, create the accounts, book the intro."
	default:
		ref = "We should follow the " + x + " release procedure for this one."
		title = x + " release procedure"
		desc = "The steps of the " + x + " release procedure are as follows: tag the build, run the checks, post the notes."
	}
	date := g.day()
	m := g.mail(a, []person{b}, x+" "+g.pick("rollout", "new hire", "release"), letter(b, a, g.filler(), ref), date, nil)
	g.plant(gaps.UndocumentedProcess, gap, m, ref)
	if gap {
		return
	}
	if g.r.IntN(2) == 0 { // a note that describes it
		g.seq++
		d := document.Document{
			Source: document.SourceMarkdown, Path: fmt.Sprintf("/gen/notes/%d.md", g.seq), Title: title,
			Body: "1. " + strings.ReplaceAll(strings.TrimSuffix(desc[strings.Index(desc, ":")+2:], "."), ", ", "\n2. ") + "\n", Date: date.Add(-48 * time.Hour),
		}
		d.ID = document.IDFor(d.Path)
		g.c.Docs = append(g.c.Docs, d)
		return
	}
	g.mail(b, []person{a}, "", letter(a, b, desc), date.Add(2*time.Hour), m)
}

func (g *gen) contradiction(gap bool) {
	a, b := g.two()
	x := g.name()
	date := g.day()
	var s1, s2 string
	switch g.r.IntN(4) {
	case 0:
		s1 = "The " + x + " budget is $2.4M for next year."
		if gap {
			s2 = "Quick correction: the " + x + " budget is $3.1M."
		} else {
			s2 = "As a reminder, the " + x + " budget is 2.4 million dollars."
		}
	case 1:
		d1 := date.AddDate(0, 0, 20)
		s1 = "The " + x + " launch date is " + d1.Format("January 2") + "."
		if gap {
			s2 = "Heads up: the " + x + " launch date is " + d1.AddDate(0, 0, 9).Format("January 2") + "."
		} else {
			s2 = "Confirming that the " + x + " launch date is " + d1.Format("2 January") + "."
		}
	case 2:
		s1 = "The " + x + " headcount is 40 people."
		if gap {
			s2 = "For the plan, the " + x + " headcount is 55 people."
		} else {
			s2 = "For the plan, the " + x + " headcount is 40 people."
		}
	default:
		s1 = "The " + x + " owner is " + a.name + "."
		if gap {
			s2 = "To be clear, the " + x + " owner is " + b.name + "."
		} else {
			s2 = "To be clear, the " + x + " owner is " + a.name + "."
		}
	}
	m1 := g.mail(a, []person{b}, x+" "+g.pick("plan", "summary", "figures"), letter(b, a, g.filler(), s1), date, nil)
	m2 := g.mail(b, []person{a}, x+" "+g.pick("notes", "recap", "update"), letter(a, b, s2, g.filler()), date.Add(26*time.Hour), nil)
	g.plant(gaps.Contradiction, gap, m2, s2)
	g.plant(gaps.Contradiction, gap, m1, s1)
}

func (g *gen) expert(gap bool) {
	a, b, c := g.three()
	x := g.name()
	authors := []person{a, a, a, a, a}
	if !gap {
		authors = []person{a, b, c, a, b}
	}
	var last *document.Document
	for i, au := range authors {
		to := b
		if au == b {
			to = c
		}
		s := g.pick(
			"Notes from the Project "+x+" sync: the prototype runs on the test cluster.",
			"Project "+x+" now reads the archive in half the time.",
			"I walked the auditors through Project "+x+" this morning.",
			"The Project "+x+" dashboard has two new charts.",
		)
		m := g.mail(au, []person{to}, fmt.Sprintf("%s notes %d", x, i+1), letter(to, au, s), g.day(), nil)
		last = m
	}
	// The gap cites the newest documents about the topic.
	g.plant(gaps.SingleExpert, gap, last, "Project "+x)
}

func (g *gen) noise() {
	a, b := g.two()
	g.mail(a, []person{b}, g.pick("lunch", "weekend", "parking", "offsite photos", "printer"), letter(b, a, g.filler(), g.filler()), g.day(), nil)
}

// Write writes the corpus as files under dir: each message an RFC 822 .eml
// file, each note a Markdown file, named after the planted document's
// position so a test can delete or change one. It returns the path of each
// document's file by document ID.
func Write(dir string, c *Corpus) (map[string]string, error) {
	paths := map[string]string{}
	if err := os.MkdirAll(filepath.Join(dir, "mail"), 0o755); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "notes"), 0o755); err != nil {
		return nil, err
	}
	for i, d := range c.Docs {
		var path, text string
		if d.Source == document.SourceEmail {
			path = filepath.Join(dir, "mail", fmt.Sprintf("%05d.eml", i))
			var b strings.Builder
			fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: %s\r\n", d.From, strings.Join(d.To, ", "), d.Title, d.Date.Format(time.RFC1123Z), d.MessageID)
			if d.InReplyTo != "" {
				fmt.Fprintf(&b, "In-Reply-To: %s\r\nReferences: %s\r\n", d.InReplyTo, strings.Join(d.References, " "))
			}
			b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
			b.WriteString(strings.ReplaceAll(d.Body, "\n", "\r\n"))
			text = b.String()
		} else {
			path = filepath.Join(dir, "notes", fmt.Sprintf("%05d.md", i))
			text = "# " + d.Title + "\n\n" + d.Body
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return nil, err
		}
		paths[d.ID] = path
	}
	return paths, nil
}
