package search

import (
	"net/mail"
	"strings"
)

// Person is a sender or recipient of a hit, from the document's From and
// To: a name, an address, or both.
type Person struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

// Display is the name, or the address when there is no name.
func (p Person) Display() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Address
}

// Limits on the people a hit carries (stored in the index).
const (
	maxStoredPeople = 20  // recipients kept for a hit
	maxPersonLen    = 200 // bytes of one participant kept
)

// parsePerson reads "Name <addr>", "addr" or "Name addr" (LISTSERV
// style, without brackets) or a bare name.
func parsePerson(s string) Person {
	s = strings.TrimSpace(s)
	if s == "" {
		return Person{}
	}
	if a, err := mail.ParseAddress(s); err == nil {
		return Person{Name: strings.TrimSpace(a.Name), Address: strings.ToLower(a.Address)}
	}
	// A raw header that net/mail rejects: take the last word with an
	// '@' as the address, the rest as the name.
	fields := strings.Fields(s)
	for i := len(fields) - 1; i >= 0; i-- {
		f := strings.Trim(fields[i], "<>\"'(),;")
		if strings.Count(f, "@") == 1 && !strings.HasPrefix(f, "@") && !strings.HasSuffix(f, "@") {
			name := strings.Join(append(fields[:i:i], fields[i+1:]...), " ")
			return Person{Name: strings.Trim(name, " \"'<>,"), Address: strings.ToLower(f)}
		}
	}
	return Person{Name: strings.Trim(s, " \"'")}
}

// boundedPeople returns at most maxStoredPeople participants, each cut
// to maxPersonLen bytes, for the stored fields.
func boundedPeople(ps []string) []string {
	out := make([]string, 0, min(len(ps), maxStoredPeople))
	for _, p := range ps {
		if len(out) == maxStoredPeople {
			break
		}
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, truncateUTF8(p, maxPersonLen))
		}
	}
	return out
}

// wholeAddress reports whether a filter's value is one whole address
// (local@domain.tld, angle brackets allowed) and returns it as the index
// keys it: lower-cased, as parsePerson gives it. A domain without a dot
// (skilling@enron) is taken for the start of one.
func wholeAddress(val string) (string, bool) {
	v := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(val), "<"), ">")
	at := strings.IndexByte(v, '@')
	if at <= 0 || !strings.Contains(v[at+1:], ".") || strings.HasSuffix(v, ".") || strings.Count(v, "@") != 1 || strings.ContainsAny(v, " \t<>,;\"") {
		return "", false
	}
	p := parsePerson(v)
	if p.Address == "" || p.Address != strings.ToLower(v) {
		return "", false
	}
	return p.Address, true
}
