package eml

import (
	"strconv"
	"strings"
	"time"
)

// zoneOffsets are the named zones mail programs write in Date fields, in
// seconds east of UTC: RFC 5322's obsolete zones (which Python's email
// package and GMime read) and the other abbreviations common in old mail.
var zoneOffsets = map[string]int{
	"UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AST": -4 * 3600, "ADT": -3 * 3600, "AKST": -9 * 3600, "AKDT": -8 * 3600,
	"HST": -10 * 3600, "BST": 3600, "IST": 19800, "CET": 3600, "CEST": 7200,
	"MET": 3600, "MEST": 7200, "EET": 7200, "EEST": 3 * 3600, "WEST": 3600,
	"MSK": 3 * 3600, "JST": 9 * 3600, "KST": 9 * 3600, "HKT": 8 * 3600,
	"SGT": 8 * 3600, "AEST": 10 * 3600, "AEDT": 11 * 3600, "NZST": 12 * 3600,
	"NZDT": 13 * 3600,
}

var monthNames = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"may": time.May, "jun": time.June, "jul": time.July, "aug": time.August,
	"sep": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

var dayNames = map[string]bool{"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true}

// parseDate reads a Date field the way Python's email.utils and GMime do,
// leniently, token by token: an optional day name (with or without a
// comma), the day and month in either order, a 4- or 2-digit year (two
// digits: 70-99 are 19xx, 00-69 are 20xx, as Python reads them), a time
// hh:mm[:ss] (also with dots) with an optional AM/PM, and a zone given as
// +hhmm, as a name (EDT, CET) or not at all (UTC). ISO 8601 dates
// ("2019-05-29T18:09:22Z", "2019-05-29 18:09:22") are read too. A comment in
// parentheses is ignored. ok is false when no day, month and year can be
// found, or they make no date: such a message has no date.
func parseDate(s string) (time.Time, bool) {
	s = stripComments(s)
	if t, ok := parseISODate(s); ok {
		return t, true
	}
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == ',' || r == '\r' || r == '\n' })
	var (
		day, year, hour, min, sec = -1, -1, -1, 0, 0
		month                     time.Month
		yearDigits                int
		pm, am                    bool
		offset                    int
		hasZone                   bool
	)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if f == "" {
			continue
		}
		lower := strings.ToLower(strings.TrimSuffix(f, "."))
		switch {
		case len(lower) >= 3 && dayNames[lower[:3]] && month == 0 && day < 0:
			continue
		case len(lower) >= 3 && monthNames[lower[:3]] != 0 && isLetters(lower):
			month = monthNames[lower[:3]]
		case strings.Contains(f, "-") && !strings.HasPrefix(f, "-") && strings.Count(f, "-") == 2:
			// "29-May-2019"
			parts := strings.Split(f, "-")
			fields = append(fields[:i+1], append(parts, fields[i+1:]...)...)
		case strings.ContainsAny(f, ":") || (strings.Count(f, ".") >= 1 && hour < 0 && day >= 0 && year >= 0 && allDigitsOr(f, '.')):
			h, m, sc, ok := parseClock(f)
			if !ok {
				return time.Time{}, false
			}
			hour, min, sec = h, m, sc
		case lower == "am" || lower == "a.m":
			am = true
		case lower == "pm" || lower == "p.m":
			pm = true
		case (f[0] == '+' || f[0] == '-') && len(f) == 5 && allDigits(f[1:]):
			h, _ := strconv.Atoi(f[1:3])
			m, _ := strconv.Atoi(f[3:5])
			offset = h*3600 + m*60
			if f[0] == '-' {
				offset = -offset
			}
			hasZone = true
		case isZoneName(f):
			if !hasZone {
				offset, hasZone = zoneOffsets[strings.ToUpper(f)], true
			}
		case allDigits(f):
			n, _ := strconv.Atoi(f)
			switch {
			case len(f) == 4 && year < 0:
				year, yearDigits = n, 4
			case day < 0 && n >= 1 && n <= 31 && len(f) <= 2:
				day = n
			case year < 0 && len(f) <= 2:
				year, yearDigits = n, 2
			}
		}
	}
	if day < 0 || month == 0 || year < 0 {
		return time.Time{}, false
	}
	if yearDigits == 2 {
		if year > 69 {
			year += 1900
		} else {
			year += 2000
		}
	}
	if hour < 0 {
		hour = 0
	}
	switch {
	case pm && hour < 12:
		hour += 12
	case am && hour == 12:
		hour = 0
	}
	if year < 1900 || year > 2200 || hour > 23 || min > 59 || sec > 60 || day > daysIn(month, year) {
		return time.Time{}, false
	}
	if sec == 60 {
		sec = 59
	}
	zone := time.UTC
	if hasZone && offset != 0 {
		zone = time.FixedZone("", offset)
	}
	return time.Date(year, month, day, hour, min, sec, 0, zone), true
}

func isZoneName(f string) bool {
	_, ok := zoneOffsets[strings.ToUpper(f)]
	return ok
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseClock reads "18:09:22", "18:09", "18.09.22".
func parseClock(f string) (h, m, s int, ok bool) {
	parts := strings.FieldsFunc(f, func(r rune) bool { return r == ':' || r == '.' })
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, 0, false
	}
	var n [3]int
	for i, p := range parts {
		if !allDigits(p) || len(p) > 2 {
			return 0, 0, 0, false
		}
		n[i], _ = strconv.Atoi(p)
	}
	return n[0], n[1], n[2], true
}

var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

func parseISODate(s string) (time.Time, bool) {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) < 10 || s[4] != '-' || !allDigits(s[:4]) {
		return time.Time{}, false
	}
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// stripComments removes parenthesised comments ("(PDT)", "(GMT+02:00)").
func stripComments(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
			b.WriteByte(' ')
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allDigitsOr(s string, c byte) bool {
	return allDigits(strings.ReplaceAll(s, string(c), ""))
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if (s[i] < 'a' || s[i] > 'z') && s[i] != '.' {
			return false
		}
	}
	return true
}
