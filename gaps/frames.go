package gaps

import (
	"strings"
	"time"
)

// FrameKind is the kind of a frame found in a sentence.
type FrameKind string

// Frame kinds.
const (
	FrameDecision   FrameKind = "decision"
	FrameOwnership  FrameKind = "ownership"
	FrameProcess    FrameKind = "process"
	FrameDeadline   FrameKind = "deadline"
	FrameCommitment FrameKind = "commitment"
	FrameQuestion   FrameKind = "question"
)

// Frame is what a sentence says, with its slots: who (the person it names,
// as written; empty means the author), what, when (a date, YYYY-MM-DD) and
// why (the reason given in the same sentence).
type Frame struct {
	Kind FrameKind `json:"kind"`
	Sent int       `json:"sent"` // index of the sentence in the document's own text
	Text string    `json:"text"` // the sentence: the passage cited
	Who  string    `json:"who,omitempty"`
	What string    `json:"what,omitempty"`
	When string    `json:"when,omitempty"`
	Why  string    `json:"why,omitempty"`
	// Keys are the content words of What, for matching later messages
	// about the same subject.
	Keys []string `json:"keys,omitempty"`
	// Request marks a deadline asked of the addressees (not promised by
	// the author).
	Request bool `json:"request,omitempty"`
}

// Claim is a value stated for a named thing: "the Falcon budget is $2.4M"
// gives subject "falcon budget", attribute "money", value "USD 2400000".
type Claim struct {
	Subject string `json:"subject"`
	Attr    string `json:"attr"`
	Value   string `json:"value"`
	Text    string `json:"text"` // the value as written
	Passage string `json:"passage"`
}

// ProcessRef is a process a sentence refers to or describes.
type ProcessRef struct {
	Name     string `json:"name"`
	Describe bool   `json:"describe,omitempty"`
	Passage  string `json:"passage"`
}

// sentenceFacts is everything one pass over a sentence found.
type sentenceFacts struct {
	frames    []Frame
	claims    []Claim
	processes []ProcessRef
	entities  []Entity
	rationale bool
	done      bool
	defers    bool
}

// tokenAt returns the index of the token that starts at or after byte b.
func tokenAt(toks []token, b int) int {
	for i, t := range toks {
		if t.start >= b {
			return i
		}
	}
	return len(toks)
}

// tokenBefore returns the index just after the last token ending at or
// before byte b.
func tokenBefore(toks []token, b int) int {
	n := 0
	for i, t := range toks {
		if t.end <= b {
			n = i + 1
		}
	}
	return n
}

// isProcessNoun reports whether a word names a process ("the usual
// sign-off", "per the onboarding checklist").
func isProcessNoun(w string) bool {
	switch w {
	case "process", "procedure", "checklist", "protocol", "workflow", "playbook", "runbook", "policy",
		"sign-off", "signoff", "review", "approval", "guidelines", "template", "handbook", "handover",
		"onboarding", "escalation":
		return true
	}
	return false
}

// processName normalises a process name: lower case, without articles and
// the generic "process"/"procedure" at its end.
func processName(words []string) string {
	var out []string
	for _, w := range words {
		w = strings.ToLower(w)
		switch w {
		case "the", "our", "usual", "standard", "a", "an", "this", "that", "normal", "regular":
			continue
		}
		out = append(out, w)
	}
	for len(out) > 1 && (out[len(out)-1] == "process" || out[len(out)-1] == "procedure") {
		out = out[:len(out)-1]
	}
	if len(out) == 0 || len(out) > 4 {
		return ""
	}
	if len(out) == 1 && (out[0] == "process" || out[0] == "procedure" || out[0] == "review" || out[0] == "policy" || out[0] == "template") {
		return ""
	}
	return strings.Join(out, " ")
}

// clauseEnd reports whether a punctuation mark separates tokens i-1 and i.
func clauseBreak(se *sentence, i int) bool {
	if i <= 0 || i >= len(se.toks) {
		return true
	}
	gap := se.text[se.toks[i-1].end:se.toks[i].start]
	return strings.ContainsAny(gap, ",;:()!?\"")
}

// analyseSentence runs the one pass of the matcher over a sentence and the
// rules over what it found.
func (a *Analyzer) analyseSentence(se *sentence, idx int, ref time.Time, hits []hit) (sentenceFacts, []hit) {
	var f sentenceFacts
	hits = a.m.find(hits[:0], se.text)
	var sigs [sigDefer + 1]bool
	for _, h := range hits {
		sigs[a.m.cues[h.cue].sig] = true
	}
	f.rationale = sigs[sigRationale]
	f.done = sigs[sigDone]
	f.defers = sigs[sigDefer]
	toks := se.toks
	if len(toks) == 0 {
		return f, hits
	}
	isQuestion := strings.HasSuffix(strings.TrimRight(se.text, " \"')"), "?")
	f.entities = entities(se, ref)
	why := ""
	if f.rationale {
		for _, h := range hits {
			if a.m.cues[h.cue].sig == sigRationale {
				why = strings.TrimRight(se.text[h.start:], ".!? ")
				break
			}
		}
	}
	var dateEnt *Entity
	for i := range f.entities {
		if f.entities[i].Kind == EntityDate {
			dateEnt = &f.entities[i]
			break
		}
	}
	frame := func(k FrameKind, who, what string) Frame {
		var kw []string
		st := newSentence(what)
		kw = keywords(kw, st.toks, 12)
		return Frame{Kind: k, Sent: idx, Text: se.text, Who: who, What: what, Keys: kw, Why: why}
	}
	decided, owned, deadline, committed := false, false, false, false
	for _, h := range hits {
		c := a.m.cues[h.cue]
		ti := tokenAt(toks, h.start)
		prev := ""
		if ti > 0 {
			prev = toks[ti-1].lo
		}
		switch c.sig {
		case sigDecision:
			if decided || isQuestion || negated(prev) || (ti > 1 && negated(toks[ti-2].lo)) {
				continue
			}
			if c.phrase == "decision" || c.phrase == "final call" { // "Decision: go with B"
				rest := strings.TrimSpace(se.text[h.end:])
				if !strings.HasPrefix(rest, ":") && !strings.HasPrefix(rest, "is ") && !strings.HasPrefix(rest, "was ") {
					continue
				}
			}
			decided = true
			fr := frame(FrameDecision, subjectBefore(se, ti), strings.TrimRight(strings.TrimSpace(se.text[h.end:]), ".!"))
			f.frames = append(f.frames, fr)
		case sigOwnership:
			if owned || isQuestion {
				continue
			}
			who := ""
			switch {
			case c.phrase == "will":
				if ti > 0 && (toks[ti-1].lo == "i" || capitalName(toks, ti-1) || (toks[ti-1].first && toks[ti-1].capital && !isStop(toks[ti-1].lo))) {
					who = nameBefore(se, ti)
				}
				if ti+1 < len(toks) && (toks[ti+1].lo == "be" || toks[ti+1].lo == "not") {
					who = ""
				}
			case strings.HasPrefix(c.phrase, "i'll") || strings.HasPrefix(c.phrase, "i will") || strings.HasPrefix(c.phrase, "i'm") || strings.HasPrefix(c.phrase, "i can"):
				who = "I"
			case strings.HasPrefix(c.phrase, "assign"):
				for j := tokenAt(toks, h.end); j < len(toks) && j < tokenAt(toks, h.end)+4; j++ {
					if toks[j].lo == "to" {
						who = nameAfter(se, j+1)
						break
					}
				}
			case strings.HasPrefix(c.phrase, "to "):
				if ti > 0 && capitalName(toks, ti-1) || ti > 0 && toks[ti-1].first && toks[ti-1].capital && !isStop(toks[ti-1].lo) {
					who = nameBefore(se, ti)
				}
			case c.phrase == "assigned to" || c.phrase == "owner" || c.phrase == "point person" || c.phrase == "action item":
				who = nameAfter(se, tokenAt(toks, h.end))
				if who == "" {
					who = nameBefore(se, ti)
				}
			default:
				who = nameBefore(se, ti)
			}
			if who == "" {
				continue
			}
			owned = true
			f.frames = append(f.frames, frame(FrameOwnership, who, strings.TrimRight(strings.TrimSpace(se.text[h.end:]), ".!")))
		case sigDeadline:
			if deadline || dateEnt == nil {
				continue
			}
			after := tokenAt(toks, h.end)
			if !(dateEnt.start == after || dateEnt.start == after+1 && (toks[after].lo == "on" || toks[after].lo == "this" || toks[after].lo == "is")) {
				continue
			}
			// A dated request or commitment, not a statement that
			// something falls due.
			if !(sigs[sigRequest] || sigs[sigCommitment] || sigs[sigOwnership] || isQuestion || c.phrase == "deadline") {
				continue
			}
			deadline = true
			what := strings.TrimSpace(se.text[:h.start])
			if len(keywords(nil, newSentence(what).toks, 3)) < 2 {
				// "Deadline is March 3 for the report": the subject follows.
				what = strings.TrimSpace(se.text[:h.start] + " " + se.text[toks[min(dateEnt.end, len(toks))-1].end:])
			}
			fr := frame(FrameDeadline, "", strings.TrimRight(what, ",.:; "))
			fr.When = dateEnt.Norm
			fr.Request = sigs[sigRequest] || (isQuestion && !sigs[sigCommitment])
			if !fr.Request {
				fr.Who = commitmentWho(se, hits, a.m)
			}
			f.frames = append(f.frames, fr)
		case sigCommitment:
			if committed || isQuestion {
				continue
			}
			committed = true
			f.frames = append(f.frames, frame(FrameCommitment, "", strings.TrimRight(strings.TrimSpace(se.text[h.end:]), ".!")))
		case sigProcess:
			if p, ok := processAt(se, ti, tokenAt(toks, h.end), c.phrase); ok {
				p.Describe = sigs[sigDescribe] || strings.HasSuffix(se.text, ":")
				dup := false
				for i, q := range f.processes {
					if strings.HasPrefix(q.Name, p.Name) || strings.HasPrefix(p.Name, q.Name) || strings.HasSuffix(q.Name, p.Name) || strings.HasSuffix(p.Name, q.Name) {
						dup = true
						if len(p.Name) > len(q.Name) {
							f.processes[i] = p
						}
					}
				}
				if !dup {
					f.processes = append(f.processes, p)
				}
			}
		case sigCopula:
			if isQuestion || len(f.claims) > 0 {
				continue
			}
			if cl, ok := claimAt(se, ti, tokenAt(toks, h.end), f.entities, hits, a.m); ok {
				f.claims = append(f.claims, cl)
			}
		}
	}
	if len(f.claims) == 0 && !isQuestion {
		// "Falcon budget: $2.4M": a colon in the copula's place.
		for _, e := range f.entities {
			if e.start > 1 && strings.TrimSpace(se.text[toks[e.start-1].end:toks[e.start].start]) == ":" {
				if cl, ok := claimAt(se, e.start, e.start, f.entities, nil, a.m); ok {
					f.claims = append(f.claims, cl)
					break
				}
			}
		}
	}
	// "... with Sprint 7?": a digit before the mark and no question word
	// is a cent sign the charset lost.
	lastTok := toks[len(toks)-1].s
	endsInDigit := lastTok[len(lastTok)-1] >= '0' && lastTok[len(lastTok)-1] <= '9' && strings.HasSuffix(strings.TrimRight(se.text, " "), lastTok+"?")
	centSign := isQuestion && endsInDigit && !sigs[sigQuestion] && !sigs[sigRequest]
	if isQuestion && len(toks) >= 3 && !sigs[sigSocial] && realQuestion(se.text) && !headline(toks) && !centSign {
		f.frames = append(f.frames, frame(FrameQuestion, vocative(se), strings.TrimSpace(se.text)))
	}
	return f, hits
}

// realQuestion rejects a question that is quoted, not asked.
func realQuestion(text string) bool {
	t := strings.TrimRight(text, " ")
	return !(strings.HasSuffix(t, "?\"") || strings.HasSuffix(t, "?'") || strings.HasSuffix(t, "?)"))
}

// headline reports whether most words are capitalised ("Where Do We Go
// From Here?"): a newsletter's title, not a question put to someone.
func headline(toks []token) bool {
	caps := 0
	for _, t := range toks {
		if t.capital {
			caps++
		}
	}
	return len(toks) >= 4 && caps*10 >= len(toks)*7
}

func isPrep(w string) bool {
	switch w {
	case "before", "after", "during", "until", "because", "since", "unless", "while", "without", "through", "via":
		return true
	}
	return false
}

func negated(w string) bool {
	switch w {
	case "not", "if", "whether", "haven't", "hasn't", "havent", "never", "once", "until", "yet", "unless", "when":
		return true
	}
	return false
}

// subjectBefore is the subject of a decision: "we", "I" or a name just
// before the cue.
func subjectBefore(se *sentence, ti int) string {
	if ti == 0 {
		return ""
	}
	return nameBefore(se, ti)
}

// nameBefore returns the capitalised name (one to three words) or "I"
// ending just before token ti, skipping "is"/"are".
func nameBefore(se *sentence, ti int) string {
	toks := se.toks
	j := ti
	for j > 0 && (toks[j-1].lo == "is" || toks[j-1].lo == "are" || toks[j-1].lo == "will" || toks[j-1].lo == "the") {
		j--
	}
	if j > 0 && toks[j-1].lo == "i" {
		return "I"
	}
	end := j
	for j > 0 && end-j < 3 && toks[j-1].capital && !isStop(toks[j-1].lo) && !clauseBreak(se, j) {
		j--
	}
	if j > 0 && end-j < 3 && toks[j-1].capital && !isStop(toks[j-1].lo) {
		j--
	}
	if j == end {
		return ""
	}
	return se.text[toks[j].start:toks[end-1].end]
}

// nameAfter returns the capitalised name starting at token ti (after
// "is", "to", ":").
func nameAfter(se *sentence, ti int) string {
	toks := se.toks
	for ti < len(toks) && (toks[ti].lo == "is" || toks[ti].lo == "to" || toks[ti].lo == "will" || toks[ti].lo == "be") {
		ti++
	}
	j := ti
	for j < len(toks) && j-ti < 3 && toks[j].capital && !isStop(toks[j].lo) {
		if _, ok := monthOf(toks[j].lo); ok {
			break
		}
		j++
	}
	if j == ti {
		return ""
	}
	return se.text[toks[ti].start:toks[j-1].end]
}

// vocative is the name a question is addressed to: "Jeff, can you ...?"
// or "... by Friday, Jeff?".
func vocative(se *sentence) string {
	toks := se.toks
	if len(toks) > 1 && toks[0].capital && clauseBreak(se, 1) && strings.HasPrefix(se.text[toks[0].end:], ",") && !isStop(toks[0].lo) {
		return toks[0].s
	}
	if n := len(toks); n > 2 && toks[n-1].capital && strings.HasSuffix(strings.TrimSpace(se.text[:toks[n-1].start]), ",") {
		return toks[n-1].s
	}
	return ""
}

// commitmentWho is who promised a deadline: "I" for "I will", a name for
// "Dan will".
func commitmentWho(se *sentence, hits []hit, m *matcher) string {
	for _, h := range hits {
		c := m.cues[h.cue]
		if c.sig == sigCommitment && (strings.HasPrefix(c.phrase, "i ") || strings.HasPrefix(c.phrase, "i'")) {
			return "I"
		}
		if c.sig == sigOwnership && c.phrase == "will" {
			if n := nameBefore(se, tokenAt(se.toks, h.start)); n != "" {
				return n
			}
		}
	}
	return ""
}

// processAt reads the process a process cue names: "the usual X", "per the
// X checklist", "the X process".
func processAt(se *sentence, ti, after int, phrase string) (ProcessRef, bool) {
	toks := se.toks
	var words []string
	switch phrase {
	case "the usual", "the standard", "our standard":
		for j := after; j < len(toks) && j-after < 3; j++ {
			if j > after && clauseBreak(se, j) || isStop(toks[j].lo) || isPrep(toks[j].lo) {
				break
			}
			words = append(words, toks[j].lo)
			if isProcessNoun(toks[j].lo) && (j+1 >= len(toks) || !isProcessNoun(toks[j+1].lo)) {
				break
			}
		}
		if len(words) == 0 {
			return ProcessRef{}, false
		}
		// "the usual way" is no process.
		switch words[0] {
		case "way", "suspects", "place", "time", "stuff", "thing":
			return ProcessRef{}, false
		}
	case "per the", "as per the", "according to the", "follow the", "following the":
		for j := after; j < len(toks) && j-after < 4; j++ {
			if j > after && clauseBreak(se, j) {
				break
			}
			words = append(words, toks[j].lo)
			if isProcessNoun(toks[j].lo) && (j+1 >= len(toks) || !isProcessNoun(toks[j+1].lo)) {
				return ProcessRef{Name: processName(words), Passage: se.text}, processName(words) != ""
			}
		}
		return ProcessRef{}, false
	default: // a process noun: the 1-3 words before it
		if !isProcessNoun(phrase) {
			return ProcessRef{}, false
		}
		j := ti
		for j > 0 && ti-j < 3 && !clauseBreak(se, j) && !isStop(toks[j-1].lo) && !toks[j-1].first {
			j--
		}
		if j == ti || j == 0 || (toks[j-1].lo != "the" && toks[j-1].lo != "our") {
			return ProcessRef{}, false
		}
		for k := j; k <= ti && k < len(toks); k++ {
			words = append(words, toks[k].lo)
		}
	}
	n := processName(words)
	return ProcessRef{Name: n, Passage: se.text}, n != ""
}

// claimAt reads a claim around a copula at token ci (its words end before
// token after): the subject is the noun phrase before it, which must name
// something (a capitalised word) and end in a common noun ("the Falcon
// budget"); the value is the amount, quantity, date or owner just after.
func claimAt(se *sentence, ci, after int, ents []Entity, hits []hit, m *matcher) (Claim, bool) {
	toks := se.toks
	if ci == 0 || after >= len(toks) || toks[after].lo == "not" || toks[after].lo == "n't" {
		return Claim{}, false
	}
	// The subject: back to a clause break, at most 6 words.
	// In the colon form ("Falcon budget: $2.4M") the colon is the break
	// before the value; any other break there means no subject.
	if strings.TrimSpace(se.text[toks[ci-1].end:toks[ci].start]) != ":" && clauseBreak(se, ci) {
		return Claim{}, false
	}
	// The subject: back from the copula to an article, a function word or
	// a clause break, at most 6 words ("Reminder that the Atlas contract
	// value is" gives "Atlas contract value").
	j := ci - 1
	for j > 0 && ci-j < 6 && !clauseBreak(se, j) && !subjectStart(toks[j-1].lo) {
		j--
	}
	var subj []token
	for k := j; k < ci; k++ {
		switch toks[k].lo {
		case "the", "our", "a", "an", "now", "current", "new", "total", "project", "projected", "final", "updated", "revised", "estimated", "planned":
			continue
		}
		subj = append(subj, toks[k])
	}
	if len(subj) < 2 || len(subj) > 5 {
		return Claim{}, false
	}
	named := false
	for k, t := range subj {
		if t.capital && !isStop(t.lo) && (!t.first || k+1 < len(subj)) {
			named = true
		}
		if isStop(t.lo) && t.lo != "for" && t.lo != "of" {
			return Claim{}, false
		}
	}
	last := subj[len(subj)-1]
	if !named {
		return Claim{}, false
	}
	if last.capital {
		// "the budget for Falcon": the name goes in front (subjectKey).
		prep := false
		for _, t := range subj[1:] {
			prep = prep || t.lo == "for" || t.lo == "of"
		}
		if !prep {
			return Claim{}, false
		}
	}
	key := subjectKey(subj)
	owner := last.lo == "owner" || last.lo == "lead" || last.lo == "manager"
	for _, h := range hits {
		if m.cues[h.cue].sig == sigOwnedBy && tokenAt(toks, h.start) == after {
			owner = true
			after = tokenAt(toks, h.end)
		}
	}
	if owner {
		name := nameAfter(se, after)
		if name == "" {
			return Claim{}, false
		}
		k := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(key, " owner"), " lead"), " manager")
		return Claim{Subject: k, Attr: "owner", Value: strings.ToLower(name), Text: name, Passage: se.text}, true
	}
	for _, e := range ents {
		if e.start < after || e.start > after+2 {
			continue
		}
		attr := string(e.Kind)
		if e.Kind == EntityQuantity {
			if sp := strings.IndexByte(e.Norm, ' '); sp > 0 {
				attr = "quantity:" + e.Norm[sp+1:]
			}
		}
		if e.Kind != EntityMoney && e.Kind != EntityQuantity && e.Kind != EntityDate {
			continue
		}
		return Claim{Subject: key, Attr: attr, Value: e.Norm, Text: e.Text, Passage: se.text}, true
	}
	return Claim{}, false
}

// subjectStart: a subject starts after these words.
func subjectStart(w string) bool {
	switch w {
	case "the", "our", "a", "an", "this", "that", "their", "your", "his", "her", "its":
		return true
	}
	return isStop(w) && w != "for" && w != "of"
}

// subjectKey folds a claim's subject: lower case, "budget for Falcon"
// turned into "falcon budget", possessives dropped.
func subjectKey(subj []token) string {
	words := make([]string, 0, len(subj))
	for _, t := range subj {
		words = append(words, strings.TrimSuffix(t.lo, "'s"))
	}
	for i, w := range words {
		if (w == "for" || w == "of") && i > 0 && i+1 < len(words) {
			words = append(append([]string{}, words[i+1:]...), words[:i]...)
			break
		}
	}
	return strings.Join(words, " ")
}
