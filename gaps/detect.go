package gaps

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/engram-app/engram/store"
)

// maxRecipients: a question to more people than this is a broadcast, not
// a question addressed to someone.
const maxRecipients = 12

// conversationGaps finds the gaps inside one conversation: unanswered
// questions, decisions without an owner or a rationale, and deadlines
// nobody followed up.
func (a *Analyzer) conversationGaps(tx *store.GapTx, ws, conv string) []Gap {
	docs := loadConversation(tx, conv)
	if len(docs) == 0 {
		return nil
	}
	r := &roster{}
	for i := range docs {
		r.add(docs[i].From)
		for _, p := range docs[i].To {
			r.add(p)
		}
	}
	now := a.opts.Now()
	rationale := ""
	for i := range docs {
		if docs[i].Rationale != "" {
			rationale = docs[i].Rationale
		}
	}
	var out []Gap
	for i := range docs {
		d := &docs[i]
		later := docs[i+1:]
		var open *Gap // the message's unanswered questions
		openN := 0
		for _, fr := range d.Frames {
			switch fr.Kind {
			case FrameQuestion:
				// A dated request asked as a question is a deadline:
				// reported once, as the more specific kind.
				if len(d.To) > maxRecipients || hasDeadline(d, fr.Text) {
					continue
				}
				addressees := d.To
				if fr.Who != "" {
					if p, ok := a.resolvePerson(tx, ws, r, fr.Who, d.From); ok {
						addressees = []Person{p}
					}
				}
				chat := strings.HasPrefix(conv, "slack:")
				if len(addressees) == 0 && !chat || answered(d, fr, addressees, later, chat && !strings.HasSuffix(conv, d.Date.UTC().Format("2006-01-02"))) {
					continue
				}
				// One gap per message: its first open question, with the
				// next ones as more evidence.
				if open != nil {
					if len(open.Evidence) < 3 {
						open.Evidence = append(open.Evidence, evidenceOf(d, fr.Text))
					}
					openN++
					continue
				}
				if len(addressees) == 0 { // a question to the channel: ask who else is in it
					for _, p := range r.people {
						if p.key() != d.From.key() {
							addressees = append(addressees, p)
						}
					}
					if len(addressees) == 0 {
						addressees = []Person{{Name: "the channel"}}
					}
				}
				ask := rank(addressees, d.From)
				openN = 1
				open = &Gap{
					ID:       gapID(UnansweredQuestion, d.ID, fr.Text),
					Kind:     UnansweredQuestion,
					Summary:  fmt.Sprintf("%s asked %s and no reply answers it: %q", d.From.display(), names(addressees, 3), clip(fr.Text, 120)),
					Question: fmt.Sprintf("%s, can you answer %s's question: %q?", ask[0].display(), d.From.display(), clip(fr.Text, 160)),
					Ask:      ask,
					Evidence: []Evidence{evidenceOf(d, fr.Text)},
				}
			case FrameDecision:
				owned := false
				for j := i; j < len(docs) && !owned; j++ {
					for _, o := range docs[j].Frames {
						if o.Kind == FrameOwnership && (j > i || o.Sent >= fr.Sent) {
							if _, ok := a.resolvePerson(tx, ws, r, o.Who, docs[j].From); ok || o.Who != "" {
								owned = true
								break
							}
						}
					}
				}
				ask := rank(append([]Person{d.From}, d.To...), Person{})
				what := clip(firstNonEmpty(fr.What, fr.Text), 100)
				if !owned {
					out = append(out, Gap{
						ID:       gapID(DecisionWithoutOwner, d.ID, fr.Text),
						Kind:     DecisionWithoutOwner,
						Summary:  fmt.Sprintf("Decision with nobody owning the next step: %q", clip(fr.Text, 120)),
						Question: fmt.Sprintf("%s, who owns the next step of the decision %q?", ask[0].display(), what),
						Ask:      ask,
						Evidence: []Evidence{evidenceOf(d, fr.Text)},
					})
				}
				if fr.Why == "" && rationale == "" {
					out = append(out, Gap{
						ID:       gapID(DecisionWithoutRationale, d.ID, fr.Text),
						Kind:     DecisionWithoutRationale,
						Summary:  fmt.Sprintf("Decision with no reason given in its conversation: %q", clip(fr.Text, 120)),
						Question: fmt.Sprintf("%s, why was it decided %q?", ask[0].display(), what),
						Ask:      ask,
						Evidence: []Evidence{evidenceOf(d, fr.Text)},
					})
				}
			case FrameDeadline:
				due, err := time.Parse("2006-01-02", fr.When)
				if err != nil || !due.AddDate(0, 0, 1).Before(now) || due.Before(midnight(d.Date)) {
					continue
				}
				if followedUp(d, fr, due, later) {
					continue
				}
				var owner []Person
				if fr.Request {
					owner = d.To
				} else if p, ok := a.resolvePerson(tx, ws, r, firstNonEmpty(fr.Who, "I"), d.From); ok {
					owner = []Person{p}
				}
				ask := rank(append(owner, d.From), Person{})
				out = append(out, Gap{
					ID:       gapID(DeadlineWithoutFollowup, d.ID, fr.Text),
					Kind:     DeadlineWithoutFollowup,
					Summary:  fmt.Sprintf("Due %s, and no later message follows it up: %q", fr.When, clip(fr.Text, 120)),
					Question: fmt.Sprintf("%s, was %q done by %s?", ask[0].display(), clip(firstNonEmpty(fr.What, fr.Text), 100), fr.When),
					Ask:      ask,
					Evidence: []Evidence{evidenceOf(d, fr.Text)},
				})
			}
		}
		if open != nil {
			if openN > 1 {
				open.Summary += fmt.Sprintf(" (and %d more questions)", openN-1)
			}
			out = append(out, *open)
		}
	}
	return out
}

func hasDeadline(d *docFacts, text string) bool {
	for _, f := range d.Frames {
		if f.Kind == FrameDeadline && f.Text == text {
			return true
		}
	}
	return false
}

// answered reports whether a later message answers a question: a reply
// from one of its addressees, or from anyone else but the asker that
// shares its subject's words.
//
// In a chat thread (thread true) any reply from someone else answers.
func answered(q *docFacts, fr Frame, addressees []Person, later []docFacts, thread bool) bool {
	for i := range later {
		l := &later[i]
		if l.From.key() == q.From.key() || l.Defers {
			continue
		}
		if thread {
			return true
		}
		for _, p := range addressees {
			if p.key() == l.From.key() {
				return true
			}
		}
		need := 2
		if len(fr.Keys) <= 2 {
			need = len(fr.Keys)
		}
		if need > 0 && overlap(fr.Keys, l.Words) >= need {
			return true
		}
	}
	return false
}

// followedUp reports whether a message after a deadline's, sent by the day
// after it was due, is about it (shares its words, or says it is done).
func followedUp(d *docFacts, fr Frame, due time.Time, later []docFacts) bool {
	for i := range later {
		l := &later[i]
		if l.Date.After(due.AddDate(0, 0, 2)) {
			continue
		}
		if l.Done || overlap(fr.Keys, l.Words) >= 1 {
			return true
		}
	}
	return false
}

// aggregateGaps finds the gaps of one aggregate key: a contradiction among
// a claim's values ("c:"), a topic with a single expert ("t:"), a process
// no document describes ("p:").
func (a *Analyzer) aggregateGaps(tx *store.GapTx, key string) []Gap {
	const limit = 2000 // contributions read per key; enough to decide
	var cs []contribution
	tx.Scan(store.GapContrib, key+"\x00", limit, func(_ string, v []byte) bool {
		var c contribution
		if json.Unmarshal(v, &c) == nil {
			cs = append(cs, c)
		}
		return true
	})
	if len(cs) == 0 {
		return nil
	}
	sort.SliceStable(cs, func(i, j int) bool {
		if !cs[i].Date.Equal(cs[j].Date) {
			return cs[i].Date.After(cs[j].Date)
		}
		return cs[i].Doc < cs[j].Doc
	})
	switch key[:2] {
	case "c:":
		return contradiction(key[2:], cs)
	case "t:":
		return a.singleExpert(key[2:], cs)
	case "p:":
		return undocumented(key[2:], cs)
	}
	return nil
}

func contradiction(key string, cs []contribution) []Gap {
	subject, attr, _ := strings.Cut(key, "|")
	// The newest statement of each value (cs is newest first).
	var vals []contribution
	for _, c := range cs {
		dup := false
		for _, v := range vals {
			dup = dup || v.Value == c.Value
		}
		if !dup && len(vals) < 4 {
			vals = append(vals, c)
		}
	}
	if len(vals) < 2 {
		return nil
	}
	g := Gap{Kind: Contradiction}
	var identity []string
	var ask []Person
	for i, v := range vals {
		identity = append(identity, v.Value)
		g.Values = append(g.Values, Value{Value: v.Text, DocID: v.Doc, Date: v.Date, Newer: i == 0})
		g.Evidence = append(g.Evidence, Evidence{DocID: v.Doc, Title: v.Title, Date: v.Date, Passage: v.Passage, People: people(v.From)})
		ask = append(ask, v.From)
	}
	sort.Strings(identity)
	g.ID = gapID(Contradiction, append([]string{key}, identity...)...)
	g.Ask = rank(ask, Person{})
	attrName := attr
	if strings.HasPrefix(attr, "quantity") {
		attrName = "number"
	}
	g.Summary = fmt.Sprintf("Documents state different %s values for %q: %s (newest, %s) and %s (%s)", attrName, subject,
		vals[0].Text, vals[0].Date.Format("2006-01-02"), vals[1].Text, vals[1].Date.Format("2006-01-02"))
	g.Question = fmt.Sprintf("%s, which is right for %s: %s or %s?", firstPerson(g.Ask), subject, vals[0].Text, vals[1].Text)
	return []Gap{g}
}

func (a *Analyzer) singleExpert(topic string, cs []contribution) []Gap {
	author := cs[0].From.key()
	for _, c := range cs {
		if c.From.key() != author {
			return nil
		}
	}
	if len(cs) < a.opts.MinExpertDocs {
		return nil
	}
	g := Gap{ID: gapID(SingleExpert, topic, author), Kind: SingleExpert, Ask: []Person{cs[0].From}}
	for i := 0; i < len(cs) && i < 3; i++ {
		g.Evidence = append(g.Evidence, Evidence{DocID: cs[i].Doc, Title: cs[i].Title, Date: cs[i].Date, Passage: cs[i].Passage, People: people(cs[i].From)})
	}
	g.Summary = fmt.Sprintf("Only %s writes about %q (%d documents): a bus factor of one", cs[0].From.display(), topic, len(cs))
	g.Question = fmt.Sprintf("%s, could you write down what you know about %s, or name who else knows it?", cs[0].From.display(), topic)
	return []Gap{g}
}

func undocumented(name string, cs []contribution) []Gap {
	var refs []contribution
	for _, c := range cs {
		if c.Describe {
			return nil
		}
		refs = append(refs, c)
	}
	g := Gap{ID: gapID(UndocumentedProcess, name), Kind: UndocumentedProcess}
	var ask []Person
	for i, c := range refs {
		ask = append(ask, c.From)
		if i < 3 {
			g.Evidence = append(g.Evidence, Evidence{DocID: c.Doc, Title: c.Title, Date: c.Date, Passage: c.Passage, People: people(c.From)})
		}
	}
	g.Ask = rank(ask, Person{})
	g.Summary = fmt.Sprintf("%q is referred to in %d document(s) and described in none", name, len(refs))
	g.Question = fmt.Sprintf("%s, what are the steps of %s? Could you write them down?", firstPerson(g.Ask), name)
	return []Gap{g}
}

// rank orders people by their part in the evidence: by how often they
// appear, first appearance first, without duplicates or the excluded one.
func rank(ps []Person, exclude Person) []Person {
	type entry struct {
		p     Person
		n     int
		first int
	}
	var es []entry
	idx := map[string]int{}
	for i, p := range ps {
		if p.empty() || (!exclude.empty() && p.key() == exclude.key()) {
			continue
		}
		if j, ok := idx[p.key()]; ok {
			es[j].n++
			continue
		}
		idx[p.key()] = len(es)
		es = append(es, entry{p, 1, i})
	}
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].n != es[j].n {
			return es[i].n > es[j].n
		}
		return es[i].first < es[j].first
	})
	out := make([]Person, 0, len(es))
	for _, e := range es {
		out = append(out, e.p)
	}
	if len(out) == 0 && !exclude.empty() {
		out = append(out, exclude)
	}
	if len(out) == 0 {
		out = append(out, Person{Name: "the team"})
	}
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

func firstPerson(ps []Person) string {
	if len(ps) == 0 {
		return "Someone"
	}
	return ps[0].display()
}

func (p Person) display() string { return firstNonEmpty(p.Name, p.Address, "someone") }

func people(ps ...Person) []Person {
	out := []Person{}
	for _, p := range ps {
		if !p.empty() {
			out = append(out, p)
		}
	}
	return out
}

func evidenceOf(d *docFacts, passage string) Evidence {
	ps := people(d.From)
	for _, p := range d.To {
		if len(ps) >= 8 {
			break
		}
		ps = append(ps, p)
	}
	return Evidence{DocID: d.ID, Title: d.Title, Date: d.Date, Passage: passage, People: ps}
}

func names(ps []Person, n int) string {
	var out []string
	for i, p := range ps {
		if i == n {
			out = append(out, fmt.Sprintf("%d more", len(ps)-n))
			break
		}
		out = append(out, p.display())
	}
	return strings.Join(out, ", ")
}

// clip shortens s to at most n bytes at a word boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
	}
	for cut > 0 && cut < len(s) && s[cut]&0xc0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
