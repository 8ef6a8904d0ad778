// Package corpus generates a synthetic email corpus shaped like the Enron
// mail: about 150 mailbox owners and a long tail of correspondents,
// Zipf-distributed words, threads of replies that quote and reference the
// message they answer, several recipients and Cc, dates over 1999-2002.
//
// The output is deterministic: the same Options give byte-identical files.
// Messages are streamed to disk one at a time; memory stays small (a bounded
// window of recent messages that replies can answer) whatever the size.
//
// The package depends on nothing else in Engram, so it can be used to make
// fixtures for any part of it.
package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Options says how large a corpus to make.
type Options struct {
	// Messages is the number of messages to write.
	Messages int
	// Seed selects the corpus; the same seed gives the same files.
	Seed uint64
	// People is the number of distinct correspondents; zero scales it with
	// Messages (Messages/20, at least 200, at most 5,000). About 150 of them
	// (fewer in a small corpus) own a mailbox.
	People int
}

// Folders are the mailbox folders messages are written to.
var Folders = []string{"inbox", "sent_items", "discussion_threads"}

// ReplyShare is the share of messages that answer an earlier one.
const ReplyShare = 0.30

// Stats describes a generated corpus.
type Stats struct {
	Messages int   // files written
	Replies  int   // of which replies
	Bytes    int64 // total size of the files
	People   int   // correspondents
	Owners   int   // mailbox owners
	// Sent counts, per index of Generator.People, the messages each person
	// sent; it says who actually appears in the corpus.
	Sent []int
	// Elapsed is how long writing took.
	Elapsed time.Duration
}

// Generator makes one corpus. Build it with New; its vocabulary and people
// are known before any message is written, so benchmarks can draw queries
// from them.
type Generator struct {
	opts   Options
	vocab  Vocabulary
	people []Person
	owners int
}

// VocabularySize is the number of distinct words a generator draws from.
const VocabularySize = 4000

// New returns the generator for opts, with defaults filled in.
func New(opts Options) *Generator {
	if opts.Messages < 0 {
		opts.Messages = 0
	}
	if opts.People <= 0 {
		opts.People = min(max(opts.Messages/20, 200), 5000)
	}
	opts.People = min(max(opts.People, 2), 50000)
	owners := min(150, max(1, opts.People/4))
	return &Generator{
		opts:   opts,
		vocab:  newVocabulary(opts.Seed, VocabularySize),
		people: newPeople(opts.Seed, opts.People, owners),
		owners: owners,
	}
}

// Options returns the options in effect, defaults filled in.
func (g *Generator) Options() Options { return g.opts }

// Vocabulary returns the words messages are made of, most frequent first.
// The caller must not modify it.
func (g *Generator) Vocabulary() Vocabulary { return g.vocab }

// People returns every correspondent; the first Owners of them own a
// mailbox. The caller must not modify it.
func (g *Generator) People() []Person { return g.people }

// Owners is the number of mailbox owners.
func (g *Generator) Owners() int { return g.owners }

// Generate writes the corpus of opts under dir; see Generator.Generate.
func Generate(dir string, opts Options) (Stats, error) {
	return New(opts).Generate(dir)
}

// Generate writes the messages as dir/maildir/<owner>/<folder>/<n>.eml, one
// RFC 5322 message per file (text/plain, us-ascii, CRLF-free), creating
// folders as needed and overwriting files of the same name (files of an
// earlier, larger corpus stay: give it an empty dir). It stops at the first
// error and returns it with the stats so far.
func (g *Generator) Generate(dir string) (Stats, error) {
	start := time.Now()
	st := Stats{People: len(g.people), Owners: g.owners, Sent: make([]int, len(g.people))}
	w := newWriter(g)
	made := map[string]bool{}
	count := map[string]int{}

	// Messages are made in order on this goroutine, so the corpus is a pure
	// function of the options; files are written by a few goroutines,
	// because creating a file costs far more than making its text.
	type file struct {
		path string
		data *bytes.Buffer
	}
	files := make(chan file, 2*writers)
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		werr   error
		failed atomic.Bool
	)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range files {
				if !failed.Load() {
					if err := os.WriteFile(f.path, f.data.Bytes(), 0o644); err != nil {
						mu.Lock()
						werr = errors.Join(werr, fmt.Errorf("writing %s: %w", f.path, err))
						mu.Unlock()
						failed.Store(true)
					}
				}
				bufs.Put(f.data)
			}
		}()
	}
	var err error
	for i := 0; i < g.opts.Messages && !failed.Load(); i++ {
		m := w.next(i)
		buf := bufs.Get().(*bytes.Buffer)
		buf.Reset()
		w.render(buf, m)
		folder := filepath.Join(dir, "maildir", g.people[m.owner].Mailbox, Folders[m.folder])
		if !made[folder] {
			if err = os.MkdirAll(folder, 0o755); err != nil {
				err = fmt.Errorf("creating %s: %w", folder, err)
				break
			}
			made[folder] = true
		}
		count[folder]++
		files <- file{path: filepath.Join(folder, strconv.Itoa(count[folder])+".eml"), data: buf}
		st.Messages++
		st.Bytes += int64(buf.Len())
		st.Sent[m.from]++
		if m.parent != nil {
			st.Replies++
		}
		w.remember(m)
	}
	close(files)
	wg.Wait()
	st.Elapsed = time.Since(start)
	if err = errors.Join(err, werr); err != nil {
		return st, err
	}
	return st, nil
}

// writers is the number of goroutines writing files.
const writers = 8

// zipf draws ranks in [0, n) with P(k) proportional to (v+k)^-s.
func zipf(r *rand.Rand, s, v float64, n int) *rand.Zipf {
	return rand.NewZipf(r, s, v, uint64(n-1))
}
