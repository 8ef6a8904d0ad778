package markdown

import (
	"bytes"
	"context"
	"strings"

	"github.com/engram-app/engram/document"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// walker collects the plain text, headings, links and tags of a parsed note.
type walker struct {
	ctx      context.Context
	src      []byte
	body     strings.Builder
	headings []string
	links    []document.Link
	tags     []string
	visited  int
	// starts holds, for the open headings and links, where their text
	// begins in body.
	starts []int
}

func (w *walker) walk(root ast.Node) error {
	return ast.Walk(root, w.visit)
}

func (w *walker) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if w.visited++; w.visited%1024 == 0 {
		if err := w.ctx.Err(); err != nil {
			return ast.WalkStop, err
		}
	}
	switch n := n.(type) {
	case *ast.Document:
		return ast.WalkContinue, nil
	case *ast.Text:
		if entering {
			w.text(n)
		}
		return ast.WalkContinue, nil
	case *ast.String:
		if entering {
			w.body.Write(n.Value)
		}
		return ast.WalkContinue, nil
	case *ast.AutoLink:
		if entering {
			w.body.Write(n.URL(w.src))
		}
		return ast.WalkSkipChildren, nil
	case *ast.RawHTML:
		return ast.WalkSkipChildren, nil
	case *wikiLinkNode:
		if entering {
			w.body.WriteString(n.display())
			if n.link.Target != "" {
				w.links = append(w.links, n.link)
			}
		}
		return ast.WalkSkipChildren, nil
	case *tagNode:
		if entering {
			w.body.WriteString("#" + n.tag)
			if t := normalizeTag(n.tag); t != "" {
				w.tags = append(w.tags, t)
			}
		}
		return ast.WalkSkipChildren, nil
	case *east.TaskCheckBox:
		return ast.WalkSkipChildren, nil
	case *ast.Link:
		if entering {
			w.starts = append(w.starts, w.body.Len())
			return ast.WalkContinue, nil
		}
		label := w.pop()
		if l, ok := localNoteLink(string(n.Destination), label); ok {
			w.links = append(w.links, l)
		}
		return ast.WalkContinue, nil
	case *ast.Heading:
		if entering {
			w.newline()
			w.starts = append(w.starts, w.body.Len())
			return ast.WalkContinue, nil
		}
		if h := strings.TrimSpace(w.pop()); h != "" {
			w.headings = append(w.headings, h)
		}
		w.newline()
		return ast.WalkContinue, nil
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		if entering {
			w.newline()
			w.lines(n.Lines())
			w.newline()
		}
		return ast.WalkSkipChildren, nil
	case *ast.HTMLBlock:
		if entering {
			w.newline()
			var raw bytes.Buffer
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				raw.Write(seg.Value(w.src))
			}
			if n.HasClosure() {
				raw.Write(n.ClosureLine.Value(w.src))
			}
			w.body.WriteString(htmlText(raw.Bytes()))
			w.newline()
		}
		return ast.WalkSkipChildren, nil
	case *east.TableCell:
		if !entering {
			w.body.WriteByte('\t')
		}
		return ast.WalkContinue, nil
	}
	if n.Type() == ast.TypeBlock {
		w.newline()
	}
	return ast.WalkContinue, nil
}

// pop closes the innermost open heading or link and returns its text.
func (w *walker) pop() string {
	if len(w.starts) == 0 {
		return ""
	}
	start := w.starts[len(w.starts)-1]
	w.starts = w.starts[:len(w.starts)-1]
	s := w.body.String()
	if start > len(s) {
		return ""
	}
	return s[start:]
}

func (w *walker) text(n *ast.Text) {
	v := n.Value(w.src)
	if !n.IsRaw() {
		v = util.UnescapePunctuations(v)
		v = util.ResolveNumericReferences(v)
		v = util.ResolveEntityNames(v)
	}
	w.body.Write(v)
	if n.SoftLineBreak() || n.HardLineBreak() {
		w.body.WriteByte('\n')
	}
}

func (w *walker) lines(lines *text.Segments) {
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		w.body.Write(seg.Value(w.src))
	}
}

// newline ends the current line, if any.
func (w *walker) newline() {
	s := w.body.String()
	if len(s) > 0 && s[len(s)-1] != '\n' {
		w.body.WriteByte('\n')
	}
}

// htmlText returns the text of an HTML fragment without its tags, skipping
// scripts and styles.
func htmlText(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	var out strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(out.String())
		case html.StartTagToken:
			name, _ := z.TagName()
			if s := string(name); s == "script" || s == "style" {
				skip++
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if s := string(name); (s == "script" || s == "style") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				out.Write(z.Text())
			}
		}
	}
}
