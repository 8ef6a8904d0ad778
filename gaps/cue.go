package gaps

// matcher is an Aho-Corasick automaton over the cue lexicon, compiled once
// into a DFA on a small alphabet (letters, digits, apostrophe, hyphen,
// space), so one left-to-right pass over a sentence finds every cue at
// once, at word boundaries, case-insensitively. It is immutable after
// newMatcher and safe for concurrent use.
type matcher struct {
	next [][alphabet]int32 // DFA transitions, failure links folded in
	out  [][]int32         // cue indexes ending at each state (with suffix outputs)
	cues []cue
}

// cue is one entry of the lexicon: a phrase and what it signals.
type cue struct {
	phrase string
	sig    signal
}

// signal is what a cue says about its sentence.
type signal uint8

const (
	sigDecision   signal = iota + 1 // "we decided", "agreed to", "will go with"
	sigOwnership                    // "will handle", "is responsible for", "owner"
	sigProcess                      // "the usual", "per the", "checklist", "process"
	sigDeadline                     // "by", "due", "deadline", "no later than"
	sigCommitment                   // "i will", "i'll", "we will", "i promise"
	sigRequest                      // "please", "can you", "could you"
	sigQuestion                     // "what", "when", "can you", "is there"
	sigRationale                    // "because", "so that", "due to"
	sigDone                         // "attached", "done", "sent", "here is"
	sigCopula                       // "is", "are", "was", "will be", "stands at"
	sigOwnedBy                      // "owned by", "owner of", "owns"
	sigDescribe                     // "steps", "as follows", "consists of"
	sigSocial                       // "how are you", "any questions"
	sigDefer                        // "let me check", "get back to you"
)

const alphabet = 40

// class maps a byte to its alphabet class; 0 is "other" (a word boundary
// that no cue contains).
func class(b byte) int {
	switch {
	case b >= 'a' && b <= 'z':
		return int(b-'a') + 1
	case b >= 'A' && b <= 'Z':
		return int(b-'A') + 1
	case b >= '0' && b <= '9':
		return int(b-'0') + 27
	case b == '\'':
		return 37
	case b == '-':
		return 38
	case b == ' ':
		return 39
	}
	return 0
}

func isWordByte(b byte) bool {
	c := class(b)
	return c >= 1 && c <= 37 || b >= 0x80
}

// newMatcher compiles the lexicon. A duplicate phrase is a programmer error
// and panics.
func newMatcher(cues []cue) *matcher {
	m := &matcher{next: [][alphabet]int32{{}}, out: [][]int32{nil}, cues: cues}
	seen := map[string]bool{}
	for i, c := range cues {
		if seen[c.phrase] {
			panic("gaps: duplicate cue " + c.phrase)
		}
		seen[c.phrase] = true
		s := int32(0)
		for j := 0; j < len(c.phrase); j++ {
			k := class(c.phrase[j])
			if k == 0 {
				panic("gaps: cue with an unsupported byte: " + c.phrase)
			}
			if m.next[s][k] == 0 {
				m.next = append(m.next, [alphabet]int32{})
				m.out = append(m.out, nil)
				m.next[s][k] = int32(len(m.next) - 1)
			}
			s = m.next[s][k]
		}
		m.out[s] = append(m.out[s], int32(i))
	}
	// Breadth-first: failure links, folded into the transitions.
	fail := make([]int32, len(m.next))
	queue := make([]int32, 0, len(m.next))
	for k := 1; k < alphabet; k++ {
		if t := m.next[0][k]; t != 0 {
			queue = append(queue, t)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		m.out[s] = append(m.out[s], m.out[fail[s]]...)
		for k := 1; k < alphabet; k++ {
			t := m.next[s][k]
			if t == 0 {
				m.next[s][k] = m.next[fail[s]][k]
				continue
			}
			fail[t] = m.next[fail[s]][k]
			queue = append(queue, t)
		}
	}
	return m
}

// hit is a cue found in a text: its index in the lexicon and its byte span.
type hit struct {
	cue        int
	start, end int
}

// find appends to dst every cue occurring in s at word boundaries, in order
// of their end, and returns it. Runs of other bytes reset the automaton.
func (m *matcher) find(dst []hit, s string) []hit {
	st := int32(0)
	for i := 0; i < len(s); i++ {
		k := class(s[i])
		if k == 0 {
			st = 0
			continue
		}
		st = m.next[st][k]
		if len(m.out[st]) == 0 {
			continue
		}
		if i+1 < len(s) && isWordByte(s[i+1]) {
			continue
		}
		for _, ci := range m.out[st] {
			start := i + 1 - len(m.cues[ci].phrase)
			if start > 0 && isWordByte(s[start-1]) {
				continue
			}
			dst = append(dst, hit{cue: int(ci), start: start, end: i + 1})
		}
	}
	return dst
}
