package memory

import (
	"strings"
	"unicode"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// analyzer holds the read-only word tables that keys, queries and the
// extractor share. It is built once by newAnalyzer and never changed, so it
// is safe for concurrent use.
type analyzer struct {
	stop      map[string]bool        // dropped from keys and queries
	irregular map[string]string      // forms the stemmer would not join
	intents   map[string]string      // query word -> memory kind it asks about
	light     map[string]bool        // stems a loose retraction ignores
	expand    map[string][]expansion // stem -> synonyms and hyponyms (lexicon.go)
}

func newAnalyzer() *analyzer {
	a := &analyzer{stop: map[string]bool{}, intents: map[string]string{}, light: map[string]bool{}}
	for _, w := range strings.Fields(`go goe get got make take attend visit keep usual usualli often alwai sometim
		regularli everi each week weekend month year dai todai night morn even time onc twice more longer anymor
		mondai tuesdai wednesdai thursdai fridai saturdai sundai eat drink listen watch plai do have see us work much lot bit realli`) {
		a.light[w] = true
	}
	// Question words and pronouns are stopwords: they carry intent (see
	// intents), not content.
	for _, w := range strings.Fields(`a an the and or but of to in on at for from by with about as into
		is am are was were be been being do does did doing have has had having i me my mine myself
		we us our you your he him his she her it its they them their this that these those there here
		what which who whom whose where when why how any some all no not very really just so too
		can could would should will shall may might must also than then now again still ever
		'm 's 're 've 'd 'll s t don didn doesn isn aren wasn weren won`) {
		a.stop[w] = true
	}
	a.irregular = map[string]string{
		"moved": "live", "move": "live", "moving": "live", "relocated": "live", "relocate": "live",
		"loves": "love", "loved": "love", "liked": "like", "likes": "like", "enjoys": "enjoy",
		"went": "go", "going": "go", "goes": "go", "children": "child", "kids": "child", "mum": "mother",
		"mom": "mother", "dad": "father", "wife": "spouse", "husband": "spouse", "felt": "feel",
		"anxious": "anxieti", "anxiety": "anxieti", "stressed": "stress",
	}
	a.irregular["grew"] = "grow"
	a.irregular["born"] = "born"
	a.expand = parseLexicon(a, lexicon)
	// A slice, not a map: a word named twice keeps its first kind on every
	// run.
	for _, kw := range [][2]string{
		{KindPlace, "where live lives living home city country town based address located move moved from grow grew"},
		{KindRelationship, "who family brother sister mother father mum mom dad parents parent partner wife husband girlfriend boyfriend son daughter child children kids friend friends cousin aunt uncle grandmother grandfather boss manager colleague sibling siblings relatives coworkers colleagues pet pets"},
		{KindPreference, "like likes love loves enjoy enjoys hobby hobbies favourite favorite prefer fun interests interested weekend free hate hates dislike"},
		{KindPlan, "when plan plans planning going trip trips travel travelling traveling visit visiting upcoming schedule next future soon will appointment"},
		{KindFeeling, "feel feels feeling feelings emotion emotions mood anxious anxiety stressed upset happy sad trigger triggers"},
		{KindWork, "work job employer company profession career occupation"},
	} {
		for _, w := range strings.Fields(kw[1]) {
			if _, dup := a.intents[w]; !dup {
				a.intents[w] = kw[0]
			}
		}
	}
	return a
}

// words splits text into lower-case words (letters, digits, inner
// apostrophes and hyphens), keeping non-Latin scripts whole.
func words(s string) []string {
	s = strings.NewReplacer("’", "'", "‘", "'").Replace(s)
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, strings.Trim(b.String(), "'-"))
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case (r == '\'' || r == '-') && b.Len() > 0:
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	kept := out[:0]
	for _, w := range out {
		if w != "" {
			kept = append(kept, w)
		}
	}
	return kept
}

// stem reduces a word to its English stem; "lives", "living" and "lived"
// all give "live". Irregular forms that matter for memories are mapped
// first.
func (a *analyzer) stem(w string) string {
	if s, ok := a.irregular[w]; ok {
		return s
	}
	w = strings.TrimSuffix(w, "'s")
	if len(w) <= 3 {
		return w
	}
	return porterstemmer.StemString(w)
}

// terms returns the stems of the content words of s.
func (a *analyzer) terms(s string) []string {
	var out []string
	for _, w := range words(s) {
		if a.stop[w] {
			continue
		}
		out = append(out, a.stem(w))
	}
	return out
}

// matchTerms are the words a loose retraction matches memories by: the
// content stems without light verbs and words of frequency and time ("I
// stopped going to the choir" is about the choir, not about going).
func (a *analyzer) matchTerms(s string) []string {
	var out []string
	all := a.terms(s)
	for _, t := range all {
		if !a.light[t] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		// "I quit drinking": the light verb is all there is.
		return all
	}
	return out
}

// key normalises a phrase into a stable attribute key: its content stems
// joined by '-'; "the Bouldering" and "bouldering" give the same key.
func (a *analyzer) key(s string) string {
	t := a.terms(s)
	if len(t) == 0 {
		t = words(s)
	}
	if len(t) > 8 {
		t = t[:8]
	}
	return strings.Join(t, "-")
}

// slug is the readable key of a name in graph node IDs: its content words,
// lower case, joined by '-' ("Anna", "New York" -> "new-york"); unlike key
// it does not stem, since node IDs are shown.
func (a *analyzer) slug(s string) string {
	var out []string
	for _, w := range words(s) {
		if !a.stop[w] {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		out = words(s)
	}
	return strings.Join(out[:min(len(out), 8)], "-")
}

// sameValue reports whether two values say the same thing.
func (a *analyzer) sameValue(x, y string) bool {
	return a.key(x) == a.key(y)
}

// thirdPerson rewrites a first-person phrase about the user into the third
// person, for memory texts: "my manager" -> "their manager".
func thirdPerson(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		lw := strings.ToLower(strings.Trim(w, ".,;!?"))
		rep := ""
		switch lw {
		case "my":
			rep = "their"
		case "me":
			rep = "them"
		case "i":
			rep = "they"
		case "i'm":
			rep = "they're"
		case "myself":
			rep = "themselves"
		case "us":
			rep = "them"
		case "our":
			rep = "their"
		case "ourselves":
			rep = "themselves"
		case "mine":
			rep = "theirs"
		}
		if rep != "" {
			f[i] = strings.Replace(w, strings.Trim(w, ".,;!?"), rep, 1)
		}
	}
	return strings.Join(f, " ")
}

// capitalise upper-cases the first letter.
func capitalise(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// titleCase capitalises each word of a place or name given in lower case
// ("new york" -> "New York") and leaves mixed case alone.
func titleCase(s string) string {
	if s != strings.ToLower(s) {
		return s
	}
	f := strings.Fields(s)
	for i, w := range f {
		f[i] = capitalise(w)
	}
	return strings.Join(f, " ")
}

// Slug is the readable key of a name in the graph node IDs of memories
// (see analyzer.slug; derive.Memory keys the nodes a memory contributes by
// it).
func (s *Service) Slug(name string) string { return s.a.slug(name) }
