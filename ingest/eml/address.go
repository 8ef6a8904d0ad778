package eml

import (
	"regexp"
	"strings"

	"github.com/emersion/go-message/mail"
)

// address is one mailbox of an address field: a display name, an address,
// or both.
type address struct {
	name, addr string
}

// String formats a as "Name <addr>", "addr" or "Name". A name with
// characters that are special in an address ("Skilling, Jeff") is quoted, so
// that net/mail and every other RFC 5322 reader can parse the result back.
func (a address) String() string {
	switch {
	case a.name != "" && a.addr != "":
		return quoteName(a.name) + " <" + a.addr + ">"
	case a.addr != "":
		return a.addr
	}
	return a.name
}

func quoteName(name string) string {
	if !strings.ContainsAny(name, `()<>[]:;@\,"`) {
		return name
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
}

func formatAddresses(list []address) []string {
	if len(list) == 0 {
		return nil
	}
	out := make([]string, len(list))
	for i, a := range list {
		out[i] = a.String()
	}
	return out
}

// obfuscated is how pipermail archives write an address: "jjl at pobox.com
// (John J. Lee)".
var obfuscated = regexp.MustCompile(`^([^\s@<>()]+) at ([^\s@<>()]+\.[^\s@<>()]+)(?:\s+\((.*)\))?$`)

// addressList returns the mailboxes of a field. A field that does not parse
// as an address list is split on commas, so nothing the sender wrote is
// lost: a pipermail "user at host (Name)" becomes an address again, and a
// mailbox whose address was masked by an archive ("Name <[log in to
// unmask]>") keeps only the name.
func addressList(h mail.Header, key string) []address {
	if h.Get(key) == "" {
		return nil
	}
	var out []address
	if list, err := h.AddressList(key); err == nil {
		for _, a := range list {
			name := strings.TrimSpace(collapseSpace(validUTF8(a.Name)))
			if name != "" || a.Address != "" {
				out = append(out, address{name: name, addr: a.Address})
			}
		}
		return out
	}
	for _, part := range strings.Split(headerText(h, key), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if m := obfuscated.FindStringSubmatch(part); m != nil {
			out = append(out, address{name: strings.TrimSpace(m[3]), addr: m[1] + "@" + m[2]})
			continue
		}
		if i := strings.IndexByte(part, '<'); i > 0 && strings.HasSuffix(part, ">") && !strings.Contains(part[i:], "@") {
			if name := strings.Trim(strings.TrimSpace(part[:i]), `"'`); name != "" {
				out = append(out, address{name: name})
				continue
			}
		}
		out = append(out, address{addr: part})
	}
	return out
}

// withEnronNames gives names to the bare addresses of list from the
// matching X- field of the Enron corpus ("X-From: Skilling, Jeff
// </O=ENRON/...>"), which names the same mailboxes in the same order. Names
// are paired with addresses only when both fields list as many mailboxes;
// otherwise the order cannot be trusted and list is returned as it is.
func withEnronNames(list []address, xfield string) []address {
	if len(list) == 0 || strings.TrimSpace(xfield) == "" {
		return list
	}
	names := enronNames(xfield)
	if len(names) != len(list) {
		return list
	}
	out := make([]address, len(list))
	for i, a := range list {
		// Only a bare address takes a name; "houston <.ward@enron.com>",
		// which did not parse, is kept as written.
		if a.name == "" && a.addr != "" && !strings.ContainsAny(a.addr, "<> ") && names[i] != "" {
			a.name = names[i]
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
