package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Person is one correspondent of the corpus.
type Person struct {
	First, Last string // capitalised
	Address     string // first.last@enron.com, or at an external domain
	// Mailbox is the owner's folder name under maildir/ ("allen-p"), empty
	// for correspondents whose mailbox is not in the corpus.
	Mailbox string
}

// Name is the display name, "First Last".
func (p Person) Name() string { return p.First + " " + p.Last }

// newPeople makes n people from their own stream of the seed; the first
// owners of them are mailbox owners at enron.com. Addresses and mailbox
// names are unique.
func newPeople(seed uint64, n, owners int) []Person {
	r := rand.New(rand.NewPCG(seed, 0x70656f70)) // "peop"
	people := make([]Person, 0, n)
	usedAddr := make(map[string]bool, n)
	usedBox := make(map[string]bool, owners)
	for len(people) < n {
		first := firstNames[r.IntN(len(firstNames))]
		last := lastNames[r.IntN(len(lastNames))]
		owner := len(people) < owners
		domain := "enron.com"
		if !owner && r.IntN(4) == 0 {
			domain = externalDomains[r.IntN(len(externalDomains))]
		}
		local := first + "." + last
		if usedAddr[local+"@"+domain] {
			// Enron's own rule for namesakes: a middle initial.
			local = first + "." + string(rune('a'+r.IntN(26))) + "." + last
			if usedAddr[local+"@"+domain] {
				continue
			}
		}
		p := Person{First: title(first), Last: title(last), Address: local + "@" + domain}
		if owner {
			box := last + "-" + first[:1]
			for i := 2; usedBox[box]; i++ {
				box = fmt.Sprintf("%s-%s%d", last, first[:1], i)
			}
			usedBox[box] = true
			p.Mailbox = box
		}
		usedAddr[p.Address] = true
		people = append(people, p)
	}
	return people
}

func title(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
