package memory

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// clauses holds the patterns that cut a statement into clauses and read
// each clause's polarity: the discourse markers before it ("actually",
// "in fact"), a first person plural to read as the user, and the cues that
// turn a fact around (no longer, not ... any more, stopped, quit, gave up,
// used to, never again, don't ... now). It is built once and read-only.
type clauses struct {
	// clauseCut finds where a new clause about the user begins inside a
	// sentence: ", I ...", "and I ...", "but my ...", "; we ...".
	clauseCut *regexp.Regexp
	// withMe is "my sister and I", "Anna and I": the user, with someone.
	withMe *regexp.Regexp
	// amAdverb is "I am really", "I am totally": the adverb says nothing
	// the fact needs.
	amAdverb *regexp.Regexp
	markers  *regexp.Regexp
	meant    *regexp.Regexp
	plural   *strings.Replacer
	// notReally is "I'm not really", "I really don't": the adverb softens,
	// the negation stays.
	notReally *regexp.Regexp
	// amInNow is "I'm in Nice now": where the user lives, said as where
	// they are (with "now", "these days").
	amInNow *regexp.Regexp
	// livedIn is "I lived in Rome": a past place.
	livedIn *regexp.Regexp
	// planHave is "I've got the dentist next Tuesday": something the user
	// has, on a date.
	planHave *regexp.Regexp
	// also is "I am also", "I also": the adverb says nothing the fact needs.
	also *regexp.Regexp
	// newJob is "I got a new job at Globex", "I joined Globex".
	newJob *regexp.Regexp
	// relNot is a negation about someone close: "my sister doesn't live in
	// Leeds any more", "my brother is no longer a chef".
	relNot *regexp.Regexp
	// gone is "my dog died", "my grandfather passed away".
	gone *regexp.Regexp
	// parted is "we divorced", "Tom and I split up", "I broke up with Sam".
	parted *regexp.Regexp
	// cameTo is "I've started to like", "I've come to love": the liking.
	cameTo *regexp.Regexp
	// marital is "I'm single", "I'm married to Tom", "I got married last
	// summer": one status, updated.
	marital *regexp.Regexp
	// turned is "I turned 42".
	turned *regexp.Regexp
	// lostThing is "I sold my Toyota", "I got rid of the car": what the
	// user had is gone.
	lostThing *regexp.Regexp
	// family is "my family lives", "our whole family moved": the user.
	family *regexp.Regexp
	// planPlace finds where a plan happens: "to Paris", "in New York".
	planPlace *regexp.Regexp
	// iAmName is "I am Jonas"; nationality tells "I am Dutch" apart.
	iAmName, nationality *regexp.Regexp
	// nowTail is a trailing "now", "these days": it says the fact holds,
	// which every fact does.
	nowTail *regexp.Regexp

	noLonger, notAnyMore, stopped, usedTo, neverAgain, quitJob, plainNot *regexp.Regexp
	// idle are first-person clauses that state no lasting fact: thoughts,
	// small talk and one-off past events.
	idle *regexp.Regexp
}

func newClauses() *clauses {
	c := &clauses{}
	c.clauseCut = regexp.MustCompile(`(?i)(?:,\s*(?:and\s+|but\s+|so\s+|then\s+)?|;\s*|\s+(?:and|but|so|though|although|whereas|while)\s+)((?:now\s+|then\s+|also\s+|actually\s+|(?:on|next|this|last|in)\s+\p{L}+\s+)?(?:i|we|my|our|it|it's|he|she|they|there|that|this|you)\s)`)
	c.withMe = regexp.MustCompile(`(?i)^(?:my\s+[\p{L}-]+(?:\s+[A-Z][\p{L}'-]+)?|[A-Z][\p{L}'-]+)\s+and\s+i\s+`)
	c.amAdverb = regexp.MustCompile(`(?i)^i\s+am\s+(?:(?:really|so|totally|very|quite|such|super|pretty|kind\s+of|sort\s+of|a\s+bit)\s+)+(into|a\s+fan|a\s+big\s+fan|fond|passionate)\b`)
	c.nowTail = regexp.MustCompile(`(?i),?\s+(?:now|right\s+now|these\s+days|nowadays|at\s+the\s+moment|currently|at\s+present)$`)
	c.notReally = regexp.MustCompile(`(?i)^i\s+(?:really\s+)?(am|do|did|have)\s+not\s+(?:really|so|that|too|much|particularly|exactly|actually)\s+`)
	c.amInNow = regexp.MustCompile(`^(?i:i\s+am\s+(?:now\s+|currently\s+)?(?:in|based\s+in|living\s+in|over\s+in))\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)*)(?i:,?\s+(?:now|these\s+days|nowadays|at\s+the\s+moment))$`)
	c.livedIn = regexp.MustCompile(`(?i)^i\s+lived\s+(in|at|near|on)\s+(.+)$`)
	c.planHave = regexp.MustCompile(`(?i)^i\s+(?:have\s+got|have|got|need\s+to\s+go\s+to)\s+(?:the|my|an?)\s+(.+)$`)
	c.also = regexp.MustCompile(`(?i)^i\s+(am\s+|have\s+|do\s+)?(?:also|too|as\s+well)\s+`)
	c.newJob = regexp.MustCompile(`^(?i:i\s+(?:have\s+|just\s+|recently\s+)*(?:got|started|took|accepted|landed|found|began)\s+(?:a\s+|an\s+|my\s+)?(?:new\s+)?(?:job|position|role|post)\s+(?:at|with)\s+)(.+)$|^(?i:i\s+(?:have\s+|just\s+|recently\s+)*(?:joined|started\s+at))\s+([A-Z].*)$`)
	c.relNot = regexp.MustCompile(`(?i)^(my\s+.+?)\s+(does\s+not|do\s+not|is\s+not|has\s+not|is\s+no\s+longer|no\s+longer)\s+(.+?)(?:,?\s+(?:any\s?more|any\s+longer|now))?$`)
	c.gone = regexp.MustCompile(`(?i)^(?:my|our)\s+(.+?)\s+(?:died|passed\s+away|passed|is\s+dead|ran\s+away)(\s+.*)?$`)
	c.parted = regexp.MustCompile(`^(?:([A-Z][\p{L}'-]+)\s+and\s+(?i:i)|(?i:we|i))\s+(?i:(?:got\s+|have\s+|are\s+|am\s+)?(?:divorced|separated|broke\s+up|split\s+up))(?:\s+(?i:from|with)\s+([A-Z][\p{L}'-]+))?(?:\s+.*)?$`)
	c.cameTo = regexp.MustCompile(`(?i)^i\s+(?:have\s+|had\s+)?(?:started|begun|began|come|grown|learned|learnt)\s+to\s+(like|love|enjoy|hate|dislike|prefer)\b`)
	c.marital = regexp.MustCompile(`(?i)^i\s+(?:am|got|have\s+got|just\s+got|recently\s+got|became|have\s+become)\s+(?:now\s+|just\s+|recently\s+)?(single|married|divorced|engaged|separated|widowed)(?:\s+to\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?))?(.*)$`)
	c.turned = regexp.MustCompile(`(?i)^i\s+(?:just\s+|recently\s+)?turned\s+(\d{1,3})\b`)
	c.lostThing = regexp.MustCompile(`(?i)^i\s+(?:have\s+|just\s+|finally\s+)*(?:sold|got\s+rid\s+of|gave\s+away|gotten\s+rid\s+of)\s+(.+)$`)
	c.family = regexp.MustCompile(`(?i)^(?:my|our)\s+(?:whole\s+)?(?:family|household)\s+(?:and\s+i\s+)?(\p{L}+)`)
	c.planPlace = regexp.MustCompile(`\b(?:to|in|at|visit|visiting|around)\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)*)`)
	c.iAmName = regexp.MustCompile(`^(?i:i\s+am)\s+([A-Z][\p{Ll}'-]+)$`)
	c.nationality = regexp.MustCompile(`(?:ish|ese|ian|ean|ch|ic|i|ese)$`)
	c.markers = regexp.MustCompile(`(?i)^(?:(?:actually|in fact|as a matter of fact|correction|sorry|oops|no|oh|well|so|also|and|but|anyway|btw|by the way|fyi|just so you know|for the record|to be honest|honestly|ok|okay|yes|yeah|hey|hi|hello|um|uh|update|note|remember that|remember|just|now|currently|these days|nowadays)\b[,:]?\s*)+`)
	c.meant = regexp.MustCompile(`(?i)^i\s+meant(?:\s+to\s+say)?(?:\s+that)?[,:]?\s+(.+?)(?:,?\s+not\s+.+)?$`)
	c.plural = strings.NewReplacer(
		"We are ", "I am ", "we are ", "I am ", "We were ", "I was ", "we were ", "I was ",
		"We have ", "I have ", "we have ", "I have ", "We've ", "I have ", "we've ", "I have ",
		"We ", "I ", "we ", "I ", "Our ", "My ", "our ", "my ", " us ", " me ", " ourselves", " myself",
	)
	c.noLonger = regexp.MustCompile(`(?i)^i\s+(am\s+|have\s+|do\s+)?no\s+longer\s+(.+)$`)
	c.notAnyMore = regexp.MustCompile(`(?i)^i\s+(do not|did not|am not|have not|will not|cannot|could not)\s+(?:really\s+|even\s+)?(.+?)(?:,?\s+(?:any\s?more|any\s+longer|now|these\s+days|nowadays))$`)
	c.stopped = regexp.MustCompile(`(?i)^i\s+(?:have\s+|had\s+|just\s+|recently\s+|finally\s+)*(?:stopped|quit|quitted|gave\s+up|given\s+up|gave\s+up\s+on|ceased|dropped\s+out\s+of|dropped)\s+(.+)$`)
	c.usedTo = regexp.MustCompile(`(?i)^i\s+used\s+to\s+(.+)$`)
	c.neverAgain = regexp.MustCompile(`(?i)^i\s+(?:will|am going to|would)\s+never\s+(.+?)\s+again$|^i\s+(?:am\s+)?never\s+(?:going\s+to\s+)?(.+?)\s+again$|^never\s+again\s+will\s+i\s+(.+)$`)
	c.quitJob = regexp.MustCompile(`^(?i:i\s+(?:have\s+|just\s+)*(?:quit|left|resigned\s+from|was\s+laid\s+off\s+from|lost)\s+(?:my\s+)?(?:job|position|role|work)(?:\s+(?:at|with)\s+(.+))?)$|^(?i:i\s+(?:have\s+|just\s+)*(?:quit|left|resigned\s+from))\s+([A-Z][\p{L}&.-]+(?:\s+[A-Z][\p{L}&.-]+)*)$`)
	c.plainNot = regexp.MustCompile(`(?i)^i\s+(do not|am not|have not|did not|never)\s+(.+)$`)
	c.idle = regexp.MustCompile(`(?i)^i\s+(?:think|thought|guess|suppose|wonder|wondered|wish|mean|know|knew|see|saw|agree|heard|hear|said|say|told|asked|ask|forgot|remember|believe|doubt|bet|feel\s+like|was\s+(?:just|wondering|thinking)|went|came|did|had|got|was|were|met|bought|watched|read|ate|made|took|called|texted|looked|noticed|found|tried|just|am\s+(?:at|on\s+my\s+way|sitting|standing|waiting|here|back|done|sure|not\s+sure|ready)|will\s+(?:be\s+right|check|see|think|let))\b`)
	return c
}

// Extract implements Extractor. It never fails; statements it does not
// understand give no candidates. now is when the text was said.
func (r *Rules) Extract(_ context.Context, text string, now time.Time) ([]Candidate, error) {
	var out []Candidate
	for _, s := range r.sentences(text) {
		if c, ok := r.clause(s, now); ok {
			if c.Said == "" {
				c.Said = s
			}
			out = append(out, c)
		}
	}
	return mergeRetractions(out), nil
}

// mergeRetractions drops a retraction that a later clause of the same text
// replaces: "I don't live in Paris any more, I live in Nice now" is one
// update of where the user lives, not a delete and an add.
func mergeRetractions(cs []Candidate) []Candidate {
	out := cs[:0]
	for i, c := range cs {
		replaced := false
		if c.Retract && !c.Forget && c.Attribute != "" {
			for _, later := range cs[i+1:] {
				if !later.Retract && later.Subject == c.Subject && later.Attribute == c.Attribute {
					replaced = true
					break
				}
			}
		}
		switch {
		case !replaced:
			out = append(out, c)
		case c.Fallback != nil:
			// "I used to live in Rome but now I live in Milan": the update
			// closes Rome when it is on record; when it is not, Rome is a
			// past fact of its own.
			c.Yield = true
			out = append(out, c)
		}
	}
	return out
}

// sentences splits text into clauses, one statement each.
func (r *Rules) sentences(text string) []string {
	text = r.contractions.Replace(" " + text + " ")
	var out []string
	for _, s := range r.splitter.Split(text, -1) {
		s = r.cl.clauseCut.ReplaceAllString(s, "\x00$1")
		for _, part := range strings.Split(s, "\x00") {
			part = strings.Trim(strings.Join(strings.Fields(part), " "), ` ,"'()`)
			if len(part) > 1 && len(part) < 500 {
				out = append(out, part)
			}
		}
	}
	return out
}

// clause reads one clause: markers and "we" first, then the polarity cues,
// then the fact itself.
func (r *Rules) clause(s string, now time.Time) (Candidate, bool) {
	correction := false
	if m := r.cl.markers.FindString(s); m != "" {
		lm := strings.ToLower(m)
		correction = strings.Contains(lm, "actually") || strings.Contains(lm, "in fact") || strings.Contains(lm, "correction") ||
			strings.Contains(lm, "sorry") || strings.Contains(lm, "matter of fact") || strings.HasPrefix(lm, "no")
		s = strings.TrimSpace(s[len(m):])
	}
	if m := r.cl.parted.FindStringSubmatch(s); m != nil {
		// The end of a marriage or a relationship: the partner's memory.
		// Any subject: the partner's own memories ("Girlfriend Lea is a
		// designer") say who they are.
		c := Candidate{Kind: KindRelationship, Retract: true, Loose: true,
			Match: strings.TrimSpace(m[1] + " " + m[2]), Text: s, MatchAny: partnerWords}
		if c.Match == "" {
			c.Match = "married"
		}
		return c, true
	}
	if m := r.cl.family.FindStringSubmatch(s); m != nil {
		// "Our family moved to Lisbon": the user, with theirs.
		verb := map[string]string{"lives": "live", "has": "have", "is": "am", "was": "was"}[strings.ToLower(m[1])]
		if verb == "" {
			verb = m[1]
		}
		s = "I " + verb + s[len(m[0]):]
	}
	s = r.cl.withMe.ReplaceAllString(s, "I ")
	s = r.cl.cameTo.ReplaceAllString(s, "I $1")
	s = r.cl.also.ReplaceAllString(s, "I $1")
	s = r.cl.amAdverb.ReplaceAllString(s, "I am $1")
	s = r.cl.notReally.ReplaceAllString(s, "I $1 not ")
	if l := strings.ToLower(s); strings.HasPrefix(l, "we ") || strings.HasPrefix(l, "our ") || strings.HasPrefix(l, "we've ") {
		s = r.cl.plural.Replace(s + " ")
		s = strings.TrimSpace(s)
	}
	if m := r.cl.meant.FindStringSubmatch(s); m != nil {
		if c, ok := r.clause(m[1], now); ok {
			c.Correction = true
			return c, true
		}
		v := cleanPlace(m[1])
		if v == "" || len(strings.Fields(v)) > 4 {
			return Candidate{}, false
		}
		return Candidate{Kind: KindFact, Value: v, Text: v, Correction: true}, true
	}
	c, ok := r.polar(s, now)
	if ok && correction && !c.Retract {
		// "Actually I live in Bergen now": an update like any other; the
		// marker only says the user is setting the record straight.
		c.Said = s
	}
	return c, ok
}

// polar applies the negation and retraction cues of a clause to the fact
// they govern.
func (r *Rules) polar(s string, now time.Time) (Candidate, bool) {
	if r.question.MatchString(s) && !strings.HasPrefix(strings.ToLower(s), "i ") {
		return Candidate{}, false
	}
	if m := r.leadingTime.FindStringSubmatch(s); m != nil {
		if _, ok := r.tp.future(m[1], now); ok {
			s = m[2] + " " + lowerFirst(m[1])
		} else if _, ok := r.tp.past(m[1], now); ok {
			s = m[2] + " " + lowerFirst(m[1])
		}
	}
	if m := r.forget.FindStringSubmatch(s); m != nil {
		inner := m[1]
		if c, ok := r.fact(inner, now); ok {
			c.Retract, c.Forget, c.Loose, c.Match = true, true, true, inner
			return c, true
		}
		return Candidate{Kind: KindFact, Retract: true, Forget: true, Loose: true, Match: inner, Text: inner, Value: inner}, true
	}
	if m := r.cl.quitJob.FindStringSubmatch(s); m != nil && m[2] != "" {
		// "I left Madrid", "I quit Globex": whichever of the user's facts
		// names it.
		name, ph := r.tp.split(m[2], now, false)
		c := Candidate{Kind: KindFact, Subject: SubjectUser, Retract: true, Loose: true, Match: name, Value: name, Text: name}
		c.ValidTo, _ = r.tp.past(ph, now)
		return c, true
	} else if m != nil {
		org := strings.TrimSpace(m[1])
		c := Candidate{Kind: KindWork, Subject: SubjectUser, Attribute: "works_at", Value: org, Retract: true, Text: "Works at " + org}
		if org != "" {
			org, ph := r.tp.split(org, now, false)
			c.Value, c.Text = org, "Works at "+org
			c.ValidTo, _ = r.tp.past(ph, now)
		}
		return c, true
	}
	if m := r.leftPlace.FindStringSubmatch(s); m != nil {
		place, ph := r.tp.split(m[1], now, false)
		c := Candidate{Kind: KindPlace, Subject: SubjectUser, Attribute: "lives_in", Value: cleanPlace(place), Retract: true, Text: "Lives in " + cleanPlace(place)}
		c.ValidTo, _ = r.tp.past(ph, now)
		return c, true
	}
	if m := r.cl.turned.FindStringSubmatch(s); m != nil {
		return r.fact("I am "+m[1], now)
	}
	if m := r.cl.lostThing.FindStringSubmatch(s); m != nil {
		return r.retractMatching("I "+m[1], m[1], "", now)
	}
	if m := r.cl.newJob.FindStringSubmatch(s); m != nil {
		return r.fact("I work at "+m[1]+m[2], now)
	}
	if m := r.cl.gone.FindStringSubmatch(s); m != nil {
		c := Candidate{Kind: KindRelationship, Retract: true, Loose: true, Match: m[1], Text: capitalise(thirdPerson("my " + m[1]))}
		c.ValidTo, _ = r.tp.past(m[2], now)
		return c, true
	}
	if m := r.cl.relNot.FindStringSubmatch(s); m != nil {
		neg, rest := strings.ToLower(strings.Join(strings.Fields(m[2]), " ")), m[3]
		switch neg {
		case "does not", "do not":
			rest = thirdPersonVerb("I " + rest)
		case "is not", "is no longer":
			rest = "is " + rest
		case "has not":
			rest = "has " + rest
		}
		return r.retract(m[1]+" "+rest, "", now)
	}
	if m := r.cl.usedTo.FindStringSubmatch(s); m != nil {
		return r.usedTo(m[1], now)
	}
	if m := r.cl.livedIn.FindStringSubmatch(s); m != nil {
		return r.usedTo("live "+m[1]+" "+m[2], now)
	}
	if m := r.cl.amInNow.FindStringSubmatch(s); m != nil {
		return r.place("lives_in", "Lives in", m[1], now, 0.8), true
	}
	if m := r.cl.noLonger.FindStringSubmatch(s); m != nil {
		aux := strings.ToLower(strings.TrimSpace(m[1]))
		positive := "I " + m[2]
		if aux == "am" || aux == "have" {
			positive = "I " + aux + " " + m[2]
		}
		return r.retract(positive, "", now)
	}
	if m := r.cl.neverAgain.FindStringSubmatch(s); m != nil {
		return r.retract("I "+m[1]+m[2]+m[3], "", now)
	}
	if m := r.cl.stopped.FindStringSubmatch(s); m != nil {
		return r.retractMatching("I "+ungerund(m[1]), m[1], "", now)
	}
	if m := r.cl.notAnyMore.FindStringSubmatch(s); m != nil {
		neg, rest := strings.ToLower(m[1]), m[2]
		positive := "I " + rest
		switch neg {
		case "am not":
			positive = "I am " + rest
		case "have not":
			positive = "I have " + rest
		}
		// With no liking on record, "I don't like X any more" still says
		// the user dislikes X now.
		fallback := ""
		if neg == "do not" {
			fallback = "I do not " + rest
		}
		return r.retract(positive, fallback, now)
	}
	if c, ok := r.fact(s, now); ok {
		return c, true
	}
	if m := r.cl.plainNot.FindStringSubmatch(s); m != nil {
		neg, rest := strings.ToLower(m[1]), m[2]
		positive := "I " + rest
		switch neg {
		case "am not":
			positive = "I am " + rest
		case "have not":
			positive = "I have " + rest
		}
		c, ok := r.retract(positive, "", now)
		if !ok {
			return c, false
		}
		if c.Attribute != "lives_in" && c.Attribute != "works_at" && c.Kind != KindPlan && c.Kind != KindFeeling {
			// A plain negation with nothing to contradict is a fact of its
			// own ("I don't eat meat").
			n := Candidate{Kind: KindFact, Subject: SubjectUser, Attribute: "not:" + r.a.key(rest), Value: rest,
				Text: "Does not " + thirdPerson(strings.TrimSpace(rest)), Importance: 0.5}
			if neg == "am not" {
				n.Text = "Is not " + thirdPerson(rest)
			} else if neg == "have not" {
				n.Text = "Has not " + thirdPerson(rest)
			} else if neg == "never" {
				n.Text = "Never " + thirdPerson(rest)
			}
			c.Fallback = &n
		}
		c.Said = s
		return c, true
	}
	return Candidate{}, false
}

// retract makes the retraction of the fact positive states. fallback, when
// not empty, is what to remember when no memory matches.
func (r *Rules) retract(positive, fallback string, now time.Time) (Candidate, bool) {
	return r.retractMatching(positive, positive, fallback, now)
}

// retractMatching is retract with the words a loose match looks for given
// apart (the gerund "smoking" stems like "smokes"; "smoke" may not).
func (r *Rules) retractMatching(positive, match, fallback string, now time.Time) (Candidate, bool) {
	rest, ph := r.tp.split(positive, now, false)
	match, _ = r.tp.split(match, now, false)
	end, _ := r.tp.past(ph, now)
	var c Candidate
	ok := false
	if f := strings.Fields(strings.ToLower(rest)); len(f) < 2 || !determiners[f[1]] {
		// "I quit the choir" names a thing, not a statement to parse.
		c, ok = r.fact(rest, now)
	}
	if !ok {
		if len(r.a.matchTerms(rest)) == 0 || r.cl.idle.MatchString(rest) {
			return Candidate{}, false
		}
		c = Candidate{Kind: KindFact, Text: strings.TrimSpace(match), Value: rest, Loose: true}
	}
	c.Retract, c.ValidTo, c.Match = true, end, match
	c.ValidFrom = time.Time{}
	if c.Attribute != "lives_in" && c.Attribute != "works_at" {
		// A job may be on record as "Is a nurse": found by its words.
		c.Loose = true
	}
	if fallback != "" {
		if f, ok := r.fact(fallback, now); ok && !f.Retract && f.Kind == KindPreference {
			c.Fallback = &f
		}
	}
	return c, true
}

// usedTo reads "I used to ...": a retraction of the fact when it is on
// record, else a past fact of its own, its span closed when it was said.
func (r *Rules) usedTo(rest string, now time.Time) (Candidate, bool) {
	positive := "I " + rest
	if strings.HasPrefix(strings.ToLower(rest), "be ") {
		positive = "I am " + rest[3:]
	}
	c, ok := r.retract(positive, "", now)
	if !ok {
		return c, false
	}
	body, _ := r.tp.split(rest, now, false)
	past := Candidate{Kind: KindFact, Subject: SubjectUser, Attribute: "past:" + r.a.key(body), Value: body,
		Text: "Used to " + thirdPerson(strings.TrimSpace(body)), Importance: 0.4, ValidTo: now}
	if c.Kind == KindPlace || c.Kind == KindWork {
		past.Kind, past.Places, past.Importance = c.Kind, c.Places, 0.5
	}
	if !c.ValidTo.IsZero() {
		past.ValidTo = c.ValidTo
	}
	c.Fallback = &past
	return c, true
}

// partnerWords are what a partner's memory says of them.
var partnerWords = []string{"married", "wife", "husband", "spouse", "partner", "girlfriend", "boyfriend", "fiance", "fiancee"}

var determiners = map[string]bool{"the": true, "my": true, "a": true, "an": true, "his": true, "her": true, "our": true, "their": true, "this": true, "that": true}

// ungerund turns the gerund after "stopped" into a plain verb: "going to
// the choir" -> "go to the choir", "smoking" -> "smoke".
func ungerund(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return s
	}
	w := strings.ToLower(f[0])
	if !strings.HasSuffix(w, "ing") || len(w) < 5 {
		return s
	}
	stem := w[:len(w)-3]
	switch {
	case len(stem) >= 3 && stem[len(stem)-1] == stem[len(stem)-2] && !strings.ContainsRune("aeiouls", rune(stem[len(stem)-1])):
		stem = stem[:len(stem)-1] // swimming, running
	case strings.HasSuffix(stem, "k") && !strings.HasSuffix(stem, "nk") && !strings.HasSuffix(stem, "lk") && !strings.HasSuffix(stem, "ck"),
		strings.HasSuffix(stem, "v"), strings.HasSuffix(stem, "nc"), strings.HasSuffix(stem, "us"), strings.HasSuffix(stem, "rit"):
		stem += "e" // smoking, driving, dancing, using, writing
	}
	f[0] = stem
	return strings.Join(f, " ")
}
