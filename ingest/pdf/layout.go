package pdf

import (
	"math"
	"strings"

	lpdf "github.com/ledongthuc/pdf"
)

// The library's own layout (Page.Content) resolves a font's widths for
// every glyph and re-reads its ToUnicode map at every font change, which
// makes a 300-page report take minutes. This interpreter of the text
// operators parses each font once per page and lays out whole strings.

// Bounds on the work one page may cause.
const (
	maxFormDepth = 8    // form XObjects inside form XObjects
	maxForms     = 2000 // form XObjects drawn on one page
	maxGStack    = 256  // q without Q
)

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: m applied first, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(x, y float64) matrix { return matrix{1, 0, 0, 1, x, y} }

// font is what the layout needs of a font: how to decode its codes and how
// far each one advances.
type font struct {
	enc      lpdf.TextEncoding
	twoByte  bool // a composite (Type0) font with two-byte codes
	first    int
	widths   []float64       // simple fonts, from FirstChar
	cid      map[int]float64 // composite fonts, from /W
	defWidth float64
}

func loadFont(v lpdf.Value) *font {
	lf := lpdf.Font{V: v}
	f := &font{enc: lf.Encoder()}
	if f.enc == nil {
		f.enc = nopEncoding{}
	}
	if v.Key("Subtype").Name() == "Type0" {
		f.twoByte = true
		desc := v.Key("DescendantFonts").Index(0)
		f.defWidth = 1000
		if dw := desc.Key("DW"); dw.Kind() == lpdf.Integer || dw.Kind() == lpdf.Real {
			f.defWidth = dw.Float64()
		}
		f.cid = cidWidths(desc.Key("W"))
		return f
	}
	f.first = lf.FirstChar()
	w := v.Key("Widths")
	for i := 0; i < w.Len() && i < 256; i++ {
		f.widths = append(f.widths, w.Index(i).Float64())
	}
	// The standard 14 fonts may come without widths: assume half an em.
	f.defWidth = 500
	if len(f.widths) > 0 {
		f.defWidth = 0
	}
	return f
}

// cidWidths reads a composite font's /W array: "c [w1 w2 ...]" gives the
// widths of c, c+1, ...; "c1 c2 w" gives one width to c1..c2.
func cidWidths(w lpdf.Value) map[int]float64 {
	out := map[int]float64{}
	const maxEntries = 1 << 16
	for i := 0; i < w.Len() && len(out) < maxEntries; {
		c := int(w.Index(i).Int64())
		next := w.Index(i + 1)
		if next.Kind() == lpdf.Array {
			for j := 0; j < next.Len() && len(out) < maxEntries; j++ {
				out[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		last := int(next.Int64())
		width := w.Index(i + 2).Float64()
		for c2 := c; c2 <= last && c2-c < maxEntries && len(out) < maxEntries; c2++ {
			out[c2] = width
		}
		i += 3
	}
	return out
}

// advance returns the advance of the codes in raw, in text space units
// (thousandths of the font size), and how many of them are a single-byte
// space (for word spacing).
func (f *font) advance(raw string) (width float64, spaces int) {
	if f.twoByte {
		for i := 0; i+1 < len(raw); i += 2 {
			code := int(raw[i])<<8 | int(raw[i+1])
			w, ok := f.cid[code]
			if !ok {
				w = f.defWidth
			}
			width += w
		}
		return width, 0
	}
	for i := 0; i < len(raw); i++ {
		code := int(raw[i])
		if code == ' ' {
			spaces++
		}
		if k := code - f.first; k >= 0 && k < len(f.widths) {
			width += f.widths[k]
		} else {
			width += f.defWidth
		}
	}
	return width, spaces
}

type nopEncoding struct{}

func (nopEncoding) Decode(raw string) string { return raw }

// gstate is the part of the graphics and text state the layout follows.
type gstate struct {
	ctm                      matrix
	font                     *font
	size, tc, tw, th, tl, ts float64
}

// layout turns the text-showing operators of a page into lines.
type layout struct {
	b       strings.Builder
	forms   int
	started bool
	lastY   float64
	lastEnd float64 // x where the last string ended
	lastSz  float64
}

func newLayout() *layout { return &layout{} }

// run interprets one content stream (a page's, or a form's) with its
// resources, drawn under ctm.
func (l *layout) run(content, res lpdf.Value, ctm matrix, depth int) {
	fonts := map[string]*font{}
	g := gstate{ctm: ctm, th: 1}
	var stack []gstate
	var tm, tlm matrix
	lpdf.Interpret(content, func(stk *lpdf.Stack, op string) {
		n := stk.Len()
		args := make([]lpdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < maxGStack {
				stack = append(stack, g)
			}
		case "Q":
			if len(stack) > 0 {
				g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identity, identity
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.ts = num(0)
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					f = loadFont(res.Key("Font").Key(name))
					fonts[name] = f
				}
				g.font, g.size = f, num(1)
			}
		case "Td", "TD":
			if op == "TD" {
				g.tl = -num(1)
			}
			tlm = translate(num(0), num(1)).mul(tlm)
			tm = tlm
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			tlm = translate(0, -g.tl).mul(tlm)
			tm = tlm
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				args = args[2:]
			}
			tlm = translate(0, -g.tl).mul(tlm)
			tm = tlm
			fallthrough
		case "Tj":
			if len(args) == 1 {
				tm = l.show(&g, tm, args[0].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				for i := 0; i < a.Len(); i++ {
					x := a.Index(i)
					if x.Kind() == lpdf.String {
						tm = l.show(&g, tm, x.RawString())
					} else {
						tm = translate(-x.Float64()/1000*g.size*g.th, 0).mul(tm)
					}
				}
			}
		case "Do":
			if len(args) == 1 && depth < maxFormDepth && l.forms < maxForms {
				x := res.Key("XObject").Key(args[0].Name())
				if x.Key("Subtype").Name() != "Form" {
					return
				}
				l.forms++
				m := identity
				if mv := x.Key("Matrix"); mv.Len() == 6 {
					m = matrix{mv.Index(0).Float64(), mv.Index(1).Float64(), mv.Index(2).Float64(), mv.Index(3).Float64(), mv.Index(4).Float64(), mv.Index(5).Float64()}
				}
				formRes := x.Key("Resources")
				if formRes.Kind() != lpdf.Dict {
					formRes = res
				}
				l.run(x, formRes, m.mul(g.ctm), depth+1)
			}
		}
	})
}

// show lays out one string at the text matrix tm and returns the text
// matrix after it.
func (l *layout) show(g *gstate, tm matrix, raw string) matrix {
	f := g.font
	if f == nil {
		f = &font{enc: nopEncoding{}, defWidth: 500}
	}
	text := f.enc.Decode(raw)
	trm := matrix{g.size * g.th, 0, 0, g.size, 0, g.ts}.mul(tm).mul(g.ctm)
	x, y := trm[4], trm[5]
	size := math.Hypot(trm[2], trm[3])
	if size == 0 || math.IsNaN(size) || math.IsInf(size, 0) {
		size = 1
	}
	w, spaces := f.advance(raw)
	codes := len(raw)
	if f.twoByte {
		codes /= 2
	}
	tx := (w/1000*g.size + g.tc*float64(codes) + g.tw*float64(spaces)) * g.th
	tm = translate(tx, 0).mul(tm)
	end := matrix{g.size * g.th, 0, 0, g.size, 0, g.ts}.mul(tm).mul(g.ctm)[4]
	if strings.TrimSpace(text) == "" && text != " " {
		l.lastEnd = end
		return tm
	}
	if l.started {
		dy := math.Abs(y - l.lastY)
		switch {
		case dy > 1.8*math.Max(size, l.lastSz):
			l.b.WriteString("\n\n")
		case dy > 0.5*math.Min(size, l.lastSz):
			l.b.WriteByte('\n')
		case x-l.lastEnd > 0.2*size || l.lastEnd-x > 3*size:
			// A gap, or a jump back on the same line (a new column).
			if !endsWithSpace(&l.b) && !strings.HasPrefix(text, " ") {
				l.b.WriteByte(' ')
			}
		}
	}
	l.b.WriteString(text)
	l.started = true
	l.lastY, l.lastEnd, l.lastSz = y, end, size
	return tm
}
