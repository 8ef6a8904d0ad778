package memory

import "strings"

// lexicon is the shipped word table of the memory domain that search
// expands queries with. A line "a b c" is a synonym group: each word finds
// the others. A line "hyper > a b c" is a hypernym: the broad word finds
// the narrow ones ("family" finds a sister), not the other way round ("my
// sister" does not find the brother).
const lexicon = `
allergy allergic allergies allergen intolerant intolerance
job work works working employer employed career occupation profession
live lives living home reside resident based
doctor physician gp
mother mum mom mommy mummy
father dad daddy papa
spouse wife husband
partner girlfriend boyfriend fiance fiancee
child kid children kids
car vehicle
food eat eats eating cuisine dish meal meals
drink drinks drinking beverage
music song songs band bands concert
sport sports exercise workout gym fitness
film films movie movies cinema
book books read reading novel novels
travel travelling traveling trip trips holiday holidays vacation journey
sad unhappy sadness
anxious anxiety nervous nervousness worried worry stress stressed
angry anger mad annoyed
happy happiness glad joy
diet vegan vegetarian
school university college study studies student
birthday born
name called
age old years
family > sister brother mother father parents parent mum mom dad son daughter wife husband spouse partner child children kid kids grandmother grandfather grandma grandpa aunt uncle cousin niece nephew sibling siblings stepmother stepfather stepsister stepbrother
relatives > sister brother mother father parents son daughter grandmother grandfather aunt uncle cousin niece nephew
child > son daughter
children > son daughter
kids > son daughter
kid > son daughter
sibling > sister brother
siblings > sister brother
parents > mother father mum mom dad
parent > mother father mum mom dad
pet > dog cat
pets > dog cat
animals > dog cat
colleagues > colleague manager boss coworker
coworkers > colleague manager boss coworker
health > allergy allergic intolerant doctor therapist dentist
doctor > dentist surgeon therapist gp physician
appointment appointments meeting check-up
hobby > like love enjoy play
hobbies > like love enjoy play
`

// expansion is one term a query word adds, with the weight of its match.
type expansion struct {
	term   string
	weight float64
}

// Weights of the terms a query word brings.
const (
	synonymWeight  = 0.8
	hyponymWeight  = 0.7
	maxExpansions  = 40
	lexiconHyper   = ">"
	expansionFloor = 0.1
)

// parseLexicon builds the stem -> expansions table from the lexicon text.
func parseLexicon(a *analyzer, text string) map[string][]expansion {
	out := map[string][]expansion{}
	add := func(from, to string, w float64) {
		if from == to {
			return
		}
		for _, e := range out[from] {
			if e.term == to {
				return
			}
		}
		out[from] = append(out[from], expansion{to, w})
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if hyper, narrow, ok := strings.Cut(line, lexiconHyper); ok {
			h := a.stem(strings.TrimSpace(hyper))
			for _, w := range strings.Fields(narrow) {
				add(h, a.stem(w), hyponymWeight)
			}
			continue
		}
		var stems []string
		for _, w := range strings.Fields(line) {
			stems = append(stems, a.stem(w))
		}
		for _, x := range stems {
			for _, y := range stems {
				add(x, y, synonymWeight)
			}
		}
	}
	return out
}
