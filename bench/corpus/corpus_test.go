package corpus_test

import (
	"bytes"
	"io/fs"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/bench/corpus"
)

// readAll returns every file under dir by path relative to dir.
func readAll(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerateIsDeterministic(t *testing.T) {
	opts := corpus.Options{Messages: 400, Seed: 42}
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	if _, err := corpus.Generate(a, opts); err != nil {
		t.Fatal(err)
	}
	if _, err := corpus.Generate(b, opts); err != nil {
		t.Fatal(err)
	}
	opts.Seed = 43
	if _, err := corpus.Generate(c, opts); err != nil {
		t.Fatal(err)
	}
	fa, fb, fc := readAll(t, a), readAll(t, b), readAll(t, c)
	if len(fa) != len(fb) {
		t.Fatalf("same seed: %d files, then %d", len(fa), len(fb))
	}
	for p, data := range fa {
		if !bytes.Equal(data, fb[p]) {
			t.Fatalf("same seed, different %s", p)
		}
	}
	same := 0
	for p, data := range fa {
		if bytes.Equal(data, fc[p]) {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 42 and 43 wrote %d identical files", same)
	}
}

func TestGenerateWritesParseableThreadedMail(t *testing.T) {
	const n = 1500
	dir := t.TempDir()
	st, err := corpus.Generate(dir, corpus.Options{Messages: n, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	files := readAll(t, dir)
	if st.Messages != n || len(files) != n {
		t.Fatalf("stats say %d messages, %d files written; want %d", st.Messages, len(files), n)
	}
	type info struct {
		date    string
		replyTo string
		refs    string
		path    string
	}
	byID := map[string]mail.Header{}
	var replies []info
	for p, data := range files {
		parts := strings.Split(p, "/")
		if len(parts) != 4 || parts[0] != "maildir" || !strings.HasSuffix(parts[3], ".eml") {
			t.Fatalf("file %s is not maildir/<owner>/<folder>/<n>.eml", p)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		h := msg.Header
		for _, k := range []string{"Message-Id", "Date", "From", "To", "Subject", "Content-Type", "X-From", "X-To"} {
			if h.Get(k) == "" {
				t.Fatalf("%s: no %s header", p, k)
			}
		}
		if _, err := h.Date(); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		from, err := mail.ParseAddress(h.Get("From"))
		if err != nil || from.Name == "" {
			t.Fatalf("%s: From %q: %v", p, h.Get("From"), err)
		}
		if _, err := h.AddressList("To"); err != nil {
			t.Fatalf("%s: To: %v", p, err)
		}
		if h.Get("Cc") != "" {
			if _, err := h.AddressList("Cc"); err != nil {
				t.Fatalf("%s: Cc: %v", p, err)
			}
		}
		body := new(bytes.Buffer)
		body.ReadFrom(msg.Body)
		words := len(strings.Fields(body.String()))
		if words < 30 {
			t.Errorf("%s: body of %d words", p, words)
		}
		id := h.Get("Message-Id")
		if _, dup := byID[id]; dup {
			t.Fatalf("%s: duplicate Message-ID %s", p, id)
		}
		byID[id] = h
		if irt := h.Get("In-Reply-To"); irt != "" {
			if !strings.HasPrefix(h.Get("Subject"), "Re: ") {
				t.Errorf("%s: reply subject %q", p, h.Get("Subject"))
			}
			if !strings.Contains(body.String(), "\n> ") {
				t.Errorf("%s: reply quotes nothing", p)
			}
			replies = append(replies, info{date: h.Get("Date"), replyTo: irt, refs: h.Get("References"), path: p})
		}
	}
	if st.Replies != len(replies) {
		t.Errorf("stats say %d replies, files hold %d", st.Replies, len(replies))
	}
	if share := float64(len(replies)) / n; share < 0.25 || share > 0.35 {
		t.Errorf("reply share %.2f, want about %.2f", share, corpus.ReplyShare)
	}
	for _, r := range replies {
		parent, ok := byID[r.replyTo]
		if !ok {
			t.Fatalf("%s: In-Reply-To %s is no message of the corpus", r.path, r.replyTo)
		}
		refs := strings.Fields(r.refs)
		if len(refs) == 0 || refs[len(refs)-1] != r.replyTo {
			t.Errorf("%s: References %q do not end with In-Reply-To %s", r.path, r.refs, r.replyTo)
		}
		pd, _ := parent.Date()
		rd, _ := mail.ParseDate(r.date)
		if !pd.Before(rd) {
			t.Errorf("%s: reply dated %v, not after its parent's %v", r.path, rd, pd)
		}
	}
}

func TestVocabularyAndPeople(t *testing.T) {
	g := corpus.New(corpus.Options{Messages: 100, Seed: 1})
	v := g.Vocabulary()
	if len(v.Words) != corpus.VocabularySize || v.Function == 0 || len(v.ContentWords()) != len(v.Words)-v.Function {
		t.Fatalf("vocabulary of %d words, %d function words", len(v.Words), v.Function)
	}
	seen := map[string]bool{}
	for _, w := range v.Words {
		if seen[w] || w == "" || strings.ToLower(w) != w {
			t.Fatalf("bad or duplicate word %q", w)
		}
		seen[w] = true
	}
	addr := map[string]bool{}
	for i, p := range g.People() {
		if addr[p.Address] {
			t.Fatalf("duplicate address %s", p.Address)
		}
		addr[p.Address] = true
		if (i < g.Owners()) != (p.Mailbox != "") {
			t.Fatalf("person %d (%s): mailbox %q, owners %d", i, p.Address, p.Mailbox, g.Owners())
		}
		if i < g.Owners() && !strings.HasSuffix(p.Address, "@enron.com") {
			t.Fatalf("owner %s outside enron.com", p.Address)
		}
	}
}
