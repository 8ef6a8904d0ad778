package document

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Person is one mailbox of a message: a readable display name, an address,
// or both. Address is lower-cased; Name is as people read it ("James D.
// Steffes", never "Steffes, James D." or a quoted, encoded header string).
type Person struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
}

// String formats p as "Name <addr>", "addr" or "Name". ParsePerson reads it
// back; net/mail may not (Enron addresses such as "d..steffes@enron.com" are
// not RFC 5322), so read these strings with ParsePerson.
func (p Person) String() string {
	switch {
	case p.Name != "" && p.Address != "":
		return quoteName(p.Name) + " <" + p.Address + ">"
	case p.Address != "":
		return p.Address
	}
	return quoteName(p.Name)
}

// Key is the identity of p: its address, or its lower-cased name when it
// has none. Two mailboxes with the same key are the same person.
func (p Person) Key() string {
	if p.Address != "" {
		return p.Address
	}
	return strings.ToLower(p.Name)
}

// Label is what a person is shown as: the name, or the address without one.
func (p Person) Label() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Address
}

// IsZero reports whether p names nobody.
func (p Person) IsZero() bool { return p.Name == "" && p.Address == "" }

func quoteName(name string) string {
	if !strings.ContainsAny(name, `()<>[]:;@\,"`) && !strings.Contains(name, " at ") {
		return name
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
}

// NewPerson builds a Person from a display name and an address as found in
// a header or an export, normalised: the address trimmed of brackets,
// quotes and "mailto:" and lower-cased (an address without '@' is dropped);
// the name made readable by ReadableName, and dropped when it only repeats
// the address.
func NewPerson(name, addr string) Person {
	p := Person{Address: NormalizeAddress(addr), Name: ReadableName(name)}
	if p.Name != "" && strings.EqualFold(NormalizeAddress(p.Name), p.Address) && p.Address != "" {
		p.Name = ""
	}
	if p.Name != "" && p.Address == "" && looksLikeAddress(p.Name) {
		p.Address, p.Name = NormalizeAddress(p.Name), ""
	}
	return p
}

// NormalizeAddress returns an email address as Engram keys people by it:
// trimmed of space, angle brackets, quotes and a "mailto:" prefix, and
// lower-cased. It returns "" for text that is not an address (no '@', or
// white space inside).
func NormalizeAddress(s string) string {
	s = strings.TrimSpace(s)
	s = strings.Trim(s, "<>\"'`;, \t")
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if !looksLikeAddress(s) {
		return ""
	}
	return s
}

func looksLikeAddress(s string) bool {
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 || strings.ContainsAny(s, "<>()[],;:\"\\") ||
		strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return false
	}
	return utf8.ValidString(s)
}

// ReadableName returns a display name as people read it: surrounding quotes
// and white space removed, runs of space collapsed, and a name written
// "Last, First" turned round ("Steffes, James D." -> "James D. Steffes",
// "Walls Jr., Rob" -> "Rob Walls Jr."). A name with several commas, or whose
// part after the comma is a suffix ("Smith, Jr."), is kept as written.
func ReadableName(name string) string {
	name = strings.Trim(strings.Join(strings.Fields(name), " "), " ,;")
	for len(name) >= 2 {
		switch {
		case name[0] == '"' && name[len(name)-1] == '"' && !escapedAt(name, len(name)-1):
			name = unescapeQuoted(name[1 : len(name)-1])
		case name[0] == '\'' && name[len(name)-1] == '\'':
			name = name[1 : len(name)-1]
		default:
			goto unquoted
		}
		name = strings.Trim(name, " ,;")
	}
unquoted:
	if strings.Count(name, ",") != 1 {
		return name
	}
	last, first, _ := strings.Cut(name, ",")
	last, first = strings.TrimSpace(last), strings.TrimSpace(first)
	if first == "" || last == "" || isNameSuffix(first) || strings.ContainsAny(name, "@()") {
		return name
	}
	return first + " " + last
}

// escapedAt reports whether the byte at i is escaped by an odd run of
// backslashes before it.
func escapedAt(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

func unescapeQuoted(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isNameSuffix(s string) bool {
	switch strings.ToLower(strings.TrimSuffix(s, ".")) {
	case "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "inc", "ltd", "llc", "co", "corp":
		return true
	}
	return false
}

// ParsePerson reads one mailbox as it appears in a header or as
// Person.String wrote it, leniently: "Name <addr>", a bare address, an
// address followed by "(Name)", "Name addr" without angle brackets, a
// quoted or "Last, First" name, and addresses RFC 5322 refuses
// ("d..steffes@enron.com"). See ParsePeople for a list.
func ParsePerson(s string) Person {
	list := ParsePeople(s)
	if len(list) == 0 {
		return Person{}
	}
	return list[0]
}

// ParsePeople reads an address list leniently (see ParsePerson): mailboxes
// are separated by commas or semicolons outside quotes, angle brackets and
// parentheses; "Last, First <addr>" written without quotes stays one
// mailbox; group names ("undisclosed-recipients:;") are dropped. Encoded
// words are not decoded here: decode the header first.
func ParsePeople(s string) []Person {
	pieces := splitMailboxes(s)
	var out []Person
	for i := 0; i < len(pieces); i++ {
		p := strings.TrimSpace(pieces[i])
		// "Steffes, James D. <d..steffes@enron.com>": a piece that holds no
		// address, followed by a name with an address, is its surname.
		if i+1 < len(pieces) && p != "" && !strings.ContainsAny(p, "@<>") && len(strings.Fields(p)) <= 2 {
			next := strings.TrimSpace(pieces[i+1])
			if name, _, ok := strings.Cut(next, "<"); ok && strings.TrimSpace(name) != "" && !strings.Contains(name, "@") {
				p += ", " + next
				i++
			}
		}
		if p = stripGroup(p); p == "" {
			continue
		}
		if m := parseMailbox(p); !m.IsZero() {
			out = append(out, m)
		}
	}
	return out
}

// stripGroup drops the display name of an RFC 5322 group ("team: a@x, b@y;")
// and its closing semicolon.
func stripGroup(p string) string {
	p = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(p), ";"))
	if i := strings.IndexByte(p, ':'); i >= 0 && !strings.ContainsAny(p[:i], "<@\"(") {
		p = strings.TrimSpace(p[i+1:])
	}
	return p
}

func parseMailbox(p string) Person {
	if lt := lastUnquoted(p, '<'); lt >= 0 {
		gt := strings.IndexByte(p[lt:], '>')
		inner := p[lt+1:]
		if gt >= 0 {
			inner = p[lt+1 : lt+gt]
		}
		name := strings.TrimSpace(p[:lt])
		addr := NormalizeAddress(inner)
		if name == "" && addr == "" {
			return NewPerson(p, "")
		}
		return NewPerson(name, addr)
	}
	if q := lastUnquoted(p+"\x00", 0); q == len(p) && strings.HasSuffix(p, `"`) && strings.HasPrefix(p, `"`) {
		return NewPerson(p, "") // one quoted name
	}
	// "addr (Name)"
	if open := lastUnquoted(p, '('); open >= 0 && strings.HasSuffix(p, ")") {
		comment := strings.TrimSpace(p[open+1 : len(p)-1])
		head := strings.TrimSpace(p[:open])
		if a := NormalizeAddress(head); a != "" {
			return NewPerson(comment, a)
		}
		if a := obfuscatedAddress(head); a != "" {
			return NewPerson(comment, a)
		}
	}
	if a := obfuscatedAddress(p); a != "" {
		return NewPerson("", a)
	}
	// "Thorsten Hertel thorsten.hertel@KEYSIGHT.COM": the last word with
	// an '@' is the address, the words around it the name.
	words := strings.Fields(p)
	for i := len(words) - 1; i >= 0; i-- {
		if a := NormalizeAddress(words[i]); a != "" {
			name := strings.Join(append(append([]string{}, words[:i]...), words[i+1:]...), " ")
			return NewPerson(name, a)
		}
	}
	return NewPerson(p, "")
}

// lastUnquoted returns the index of the last c in s outside a quoted
// string, or -1.
func lastUnquoted(s string, c byte) int {
	at, quoted := -1, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && quoted:
			i++
		case s[i] == '"':
			quoted = !quoted
		case s[i] == c && !quoted:
			at = i
		}
	}
	return at
}

// obfuscatedAddress reads the "user at host.tld" of mail archives.
func obfuscatedAddress(s string) string {
	w := strings.Fields(s)
	if len(w) == 3 && w[1] == "at" && strings.Contains(w[2], ".") {
		return NormalizeAddress(w[0] + "@" + w[2])
	}
	return ""
}

// splitMailboxes splits an address list on ',' and ';' outside quotes,
// angle brackets and parentheses. A ';' closing a group is kept with it.
func splitMailboxes(s string) []string {
	var out []string
	angle, paren, quoted, start := 0, 0, false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<':
			angle++
		case c == '>' && angle > 0:
			angle--
		case c == '(':
			paren++
		case c == ')' && paren > 0:
			paren--
		case (c == ',' || c == ';') && angle == 0 && paren == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// People returns the sender, then the recipients of d without repeats (by
// Key). It reads FromPeople, ToPeople and CcPeople, or, for documents
// stored before those fields existed, From and To with ParsePeople.
func (d *Document) People() []Person {
	seen := map[string]bool{}
	var out []Person
	for _, group := range [2][]Person{d.Senders(), d.Recipients()} {
		for _, p := range group {
			if k := p.Key(); k != "" && !seen[k] {
				seen[k] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// Senders returns who sent d: FromPeople, or From read by ParsePeople.
func (d *Document) Senders() []Person {
	if len(d.FromPeople) > 0 {
		return d.FromPeople
	}
	return ParsePeople(d.From)
}

// Recipients returns who received d (To, then Cc): ToPeople and CcPeople,
// or To read by ParsePeople.
func (d *Document) Recipients() []Person {
	if len(d.ToPeople)+len(d.CcPeople) > 0 {
		return append(append([]Person(nil), d.ToPeople...), d.CcPeople...)
	}
	var out []Person
	for _, t := range d.To {
		out = append(out, ParsePeople(t)...)
	}
	return out
}

// SetPeople fills FromPeople, ToPeople and CcPeople and the string forms
// From ("Name <addr>", joined by ", ") and To (To then Cc, one string a
// mailbox) that older readers use.
func (d *Document) SetPeople(from, to, cc []Person) {
	d.FromPeople, d.ToPeople, d.CcPeople = nonEmpty(from), nonEmpty(to), nonEmpty(cc)
	var fs []string
	for _, p := range d.FromPeople {
		fs = append(fs, p.String())
	}
	d.From = strings.Join(fs, ", ")
	d.To = nil
	for _, group := range [2][]Person{d.ToPeople, d.CcPeople} {
		for _, p := range group {
			d.To = append(d.To, p.String())
		}
	}
}

func nonEmpty(in []Person) []Person {
	var out []Person
	for _, p := range in {
		if !p.IsZero() {
			out = append(out, p)
		}
	}
	return out
}
