package eml

import (
	"strings"

	"github.com/emersion/go-message/mail"

	"github.com/engram-app/engram/document"
)

// addressList returns the mailboxes of a field as readable people. A field
// net/mail reads is taken from it (quoted and encoded names decoded); one it
// refuses ("d..steffes@enron.com", "Name addr" without angle brackets, a
// pipermail "user at host (Name)", "Name <[log in to unmask]>") is read by
// document.ParsePeople, with encoded words decoded in each name, so
// nothing the sender wrote is lost.
func addressList(h mail.Header, key string) []document.Person {
	if h.Get(key) == "" {
		return nil
	}
	var out []document.Person
	if list, err := h.AddressList(key); err == nil {
		for _, a := range list {
			if p := document.NewPerson(validUTF8(a.Name), a.Address); !p.IsZero() {
				out = append(out, p)
			}
		}
		return out
	}
	raw := strings.Join(strings.Fields(validUTF8(h.Get(key))), " ")
	for _, p := range document.ParsePeople(raw) {
		if strings.Contains(p.Name, "=?") {
			p.Name = document.ReadableName(validUTF8(decodeWord(p.Name)))
		}
		out = append(out, p)
	}
	return out
}

// withEnronNames gives names to the bare addresses of list from the
// matching X- field of the Enron corpus ("X-From: Skilling, Jeff
// </O=ENRON/...>"), which names the same mailboxes in the same order. Names
// are paired with addresses only when both fields list as many mailboxes;
// otherwise the order cannot be trusted and list is returned as it is.
func withEnronNames(list []document.Person, xfield string) []document.Person {
	if len(list) == 0 || strings.TrimSpace(xfield) == "" {
		return list
	}
	names := enronNames(xfield)
	if len(names) != len(list) {
		return list
	}
	out := make([]document.Person, len(list))
	for i, a := range list {
		// Only a bare address takes a name.
		if a.Name == "" && a.Address != "" && names[i] != "" {
			a.Name = document.ReadableName(names[i])
		}
		out[i] = a
	}
	return out
}

// enronNames splits an X-From, X-To or X-cc field into one display name per
// mailbox ("" for a mailbox written as a bare address). Names themselves
// hold commas ("Walls Jr., Rob </O=ENRON/...>", "Lay, Kenneth"), so a piece
// that is neither an address nor a full name is joined to the next one.
func enronNames(field string) []string {
	pieces := splitOutside(field, ',')
	var entries []string
	for i := 0; i < len(pieces); i++ {
		p := strings.TrimSpace(pieces[i])
		if i+1 < len(pieces) && !strings.ContainsAny(p, "<@") {
			next := strings.TrimSpace(pieces[i+1])
			nextName, _, bracketed := strings.Cut(next, "<")
			nextWords := len(strings.Fields(nextName))
			var join bool
			if strings.Contains(p, " ") {
				// "Walls Jr., Rob <...>", but not "Jeff Dasovich, Richard Shapiro <...>".
				join = bracketed && nextWords == 1
			} else {
				// "Lay, Kenneth <...>" and "Lay, Kenneth".
				join = nextWords > 0 && !strings.Contains(nextName, "@") && (bracketed || !strings.Contains(next, ">"))
			}
			if join {
				p += ", " + next
				i++
			}
		}
		if p != "" {
			entries = append(entries, p)
		}
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		name := e
		if j := strings.IndexByte(e, '<'); j >= 0 {
			name = e[:j]
		}
		name = collapseSpace(strings.Trim(strings.TrimSpace(name), `"'`))
		if strings.Contains(name, "@") {
			name = "" // a bare or Lotus Notes address, not a name
		}
		names[i] = validUTF8(name)
	}
	return names
}

// splitOutside splits s on sep where sep is not inside <...> or "...".
func splitOutside(s string, sep byte) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<':
			depth++
		case c == '>' && depth > 0:
			depth--
		case c == sep && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
