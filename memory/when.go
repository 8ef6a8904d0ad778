package memory

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// timeParser turns the time phrases of a statement into dates: "last year",
// "since 2019", "three years ago" for when a fact began; "next week",
// "in March", "on 12 May" for when a plan happens. Dates are approximate
// (the start of the year or month named); unknown is the zero time, never
// "today" by default.
type timeParser struct {
	months  map[string]time.Month
	numbers map[string]int
	days    map[string]time.Weekday
	yearRe  *regexp.Regexp
	agoRe   *regexp.Regexp
	inRe    *regexp.Regexp
	dayRe   *regexp.Regexp
	isoRe   *regexp.Regexp
	forRe   *regexp.Regexp
	nthRe   *regexp.Regexp
	rangeRe *regexp.Regexp
	// weekdays in the order of time.Weekday, for a deterministic scan.
	weekdays [7]string
	// phrase finds a time phrase at the end of a clause.
	phrase *regexp.Regexp
}

func newTimeParser() *timeParser {
	p := &timeParser{
		months:  map[string]time.Month{},
		numbers: map[string]int{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a few": 3, "a couple of": 2, "couple of": 2, "few": 3, "several": 4},
		days:    map[string]time.Weekday{},
	}
	for m := time.January; m <= time.December; m++ {
		n := strings.ToLower(m.String())
		p.months[n] = m
		p.months[n[:3]] = m
	}
	p.months["sept"] = time.September
	for d := time.Sunday; d <= time.Saturday; d++ {
		p.days[strings.ToLower(d.String())] = d
		p.weekdays[d] = strings.ToLower(d.String())
	}
	num := `(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of|couple of|few|several)`
	month := `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)`
	p.yearRe = regexp.MustCompile(`\b(19\d\d|20\d\d)\b`)
	p.agoRe = regexp.MustCompile(`\b` + num + `\s+(year|month|week|day)s?\s+ago\b`)
	p.inRe = regexp.MustCompile(`\bin\s+` + num + `\s+(year|month|week|day)s?\b`)
	p.dayRe = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + month + `\b|\b` + month + `\s+(\d{1,2})(?:st|nd|rd|th)?\b`)
	p.forRe = regexp.MustCompile(`\bfor\s+(?:the\s+(?:last|past)\s+)?` + num + `\s+(year|month|week)s?\b`)
	p.isoRe = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	p.nthRe = regexp.MustCompile(`\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b`)
	p.rangeRe = regexp.MustCompile(`\b(?:between|from)\s+(.+?)\s+(?:and|to|until|till|through)\s+(.+)$`)
	p.phrase = regexp.MustCompile(`(?i)(?:,?\s+(?:since|from|back in|in|on|last|next|this|for|until|by|around|about|over|between|tomorrow|yesterday|today|tonight|recently|soon|earlier|later|ago|the day after tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|at the end of)\b.*|,?\s+` + num + `\s+(?:year|month|week|day)s?\s+ago.*|,?\s+(?:a while|some time|a long time)\s+ago.*)$`)
	return p
}

// split cuts a trailing time phrase off a clause: "Oslo last year" gives
// ("Oslo", "last year"). Only a phrase the parser understands is cut, so
// "New York" or "in love" stay whole.
func (p *timeParser) split(s string, now time.Time, future bool) (rest, phrase string) {
	loc := p.phrase.FindStringIndex(s)
	for loc != nil {
		ph := strings.TrimLeft(s[loc[0]:], ", ")
		var ok bool
		if p.placeLike(ph) {
			// "in Berlin between Monday and Friday": the time starts later.
		} else if future {
			_, ok = p.future(ph, now)
		} else {
			_, ok = p.past(ph, now)
		}
		if ok {
			return strings.TrimSpace(s[:loc[0]]), ph
		}
		// Try a later start: "in New York since 2019".
		next := p.phrase.FindStringIndex(s[loc[0]+1:])
		if next == nil {
			break
		}
		loc = []int{loc[0] + 1 + next[0], len(s)}
	}
	return s, ""
}

// past dates the start of a fact from a phrase such as "last year",
// "since 2019", "in March 2021", "three years ago". ok is false when the
// phrase names no time.
func (p *timeParser) past(ph string, now time.Time) (time.Time, bool) {
	ph = strings.ToLower(strings.TrimSpace(ph))
	y, m, _ := now.Date()
	startOfYear := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	startOfMonth := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	switch {
	case strings.Contains(ph, "last year"):
		return startOfYear(y - 1), true
	case strings.Contains(ph, "this year"):
		return startOfYear(y), true
	case strings.Contains(ph, "last month"):
		return startOfMonth(y, m-1), true
	case strings.Contains(ph, "this month"):
		return startOfMonth(y, m), true
	case strings.Contains(ph, "last week"):
		return now.AddDate(0, 0, -7).Truncate(24 * time.Hour), true
	case strings.Contains(ph, "yesterday"):
		return now.AddDate(0, 0, -1).Truncate(24 * time.Hour), true
	case strings.Contains(ph, "today"), strings.Contains(ph, "recently"), strings.Contains(ph, "just now"):
		return now.Truncate(24 * time.Hour), true
	case strings.Contains(ph, "a while ago"), strings.Contains(ph, "some time ago"):
		return startOfYear(y - 1), true
	case strings.Contains(ph, "a long time ago"):
		return startOfYear(y - 10), true
	}
	if sm := p.isoRe.FindStringSubmatch(ph); sm != nil {
		if t, err := time.Parse("2006-01-02", sm[0]); err == nil {
			return t, true
		}
	}
	if wd, _, ok := p.weekday(ph); ok {
		// "last Tuesday", "on Monday": the most recent one before today.
		d := now.Truncate(24 * time.Hour)
		back := (int(d.Weekday()) - int(wd) + 7) % 7
		if back == 0 {
			back = 7
		}
		return d.AddDate(0, 0, -back), true
	}
	if sm := p.nthRe.FindStringSubmatch(ph); sm != nil && !p.dayRe.MatchString(ph) {
		n, _ := strconv.Atoi(sm[1])
		if n >= 1 && n <= 31 {
			t := time.Date(y, m, n, 0, 0, 0, 0, time.UTC)
			for t.After(now) || t.Day() != n {
				m--
				t = time.Date(y, m, n, 0, 0, 0, 0, time.UTC)
			}
			return t, true
		}
	}
	if sm := p.agoRe.FindStringSubmatch(ph); sm != nil {
		n := p.number(sm[1])
		switch sm[2] {
		case "year":
			return startOfYear(y - n), true
		case "month":
			return startOfMonth(y, m-time.Month(n)), true
		case "week":
			return now.AddDate(0, 0, -7*n).Truncate(24 * time.Hour), true
		default:
			return now.AddDate(0, 0, -n).Truncate(24 * time.Hour), true
		}
	}
	if sm := p.forRe.FindStringSubmatch(ph); sm != nil {
		n := p.number(sm[1])
		switch sm[2] {
		case "year":
			return startOfYear(y - n), true
		case "month":
			return startOfMonth(y, m-time.Month(n)), true
		default:
			return now.AddDate(0, 0, -7*n).Truncate(24 * time.Hour), true
		}
	}
	if sm, ok := season(ph); ok && p.yearRe.FindString(ph) == "" {
		// "last spring", "in the summer": the latest start not after now,
		// a year before that for "last" when now is in that season.
		start := startOfMonth(y, sm)
		if start.After(now) {
			start = start.AddDate(-1, 0, 0)
		}
		if strings.Contains(ph, "last ") && now.Before(start.AddDate(0, 3, 0)) {
			start = start.AddDate(-1, 0, 0)
		}
		return start, true
	}
	mon, hasMonth := p.month(ph)
	if sm := p.yearRe.FindStringSubmatch(ph); sm != nil {
		yy, _ := strconv.Atoi(sm[1])
		if hasMonth {
			return startOfMonth(yy, mon), true
		}
		return startOfYear(yy), true
	}
	if hasMonth {
		// "since March": the last March that is not in the future.
		yy := y
		if mon > m {
			yy--
		}
		return startOfMonth(yy, mon), true
	}
	return time.Time{}, false
}

// future dates a plan from a phrase such as "next week", "in March",
// "on 12 May", "tomorrow", "in two weeks". ok is false when it names no
// time.
func (p *timeParser) future(ph string, now time.Time) (time.Time, bool) {
	ph = strings.ToLower(strings.TrimSpace(ph))
	y, m, d := now.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch {
	case strings.Contains(ph, "day after tomorrow"):
		return day.AddDate(0, 0, 2), true
	case strings.Contains(ph, "tomorrow"):
		return day.AddDate(0, 0, 1), true
	case strings.Contains(ph, "tonight"), strings.Contains(ph, "today"), strings.Contains(ph, "this evening"),
		strings.Contains(ph, "this afternoon"), strings.Contains(ph, "this morning"), strings.Contains(ph, "later today"):
		return day, true
	case strings.Contains(ph, "next weekend"):
		return nextWeekday(day, time.Saturday, true), true
	case strings.Contains(ph, "this weekend"), strings.Contains(ph, "the weekend"):
		return day.AddDate(0, 0, (int(time.Saturday)-int(day.Weekday())+7)%7), true
	case strings.Contains(ph, "fortnight"):
		return day.AddDate(0, 0, 14), true
	case strings.Contains(ph, "end of the month"), strings.Contains(ph, "end of this month"):
		return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC), true
	case strings.Contains(ph, "end of the week"), strings.Contains(ph, "end of this week"):
		return nextWeekday(day.AddDate(0, 0, -1), time.Friday, false), true
	case strings.Contains(ph, "next week"):
		return day.AddDate(0, 0, 7), true
	case strings.Contains(ph, "next month"):
		return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC), true
	case strings.Contains(ph, "next year"):
		return time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC), true
	case strings.Contains(ph, "soon"):
		return day.AddDate(0, 0, 14), true
	}
	if sm := p.isoRe.FindStringSubmatch(ph); sm != nil {
		if t, err := time.Parse("2006-01-02", sm[0]); err == nil {
			return t, true
		}
	}
	if sm := p.inRe.FindStringSubmatch(ph); sm != nil {
		n := p.number(sm[1])
		switch sm[2] {
		case "year":
			return day.AddDate(n, 0, 0), true
		case "month":
			return day.AddDate(0, n, 0), true
		case "week":
			return day.AddDate(0, 0, 7*n), true
		default:
			return day.AddDate(0, 0, n), true
		}
	}
	if sm := p.dayRe.FindStringSubmatch(ph); sm != nil {
		dd, mn := sm[1], sm[2]
		if dd == "" {
			mn, dd = sm[3], sm[4]
		}
		n, _ := strconv.Atoi(dd)
		mon := p.months[mn]
		yy := y
		if yr := p.yearRe.FindStringSubmatch(ph); yr != nil {
			yy, _ = strconv.Atoi(yr[1])
		} else if time.Date(y, mon, n, 0, 0, 0, 0, time.UTC).Before(day) {
			yy++
		}
		if n >= 1 && n <= 31 {
			return time.Date(yy, mon, n, 0, 0, 0, 0, time.UTC), true
		}
	}
	if sm := p.nthRe.FindStringSubmatch(ph); sm != nil {
		// "on the 3rd": the next 3rd, today included.
		n, _ := strconv.Atoi(sm[1])
		if n >= 1 && n <= 31 {
			t := time.Date(y, m, n, 0, 0, 0, 0, time.UTC)
			for t.Before(day) || t.Day() != n {
				m++
				t = time.Date(y, m, n, 0, 0, 0, 0, time.UTC)
			}
			return t, true
		}
	}
	if wd, next, ok := p.weekday(ph); ok {
		return nextWeekday(day, wd, next), true
	}
	mon, hasMonth := p.month(ph)
	if sm := p.yearRe.FindStringSubmatch(ph); sm != nil {
		yy, _ := strconv.Atoi(sm[1])
		if hasMonth {
			return time.Date(yy, mon, 1, 0, 0, 0, 0, time.UTC), true
		}
		return time.Date(yy, 1, 1, 0, 0, 0, 0, time.UTC), true
	}
	if hasMonth {
		yy := y
		if mon < m {
			yy++
		}
		return time.Date(yy, mon, 1, 0, 0, 0, 0, time.UTC), true
	}
	for _, season := range []struct {
		name string
		m    time.Month
	}{{"spring", time.March}, {"summer", time.June}, {"autumn", time.September}, {"fall", time.September}, {"winter", time.December}} {
		if strings.Contains(ph, season.name) {
			yy := y
			if season.m < m {
				yy++
			}
			return time.Date(yy, season.m, 1, 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// month finds a month name as a whole word ("may" only after "in" or
// before/after a day number, since it is also a verb).
func (p *timeParser) month(ph string) (time.Month, bool) {
	for _, w := range words(ph) {
		if mon, ok := p.months[w]; ok && w != "may" && w != "mar" {
			return mon, true
		}
	}
	if strings.Contains(ph, "in may") || strings.Contains(ph, "since may") {
		return time.May, true
	}
	return 0, false
}

func (p *timeParser) number(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if n, ok := p.numbers[s]; ok {
		return n
	}
	return 1
}

// weekday finds the first weekday named in ph, scanning the words in
// order (never a map), and whether it is "next <day>".
func (p *timeParser) weekday(ph string) (time.Weekday, bool, bool) {
	ws := words(ph)
	for i, w := range ws {
		for d, name := range p.weekdays {
			if w == name || (len(w) == 3 && strings.HasPrefix(name, w) && w != "sun" && w != "wed" && w != "sat") {
				return time.Weekday(d), i > 0 && ws[i-1] == "next", true
			}
		}
	}
	return 0, false, false
}

// nextWeekday is the date of weekday wd after day: "Tuesday" is the first
// Tuesday after today (a week on when today is Tuesday); "next Tuesday" is
// the Tuesday of next week (weeks start on Monday).
func nextWeekday(day time.Time, wd time.Weekday, next bool) time.Time {
	if next {
		// Monday of next week, then the day in that week.
		toMonday := (8 - int(day.Weekday())) % 7
		if toMonday == 0 {
			toMonday = 7
		}
		monday := day.AddDate(0, 0, toMonday)
		return monday.AddDate(0, 0, (int(wd)+6)%7)
	}
	ahead := (int(wd) - int(day.Weekday()) + 7) % 7
	if ahead == 0 {
		ahead = 7
	}
	return day.AddDate(0, 0, ahead)
}

// futureRange dates a plan that may span a range: "between Monday and
// Friday", "from the 3rd to the 7th". to is zero for a single date.
func (p *timeParser) futureRange(ph string, now time.Time) (from, to time.Time, ok bool) {
	lph := strings.ToLower(strings.TrimSpace(ph))
	if sm := p.rangeRe.FindStringSubmatch(lph); sm != nil {
		a, okA := p.future(sm[1], now)
		if okA {
			// The end counts from the start: "between Friday and Monday"
			// ends on the Monday after that Friday.
			b, okB := p.future(sm[2], a.AddDate(0, 0, -1))
			if okB && !b.Before(a) {
				return a, b, true
			}
			return a, time.Time{}, true
		}
	}
	from, ok = p.future(ph, now)
	return from, time.Time{}, ok
}

// placeLike reports whether a candidate time phrase starts with a place or
// a name instead ("in Berlin ...", "at Anna's ..."): a preposition and a
// capitalised word that is no month or weekday.
func (p *timeParser) placeLike(ph string) bool {
	f := strings.Fields(ph)
	if len(f) < 2 {
		return false
	}
	switch strings.ToLower(f[0]) {
	case "in", "at", "on", "from", "for", "since", "by", "until", "around", "about", "over", "this", "next", "last":
	default:
		return false
	}
	w := strings.Trim(f[1], ",.;!?")
	if w == "" || strings.ToUpper(w[:1]) != w[:1] || strings.ToLower(w[:1]) == w[:1] {
		return false
	}
	lw := strings.ToLower(w)
	if _, ok := p.months[lw]; ok {
		return false
	}
	if _, ok := p.days[lw]; ok {
		return false
	}
	return true
}

// season finds a season named in ph and the month it starts (northern
// hemisphere: spring in March).
func season(ph string) (time.Month, bool) {
	for _, w := range words(ph) {
		switch w {
		case "spring":
			return time.March, true
		case "summer":
			return time.June, true
		case "autumn", "fall":
			return time.September, true
		case "winter":
			return time.December, true
		}
	}
	return 0, false
}
