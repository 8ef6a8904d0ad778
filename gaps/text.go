package gaps

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxBodyBytes bounds the text analysed per document: the start of a huge
// message is where its own words are.
const maxBodyBytes = 64 << 10

// ownText returns the part of a message its author wrote: everything before
// the first quoted or forwarded block ("-----Original Message-----",
// "On ... wrote:", a "From:" header followed by "Sent:", a "Forwarded by"
// banner), without ">"-quoted lines and the signature after "-- ".
func ownText(body string) string {
	if len(body) > maxBodyBytes {
		body = body[:maxBodyBytes]
	}
	var b strings.Builder
	lines := strings.Split(body, "\n")
	for i, ln := range lines {
		t := strings.TrimSpace(ln)
		lo := strings.ToLower(t)
		switch {
		case strings.HasPrefix(lo, "-----") && (strings.Contains(lo, "original message") || strings.Contains(lo, "forwarded")),
			strings.Contains(lo, "forwarded by") && strings.HasPrefix(lo, "---"),
			strings.HasPrefix(lo, "begin forwarded message"),
			strings.HasPrefix(lo, "on ") && strings.HasSuffix(lo, "wrote:"),
			strings.HasSuffix(lo, "wrote:") && i+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i+1]), ">"),
			ln == "-- " || t == "--",
			strings.HasPrefix(lo, "from:") && headerFollows(lines[i+1:]):
			return b.String()
		case strings.HasPrefix(t, ">"):
			continue
		}
		b.WriteString(ln)
		b.WriteByte('\n')
	}
	return b.String()
}

// headerFollows reports whether a quoted header block goes on in the next
// lines (Sent:, To:, Subject:, Date:).
func headerFollows(lines []string) bool {
	for i := 0; i < len(lines) && i < 3; i++ {
		lo := strings.ToLower(strings.TrimSpace(lines[i]))
		for _, h := range []string{"sent:", "to:", "subject:", "date:", "cc:"} {
			if strings.HasPrefix(lo, h) {
				return true
			}
		}
	}
	return false
}

// sentence is one sentence of a text, with its words.
type sentence struct {
	text string // white space collapsed, typographic quotes folded
	toks []token
}

// token is a word (or a number, or "$2.4M") of a sentence.
type token struct {
	s          string // as written
	lo         string // lower case
	start, end int    // byte span in the sentence
	capital    bool   // starts with an upper-case letter
	first      bool   // first word of the sentence
}

// abbreviations never end a sentence.
func isAbbrev(w string) bool {
	switch strings.ToLower(w) {
	case "mr", "mrs", "ms", "dr", "prof", "inc", "corp", "ltd", "co", "jr", "sr", "st", "vs", "etc", "e.g", "i.e",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "approx", "dept", "u.s", "a.m", "p.m":
		return true
	}
	return len(w) == 1 && unicode.IsUpper(rune(w[0]))
}

// maxSentences bounds the sentences taken from one document.
const maxSentences = 400

// splitSentences cuts text into sentences: at '.', '!' or '?' followed by
// space (not after an abbreviation or inside a number), at blank lines, and
// before a line that starts a list item. Single line breaks are the
// wrapping of one paragraph.
func splitSentences(text string) []sentence {
	var out []sentence
	var cur strings.Builder
	flush := func() {
		s := strings.TrimSpace(cur.String())
		cur.Reset()
		if s != "" && len(out) < maxSentences {
			out = append(out, newSentence(s))
		}
	}
	for _, para := range strings.Split(text, "\n") {
		line := strings.TrimSpace(para)
		if line == "" || strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* ") || strings.HasPrefix(line, "• ") || isNumbered(line) {
			flush()
		}
		if line == "" {
			continue
		}
		line = strings.TrimLeft(line, "-*• ")
		words := strings.Fields(line)
		for i, w := range words {
			if cur.Len() > 0 {
				cur.WriteByte(' ')
			}
			cur.WriteString(w)
			last := w[len(w)-1]
			if last == '"' || last == ')' || last == '\'' {
				if len(w) > 1 {
					last = w[len(w)-2]
				}
			}
			nextLower := i+1 < len(words) && startsLower(words[i+1])
			// "7? a minute": a cent sign lost to the charset, no question mark.
			centSign := last == '?' && len(w) > 1 && w[len(w)-2] >= '0' && w[len(w)-2] <= '9' && nextLower
			if (last == '?' && !centSign) || last == '!' || (last == '.' && !isAbbrev(strings.TrimRight(w, ".\"')")) && !nextLower) {
				flush()
			}
		}
		if strings.HasSuffix(line, ":") {
			flush()
		}
	}
	flush()
	return out
}

func startsLower(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsLower(r)
}

func isNumbered(line string) bool {
	i := 0
	for i < len(line) && i < 3 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(line) && (line[i] == '.' || line[i] == ')') && line[i+1] == ' '
}

var quoteFolder = strings.NewReplacer("’", "'", "‘", "'", "“", "\"", "”", "\"", "\u00a0", " ")

func newSentence(s string) sentence {
	s = quoteFolder.Replace(s)
	se := sentence{text: s}
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !tokenRune(r) {
			i += n
			continue
		}
		j := i
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if tokenRune(r2) || (isInner(r2) && j+n2 < len(s) && tokenStart(s[j+n2:])) {
				j += n2
				continue
			}
			break
		}
		w := s[i:j]
		first, _ := utf8.DecodeRuneInString(w)
		se.toks = append(se.toks, token{s: w, lo: strings.ToLower(w), start: i, end: j, capital: unicode.IsUpper(first), first: len(se.toks) == 0})
		i = j
	}
	return se
}

// tokenRune: letters, digits, '$', '€', '£' and '%' make words.
func tokenRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '$' || r == '€' || r == '£' || r == '%'
}

// isInner: inside a word when a word character follows ("sign-off",
// "don't", "2.4", "2,400", "3/15").
func isInner(r rune) bool { return r == '-' || r == '\'' || r == '.' || r == ',' || r == '/' }

func tokenStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// stopwords are left out of keywords.
func isStop(w string) bool {
	switch w {
	case "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by", "with", "from", "is", "are",
		"was", "were", "be", "been", "will", "would", "can", "could", "should", "shall", "may", "might", "must", "do",
		"does", "did", "have", "has", "had", "i", "you", "he", "she", "we", "they", "it", "me", "him", "her", "us",
		"them", "my", "your", "his", "its", "our", "their", "this", "that", "these", "those", "there", "here", "what",
		"when", "where", "who", "whom", "why", "how", "which", "not", "no", "yes", "so", "if", "then", "than", "as",
		"all", "any", "some", "just", "also", "about", "please", "thanks", "thank", "let", "know", "get", "got",
		"re", "fw", "fwd", "hi", "hello", "dear", "regards", "best", "ok", "okay", "i'll", "we'll", "i'm", "it's",
		"don't", "up", "out", "into", "over", "now", "today", "tomorrow", "yesterday", "send", "sent", "need", "want",
		"like", "one", "two", "new", "more", "very", "well", "still", "yet", "again", "back", "next", "last", "week",
		"month", "day", "time", "make", "sure", "see", "think", "go", "going", "take", "look", "anyone", "someone",
		"everyone", "team", "guys", "update", "updates", "news", "question", "questions", "email", "mail",
		"message", "call", "meeting", "friday", "monday", "tuesday", "wednesday", "thursday", "saturday", "sunday",
		"way", "thing", "things", "something", "anything", "everything", "lot", "being", "done", "use":
		return true
	}
	return false
}

// keywords returns the content words of the tokens (lower case, stemmed
// lightly), without stop words, numbers or duplicates, at most max.
func keywords(dst []string, toks []token, max int) []string {
	for _, t := range toks {
		if len(dst) >= max {
			break
		}
		w := stem(t.lo)
		if len(w) < 3 || isStop(t.lo) || !unicode.IsLetter(rune(w[0])) {
			continue
		}
		dup := false
		for _, d := range dst {
			if d == w {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, w)
		}
	}
	return dst
}

// stem folds a few English endings, enough for "contracts"/"contract" and
// "signed"/"sign" to meet.
func stem(w string) string {
	w = strings.TrimSuffix(w, "'s")
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// overlap counts the words of a found in b.
func overlap(a, b []string) int {
	n := 0
	for _, x := range a {
		for _, y := range b {
			if x == y {
				n++
				break
			}
		}
	}
	return n
}
