package derive

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/store"
)

// maxSameName bounds the notes of one file name a link is resolved among.
const maxSameName = 256

// resolveLink resolves a note's [[target]] as Obsidian does, among the
// notes whose file name is the target's last element (cands): a target
// with a folder ("Folder/Note") goes only to a note whose path ends with
// it ("./Note" and "../Folder/Note" are read from the linking note's
// folder); a bare name held by several folders goes to the note with the
// shortest path (fewest folders), then to the one in the linking note's own
// folder, then to the shortest path name, then to the first by path.
// Titles and aliases do not resolve a link ([[Note|Alias]] is how Obsidian
// links by alias). ok is false when no note matches.
func resolveLink(source, target string, cands []store.NotePath) (string, bool) {
	want := strings.ToLower(filepath.ToSlash(strings.TrimSuffix(strings.TrimSpace(target), ".md")))
	if strings.HasPrefix(want, "./") || strings.HasPrefix(want, "../") {
		// Relative to the linking note's folder.
		abs := strings.ToLower(filepath.ToSlash(filepath.Join(filepath.Dir(source), want)))
		for _, c := range cands {
			p := strings.ToLower(filepath.ToSlash(c.Path))
			if strings.TrimSuffix(p, filepath.Ext(p)) == abs {
				return c.ID, true
			}
		}
		return "", false
	}
	want = strings.TrimPrefix(want, "/")
	if strings.HasSuffix(strings.ToLower(target), ".md") || strings.Contains(want, "/") {
		var keep []store.NotePath
		for _, c := range cands {
			p := strings.ToLower(filepath.ToSlash(c.Path))
			p = strings.TrimSuffix(p, filepath.Ext(p))
			if strings.HasSuffix(p, "/"+want) || p == want {
				keep = append(keep, c)
			}
		}
		cands = keep
	}
	if len(cands) == 0 {
		return "", false
	}
	srcDir := filepath.Dir(source)
	best := cands[0]
	for _, c := range cands[1:] {
		if betterCandidate(c, best, srcDir) {
			best = c
		}
	}
	return best.ID, true
}

func betterCandidate(c, best store.NotePath, srcDir string) bool {
	cd, bd := strings.Count(filepath.ToSlash(c.Path), "/"), strings.Count(filepath.ToSlash(best.Path), "/")
	if cd != bd {
		return cd < bd
	}
	if cs, bs := filepath.Dir(c.Path) == srcDir, filepath.Dir(best.Path) == srcDir; cs != bs {
		return cs
	}
	if len(c.Path) != len(best.Path) {
		return len(c.Path) < len(best.Path)
	}
	return c.Path < best.Path
}

// noteLinks resolves the links of the Markdown notes of docs, keyed by
// linkKey; the notes of each file name come from the store, which already
// holds docs. Notes listed there whose document is gone are skipped.
func noteLinks(st *store.Store, ws string, docs []document.Document) (map[string]string, error) {
	var names []string
	for i := range docs {
		if docs[i].Source != document.SourceMarkdown {
			continue
		}
		for _, l := range docs[i].Links {
			if n := LinkName(l.Target); n != "" {
				names = append(names, n)
			}
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	named, err := st.NotesNamed(ws, Uniq(names), maxSameName)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, ns := range named {
		for _, n := range ns {
			ids = append(ids, n.ID)
		}
	}
	exist, err := st.Documents(ws, Uniq(ids))
	if err != nil {
		return nil, err
	}
	live := make(map[string]string, len(exist))
	for _, d := range exist {
		live[d.ID] = d.Path
	}
	out := map[string]string{}
	for i := range docs {
		d := &docs[i]
		if d.Source != document.SourceMarkdown {
			continue
		}
		for _, l := range d.Links {
			var cands []store.NotePath
			for _, c := range named[LinkName(l.Target)] {
				if p, ok := live[c.ID]; ok && p == c.Path {
					cands = append(cands, c)
				}
			}
			if id, ok := resolveLink(d.Path, l.Target, cands); ok {
				out[linkKey(d.ID, l.Target)] = id
			}
		}
	}
	return out, nil
}

func linkKey(docID, target string) string { return docID + "\x00" + target }

// attachmentExt matches the extension of a file that is not a note: an
// embed of an image, a PDF, a sound.
var attachmentExt = regexp.MustCompile(`^\.[A-Za-z][A-Za-z0-9]{0,4}$`)

// IsAttachment reports whether a link target names a file other than a
// note (photo.png, scan.pdf): such links are shown as attachments, not as
// notes to open, and not drawn in the graph.
func IsAttachment(target string) bool {
	ext := path.Ext(strings.ReplaceAll(strings.TrimSpace(target), "\\", "/"))
	return attachmentExt.MatchString(ext) && !strings.EqualFold(ext, ".md")
}
