package gaps

import (
	"net/mail"
	"strings"
	"unicode"
)

// Person is someone in the evidence, as the headers name them.
type Person struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

// key identifies a person: the address, else the folded name.
func (p Person) key() string {
	if p.Address != "" {
		return strings.ToLower(p.Address)
	}
	return strings.ToLower(p.Name)
}

func (p Person) empty() bool { return p.Name == "" && p.Address == "" }

// parsePerson reads a header value ("Jeff Skilling <jeff@x>", "jeff@x",
// "Skilling, Jeff"); a bare address gets a name from its local part
// ("jeff.skilling" -> "Jeff Skilling").
func parsePerson(s string) Person {
	s = strings.TrimSpace(s)
	if s == "" {
		return Person{}
	}
	var p Person
	if a, err := mail.ParseAddress(s); err == nil {
		p = Person{Name: strings.Trim(a.Name, "\"' "), Address: strings.ToLower(a.Address)}
	} else if strings.Contains(s, "@") && !strings.ContainsAny(s, " <") {
		p = Person{Address: strings.ToLower(s)}
	} else if i, j := strings.LastIndexByte(s, '<'), strings.LastIndexByte(s, '>'); i >= 0 && j > i && strings.Contains(s[i:j], "@") {
		// An address Go's parser refuses ("a..cook@enron.com").
		p = Person{Name: strings.Trim(s[:i], "\"' "), Address: strings.ToLower(strings.TrimSpace(s[i+1 : j]))}
	} else {
		p = Person{Name: s}
	}
	if i := strings.Index(p.Name, ","); i > 0 { // "Skilling, Jeff"
		p.Name = strings.TrimSpace(p.Name[i+1:]) + " " + strings.TrimSpace(p.Name[:i])
	}
	if p.Name == "" && p.Address != "" {
		p.Name = nameFromAddress(p.Address)
	}
	return p
}

func nameFromAddress(addr string) string {
	local := addr
	if i := strings.IndexByte(addr, '@'); i > 0 {
		local = addr[:i]
	}
	parts := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })
	for i, p := range parts {
		if p == "" || !unicode.IsLetter(rune(p[0])) {
			return local
		}
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, " ")
}

// roster resolves names written in a conversation ("Jeff", "Skilling",
// "Jeff Skilling") to its participants, when exactly one fits.
type roster struct {
	people []Person
}

func (r *roster) add(p Person) {
	if p.empty() {
		return
	}
	for i, q := range r.people {
		if q.key() == p.key() {
			if q.Name == "" || q.Name == nameFromAddress(q.Address) {
				r.people[i].Name = firstNonEmpty(p.Name, q.Name)
			}
			return
		}
	}
	r.people = append(r.people, p)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// resolve finds the one participant a written name fits: the full name,
// the first name or the last name, case-folded. ok is false when none or
// several fit.
func (r *roster) resolve(name string) (Person, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "" {
		return Person{}, false
	}
	var found []Person
	for _, p := range r.people {
		full := strings.ToLower(p.Name)
		words := strings.Fields(full)
		match := full == n || strings.HasPrefix(strings.ToLower(p.Address), n+"@") || strings.HasPrefix(strings.ToLower(p.Address), n+".")
		for _, w := range words {
			match = match || w == n
		}
		if match {
			found = append(found, p)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return Person{}, false
}
