package corpus

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// message is one generated message; the window of recent ones keeps only
// what a reply needs (its first lines, its headers).
type message struct {
	id      string
	date    time.Time
	from    int
	to, cc  []int
	subject string // without "Re: "
	refs    []string
	parent  *message
	owner   int
	folder  int
	lines   []string // body lines; trimmed to quoteLines once in the window
}

const (
	window     = 400 // recent messages a reply may answer
	quoteLines = 12  // lines of the parent a reply quotes
	maxRefs    = 10  // References kept, newest last
	wrapAt     = 72
)

// Folder indexes into Folders.
const (
	inbox = iota
	sentItems
	discussion
)

var (
	epoch = time.Date(1999, 1, 1, 8, 0, 0, 0, time.FixedZone("CST", -6*3600))
	span  = time.Date(2003, 1, 1, 0, 0, 0, 0, time.UTC).Sub(epoch)
)

// writer holds the one random stream messages are drawn from, so the
// sequence of messages is a pure function of the options.
type writer struct {
	g       *Generator
	r       *rand.Rand
	fwords  *rand.Zipf // over the function words
	cwords  *rand.Zipf // over the content words
	people  *rand.Zipf
	owners  *rand.Zipf
	step    time.Duration
	recent  []*message // ring buffer of the last window messages
	next0   int        // ring position of the next insert
	scratch []string
}

func newWriter(g *Generator) *writer {
	r := rand.New(rand.NewPCG(g.opts.Seed, 0x6d61696c)) // "mail"
	w := &writer{
		g:      g,
		r:      r,
		fwords: zipf(r, 1.1, 2, g.vocab.Function),
		cwords: zipf(r, 1.2, 3, len(g.vocab.Words)-g.vocab.Function),
		people: zipf(r, 1.2, 4, len(g.people)),
		owners: zipf(r, 1.1, 3, g.owners),
		step:   span / time.Duration(max(g.opts.Messages, 1)),
	}
	return w
}

// next makes message i.
func (w *writer) next(i int) *message {
	r := w.r
	m := &message{
		id:   fmt.Sprintf("<%d.%d.JavaMail.evans@thyme>", 10000000+r.IntN(90000000), 1075840000000+int64(i)),
		date: epoch.Add(time.Duration(i)*w.step + time.Duration(r.Int64N(int64(w.step/2)+1))).Truncate(time.Second),
	}
	if len(w.recent) > 0 && r.Float64() < ReplyShare {
		w.reply(m)
	} else {
		w.fresh(m)
	}
	m.lines = w.body(m)
	return m
}

func (w *writer) fresh(m *message) {
	r := w.r
	m.owner = int(w.owners.Uint64())
	n := 1
	switch x := r.IntN(100); {
	case x >= 95:
		n = 5 + r.IntN(6)
	case x >= 70:
		n = 2 + r.IntN(3)
	}
	switch x := r.IntN(100); {
	case x < 35:
		m.folder = sentItems
		m.from = m.owner
		m.to = w.pick(n, m.from)
	case x < 85:
		m.folder = inbox
		m.from = w.pickOther(m.owner)
		m.to = append([]int{m.owner}, w.pick(n-1, m.from, m.owner)...)
		r.Shuffle(len(m.to), func(i, j int) { m.to[i], m.to[j] = m.to[j], m.to[i] })
	default:
		m.folder = discussion
		m.from = w.pickOther(m.owner)
		m.to = w.pick(n, m.from, m.owner)
		m.cc = []int{m.owner}
	}
	if r.IntN(5) == 0 {
		m.cc = append(m.cc, w.pick(1+r.IntN(3), append(append([]int{m.from}, m.to...), m.cc...)...)...)
	}
	m.subject = w.subject()
}

func (w *writer) reply(m *message) {
	r := w.r
	p := w.recent[(w.next0-1-r.IntN(len(w.recent))+2*window)%len(w.recent)]
	m.parent = p
	m.subject = p.subject
	m.refs = append(append(make([]string, 0, maxRefs), p.refs...), p.id)
	if len(m.refs) > maxRefs {
		m.refs = m.refs[len(m.refs)-maxRefs:]
	}
	m.from = p.to[r.IntN(len(p.to))]
	m.to = []int{p.from}
	if r.IntN(10) < 4 { // reply to all
		for _, x := range append(append([]int(nil), p.to...), p.cc...) {
			if x != m.from && x != p.from && len(m.cc) < 6 {
				m.cc = append(m.cc, x)
			}
		}
	}
	switch {
	case m.from < w.g.owners:
		m.owner, m.folder = m.from, sentItems
	case p.from < w.g.owners:
		m.owner, m.folder = p.from, inbox
	default:
		for _, x := range m.cc {
			if x < w.g.owners {
				m.owner, m.folder = x, discussion
				return
			}
		}
		// Nobody here has a mailbox in the corpus: copy an owner in.
		m.owner, m.folder = int(w.owners.Uint64()), discussion
		m.cc = append(m.cc, m.owner)
	}
}

// remember puts m, once written, in the window of messages later ones may answer, keeping
// only the lines a reply quotes.
func (w *writer) remember(m *message) {
	if len(m.lines) > quoteLines {
		m.lines = m.lines[:quoteLines:quoteLines]
	}
	m.parent = nil // the window must not chain every message to its ancestors
	m.to, m.cc = m.to[:len(m.to):len(m.to)], m.cc[:len(m.cc):len(m.cc)]
	if len(w.recent) < window {
		w.recent = append(w.recent, m)
		w.next0 = len(w.recent) % window
		return
	}
	w.recent[w.next0] = m
	w.next0 = (w.next0 + 1) % window
}

// pick draws n distinct people, none of them in not.
func (w *writer) pick(n int, not ...int) []int {
	out := make([]int, 0, n)
	for len(out) < n {
		x := w.pickOther(append(not, out...)...)
		if x < 0 {
			break
		}
		out = append(out, x)
	}
	return out
}

// pickOther draws one person not in not, skewed towards prolific ones; -1
// when everyone is excluded.
func (w *writer) pickOther(not ...int) int {
	for try := 0; try < 32; try++ {
		x := int(w.people.Uint64())
		if !contains(not, x) {
			return x
		}
	}
	for x := range w.g.people {
		if !contains(not, x) {
			return x
		}
	}
	return -1
}

func contains(s []int, x int) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// word draws one word: a function word about a third of the time (when
// content is not set), else a content word, each by a Zipf law over its
// ranks.
func (w *writer) word(content bool) string {
	v := w.g.vocab
	if !content && w.r.IntN(100) < functionShare {
		return v.Words[w.fwords.Uint64()]
	}
	return v.Words[v.Function+int(w.cwords.Uint64())]
}

// functionShare is the percentage of running words that are function words.
const functionShare = 35

func (w *writer) subject() string {
	n := 3 + w.r.IntN(6)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = w.word(i == 0 || i == n-1)
	}
	ws[0] = title(ws[0])
	return strings.Join(ws, " ")
}

// body makes the text of m: an optional greeting, paragraphs of sentences
// totalling 30 to 400 words (replies are shorter), a sign-off.
func (w *writer) body(m *message) []string {
	r := w.r
	u := r.Float64()
	target := 30 + int(370*u*u)
	if m.parent != nil {
		target = 30 + int(120*u*u)
	}
	var lines []string
	if r.IntN(10) < 6 && len(m.to) > 0 {
		lines = append(lines, w.g.people[m.to[0]].First+",", "")
	}
	words := 0
	for words < target {
		var para []string
		for s := 1 + r.IntN(4); s > 0 && words < target; s-- {
			sent := w.sentence(min(4+r.IntN(15), target-words))
			words += len(sent)
			para = append(para, sent...)
		}
		lines = append(lines, wrap(para)...)
		lines = append(lines, "")
	}
	if r.IntN(10) < 7 {
		lines = append(lines, [...]string{"Thanks,", "Regards,", "Best,"}[r.IntN(3)], w.g.people[m.from].First)
	} else {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// sentence returns the words of one sentence of about n words, the first
// capitalised, the last carrying the full stop.
func (w *writer) sentence(n int) []string {
	r := w.r
	s := w.scratch[:0]
	for i := 0; i < max(n, 1); i++ {
		s = append(s, w.word(false))
	}
	if r.IntN(6) == 0 {
		ph := strings.Fields(w.g.vocab.Phrases[r.IntN(len(w.g.vocab.Phrases))])
		at := r.IntN(len(s))
		s = append(s[:at], append(ph, s[at:]...)...)
	}
	if len(s) > 6 && r.IntN(4) == 0 {
		i := 2 + r.IntN(len(s)-4)
		s[i] += ","
	}
	s[0] = title(s[0])
	end := "."
	switch x := r.IntN(100); {
	case x < 10:
		end = "?"
	case x < 13:
		end = "!"
	}
	s[len(s)-1] += end
	w.scratch = s
	return append([]string(nil), s...)
}

// wrap fills words into lines of at most wrapAt columns.
func wrap(words []string) []string {
	var lines []string
	var b strings.Builder
	for _, wd := range words {
		if b.Len() > 0 && b.Len()+1+len(wd) > wrapAt {
			lines = append(lines, b.String())
			b.Reset()
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(wd)
	}
	if b.Len() > 0 {
		lines = append(lines, b.String())
	}
	return lines
}

// render writes m as an RFC 5322 message with LF line endings, as the
// Enron files have them.
func (w *writer) render(b *bytes.Buffer, m *message) {
	ppl := w.g.people
	from := ppl[m.from]
	hdr := func(k, v string) {
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(v)
		b.WriteByte('\n')
	}
	hdr("Message-ID", m.id)
	hdr("Date", m.date.Format(time.RFC1123Z))
	hdr("From", from.Name()+" <"+from.Address+">")
	hdr("To", fold(addrs(ppl, m.to), ", "))
	if len(m.cc) > 0 {
		hdr("Cc", fold(addrs(ppl, m.cc), ", "))
	}
	subject := m.subject
	if m.parent != nil {
		subject = "Re: " + subject
		hdr("In-Reply-To", m.parent.id)
		hdr("References", fold(m.refs, " "))
	}
	hdr("Subject", subject)
	hdr("Mime-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=us-ascii")
	hdr("Content-Transfer-Encoding", "7bit")
	hdr("X-From", from.Name())
	hdr("X-To", fold(names(ppl, m.to), ", "))
	hdr("X-cc", fold(names(ppl, m.cc), ", "))
	owner := ppl[m.owner]
	hdr("X-Folder", `\`+owner.First+"_"+owner.Last+`_`+m.date.Format("Jan2006")+`\Notes Folders\`+Folders[m.folder])
	hdr("X-Origin", owner.Last+"-"+owner.First[:1])
	hdr("X-FileName", strings.ToLower(owner.First[:1]+owner.Last)+".nsf")
	b.WriteByte('\n')
	for _, l := range m.lines {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if p := m.parent; p != nil {
		b.WriteString("\nOn " + p.date.Format(time.RFC1123Z) + ", " + ppl[p.from].Name() + " wrote:\n")
		for _, l := range p.lines {
			if l == "" {
				b.WriteString(">\n")
				continue
			}
			b.WriteString("> ")
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
}

func addrs(ppl []Person, ix []int) []string {
	out := make([]string, len(ix))
	for i, x := range ix {
		out[i] = ppl[x].Name() + " <" + ppl[x].Address + ">"
	}
	return out
}

func names(ppl []Person, ix []int) []string {
	out := make([]string, len(ix))
	for i, x := range ix {
		out[i] = ppl[x].Name()
	}
	return out
}

// fold joins items with sep, folding the header line (LF and a tab) before
// it grows past 78 columns.
func fold(items []string, sep string) string {
	var b strings.Builder
	col := 14 // room for the longest field name
	for i, it := range items {
		if i > 0 {
			b.WriteString(strings.TrimRight(sep, " "))
			if col+len(sep)+len(it) > 78 {
				b.WriteString("\n\t")
				col = 8
			} else if strings.HasSuffix(sep, " ") {
				b.WriteByte(' ')
				col++
			}
		}
		b.WriteString(it)
		col += len(it) + len(sep)
	}
	return b.String()
}
