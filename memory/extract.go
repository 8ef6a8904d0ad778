package memory

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// Memory kinds.
const (
	KindPreference   = "preference"
	KindRelationship = "relationship"
	KindPlace        = "place"
	KindPlan         = "plan"
	KindFeeling      = "feeling"
	KindWork         = "work"
	KindFact         = "fact"
)

// ValidKind reports whether kind is one of the memory kinds.
func ValidKind(kind string) bool {
	switch kind {
	case KindPreference, KindRelationship, KindPlace, KindPlan, KindFeeling, KindWork, KindFact:
		return true
	}
	return false
}

// SubjectUser is the subject of facts about the user themself.
const SubjectUser = "user"

// Candidate is one fact an extractor found. Subject and Attribute identify
// what it is about: a later candidate with the same pair and another value
// updates it; one with Retract set deletes it.
type Candidate struct {
	Kind      string     `json:"kind"`
	Subject   string     `json:"subject"`
	Attribute string     `json:"attribute"`
	Value     string     `json:"value"`
	Text      string     `json:"memory"`
	People    []string   `json:"people,omitempty"`
	Places    []string   `json:"places,omitempty"`
	Emotions  []string   `json:"emotions,omitempty"`
	Trigger   string     `json:"trigger,omitempty"`
	When      *time.Time `json:"when,omitempty"`
	// ValidFrom is when the fact began, when the statement says so ("last
	// year", "since 2019"); zero means unknown, and the memory starts when
	// it was told.
	ValidFrom time.Time `json:"valid_from,omitzero"`
	// ValidTo is when the fact ended, for a fact told in the past ("I used
	// to live in Rome") or a retraction that says when ("I stopped going to
	// the choir last year"); zero means unknown (a retraction then ends
	// when it was said).
	ValidTo time.Time `json:"valid_to,omitzero"`
	// WhenTo ends a plan's range ("between Monday and Friday").
	WhenTo     *time.Time `json:"when_to,omitempty"`
	Importance float64    `json:"importance"`
	Retract    bool       `json:"retract,omitempty"`
	// Forget marks a retraction that erases ("forget that ..."): the fact
	// is retired in record time only, its valid time is left alone.
	Forget bool `json:"forget,omitempty"`
	// Correction marks a statement that corrects an earlier one ("I
	// meant ..."): the old version was never right. A correction without an
	// attribute names only a new value, for the memory told last.
	Correction bool `json:"correction,omitempty"`
	// Loose lets a retraction fall back to the memory whose words Match
	// covers best when no memory has its subject and attribute.
	Loose bool   `json:"-"`
	Match string `json:"-"`
	// MatchAny, when set, are words one of which the memory a loose
	// retraction finds must hold ("married", "wife", ... for a divorce).
	MatchAny []string `json:"-"`
	// Fallback is what a retraction means when no memory matches it ("I
	// don't like olives any more" with no liking on record is a dislike).
	Fallback *Candidate `json:"-"`
	// Yield marks a retraction a later clause of the same text replaces:
	// it does nothing when its memory is on record (the later clause
	// updates it) and applies its Fallback when not.
	Yield bool `json:"-"`
	// Said is the sentence the candidate came from.
	Said string `json:"said"`
}

// Extractor turns a statement into candidate facts about the user. now is
// the time relative dates ("last year") are counted from.
type Extractor interface {
	Extract(ctx context.Context, text string, now time.Time) ([]Candidate, error)
}

// Rules is the offline, rule-based extractor. It is built once (NewRules)
// and safe for concurrent use.
type Rules struct {
	a  *analyzer
	tp *timeParser
	cl *clauses

	contractions *strings.Replacer
	splitter     *regexp.Regexp

	forget, leftPlace                            *regexp.Regexp
	moved, live, home, from, grewUp              *regexp.Regexp
	relNamed, relHave, relIsMy, relUnnamed       *regexp.Regexp
	relLives, relWorks, relIs                    *regexp.Regexp
	pref, favourite                              *regexp.Regexp
	feelWhen, makesMe, feelNow                   *regexp.Regexp
	planVerb, planProgressive, leadingTime       *regexp.Regexp
	workAt, workAs, job, name, age, have, myXIsY *regexp.Regexp
	firstPerson, question                        *regexp.Regexp
	emotions                                     map[string]string // adjective -> emotion noun
	relations                                    map[string]string // relation word -> canonical
	prefVerbs                                    map[string]string // verb phrase -> polarity
}

// NewRules builds the rule-based extractor, compiling its patterns once.
func NewRules() *Rules {
	r := &Rules{a: newAnalyzer(), tp: newTimeParser(), cl: newClauses()}
	r.contractions = strings.NewReplacer(
		"’", "'", "‘", "'", "I'm ", "I am ", "i'm ", "i am ", " Im ", " I am ", " im ", " i am ",
		"I've ", "I have ", "i've ", "i have ", "I'll ", "I will ", "i'll ", "i will ",
		"I'd ", "I would ", "i'd ", "i would ", "don't", "do not", "Don't", "Do not", " dont ", " do not ",
		"can't", "cannot", "won't", "will not", "we're ", "we are ", "We're ", "We are ",
		"isn't", "is not", "doesn't", "does not", "haven't", "have not", "I'M ", "I AM ",
	)
	r.splitter = regexp.MustCompile(`[.!;\n]+(?:\s+|$)|\?(?:\s+|$)`)

	r.emotions = map[string]string{}
	for _, pair := range strings.Fields(`anxious:anxiety nervous:nervousness worried:worry stressed:stress
		stressed-out:stress tense:tension scared:fear afraid:fear frightened:fear terrified:fear panicky:panic
		sad:sadness down:sadness depressed:depression unhappy:sadness lonely:loneliness upset:upset hurt:hurt
		angry:anger mad:anger annoyed:annoyance irritated:irritation furious:anger frustrated:frustration
		overwhelmed:overwhelm exhausted:exhaustion tired:tiredness drained:exhaustion burned-out:burnout
		guilty:guilt ashamed:shame embarrassed:embarrassment jealous:jealousy envious:envy insecure:insecurity
		happy:happiness glad:happiness joyful:joy excited:excitement calm:calm relaxed:relaxation content:contentment
		grateful:gratitude thankful:gratitude proud:pride hopeful:hope confident:confidence loved:love
		bored:boredom confused:confusion disappointed:disappointment helpless:helplessness restless:restlessness
		uneasy:unease uncomfortable:discomfort excluded:exclusion ignored:neglect appreciated:appreciation`) {
		adj, noun, _ := strings.Cut(pair, ":")
		r.emotions[adj] = noun
	}
	r.relations = map[string]string{}
	for _, pair := range strings.Fields(`sister brother mother mom:mother mum:mother father dad:father parents
		wife husband partner spouse girlfriend boyfriend fiance fiancee son daughter kid:child child
		friend best-friend:friend boss manager colleague coworker:colleague co-worker:colleague cousin aunt
		uncle grandmother grandma:grandmother granny:grandmother grandfather grandpa:grandfather niece nephew
		roommate flatmate housemate neighbour neighbor:neighbour therapist doctor teacher mentor
		stepmother stepfather stepsister stepbrother dog cat`) {
		w, canon, ok := strings.Cut(pair, ":")
		if !ok {
			canon = w
		}
		r.relations[strings.ReplaceAll(w, "-", " ")] = canon
	}
	r.prefVerbs = map[string]string{
		"love": "loves", "adore": "loves", "like": "likes", "enjoy": "enjoys", "am into": "likes",
		"am a fan of": "likes", "am a big fan of": "loves", "am fond of": "likes", "am passionate about": "loves",
		"hate": "hates", "detest": "hates", "cannot stand": "hates", "dislike": "dislikes",
		"do not like": "dislikes", "do not enjoy": "dislikes", "do not love": "dislikes",
		"am not a fan of": "dislikes", "prefer": "prefers", "am not a big fan of": "dislikes", "am not into": "dislikes",
		"am not fond of": "dislikes", "do not care for": "dislikes", "am not keen on": "dislikes", "am keen on": "likes",
	}

	emo := alternation(r.emotions)
	rel := alternation(r.relations)
	mod := `(?:(?:older|younger|little|big|baby|twin|best|step|ex|elder|new|old|oldest|youngest|eldest)[\s-]+)?`
	name := `([A-Z][\p{L}'’-]+(?:\s+[A-Z][\p{L}'’-]+)?)`
	adv := `(?:(?:so|really|very|a bit|quite|a little|kind of|super|extremely|pretty|always|often|usually|sometimes|still|totally|absolutely|truly|also|just|actually)\s+)*`

	r.forget = regexp.MustCompile(`(?i)^(?:please\s+)?(?:forget|remove|delete|erase)\s+(?:that\s+|about\s+|the\s+fact\s+that\s+|what\s+i\s+said\s+about\s+)?(.+)$`)
	r.leftPlace = regexp.MustCompile(`(?i)^i\s+(?:have\s+)?(?:just\s+)?(?:moved\s+(?:away\s+)?(?:out\s+)?from|moved\s+out\s+of|left)\s+(.+)$`)

	r.moved = regexp.MustCompile(`(?i)^i\s+(?:have\s+|had\s+)?(?:just\s+|recently\s+|finally\s+|now\s+)?(?:moved|relocated)\s+(?:back\s+)?(?:to|into)\s+(.+)$`)
	r.live = regexp.MustCompile(`(?i)^i\s+(?:now\s+|currently\s+|still\s+|actually\s+)?(?:live|am living|have lived|have been living|reside|am residing|am based|am now based|am currently based|am currently living|am now living|am settled)\s+(?:in|at|near|on)\s+(.+)$`)
	r.home = regexp.MustCompile(`(?i)^(?:my\s+)?home\s+is\s+(?:now\s+)?(?:in\s+)?(.+)$`)
	r.from = regexp.MustCompile(`(?i)^i\s+(?:am|come)\s+(?:originally\s+)?from\s+(.+)$`)
	r.grewUp = regexp.MustCompile(`(?i)^i\s+grew\s+up\s+(?:in|on|near)\s+(.+)$`)

	r.relNamed = regexp.MustCompile(`^(?i:my)\s+` + `(?i:` + mod + `(` + rel + `))` + `(?:\s+(?i:is called|is named|called|named)|(?i:'s name is)|,)?\s+` + name + `(.*)$`)
	r.relHave = regexp.MustCompile(`^(?i:i\s+have\s+(?:a|an|one)\s+)` + `(?i:` + mod + `(` + rel + `))` + `(?:\s+(?i:called|named|who is called))?\s*,?\s+` + name + `(.*)$`)
	r.relIsMy = regexp.MustCompile(`^` + name + `\s+(?i:is\s+my)\s+(?i:` + mod + `(` + rel + `))(.*)$`)
	r.relUnnamed = regexp.MustCompile(`(?i)^my\s+` + mod + `(` + rel + `)\s+((?:is|lives|works|has|loves|likes|hates|was|just|moved|got|recently|now)\b.*)$`)
	r.relLives = regexp.MustCompile(`(?i)^,?\s*(?:who\s+|and\s+)?(?:lives|is living|has moved|moved|is based|just moved|recently moved|now lives)\s+(?:in|to|at|near)\s+(.+)$`)
	r.relWorks = regexp.MustCompile(`(?i)^,?\s*(?:who\s+|and\s+)?(?:works|is working)\s+(?:at|for)\s+(.+)$`)
	r.relIs = regexp.MustCompile(`(?i)^,?\s*(?:who\s+|and\s+)?is\s+(?:a|an|now a|now an)\s+(.+)$`)

	r.pref = regexp.MustCompile(`(?i)^i\s+` + adv + `(love|adore|like|enjoy|am into|am a fan of|am a big fan of|am fond of|am passionate about|hate|detest|cannot stand|dislike|do not like|do not enjoy|do not love|am not a fan of|am not a big fan of|am not into|am not fond of|do not care for|am not keen on|am keen on|prefer)\s+(.+)$`)
	r.favourite = regexp.MustCompile(`(?i)^my\s+(?:all[- ]time\s+)?favou?rite\s+(.+?)\s+(?:is|are)\s+(.+)$`)

	r.feelWhen = regexp.MustCompile(`(?i)^(?:sometimes\s+|often\s+)?i\s+` + adv + `(?:tend to\s+|start to\s+)?(?:feel|get|am|become|grow|feel myself)\s+` + adv + `(` + emo + `)\s+(when|whenever|if|because|about|before|after|around|during|at|by|with|every time|each time|whenever)\s+(.+)$`)
	r.makesMe = regexp.MustCompile(`(?i)^(.+?)\s+(?:always\s+|often\s+|really\s+|just\s+)?(?:makes|make|made|is making|gets|get)\s+me\s+(?:feel\s+)?` + adv + `(` + emo + `)$`)
	r.feelNow = regexp.MustCompile(`(?i)^i\s+(?:feel|am feeling|have been feeling|am|have felt)\s+` + adv + `(` + emo + `)(?:\s+(?:today|lately|recently|these days|right now|now|at the moment|all the time))?$`)

	r.planVerb = regexp.MustCompile(`(?i)^(?:i|we)\s+(?:am\s+|are\s+)?(planning\s+to|planning\s+on|plan\s+to|going\s+to|gonna|intend\s+to|hope\s+to|want\s+to|would\s+like\s+to|will|shall|am\s+about\s+to|need\s+to|have\s+to)\s+(.+)$`)
	r.planProgressive = regexp.MustCompile(`(?i)^(?:i|we)\s+(?:am|are)\s+(.+)$`)
	r.leadingTime = regexp.MustCompile(`(?i)^((?:next|this|on|in|tomorrow|tonight|later)\b[^,]*?),?\s+((?:i|we)\s.+)$`)

	r.workAt = regexp.MustCompile(`(?i)^i\s+(?:now\s+|currently\s+|still\s+)?(?:work|am working|have worked|have been working|started working)\s+(?:at|for)\s+(.+)$`)
	r.workAs = regexp.MustCompile(`(?i)^i\s+(?:now\s+|currently\s+)?(?:work|am working)\s+as\s+(?:a\s+|an\s+)?(.+)$`)
	r.job = regexp.MustCompile(`(?i)^my\s+(?:job|profession|occupation|role|job title)\s+is\s+(?:a\s+|an\s+)?(.+)$`)
	r.name = regexp.MustCompile(`(?i)^(?:my name is|i am called|call me|people call me|my name's)\s+(.+)$`)
	r.age = regexp.MustCompile(`(?i)^i\s+am\s+(\d{1,3})(?:\s+years?\s+old)?$`)
	r.have = regexp.MustCompile(`(?i)^i\s+(?:have|have got|own)\s+(?:a|an|one|two|three|four|\d+)\s+(.+)$`)
	r.myXIsY = regexp.MustCompile(`(?i)^my\s+([\p{L} -]{2,40}?)\s+(?:is|are)\s+(.+)$`)
	r.firstPerson = regexp.MustCompile(`(?i)^(?:i|my)\s+\S+\s+\S+`)
	r.question = regexp.MustCompile(`(?i)^(?:what|where|who|when|why|how|do|does|did|can|could|would|should|is|are|will)\b`)
	return r
}

func alternation[V any](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, regexp.QuoteMeta(k))
	}
	// Longest first, so "best friend" wins over "friend"; then in order,
	// so the pattern is the same on every run.
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) > len(keys[j])
		}
		return keys[i] < keys[j]
	})
	return strings.Join(keys, "|")
}

// fact matches one positive statement.
func (r *Rules) fact(s string, now time.Time) (Candidate, bool) {
	s = r.cl.nowTail.ReplaceAllString(s, "")
	if m := r.moved.FindStringSubmatch(s); m != nil {
		return r.place("lives_in", "Lives in", m[1], now, 0.8), true
	}
	if m := r.live.FindStringSubmatch(s); m != nil {
		return r.place("lives_in", "Lives in", m[1], now, 0.8), true
	}
	if m := r.home.FindStringSubmatch(s); m != nil {
		return r.place("lives_in", "Lives in", m[1], now, 0.8), true
	}
	if m := r.from.FindStringSubmatch(s); m != nil {
		return r.place("from", "Is from", m[1], now, 0.7), true
	}
	if m := r.grewUp.FindStringSubmatch(s); m != nil {
		return r.place("grew_up_in", "Grew up in", m[1], now, 0.6), true
	}
	if m := r.feelWhen.FindStringSubmatch(s); m != nil {
		return r.feeling(m[1], m[2]+" "+m[3], m[3]), true
	}
	if m := r.makesMe.FindStringSubmatch(s); m != nil && !strings.EqualFold(m[1], "i") {
		return r.feeling(m[2], "because of "+lowerFirst(m[1]), m[1]), true
	}
	if m := r.feelNow.FindStringSubmatch(s); m != nil {
		return r.feeling(m[1], "", ""), true
	}
	if m := r.relNamed.FindStringSubmatch(s); m != nil {
		return r.relationship(m[1], m[2], m[3], now), true
	}
	if m := r.relHave.FindStringSubmatch(s); m != nil {
		return r.relationship(m[1], m[2], m[3], now), true
	}
	if m := r.relIsMy.FindStringSubmatch(s); m != nil {
		return r.relationship(m[2], m[1], m[3], now), true
	}
	if m := r.relUnnamed.FindStringSubmatch(s); m != nil {
		return r.relationship(m[1], "", " "+m[2], now), true
	}
	if m := r.favourite.FindStringSubmatch(s); m != nil {
		what, val := strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
		return Candidate{Kind: KindPreference, Subject: SubjectUser, Attribute: "favourite:" + r.a.key(what), Value: val,
			Text: "Favourite " + what + ": " + val, Importance: 0.6}, true
	}
	if m := r.pref.FindStringSubmatch(s); m != nil {
		pol := r.prefVerbs[strings.ToLower(strings.Join(strings.Fields(m[1]), " "))]
		obj := strings.TrimSpace(m[2])
		if pol == "" || obj == "" {
			return Candidate{}, false
		}
		return Candidate{Kind: KindPreference, Subject: SubjectUser, Attribute: "pref:" + r.a.key(obj), Value: pol,
			Text: capitalise(pol) + " " + thirdPerson(obj), Importance: 0.6}, true
	}
	if m := r.workAs.FindStringSubmatch(s); m != nil {
		job, ph := r.tp.split(m[1], now, false)
		c := Candidate{Kind: KindWork, Subject: SubjectUser, Attribute: "job", Value: job, Text: "Works as " + article(job), Importance: 0.7}
		c.ValidFrom, _ = r.tp.past(ph, now)
		return c, true
	}
	if m := r.workAt.FindStringSubmatch(s); m != nil {
		org, ph := r.tp.split(m[1], now, false)
		c := Candidate{Kind: KindWork, Subject: SubjectUser, Attribute: "works_at", Value: org, Text: "Works at " + org, Importance: 0.7}
		if c.ValidFrom, _ = r.tp.past(ph, now); !c.ValidFrom.IsZero() {
			c.Text += " (since " + approx(c.ValidFrom) + ")"
		}
		return c, true
	}
	if m := r.job.FindStringSubmatch(s); m != nil {
		return Candidate{Kind: KindWork, Subject: SubjectUser, Attribute: "job", Value: m[1], Text: "Works as " + article(m[1]), Importance: 0.7}, true
	}
	if m := r.cl.marital.FindStringSubmatch(s); m != nil {
		status := strings.ToLower(m[1])
		c := Candidate{Kind: KindRelationship, Subject: SubjectUser, Attribute: "marital_status", Value: status, Text: "Is " + status, Importance: 0.8}
		if m[2] != "" {
			c.Text += " to " + m[2]
			c.People = []string{m[2]}
			c.Value += " to " + m[2]
		}
		_, ph := r.tp.split(m[3], now, false)
		if c.ValidFrom, _ = r.tp.past(ph, now); !c.ValidFrom.IsZero() {
			c.Text += " (since " + approx(c.ValidFrom) + ")"
		}
		return c, true
	}
	if m := r.cl.iAmName.FindStringSubmatch(s); m != nil && !r.cl.nationality.MatchString(m[1]) {
		return Candidate{Kind: KindFact, Subject: SubjectUser, Attribute: "name", Value: m[1], Text: "Is called " + m[1], Importance: 0.9}, true
	}
	if m := r.name.FindStringSubmatch(s); m != nil {
		return Candidate{Kind: KindFact, Subject: SubjectUser, Attribute: "name", Value: m[1], Text: "Is called " + m[1], Importance: 0.9}, true
	}
	if m := r.age.FindStringSubmatch(s); m != nil {
		return Candidate{Kind: KindFact, Subject: SubjectUser, Attribute: "age", Value: m[1], Text: "Is " + m[1] + " years old", Importance: 0.5}, true
	}
	if c, ok := r.plan(s, now); ok {
		return c, true
	}
	if m := r.cl.planHave.FindStringSubmatch(s); m != nil {
		if _, ph := r.tp.split(m[1], now, true); ph != "" {
			return r.planned(capitalise(thirdPersonVerb(s)), m[1], now)
		}
	}
	if m := r.have.FindStringSubmatch(s); m != nil {
		if _, ph := r.tp.split(m[1], now, true); ph != "" {
			// "I have a dentist appointment next Tuesday" is a plan.
			return r.planned(capitalise(thirdPersonVerb(s)), m[1], now)
		}
		return Candidate{Kind: KindFact, Subject: SubjectUser, Attribute: "has:" + r.a.key(m[1]), Value: m[1],
			Text: capitalise(thirdPersonVerb(s)), Importance: 0.5}, true
	}
	if m := r.myXIsY.FindStringSubmatch(s); m != nil {
		if _, ph := r.tp.split(" "+m[2], now, true); ph != "" && ph == strings.TrimSpace(m[2]) {
			// "My interview is on Friday" is a plan.
			return r.planned(capitalise(thirdPerson(s)), m[1]+" "+m[2], now)
		}
		return Candidate{Kind: KindFact, Subject: SubjectUser, Attribute: r.a.key(m[1]), Value: m[2],
			Text: capitalise(thirdPerson(s)), Importance: 0.5}, true
	}
	if r.statesFact(s) {
		k := r.a.key(s)
		if k == "" {
			return Candidate{}, false
		}
		return Candidate{Kind: KindFact, Subject: SubjectUser, Attribute: "fact:" + k, Value: s,
			Text: capitalise(thirdPersonVerb(s)), Importance: 0.4}, true
	}
	return Candidate{}, false
}

// statesFact reports whether a first-person clause the patterns did not
// take states a lasting fact of its own ("I swim on Sundays", "I smoke"):
// not a question, not idle talk, not a negation (those are read by polar).
func (r *Rules) statesFact(s string) bool {
	if strings.HasSuffix(s, "?") || r.cl.idle.MatchString(s) || r.cl.plainNot.MatchString(s) {
		return false
	}
	if r.firstPerson.MatchString(s) {
		return true
	}
	f := strings.Fields(strings.ToLower(s))
	if len(f) != 2 || f[0] != "i" {
		return false
	}
	switch f[1] {
	case "am", "do", "can", "will", "was", "would", "could", "should", "must", "might", "did", "have", "had", "see", "know", "agree", "mean", "guess", "think", "promise", "understand",
		"quit", "stopped", "left", "gave", "tried", "failed", "lost", "won", "forgot", "remember", "wonder", "care":
		return false
	}
	return true
}

func (r *Rules) place(attr, verb, raw string, now time.Time, imp float64) Candidate {
	place, ph := r.tp.split(raw, now, false)
	place = cleanPlace(place)
	c := Candidate{Kind: KindPlace, Subject: SubjectUser, Attribute: attr, Value: place, Places: []string{place}, Importance: imp}
	c.ValidFrom, _ = r.tp.past(ph, now)
	c.Text = verb + " " + place
	if !c.ValidFrom.IsZero() {
		c.Text += " (since " + approx(c.ValidFrom) + ")"
	}
	return c
}

func (r *Rules) feeling(adj, clause, trigger string) Candidate {
	adj = strings.ToLower(adj)
	emo := r.emotions[adj]
	if emo == "" {
		emo = adj
	}
	trigger = strings.TrimSpace(trigger)
	c := Candidate{Kind: KindFeeling, Subject: SubjectUser, Attribute: "feels:" + emo, Value: emo,
		Emotions: []string{emo}, Trigger: trigger, Importance: 0.7}
	c.Text = "Feels " + adj
	if trigger != "" {
		c.Attribute += ":" + r.a.key(trigger)
		c.Text += " " + thirdPerson(strings.TrimSpace(clause))
	} else {
		c.Importance = 0.4
	}
	return c
}

func (r *Rules) relationship(relWord, name, rest string, now time.Time) Candidate {
	rel := r.relations[strings.ToLower(strings.Join(strings.Fields(relWord), " "))]
	if rel == "" {
		rel = strings.ToLower(relWord)
	}
	rest = strings.TrimSpace(strings.TrimLeft(rest, ", "))
	subject, who := rel, rel
	c := Candidate{Kind: KindRelationship, Importance: 0.8}
	if name != "" {
		subject = rel + ":" + r.a.key(name)
		who = name
		c.People = []string{name}
	} else {
		c.People = []string{rel}
	}
	label := capitalise(rel)
	if name != "" {
		label += " " + name
	}
	c.Subject = subject
	switch m := [3][]string{r.relLives.FindStringSubmatch(rest), r.relWorks.FindStringSubmatch(rest), r.relIs.FindStringSubmatch(rest)}; {
	case rest == "":
		c.Subject, c.Attribute, c.Value = SubjectUser, "relation:"+subject, who
		c.Text = "Has a " + rel
		if name != "" {
			c.Text += " named " + name
		}
	case m[0] != nil && !strings.HasPrefix(strings.ToLower(m[0][1]), "with "):
		// ("moved in with us" names no place.)
		place, ph := r.tp.split(m[0][1], now, false)
		place = cleanPlace(place)
		c.Attribute, c.Value, c.Places = "lives_in", place, []string{place}
		c.ValidFrom, _ = r.tp.past(ph, now)
		c.Text = label + " lives in " + place
	case m[1] != nil:
		c.Attribute, c.Value = "works_at", m[1][1]
		c.Text = label + " works at " + m[1][1]
	case m[2] != nil:
		c.Attribute, c.Value = "is", m[2][1]
		c.Text = label + " is " + article(m[2][1])
	default:
		c.Attribute, c.Value = "fact:"+r.a.key(rest), rest
		c.Text = label + " " + thirdPerson(rest)
	}
	return c
}

func (r *Rules) plan(s string, now time.Time) (Candidate, bool) {
	if f := strings.Fields(strings.ToLower(s)); len(f) > 2 && (f[2] == "not" || f[2] == "never" || f[1] == "never") {
		// "I am not going to ...", "I will never ...": polar reads those.
		return Candidate{}, false
	}
	var action string
	if m := r.planVerb.FindStringSubmatch(s); m != nil {
		verb := strings.ToLower(strings.Join(strings.Fields(m[1]), " "))
		action = m[2]
		if verb == "going to" && !r.startsWithVerb(action) {
			action = "go to " + action
		}
	} else if m := r.planProgressive.FindStringSubmatch(s); m != nil {
		rest, ph := r.tp.split(m[1], now, true)
		if ph == "" {
			return Candidate{}, false
		}
		if from, _, ok := r.tp.futureRange(ph, now); !ok || from.Before(now.Truncate(24*time.Hour)) {
			return Candidate{}, false
		}
		action = "be " + rest + " " + ph
	} else {
		return Candidate{}, false
	}
	return r.planned("Plans to "+thirdPerson(strings.TrimSpace(action)), action, now)
}

// planned makes a plan from its text and the action it names; a time
// phrase in the action that resolves dates it, one that does not stays in
// the text, undated.
func (r *Rules) planned(text, action string, now time.Time) (Candidate, bool) {
	rest, ph := r.tp.split(action, now, true)
	c := Candidate{Kind: KindPlan, Subject: SubjectUser, Attribute: "plan:" + r.a.key(rest), Importance: 0.6, Text: text}
	// Where it happens: "go to Paris", "visiting Anna in Rome".
	for _, m := range r.cl.planPlace.FindAllStringSubmatch(rest, -1) {
		if _, month := r.tp.months[strings.ToLower(m[1])]; !month && !slices.Contains(c.Places, m[1]) {
			c.Places = append(c.Places, m[1])
		}
	}
	if from, to, ok := r.tp.futureRange(ph, now); ok {
		c.When = &from
		c.Value = from.Format("2006-01-02")
		if !to.IsZero() {
			c.WhenTo = &to
			c.Value += " to " + to.Format("2006-01-02")
		}
		c.Text += " (" + c.Value + ")"
	} else {
		c.Value = rest
	}
	if c.Attribute == "plan:" {
		return Candidate{}, false
	}
	return c, true
}

// startsWithVerb guesses whether an action after "going to" is a verb
// ("visit Rome") rather than a place ("Japan").
func (r *Rules) startsWithVerb(s string) bool {
	f := strings.Fields(s)
	if len(f) == 0 {
		return false
	}
	w := strings.ToLower(f[0])
	if w == "the" || w == "a" || w == "my" || (f[0] != w && w != "i") {
		return false
	}
	return !strings.HasSuffix(w, "s") || len(w) < 4 || strings.HasSuffix(w, "ss")
}

func cleanPlace(p string) string {
	p = strings.TrimSpace(strings.Trim(p, `,."' `))
	for _, cut := range []string{" with ", " because ", " where ", " which ", " and i ", " for work", " for my ", " now", " at the moment", " these days"} {
		if i := strings.Index(strings.ToLower(p), cut); i > 0 {
			p = p[:i]
		}
	}
	return titleCase(strings.TrimSpace(p))
}

// approx shows an approximate date: the year, or year and month.
func approx(t time.Time) string {
	if t.Month() == time.January && t.Day() == 1 {
		return t.Format("2006")
	}
	if t.Day() == 1 {
		return t.Format("January 2006")
	}
	return t.Format("2 January 2006")
}

func article(s string) string {
	s = strings.TrimSpace(s)
	l := strings.ToLower(s)
	if strings.HasPrefix(l, "a ") || strings.HasPrefix(l, "an ") || strings.HasPrefix(l, "the ") {
		return s
	}
	if l != "" && strings.ContainsRune("aeiou", rune(l[0])) {
		return "an " + s
	}
	return "a " + s
}

// thirdPersonVerb turns "I have a dog" into "has a dog" and "I swim every
// day" into "swims every day"; other sentences go through thirdPerson.
func thirdPersonVerb(s string) string {
	f := strings.Fields(s)
	if len(f) < 2 || !strings.EqualFold(f[0], "i") {
		return thirdPerson(s)
	}
	i := 1
	for i < len(f)-1 && isAdverb(strings.ToLower(f[i])) {
		i++
	}
	v := strings.ToLower(f[i])
	switch {
	case v == "am":
		v = "is"
	case v == "have":
		v = "has"
	case v == "do" || v == "go":
		v += "es"
	case v == "was" || v == "will" || v == "can" || v == "cannot" || v == "would" || v == "could" || v == "should" || v == "must" || v == "might" || strings.HasSuffix(v, "ed"):
	case strings.HasSuffix(v, "y") && len(v) > 2 && !strings.ContainsRune("aeiou", rune(v[len(v)-2])):
		v = v[:len(v)-1] + "ies"
	case strings.HasSuffix(v, "s") || strings.HasSuffix(v, "sh") || strings.HasSuffix(v, "ch") || strings.HasSuffix(v, "x"):
		v += "es"
	default:
		v += "s"
	}
	out := append(append(append([]string{}, f[1:i]...), v), f[i+1:]...)
	return thirdPerson(strings.Join(out, " "))
}

// isAdverb reports whether w may stand between "I" and the verb.
func isAdverb(w string) bool {
	switch w {
	case "usually", "often", "always", "sometimes", "never", "really", "also", "still", "rarely", "mostly", "normally", "just":
		return true
	}
	return false
}

func lowerFirst(s string) string {
	if len(s) > 1 && s[1] >= 'a' && s[1] <= 'z' {
		return strings.ToLower(s[:1]) + s[1:]
	}
	return s
}
