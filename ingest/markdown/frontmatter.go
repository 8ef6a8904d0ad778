package markdown

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// frontMatter is what a note's YAML front matter contributes to its document.
type frontMatter struct {
	title   string
	tags    []string
	aliases []string
	date    time.Time
	meta    map[string]string
}

// splitFrontMatter returns the YAML between a "---" line at the very start
// of data and the next "---" (or "...") line, and the rest of the note. ok is
// false when the note has no complete front matter block.
func splitFrontMatter(data []byte) (yamlText, body []byte, ok bool) {
	first, rest, found := bytes.Cut(data, []byte("\n"))
	if !found || string(bytes.TrimRight(first, " \t\r")) != "---" {
		return nil, data, false
	}
	offset := 0
	for offset <= len(rest) {
		line := rest[offset:]
		next := len(rest)
		if i := bytes.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
			next = offset + i + 1
		}
		switch string(bytes.TrimRight(line, " \t\r")) {
		case "---", "...":
			return rest[:offset], rest[next:], true
		}
		if next == len(rest) {
			break
		}
		offset = next
	}
	return nil, data, false
}

// parseFrontMatter decodes front matter. An error means the YAML is not a
// mapping Engram can read; the caller keeps the note and shows the block as
// text.
func parseFrontMatter(yamlText []byte) (fm frontMatter, err error) {
	// yaml.v3 has panicked on hostile input in the past; a note must never
	// take the import down with it.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("front matter: %v", r)
		}
	}()
	var raw map[string]any
	if err := yaml.Unmarshal(yamlText, &raw); err != nil {
		return fm, fmt.Errorf("front matter: %w", err)
	}
	fm.meta = map[string]string{}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		v := raw[key]
		switch strings.ToLower(key) {
		case "title":
			fm.title = strings.TrimSpace(scalarString(v))
		case "tags", "tag":
			for _, s := range stringList(v, true) {
				if t := normalizeTag(s); t != "" {
					fm.tags = append(fm.tags, t)
				}
			}
		case "aliases", "alias":
			for _, s := range stringList(v, false) {
				if s = strings.TrimSpace(s); s != "" {
					fm.aliases = append(fm.aliases, s)
				}
			}
		case "date", "created":
			if t, ok := parseDate(v); ok && (fm.date.IsZero() || strings.EqualFold(key, "date")) {
				fm.date = t
			}
			if s := scalarString(v); s != "" {
				fm.meta[key] = s
			}
		default:
			if s := scalarString(v); s != "" {
				fm.meta[key] = s
			} else if list := stringList(v, false); len(list) > 0 {
				fm.meta[key] = strings.Join(list, ", ")
			}
		}
	}
	return fm, nil
}

// scalarString renders a YAML scalar; lists and maps give "".
func scalarString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	}
	return ""
}

// stringList reads a list of scalars, or a single string split on commas
// (and, for tags, on spaces too).
func stringList(v any, splitSpaces bool) []string {
	switch x := v.(type) {
	case []any:
		var out []string
		for _, e := range x {
			if s := scalarString(e); s != "" {
				out = append(out, s)
			}
		}
		return out
	case string:
		sep := func(r rune) bool { return r == ',' || (splitSpaces && (r == ' ' || r == '\t')) }
		return strings.FieldsFunc(x, sep)
	default:
		if s := scalarString(x); s != "" {
			return []string{s}
		}
	}
	return nil
}

// dateLayouts are the date forms found in note front matter, most specific
// first. Forms without a zone are read in local time: that is what the
// writer meant.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04",
	"2006/01/02",
	"2006.01.02",
	"02.01.2006 15:04",
	"02.01.2006",
	"January 2, 2006",
	"Jan 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	time.RFC1123Z,
	time.RFC1123,
	"2006年1月2日",
}

func parseDate(v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		return x, true
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range dateLayouts {
			if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}
