package gaps

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/store"
)

// Options tune New.
type Options struct {
	// Workers bounds the documents analysed at once; zero means
	// GOMAXPROCS.
	Workers int
	// AliasCache bounds the alias lookups kept in memory; zero means 4096.
	AliasCache int
	// Now is the clock deadlines are compared with; nil means time.Now.
	Now func() time.Time
	// MinExpertDocs is how many documents one person must write about a
	// topic, with nobody else writing about it, to be a single expert;
	// zero means 3.
	MinExpertDocs int
	// Yield is what a background run calls between two documents (and
	// two conversations or aggregates); nil means runtime.Gosched. Tests
	// count the calls.
	Yield func()
}

// Analyzer finds knowledge gaps in a workspace's documents and keeps them in
// the store. It is built once by the container; its methods are safe for
// concurrent use, and one analysis at a time runs per workspace.
type Analyzer struct {
	st      *store.Store
	m       *matcher
	opts    Options
	aliases *lru.Cache[aliasKey, Alias]

	mu      sync.Mutex
	running map[string]chan struct{} // workspace -> closed when its run ends
}

type aliasKey struct{ ws, alias string }

// New builds an analyzer over the store, compiling the cue matcher once.
func New(st *store.Store, opts Options) (*Analyzer, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.AliasCache <= 0 {
		opts.AliasCache = 4096
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MinExpertDocs <= 0 {
		opts.MinExpertDocs = 3
	}
	if opts.Yield == nil {
		opts.Yield = runtime.Gosched
	}
	c, err := lru.New[aliasKey, Alias](opts.AliasCache)
	if err != nil {
		return nil, err
	}
	return &Analyzer{st: st, m: newMatcher(lexicon()), opts: opts, aliases: c, running: map[string]chan struct{}{}}, nil
}

// docFacts is what the analysis keeps of one document (table "docs").
type docFacts struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Date      time.Time `json:"date"`
	From      Person    `json:"from"`
	To        []Person  `json:"to,omitempty"`
	Conv      string    `json:"conv"`
	Frames    []Frame   `json:"frames,omitempty"`
	Words     []string  `json:"words,omitempty"`
	Rationale string    `json:"rationale,omitempty"` // the first reason given
	Done      bool      `json:"done,omitempty"`      // says something was sent or done
	Defers    bool      `json:"defers,omitempty"`    // only puts an answer off ("let me check")
	Aggs      []string  `json:"aggs,omitempty"`      // aggregate keys it contributes to
	Entities  []Entity  `json:"entities,omitempty"`  // organisations, projects and places named
	// contribs are written to the contrib table, not kept in the facts.
	contribs map[string]contribution
}

// contribution is a document's part in an aggregate (table "contrib").
type contribution struct {
	Doc      string    `json:"doc"`
	Title    string    `json:"title"`
	Date     time.Time `json:"date"`
	From     Person    `json:"from"`
	Passage  string    `json:"passage,omitempty"`
	Value    string    `json:"value,omitempty"`
	Text     string    `json:"text,omitempty"`
	Describe bool      `json:"describe,omitempty"`
}

const (
	maxWords    = 80  // keywords kept per document
	maxFrames   = 40  // frames kept per document
	maxConvDocs = 300 // most recent messages of a conversation analysed together
)

// conversation is the key of the conversation a document belongs to:
// a Slack thread (or a channel's day), a mail thread by its subject (with
// reply prefixes removed), or the document alone.
func conversation(d *document.Document) string {
	if d.Source == document.SourceSlack && d.Meta != nil {
		ch := d.Meta["channel_id"]
		if ts := d.Meta["thread_ts"]; ts != "" {
			return "slack:" + ch + ":" + ts
		}
		if d.Meta["reply_count"] != "" {
			return "slack:" + ch + ":" + d.Meta["ts"]
		}
		return "slack:" + ch + ":" + d.Date.UTC().Format("2006-01-02")
	}
	if d.Source == document.SourceEmail || d.MessageID != "" {
		if s := threadSubject(d.Title); len(s) >= 3 {
			return "mail:" + s
		}
		if len(d.References) > 0 {
			return "mid:" + document.NormalizeMessageID(d.References[0])
		}
		if d.InReplyTo != "" {
			return "mid:" + document.NormalizeMessageID(d.InReplyTo)
		}
	}
	return "doc:" + d.ID
}

// isForward reports whether a subject marks a forwarded message.
func isForward(subject string) bool {
	s := strings.ToLower(strings.TrimSpace(subject))
	return strings.HasPrefix(s, "fw:") || strings.HasPrefix(s, "fwd:") || strings.HasPrefix(s, "fw :")
}

// threadSubject folds a subject: reply and forward prefixes removed, lower
// case, white space collapsed.
func threadSubject(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for {
		t := s
		for _, p := range []string{"re:", "fw:", "fwd:", "aw:", "wg:", "sv:", "re :", "fw :"} {
			s = strings.TrimSpace(strings.TrimPrefix(s, p))
		}
		if strings.HasPrefix(s, "[") {
			if i := strings.IndexByte(s, ']'); i > 0 {
				s = strings.TrimSpace(s[i+1:])
			}
		}
		if s == t {
			break
		}
	}
	return strings.Join(strings.Fields(s), " ")
}

// analyse extracts the facts of one document: one matcher pass per
// sentence of its own text (quotes and forwarded parts removed), then the
// rules on what matched.
func (a *Analyzer) analyse(d *document.Document) *docFacts {
	f := &docFacts{ID: d.ID, Title: d.Title, Date: d.Date, From: parsePerson(d.From), Conv: conversation(d), contribs: map[string]contribution{}}
	for _, t := range d.To {
		if p := parsePerson(t); !p.empty() && len(f.To) < 50 {
			f.To = append(f.To, p)
		}
	}
	body := d.Body
	if d.Source == document.SourceEmail || d.MessageID != "" {
		own := ownText(body)
		if isForward(d.Title) && len(own) >= len(strings.TrimRight(body, "\n")) {
			// A forward with no banner (text pasted in): only its first
			// paragraph can be the sender's own words.
			own, _, _ = strings.Cut(strings.TrimLeft(own, "\r\n "), "\n\n")
		}
		body = own
	} else if len(body) > maxBodyBytes {
		body = body[:maxBodyBytes]
	}
	sents := splitSentences(body)
	var hits []hit
	base := contribution{Doc: d.ID, Title: d.Title, Date: d.Date, From: f.From}
	topics := map[string]string{}
	for _, tag := range d.Tags {
		if d.Source != document.SourceSlack { // a Slack tag is its channel: everyone writes there
			topics[strings.ToLower(tag)] = ""
		}
	}
	defers, substantive := 0, 0
	for i := range sents {
		se := &sents[i]
		var sf sentenceFacts
		sf, hits = a.analyseSentence(se, i, d.Date, hits)
		f.Words = keywords(f.Words, se.toks, maxWords)
		for _, fr := range sf.frames {
			if len(f.Frames) < maxFrames {
				f.Frames = append(f.Frames, fr)
			}
		}
		if sf.rationale && f.Rationale == "" {
			f.Rationale = se.text
		}
		f.Done = f.Done || sf.done
		if sf.defers {
			defers++
		}
		if len(sf.frames) > 0 || len(sf.claims) > 0 || sf.done {
			substantive++
		}
		for _, c := range sf.claims {
			k := "c:" + c.Subject + "|" + c.Attr
			if _, ok := f.contribs[k]; !ok {
				cb := base
				cb.Passage, cb.Value, cb.Text = c.Passage, c.Value, c.Text
				f.contribs[k] = cb
			}
		}
		for _, p := range sf.processes {
			k := "p:" + p.Name
			cb, ok := f.contribs[k]
			if !ok {
				cb = base
				cb.Passage = p.Passage
			}
			cb.Describe = cb.Describe || p.Describe
			f.contribs[k] = cb
		}
		for _, e := range sf.entities {
			if (e.Kind == EntityProject || e.Kind == EntityOrg) && topics[e.Norm] == "" {
				topics[e.Norm] = se.text
			}
			if e.Kind == EntityProject || e.Kind == EntityOrg || e.Kind == EntityPlace {
				f.addEntity(e)
			}
		}
	}
	f.Defers = defers > 0 && substantive <= defers
	// A note whose title or heading names a process describes it.
	if d.Source != document.SourceEmail && d.Source != document.SourceSlack {
		for _, h := range append([]string{d.Title}, d.Headings...) {
			hs := newSentence(h)
			var words []string
			for _, t := range hs.toks {
				if t.lo == "how" || t.lo == "to" || t.lo == "guide" || t.lo == "steps" || t.lo == "we" || t.lo == "do" {
					continue
				}
				words = append(words, t.lo)
			}
			if n := processName(words); n != "" {
				cb := base
				cb.Passage, cb.Describe = h, true
				f.contribs["p:"+n] = cb
			}
		}
	}
	if !f.From.empty() {
		for t, passage := range topics {
			if t == "" {
				continue
			}
			cb := base
			cb.Passage = firstNonEmpty(passage, d.Title)
			f.contribs["t:"+t] = cb
		}
	}
	for k := range f.contribs {
		f.Aggs = append(f.Aggs, k)
	}
	sort.Strings(f.Aggs)
	return f
}

// Progress is reported during Run.
type Progress struct {
	Phase string `json:"phase"` // "documents" or "gaps"
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// Result is the outcome of Run.
type Result struct {
	Documents int  `json:"documents"` // documents analysed (or removed)
	Owners    int  `json:"owners"`    // conversations and aggregates recomputed
	Gaps      int  `json:"gaps"`      // gaps in the workspace after the run
	Unchanged bool `json:"unchanged"` // nothing had changed since the last run
}

// pageSize is how many journal entries one step reads and writes;
// backgroundPage is the same for a background run, whose steps stay short
// (a read of 64 documents, a write transaction of their facts: a few
// milliseconds each) so that no search waits long behind one.
const (
	pageSize       = 256
	backgroundPage = 64
)

// page is the step size of a run.
func page(background bool) int {
	if background {
		return backgroundPage
	}
	return pageSize
}

// Run analyses what changed in workspace ws since the last run: the
// documents the store journaled as put or deleted, then the conversations
// and aggregates they touched. Every step commits, so a cancelled or
// killed run resumes where it stopped; a second Run of the same workspace
// waits for the first. progress, if not nil, is called after each step.
func (a *Analyzer) Run(ctx context.Context, ws string, progress func(Progress)) (Result, error) {
	return a.run(ctx, ws, progress, a.opts.Workers, false)
}

// RunBackground is Run with one worker, no progress, and a pause after
// each step as long as the step took, for the analysis that follows an
// import: it takes at most half a core from the searches. Its steps are
// short (64 documents, each step its own transaction). Between two
// documents it yields its core to any search waiting for one, so a search
// never waits behind more than one document's analysis: without that, Go's
// scheduler lets the worker run for its whole 10 ms time slice before a
// waiting search gets the core, which at 10,000 documents is longer than
// the idle p99 itself.
func (a *Analyzer) RunBackground(ctx context.Context, ws string) (Result, error) {
	return a.run(ctx, ws, nil, 1, true)
}

// yielder returns what a run calls between two documents: the yield of a
// background run, nothing for a foreground one.
func (a *Analyzer) yielder(background bool) func() {
	if !background {
		return func() {}
	}
	return a.opts.Yield
}

// pause waits as long as the step that started at t took (at most 250 ms),
// or until ctx is done; background runs only.
func pause(ctx context.Context, t time.Time, background bool) {
	if !background {
		return
	}
	timer := time.NewTimer(min(time.Since(t), 250*time.Millisecond))
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-timer.C:
	}
}

func (a *Analyzer) run(ctx context.Context, ws string, progress func(Progress), workers int, background bool) (Result, error) {
	for {
		a.mu.Lock()
		ch, busy := a.running[ws]
		if !busy {
			ch = make(chan struct{})
			a.running[ws] = ch
			a.mu.Unlock()
			break
		}
		a.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	}
	defer func() {
		a.mu.Lock()
		close(a.running[ws])
		delete(a.running, ws)
		a.mu.Unlock()
	}()
	if _, err := a.st.SeedGapsDirty(ws); err != nil {
		return Result{}, fmt.Errorf("journaling documents for gap analysis: %w", err)
	}
	var res Result
	var dirtyN, pendingN int
	if err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		dirtyN, pendingN = tx.Count(store.GapDirty), tx.Count(store.GapPending)
		return nil
	}); err != nil {
		return res, err
	}
	if dirtyN+pendingN == 0 {
		res.Unchanged = true
		res.Gaps, _ = a.Count(ws)
		return res, nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		t := time.Now()
		n, err := a.docStep(ctx, ws, workers, page(background), a.yielder(background))
		if err != nil {
			return res, err
		}
		pause(ctx, t, background)
		if n == 0 {
			break
		}
		res.Documents += n
		if progress != nil {
			progress(Progress{Phase: "documents", Done: res.Documents, Total: max(dirtyN, res.Documents)})
		}
	}
	if err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		pendingN = tx.Count(store.GapPending)
		return nil
	}); err != nil {
		return res, err
	}
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		t := time.Now()
		n, err := a.ownerStep(ws, page(background)/2, a.yielder(background))
		if err != nil {
			return res, err
		}
		pause(ctx, t, background)
		if n == 0 {
			break
		}
		res.Owners += n
		if progress != nil {
			progress(Progress{Phase: "gaps", Done: res.Owners, Total: max(pendingN, res.Owners)})
		}
	}
	res.Gaps, _ = a.Count(ws)
	return res, nil
}

// docStep analyses one page of journaled documents and commits their facts.
func (a *Analyzer) docStep(ctx context.Context, ws string, workers, size int, yield func()) (int, error) {
	type entry struct {
		id  string
		seq string
	}
	var page []entry
	if err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		tx.Scan(store.GapDirty, "", size, func(k string, v []byte) bool {
			page = append(page, entry{k, string(v)})
			return true
		})
		return nil
	}); err != nil || len(page) == 0 {
		return 0, err
	}
	ids := make([]string, len(page))
	for i, e := range page {
		ids[i] = e.id
	}
	docs, err := a.st.Documents(ws, ids)
	if err != nil {
		return 0, fmt.Errorf("reading documents for gap analysis: %w", err)
	}
	facts := make([]*docFacts, len(docs))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				facts[i] = a.analyse(&docs[i])
				yield()
			}
		}()
	}
	for i := range docs {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	byID := make(map[string]*docFacts, len(facts))
	for _, f := range facts {
		byID[f.ID] = f
	}
	err = a.st.GapsUpdate(ws, func(tx *store.GapTx) error {
		for _, e := range page {
			if err := a.replaceFacts(tx, ws, e.id, byID[e.id]); err != nil {
				return err
			}
			yield()
			if string(tx.Get(store.GapDirty, e.id)) == e.seq {
				if err := tx.Delete(store.GapDirty, e.id); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return len(page), err
}

func pend(tx *store.GapTx, owner string) error { return tx.Put(store.GapPending, owner, nil) }

// replaceFacts swaps a document's stored facts and contributions for new
// ones (nil: the document is gone), marking every conversation and
// aggregate either version touched as pending.
func (a *Analyzer) replaceFacts(tx *store.GapTx, ws, id string, f *docFacts) error {
	if raw := tx.Get(store.GapDocs, id); raw != nil {
		var old docFacts
		if err := json.Unmarshal(raw, &old); err == nil {
			if err := tx.Delete(store.GapConv, old.Conv+"\x00"+id); err != nil {
				return err
			}
			if err := pend(tx, "c:"+old.Conv); err != nil {
				return err
			}
			for _, k := range old.Aggs {
				if err := tx.Delete(store.GapContrib, k+"\x00"+id); err != nil {
					return err
				}
				if err := pend(tx, "a:"+k); err != nil {
					return err
				}
			}
		}
		if err := tx.Delete(store.GapDocs, id); err != nil {
			return err
		}
	}
	if f == nil {
		return nil
	}
	raw, err := json.Marshal(f)
	if err != nil {
		return err
	}
	if err := tx.Put(store.GapDocs, id, raw); err != nil {
		return err
	}
	if err := tx.Put(store.GapConv, f.Conv+"\x00"+id, nil); err != nil {
		return err
	}
	if err := pend(tx, "c:"+f.Conv); err != nil {
		return err
	}
	for k, c := range f.contribs {
		raw, _ := json.Marshal(c)
		if err := tx.Put(store.GapContrib, k+"\x00"+id, raw); err != nil {
			return err
		}
		if err := pend(tx, "a:"+k); err != nil {
			return err
		}
	}
	return a.learnAliases(tx, ws, f)
}

const maxDocEntities = 24

func (f *docFacts) addEntity(e Entity) {
	for _, o := range f.Entities {
		if o.Kind == e.Kind && o.Text == e.Text {
			return
		}
	}
	if len(f.Entities) < maxDocEntities {
		f.Entities = append(f.Entities, e)
	}
}

// Alias is what a name written somewhere stands for: a person (Name and
// Address, learnt from the mail headers) or an entity (its kind and
// normalised value: "Project Falcon" and "the Falcon project" are both the
// project "falcon").
type Alias struct {
	Kind    EntityKind `json:"kind"`
	Name    string     `json:"name"`
	Address string     `json:"address,omitempty"`
	Norm    string     `json:"norm,omitempty"`
}

func aliasTableKey(k EntityKind, text string) string {
	return string(k) + "\x00" + strings.ToLower(strings.TrimSpace(text))
}

// learnAliases records the names and addresses the headers pair, so a name
// written in a later message resolves to its person workspace-wide, and
// the forms each entity was written in. The first record of an alias
// stays; the cache in front is bounded.
func (a *Analyzer) learnAliases(tx *store.GapTx, ws string, f *docFacts) error {
	put := func(k string, al Alias) error {
		if tx.Get(store.GapAliases, k) != nil {
			return nil
		}
		raw, _ := json.Marshal(al)
		if err := tx.Put(store.GapAliases, k, raw); err != nil {
			return err
		}
		a.aliases.Add(aliasKey{ws, k}, al)
		return nil
	}
	for _, p := range append([]Person{f.From}, f.To...) {
		if p.Address == "" || p.Name == "" {
			continue
		}
		if err := put(aliasTableKey(EntityPerson, p.Name), Alias{Kind: EntityPerson, Name: p.Name, Address: p.Address}); err != nil {
			return err
		}
	}
	for _, e := range f.Entities {
		if err := put(aliasTableKey(e.Kind, e.Text), Alias{Kind: e.Kind, Name: e.Text, Norm: e.Norm}); err != nil {
			return err
		}
	}
	return nil
}

// Lookup returns what a name of kind k stands for in workspace ws, from
// the bounded cache or the store.
func (a *Analyzer) Lookup(ws string, k EntityKind, name string) (Alias, bool, error) {
	var al Alias
	var ok bool
	err := a.st.GapsView(ws, func(tx *store.GapTx) error {
		al, ok = a.alias(tx, ws, aliasTableKey(k, name))
		return nil
	})
	return al, ok, err
}

func (a *Analyzer) alias(tx *store.GapTx, ws, k string) (Alias, bool) {
	if al, ok := a.aliases.Get(aliasKey{ws, k}); ok {
		return al, true
	}
	raw := tx.Get(store.GapAliases, k)
	if raw == nil {
		return Alias{}, false
	}
	var al Alias
	if json.Unmarshal(raw, &al) != nil {
		return Alias{}, false
	}
	a.aliases.Add(aliasKey{ws, k}, al)
	return al, true
}

// ownerStep recomputes the gaps of one page of pending conversations and
// aggregates, in one transaction, calling yield after each.
func (a *Analyzer) ownerStep(ws string, size int, yield func()) (int, error) {
	n := 0
	err := a.st.GapsUpdate(ws, func(tx *store.GapTx) error {
		var owners []string
		tx.Scan(store.GapPending, "", size, func(k string, _ []byte) bool {
			owners = append(owners, k)
			return true
		})
		n = len(owners)
		for _, o := range owners {
			var gs []Gap
			if strings.HasPrefix(o, "c:") {
				gs = a.conversationGaps(tx, ws, o[2:])
			} else {
				gs = a.aggregateGaps(tx, o[2:])
			}
			if err := replaceGaps(tx, o, gs); err != nil {
				return err
			}
			if err := tx.Delete(store.GapPending, o); err != nil {
				return err
			}
			yield()
		}
		return nil
	})
	return n, err
}

// loadConversation returns the facts of a conversation's documents,
// oldest first, at most maxConvDocs of the most recent.
func loadConversation(tx *store.GapTx, conv string) []docFacts {
	var ids []string
	tx.Scan(store.GapConv, conv+"\x00", 4*maxConvDocs, func(k string, _ []byte) bool {
		ids = append(ids, k[len(conv)+1:])
		return true
	})
	out := make([]docFacts, 0, len(ids))
	for _, id := range ids {
		raw := tx.Get(store.GapDocs, id)
		if raw == nil {
			continue
		}
		var f docFacts
		if json.Unmarshal(raw, &f) == nil {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Date.Equal(out[j].Date) {
			return out[i].Date.Before(out[j].Date)
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > maxConvDocs {
		out = out[len(out)-maxConvDocs:]
	}
	return out
}

// resolvePerson finds who a name written in a conversation is: one of its
// participants, else the person the workspace's aliases pair with the full
// name (through the bounded cache).
func (a *Analyzer) resolvePerson(tx *store.GapTx, ws string, r *roster, name string, author Person) (Person, bool) {
	if name == "I" {
		return author, !author.empty()
	}
	if p, ok := r.resolve(name); ok {
		return p, true
	}
	if al, ok := a.alias(tx, ws, aliasTableKey(EntityPerson, name)); ok {
		return Person{Name: al.Name, Address: al.Address}, true
	}
	return Person{}, false
}
