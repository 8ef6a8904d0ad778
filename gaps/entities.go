package gaps

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// EntityKind is the kind of a thing named in text.
type EntityKind string

// Entity kinds found in text (people come from the mail headers and are
// resolved in the thread, see people.go).
const (
	EntityPerson   EntityKind = "person"
	EntityOrg      EntityKind = "organisation"
	EntityProject  EntityKind = "project"
	EntityPlace    EntityKind = "place"
	EntityDate     EntityKind = "date"
	EntityMoney    EntityKind = "money"
	EntityQuantity EntityKind = "quantity"
)

// Entity is one mention: its kind, the words as written, and the
// normalised value that equal mentions share ("$2.4M" and "2,400,000
// dollars" are both "USD 2400000"; "Project Falcon" and "the Falcon
// project" are both "falcon").
type Entity struct {
	Kind  EntityKind `json:"kind"`
	Text  string     `json:"text"`
	Norm  string     `json:"norm"`
	start int        // token span in its sentence
	end   int
	date  time.Time
}

// monthOf reads a month name or its abbreviation.
func monthOf(w string) (time.Month, bool) {
	switch w {
	case "january", "jan":
		return time.Month(1), true
	case "february", "feb":
		return time.Month(2), true
	case "march", "mar":
		return time.Month(3), true
	case "april", "apr":
		return time.Month(4), true
	case "may":
		return time.Month(5), true
	case "june", "jun":
		return time.Month(6), true
	case "july", "jul":
		return time.Month(7), true
	case "august", "aug":
		return time.Month(8), true
	case "september", "sep", "sept":
		return time.Month(9), true
	case "october", "oct":
		return time.Month(10), true
	case "november", "nov":
		return time.Month(11), true
	case "december", "dec":
		return time.Month(12), true
	}
	return 0, false
}

// weekdayOf reads a weekday name or its abbreviation.
func weekdayOf(w string) (time.Weekday, bool) {
	switch w {
	case "sunday":
		return time.Weekday(0), true
	case "monday", "mon":
		return time.Weekday(1), true
	case "tuesday", "tue", "tues":
		return time.Weekday(2), true
	case "wednesday", "wed":
		return time.Weekday(3), true
	case "thursday", "thu", "thur", "thurs":
		return time.Weekday(4), true
	case "friday", "fri":
		return time.Weekday(5), true
	case "saturday":
		return time.Weekday(6), true
	}
	return 0, false
}

func dayNumber(w string) (int, bool) {
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		w = strings.TrimSuffix(w, suf)
	}
	if !maybeNumber(w) {
		return 0, false
	}
	n, err := strconv.Atoi(w)
	return n, err == nil && n >= 1 && n <= 31
}

func yearNumber(w string) (int, bool) {
	if !maybeNumber(w) {
		return 0, false
	}
	n, err := strconv.Atoi(w)
	return n, err == nil && n >= 1900 && n <= 2200
}

// maybeNumber reports whether strconv.Atoi could read w: it starts with a
// digit or a sign. Every word of every sentence is tried as a date, and a
// failed Atoi or time.Parse allocates its error: the check keeps that
// garbage (a tenth of the analysis's) away from the searches' collector.
func maybeNumber(w string) bool {
	return w != "" && (w[0] >= '0' && w[0] <= '9' || w[0] == '+' || w[0] == '-')
}

// inferYear places a month and day without a year at the first such date
// no more than a month before ref.
func inferYear(m time.Month, d int, ref time.Time) time.Time {
	t := time.Date(ref.Year(), m, d, 0, 0, 0, 0, time.UTC)
	if t.Before(ref.AddDate(0, -1, 0)) {
		t = t.AddDate(1, 0, 0)
	}
	return t
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// dateAt parses a date starting at token i ("March 3", "3 March 2024",
// "Mar. 3rd", "2024-03-03", "3/15", "Friday", "tomorrow", "end of the
// week"), relative to ref (the document's date). It returns the date and
// the index after its last token.
func dateAt(toks []token, i int, ref time.Time) (time.Time, int, bool) {
	ref = midnight(ref)
	w := strings.TrimSuffix(toks[i].lo, ".")
	at := func(j int) string {
		if j < len(toks) {
			return strings.TrimSuffix(toks[j].lo, ".")
		}
		return ""
	}
	if m, ok := monthOf(w); ok && (w != "may" || toks[i].capital) && (w != "mar" && w != "jan" || toks[i].capital) {
		if d, ok := dayNumber(at(i + 1)); ok {
			if y, ok := yearNumber(at(i + 2)); ok {
				return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), i + 3, true
			}
			return inferYear(m, d, ref), i + 2, true
		}
		return time.Time{}, i, false
	}
	if d, ok := dayNumber(w); ok {
		if m, ok := monthOf(at(i + 1)); ok && (i+1 < len(toks) && toks[i+1].capital) {
			if y, ok := yearNumber(at(i + 2)); ok {
				return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), i + 3, true
			}
			return inferYear(m, d, ref), i + 2, true
		}
	}
	if len(w) == len("2006-01-02") && w[0] >= '0' && w[0] <= '9' {
		if t, err := time.Parse("2006-01-02", w); err == nil {
			return t, i + 1, true
		}
	}
	if strings.Count(w, "/") >= 1 {
		parts := strings.Split(w, "/")
		if len(parts) == 2 || len(parts) == 3 {
			mo, e1 := strconv.Atoi(parts[0])
			d, e2 := strconv.Atoi(parts[1])
			if e1 == nil && e2 == nil && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 {
				if len(parts) == 3 {
					y, e3 := strconv.Atoi(parts[2])
					if e3 == nil {
						if y < 100 {
							y += 2000
						}
						return time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC), i + 1, true
					}
				}
				return inferYear(time.Month(mo), d, ref), i + 1, true
			}
		}
	}
	if wd, ok := weekdayOf(w); ok && toks[i].capital {
		delta := (int(wd) - int(ref.Weekday()) + 7) % 7
		if delta == 0 {
			delta = 7
		}
		return ref.AddDate(0, 0, delta), i + 1, true
	}
	if w == "the" {
		if nx := at(i + 1); nx != strings.TrimRight(nx, "stndrh") {
			if d, ok := dayNumber(nx); ok { // "the 15th": this month's, or next month's when past
				t := time.Date(ref.Year(), ref.Month(), d, 0, 0, 0, 0, time.UTC)
				if t.Before(ref) {
					t = t.AddDate(0, 1, 0)
				}
				return t, i + 2, true
			}
		}
	}
	switch w {
	case "today", "tonight", "eod", "cob":
		return ref, i + 1, true
	case "tomorrow":
		return ref.AddDate(0, 0, 1), i + 1, true
	case "end", "the":
		j := i
		if w == "the" {
			j++
		}
		if at(j) == "end" && at(j+1) == "of" {
			k := j + 2
			if at(k) == "the" || at(k) == "this" {
				k++
			}
			switch at(k) {
			case "day":
				return ref, k + 1, true
			case "week":
				delta := (int(time.Friday) - int(ref.Weekday()) + 7) % 7
				return ref.AddDate(0, 0, delta), k + 1, true
			case "month":
				return time.Date(ref.Year(), ref.Month()+1, 0, 0, 0, 0, 0, time.UTC), k + 1, true
			}
		}
	case "next":
		if at(i+1) == "week" {
			return ref.AddDate(0, 0, 7), i + 2, true
		}
	}
	return time.Time{}, i, false
}

// scaleOf reads a money scale word ("k", "million", "bn").
func scaleOf(w string) (float64, bool) {
	switch w {
	case "k", "thousand":
		return 1e3, true
	case "m", "mm", "mn", "million":
		return 1e6, true
	case "b", "bn", "billion":
		return 1e9, true
	}
	return 0, false
}

// parseNumber reads "2.4", "2,400,000", "2.4m", "15%" (the percent sign
// is left for the caller), returning the value and the unit suffix glued to it.
func parseNumber(w string) (float64, string, bool) {
	i := 0
	for i < len(w) && (w[i] >= '0' && w[i] <= '9' || w[i] == ',' || w[i] == '.') {
		i++
	}
	if i == 0 {
		return 0, "", false
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(w[:i], ",", ""), 64)
	if err != nil {
		return 0, "", false
	}
	return v, w[i:], true
}

func formatAmount(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// moneyAt reads an amount of money at token i: "$2.4M", "$3.1 million",
// "USD 5,000", "5,000 dollars", "€3m".
func moneyAt(toks []token, i int) (string, int, bool) {
	w := toks[i].lo
	cur := ""
	switch {
	case strings.HasPrefix(w, "$"):
		cur, w = "USD", w[1:]
	case strings.HasPrefix(w, "€"):
		cur, w = "EUR", w[len("€"):]
	case strings.HasPrefix(w, "£"):
		cur, w = "GBP", w[len("£"):]
	case (w == "usd" || w == "eur" || w == "gbp") && i+1 < len(toks):
		cur = strings.ToUpper(w)
		i++
		w = toks[i].lo
	}
	v, suf, ok := parseNumber(w)
	if !ok {
		return "", i, false
	}
	end := i + 1
	if s, ok := scaleOf(suf); ok {
		v *= s
	} else if suf != "" {
		return "", i, false
	} else if end < len(toks) {
		if s, ok := scaleOf(toks[end].lo); ok {
			v *= s
			end++
		}
	}
	if cur == "" {
		if end < len(toks) && (toks[end].lo == "dollars" || toks[end].lo == "usd") {
			cur = "USD"
			end++
		} else {
			return "", i, false
		}
	}
	return cur + " " + formatAmount(v), end, true
}

// unitOf normalises a quantity's unit word ("megawatts" -> "MW").
func unitOf(w string) (string, bool) {
	switch w {
	case "percent", "%":
		return "%", true
	case "units", "unit":
		return "units", true
	case "mw", "megawatts":
		return "MW", true
	case "barrels", "bbl":
		return "bbl", true
	case "mmbtu":
		return "MMBtu", true
	case "tons", "tonnes":
		return "t", true
	case "people", "headcount":
		return "people", true
	case "users":
		return "users", true
	case "customers":
		return "customers", true
	case "employees":
		return "employees", true
	case "days":
		return "days", true
	case "weeks":
		return "weeks", true
	case "hours":
		return "hours", true
	case "months":
		return "months", true
	case "years":
		return "years", true
	case "gb":
		return "GB", true
	case "tb":
		return "TB", true
	case "servers":
		return "servers", true
	case "seats":
		return "seats", true
	case "licenses", "licences":
		return "licenses", true
	case "miles":
		return "miles", true
	case "km":
		return "km", true
	}
	return "", false
}

// quantityAt reads a number with a unit at token i ("15%", "300 units",
// "12 MW"); bare numbers are returned with an empty unit.
func quantityAt(toks []token, i int) (string, int, bool) {
	v, suf, ok := parseNumber(toks[i].lo)
	if !ok {
		return "", i, false
	}
	if suf == "%" {
		return formatAmount(v) + " %", i + 1, true
	}
	if suf != "" {
		if u, ok := unitOf(suf); ok {
			return formatAmount(v) + " " + u, i + 1, true
		}
		return "", i, false
	}
	if i+1 < len(toks) {
		if u, ok := unitOf(toks[i+1].lo); ok {
			return formatAmount(v) + " " + u, i + 2, true
		}
	}
	return formatAmount(v), i + 1, true
}

// isOrgSuffix reports whether a word ends an organisation's name ("Acme Corp").
func isOrgSuffix(w string) bool {
	switch w {
	case "inc", "corp", "corporation", "llc", "ltd", "co", "company", "group", "bank", "partners",
		"associates", "holdings", "energy", "capital", "systems", "technologies", "university",
		"institute", "agency", "commission", "authority", "gmbh", "plc", "ag", "sa":
		return true
	}
	return false
}

// isTopicNoun reports whether a word, following a name, makes a piece of
// work of it ("the Kestrel migration").
func isTopicNoun(w string) bool {
	switch w {
	case "migration", "rollout", "integration", "pipeline", "platform", "initiative", "program",
		"programme", "deal", "account", "contract", "audit", "launch", "release", "service", "api",
		"database", "dashboard", "model", "system", "upgrade", "redesign", "rewrite", "prototype",
		"pilot", "campaign", "portal":
		return true
	}
	return false
}

// isPlace reports whether a lower-cased name is a known place.
func isPlace(w string) bool {
	switch w {
	case "houston", "london", "new york", "paris", "berlin", "tokyo", "chicago", "san francisco",
		"los angeles", "boston", "seattle", "austin", "dallas", "portland", "calgary", "toronto",
		"sydney", "singapore", "oslo", "lyon", "madrid", "rome", "amsterdam", "washington", "california",
		"texas", "oregon", "india", "brazil", "china", "japan", "germany", "france", "canada", "mexico",
		"argentina", "europe", "asia", "denver", "atlanta", "omaha", "sacramento", "mumbai", "delhi",
		"dubai", "zurich", "dublin", "lisbon", "munich", "milan", "stockholm", "copenhagen", "vienna",
		"prague", "warsaw", "brussels", "geneva", "hong kong", "shanghai", "beijing", "seoul",
		"bangalore", "melbourne", "vancouver", "montreal", "miami", "phoenix", "san diego",
		"new orleans", "philadelphia", "detroit", "minneapolis", "pittsburgh", "nairobi", "lagos",
		"cairo", "istanbul", "uk", "usa", "spain", "italy", "australia", "ireland", "norway", "sweden",
		"netherlands", "switzerland", "korea", "singapore city":
		return true
	}
	return false
}

// capitalName reports whether a token can be part of a proper name: a
// capital letter, not the first word of its sentence unless followed by
// another capitalised word, and not a common function word.
func capitalName(toks []token, i int) bool {
	t := toks[i]
	if !t.capital || isStop(t.lo) || len(t.s) < 2 {
		return false
	}
	if _, ok := monthOf(t.lo); ok {
		return false
	}
	if _, ok := weekdayOf(t.lo); ok {
		return false
	}
	return true
}

// entities finds the organisations, projects, places, dates, amounts of
// money and quantities of a sentence, in order.
func entities(se *sentence, ref time.Time) []Entity {
	var out []Entity
	toks := se.toks
	span := func(i, j int) string { return se.text[toks[i].start:toks[j-1].end] }
	for i := 0; i < len(toks); {
		if d, j, ok := dateAt(toks, i, ref); ok {
			out = append(out, Entity{Kind: EntityDate, Text: span(i, j), Norm: d.Format("2006-01-02"), start: i, end: j, date: d})
			i = j
			continue
		}
		if v, j, ok := moneyAt(toks, i); ok {
			out = append(out, Entity{Kind: EntityMoney, Text: span(i, j), Norm: v, start: i, end: j})
			i = j
			continue
		}
		if v, j, ok := quantityAt(toks, i); ok {
			out = append(out, Entity{Kind: EntityQuantity, Text: span(i, j), Norm: v, start: i, end: j})
			i = j
			continue
		}
		lo := toks[i].lo
		if (lo == "project" || lo == "operation") && i+1 < len(toks) && toks[i+1].capital && toks[i].capital {
			out = append(out, Entity{Kind: EntityProject, Text: span(i, i+2), Norm: toks[i+1].lo, start: i, end: i + 2})
			i += 2
			continue
		}
		if capitalName(toks, i) {
			j := i
			for j < len(toks) && j-i < 5 && toks[j].capital && !isStop(toks[j].lo) {
				j++
			}
			switch {
			case j == i+1 && j < len(toks) && isTopicNoun(toks[j].lo) && !toks[i].first:
				// "the Kestrel migration": a named piece of work.
				out = append(out, Entity{Kind: EntityProject, Text: span(i, j+1), Norm: lo, start: i, end: j + 1})
				i = j + 1
				continue
			case j < len(toks) && toks[j].lo == "project":
				out = append(out, Entity{Kind: EntityProject, Text: span(i, j+1), Norm: strings.ToLower(span(i, j)), start: i, end: j + 1})
				i = j + 1
				continue
			case j-i >= 2 && isOrgSuffix(strings.TrimSuffix(toks[j-1].lo, ".")):
				out = append(out, Entity{Kind: EntityOrg, Text: span(i, j), Norm: strings.ToLower(span(i, j-1)), start: i, end: j})
				i = j
				continue
			}
			if j-i >= 2 && isPlace(strings.ToLower(span(i, i+2))) {
				out = append(out, Entity{Kind: EntityPlace, Text: span(i, i+2), Norm: strings.ToLower(span(i, i+2)), start: i, end: i + 2})
				i += 2
				continue
			}
			if isPlace(lo) {
				out = append(out, Entity{Kind: EntityPlace, Text: toks[i].s, Norm: lo, start: i, end: i + 1})
			}
		}
		i++
	}
	return out
}
