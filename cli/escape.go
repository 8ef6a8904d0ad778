package cli

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// safe returns s for a terminal, on one line: control characters (C0, DEL,
// C1, which start escape sequences that can retitle, recolour or rewrite
// the user's terminal), bidirectional overrides and isolates (which reorder
// what is shown), and bytes that are not UTF-8 are written as visible
// escapes (\x1b, \u202e, \xff). Everything else passes unchanged. Plain
// output of anything that came from outside (titles, names, paths, bodies,
// error messages) goes through it; --json output does not, since JSON
// escapes control characters itself and must stay exact.
func safe(s string) string { return neutralise(s, false) }

// safeText is safe for multi-line text (a document's body): newlines and
// tabs stay, a CR before a newline goes, every other control is escaped.
func safeText(s string) string { return neutralise(strings.ReplaceAll(s, "\r\n", "\n"), true) }

func neutralise(s string, multiline bool) string {
	clean := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if hostile(r, n, multiline) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !hostile(r, n, multiline):
			b.WriteString(s[i : i+n])
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

// hostile reports whether the rune r (n bytes long) must be escaped.
func hostile(r rune, n int, multiline bool) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return true
	case multiline && (r == '\n' || r == '\t'):
		return false
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// highlightOn and highlightOff are the only escape sequences plain output
// lets through: the bold the CLI itself puts around matched words (SGR bold
// and reset, which cannot move the cursor or talk to the terminal).
const (
	highlightOn  = "\x1b[1m"
	highlightOff = "\x1b[0m"
)

// plainWriter writes plain (not JSON) output through neutralise, keeping
// newlines and tabs, so that nothing printed from a hostile subject, file
// name or body reaches the terminal as a control sequence. A UTF-8 sequence
// split across two writes is held until the rest comes.
type plainWriter struct {
	w     io.Writer
	carry []byte
}

func (p *plainWriter) Write(b []byte) (int, error) {
	n := len(b)
	if len(p.carry) > 0 {
		b = append(p.carry, b...)
		p.carry = nil
	}
	// Hold back an incomplete rune at the end.
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				p.carry = append([]byte(nil), b[i:]...)
				b = b[:i]
			}
			break
		}
	}
	s := string(b)
	var out strings.Builder
	for s != "" {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			out.WriteString(safeText(s))
			break
		}
		out.WriteString(safeText(s[:i]))
		s = s[i:]
		switch {
		case strings.HasPrefix(s, highlightOn):
			out.WriteString(highlightOn)
			s = s[len(highlightOn):]
		case strings.HasPrefix(s, highlightOff):
			out.WriteString(highlightOff)
			s = s[len(highlightOff):]
		default:
			out.WriteString(`\x1b`)
			s = s[1:]
		}
	}
	if _, err := io.WriteString(p.w, out.String()); err != nil {
		return 0, err
	}
	return n, nil
}
