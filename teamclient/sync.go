package teamclient

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/syncproto"
)

// Note is one item of a local workspace as a push sees it.
type Note struct {
	Kind  string // syncproto.KindNote, KindMemory or KindDocument
	Key   string // stable across desktops: a note's path within its vault
	Title string
	Body  string
}

// Head is one current version of an item, as the pulled log gives it.
type Head struct {
	ID      string `json:"id"`
	Device  string `json:"device"`
	Title   string `json:"title"`
	Body    string `json:"body"`
	Deleted bool   `json:"deleted,omitempty"`
}

// item is what the replica keeps of one item.
type item struct {
	Kind  string `json:"kind"`
	Key   string `json:"key"`
	Heads []Head `json:"heads"` // sorted by ID; more than one is a conflict
	// Mine is this desktop's newest change of the item that the pulled
	// log does not hold yet: the next edit is made on top of it.
	Mine string `json:"mine,omitempty"`
	// Pushed is the hash of the content this desktop last queued, so an
	// unchanged note is not sent again (and a version pulled from another
	// desktop is never pushed back as this desktop's edit).
	Pushed string `json:"pushed,omitempty"`
	// Local is whether this desktop has had the item: only then does its
	// absence here mean it was deleted.
	Local bool `json:"local,omitempty"`
}

func contentHash(n Note) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s%s", len(n.Title), n.Title, n.Body)
	return hex.EncodeToString(h.Sum(nil))
}

const deletedHash = "deleted"

func itemKey(kind, key string) []byte { return []byte(kind + "/" + key) }

// wsBuckets returns (making them when create is set) the buckets of
// workspace ws; nil when absent and not made.
func wsBuckets(tx *bolt.Tx, ws string, create bool) (items, outbox, state *bolt.Bucket, err error) {
	root := tx.Bucket(bucketWS)
	b := root.Bucket([]byte(ws))
	if b == nil {
		if !create {
			return nil, nil, nil, nil
		}
		if b, err = root.CreateBucket([]byte(ws)); err != nil {
			return nil, nil, nil, err
		}
	}
	if create {
		for _, k := range [][]byte{keyItems, keyOutbox, keyState} {
			if _, err := b.CreateBucketIfNotExists(k); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	items, outbox, state = b.Bucket(keyItems), b.Bucket(keyOutbox), b.Bucket(keyState)
	if items == nil || outbox == nil || state == nil {
		return nil, nil, nil, nil
	}
	return items, outbox, state, nil
}

func getItem(items *bolt.Bucket, kind, key string) (item, error) {
	it := item{Kind: kind, Key: key}
	raw := items.Get(itemKey(kind, key))
	if raw == nil {
		return it, nil
	}
	err := json.Unmarshal(raw, &it)
	return it, err
}

func putItem(items *bolt.Bucket, it item) error {
	raw, err := json.Marshal(it)
	if err != nil {
		return err
	}
	return items.Put(itemKey(it.Kind, it.Key), raw)
}

// agrees reports whether the item is a memory whose one current version
// on the team has the content hash (deletedHash for a deletion): a memory
// this desktop took from another has nothing of its own to send. (A note
// is not so: this desktop's own file of it shows the team's version as a
// document of its own until pushed once, see Shared.)
func (it item) agrees(hash string) bool {
	if it.Kind != syncproto.KindMemory || len(it.Heads) != 1 || it.Mine != "" {
		return false
	}
	h := it.Heads[0]
	if h.Deleted {
		return hash == deletedHash
	}
	return hash == contentHash(Note{Title: h.Title, Body: h.Body})
}

func (it item) parents() []string {
	if it.Mine != "" {
		return []string{it.Mine}
	}
	ps := make([]string, 0, len(it.Heads))
	for _, h := range it.Heads {
		ps = append(ps, h.ID)
	}
	return ps
}

// remember adds ws to the workspaces status and a bare push cover.
func remember(tx *bolt.Tx, ws string) error {
	m := tx.Bucket(bucketMeta)
	var list []string
	if raw := m.Get([]byte("workspaces")); raw != nil {
		if err := json.Unmarshal(raw, &list); err != nil {
			return err
		}
	}
	if slices.Contains(list, ws) {
		return nil
	}
	list = append(list, ws)
	sort.Strings(list)
	raw, _ := json.Marshal(list)
	return m.Put([]byte("workspaces"), raw)
}

// Workspaces are the workspaces pushed or pulled so far, sorted.
func (c *Client) Workspaces() ([]string, error) {
	var list []string
	err := c.db.View(func(tx *bolt.Tx) error {
		if raw := tx.Bucket(bucketMeta).Get([]byte("workspaces")); raw != nil {
			return json.Unmarshal(raw, &list)
		}
		return nil
	})
	return list, err
}

// PushReport says what a push did.
type PushReport struct {
	Workspace  string               `json:"workspace"`
	Queued     int                  `json:"queued"`     // changes made from local edits by this push
	Sent       int                  `json:"sent"`       // changes sent (this push's and any left by an earlier one)
	Accepted   int                  `json:"accepted"`   // stored by the server
	Duplicates int                  `json:"duplicates"` // the server had them already (a resent batch)
	Conflicts  []syncproto.Conflict `json:"conflicts"`
}

// Push sends ws's local edits: each note whose content differs from what
// this desktop last pushed becomes a change on top of the heads it knows,
// each item this desktop had and no longer has a deletion. notes is called
// once and streams the workspace's items; keys must be unique.
func (c *Client) Push(ctx context.Context, ws string, notes func(fn func(Note) error) error) (PushReport, error) {
	return c.PushProgress(ctx, ws, notes, nil)
}

// PushProgress is Push telling progress, when not nil, what it did so far
// and how many changes still wait to be sent: once the changes are queued,
// then after every batch the server acknowledged. It is called on Push's
// goroutine.
func (c *Client) PushProgress(ctx context.Context, ws string, notes func(fn func(Note) error) error, progress func(rep PushReport, waiting int)) (PushReport, error) {
	rep := PushReport{Workspace: ws, Conflicts: []syncproto.Conflict{}}
	if _, tokens := c.session(); tokens == nil {
		return rep, ErrNotSignedIn
	}
	err := c.db.Update(func(tx *bolt.Tx) error {
		items, outbox, _, err := wsBuckets(tx, ws, true)
		if err != nil {
			return err
		}
		if err := remember(tx, ws); err != nil {
			return err
		}
		seen := map[string]bool{}
		queue := func(it item, ch syncproto.Change, hash string) error {
			seq, _ := outbox.NextSequence()
			raw, err := json.Marshal(ch)
			if err != nil {
				return err
			}
			if err := outbox.Put(binary.BigEndian.AppendUint64(nil, seq), raw); err != nil {
				return err
			}
			it.Mine, it.Pushed = ch.ID, hash
			rep.Queued++
			return putItem(items, it)
		}
		err = notes(func(n Note) error {
			if n.Key == "" || len(n.Key) > 1024 {
				return fmt.Errorf("a note's key must be 1 to 1024 bytes (%q)", n.Key)
			}
			k := string(itemKey(n.Kind, n.Key))
			if seen[k] {
				return fmt.Errorf("two notes have the key %q", n.Key)
			}
			seen[k] = true
			it, err := getItem(items, n.Kind, n.Key)
			if err != nil {
				return err
			}
			hash := contentHash(n)
			if it.Local && it.Pushed == hash {
				return nil
			}
			it.Local = true
			// Pushed before, then forgotten here; or a memory already as
			// the team has it (taken from another desktop): nothing to send.
			if it.Pushed == hash || it.agrees(hash) {
				it.Pushed = hash
				return putItem(items, it)
			}
			return queue(it, syncproto.Change{ID: newID(), Kind: n.Kind, Key: n.Key, Parents: it.parents(), Title: n.Title, Body: n.Body}, hash)
		})
		if err != nil {
			return err
		}
		// Items this desktop had that are gone: deletions.
		gone, err := goneItems(items, seen)
		if err != nil {
			return err
		}
		for _, it := range gone {
			if err := queue(it, syncproto.Change{ID: newID(), Kind: it.Kind, Key: it.Key, Parents: it.parents(), Deleted: true}, deletedHash); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	if progress == nil {
		progress = func(PushReport, int) {}
	}
	progress(rep, c.Pending(ws))
	if err := c.sendOutbox(ctx, ws, &rep, progress); err != nil {
		return rep, err
	}
	return rep, c.stamp(ws, keyPushedAt)
}

// The state keys of the last push and pull that completed (RFC 3339, UTC).
var (
	keyPushedAt = []byte("pushed_at")
	keyPulledAt = []byte("pulled_at")
)

// stamp records now as ws's last completed push or pull (key).
func (c *Client) stamp(ws string, key []byte) error {
	return c.db.Update(func(tx *bolt.Tx) error {
		_, _, state, err := wsBuckets(tx, ws, true)
		if err != nil {
			return err
		}
		return state.Put(key, []byte(time.Now().UTC().Format(time.RFC3339)))
	})
}

// Synced is when ws's last push and last pull completed; a zero time is
// never (or not since this desktop kept the times).
func (c *Client) Synced(ws string) (pushed, pulled time.Time, err error) {
	err = c.db.View(func(tx *bolt.Tx) error {
		_, _, state, err := wsBuckets(tx, ws, false)
		if err != nil || state == nil {
			return err
		}
		if v := state.Get(keyPushedAt); v != nil {
			pushed, _ = time.Parse(time.RFC3339, string(v))
		}
		if v := state.Get(keyPulledAt); v != nil {
			pulled, _ = time.Parse(time.RFC3339, string(v))
		}
		return nil
	})
	return pushed, pulled, err
}

// sendOutbox sends the outbox of ws in order, a batch at a time, removing
// a batch once the server acknowledged it.
func (c *Client) sendOutbox(ctx context.Context, ws string, rep *PushReport, progress func(PushReport, int)) error {
	conflicts := map[string]syncproto.Conflict{}
	for {
		var keys [][]byte
		var batch []syncproto.Change
		err := c.db.View(func(tx *bolt.Tx) error {
			_, outbox, _, err := wsBuckets(tx, ws, false)
			if err != nil || outbox == nil {
				return err
			}
			cur := outbox.Cursor()
			for k, v := cur.First(); k != nil && len(batch) < c.batch; k, v = cur.Next() {
				var ch syncproto.Change
				if err := json.Unmarshal(v, &ch); err != nil {
					return err
				}
				keys = append(keys, slices.Clone(k))
				batch = append(batch, ch)
			}
			return nil
		})
		if err != nil || len(batch) == 0 {
			rep.Conflicts = sortedConflicts(conflicts)
			return err
		}
		var res syncproto.PushResponse
		if err := c.call(ctx, "POST", "/v1/sync/push", syncproto.PushRequest{Device: c.device, Workspace: ws, WorkspaceID: c.remote(ws), Changes: batch}, &res); err != nil {
			rep.Conflicts = sortedConflicts(conflicts)
			return fmt.Errorf("pushing %s (%d changes wait in the outbox; run the push again): %w", ws, c.Pending(ws), err)
		}
		rep.Sent += len(batch)
		rep.Accepted += res.Accepted
		rep.Duplicates += res.Duplicates
		for _, cf := range res.Conflicts {
			conflicts[cf.Kind+"/"+cf.Key] = cf
		}
		err = c.db.Update(func(tx *bolt.Tx) error {
			_, outbox, _, err := wsBuckets(tx, ws, true)
			if err != nil {
				return err
			}
			for _, k := range keys {
				if err := outbox.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		progress(*rep, c.Pending(ws))
	}
}

func sortedConflicts(m map[string]syncproto.Conflict) []syncproto.Conflict {
	out := make([]syncproto.Conflict, 0, len(m))
	for _, cf := range m {
		out = append(out, cf)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Kind+"/"+out[i].Key < out[j].Kind+"/"+out[j].Key
	})
	return out
}

// Pending is how many changes of ws wait in the outbox, not yet acknowledged.
func (c *Client) Pending(ws string) int {
	n := 0
	_ = c.db.View(func(tx *bolt.Tx) error {
		if _, outbox, _, _ := wsBuckets(tx, ws, false); outbox != nil {
			n = outbox.Stats().KeyN
		}
		return nil
	})
	return n
}

// PullReport says what a pull did.
type PullReport struct {
	Workspace string `json:"workspace"`
	Changes   int    `json:"changes"` // changes applied
	Cursor    int64  `json:"cursor"`
}

// Pull applies the server's log of ws after this desktop's cursor, a page
// at a time, each page and the cursor in one transaction.
func (c *Client) Pull(ctx context.Context, ws string) (PullReport, error) {
	return c.PullProgress(ctx, ws, nil)
}

// PullProgress is Pull telling progress, when not nil, what it pulled so
// far after every page, on Pull's goroutine.
func (c *Client) PullProgress(ctx context.Context, ws string, progress func(PullReport)) (PullReport, error) {
	rep := PullReport{Workspace: ws}
	if _, tokens := c.session(); tokens == nil {
		return rep, ErrNotSignedIn
	}
	for {
		var after int64
		err := c.db.Update(func(tx *bolt.Tx) error {
			_, _, state, err := wsBuckets(tx, ws, true)
			if err != nil {
				return err
			}
			if v := state.Get([]byte("cursor")); v != nil {
				after, err = strconv.ParseInt(string(v), 10, 64)
			}
			return err
		})
		if err != nil {
			return rep, err
		}
		q := url.Values{"device": {c.device}, "workspace": {ws}, "after": {strconv.FormatInt(after, 10)}, "limit": {"500"}}
		if id := c.remote(ws); id != "" {
			q.Set("workspace_id", id)
		}
		var res syncproto.PullResponse
		if err := c.call(ctx, "GET", "/v1/sync/pull?"+q.Encode(), nil, &res); err != nil {
			return rep, fmt.Errorf("pulling %s: %w", ws, err)
		}
		err = c.db.Update(func(tx *bolt.Tx) error {
			items, _, state, err := wsBuckets(tx, ws, true)
			if err != nil {
				return err
			}
			if err := remember(tx, ws); err != nil {
				return err
			}
			for _, ch := range res.Changes {
				it, err := getItem(items, ch.Kind, ch.Key)
				if err != nil {
					return err
				}
				it.Heads = slices.DeleteFunc(it.Heads, func(h Head) bool { return slices.Contains(ch.Parents, h.ID) })
				if !slices.ContainsFunc(it.Heads, func(h Head) bool { return h.ID == ch.ID }) {
					it.Heads = append(it.Heads, Head{ID: ch.ID, Device: ch.Device, Title: ch.Title, Body: ch.Body, Deleted: ch.Deleted})
				}
				sort.Slice(it.Heads, func(i, j int) bool { return it.Heads[i].ID < it.Heads[j].ID })
				if it.Mine == ch.ID {
					it.Mine = ""
				}
				if err := putItem(items, it); err != nil {
					return err
				}
			}
			rep.Changes += len(res.Changes)
			rep.Cursor = res.Cursor
			return state.Put([]byte("cursor"), []byte(strconv.FormatInt(res.Cursor, 10)))
		})
		if err != nil {
			return rep, err
		}
		if progress != nil {
			progress(rep)
		}
		if !res.More {
			return rep, c.stamp(ws, keyPulledAt)
		}
	}
}

// ItemState is one item of the replica.
type ItemState struct {
	Kind     string `json:"kind"`
	Key      string `json:"key"`
	Heads    []Head `json:"heads"`
	Conflict bool   `json:"conflict"`
	Deleted  bool   `json:"deleted"` // every head is a deletion
}

// WorkspaceStatus is the sync state of one workspace.
type WorkspaceStatus struct {
	Workspace string      `json:"workspace"`
	Follows   string      `json:"follows,omitempty"` // the ID of the teammate's workspace it syncs with
	Cursor    int64       `json:"cursor"`
	Pending   int         `json:"pending"` // changes in the outbox, not yet acknowledged
	Items     int         `json:"items"`
	Conflicts []ItemState `json:"conflicts"`
}

// Status is the sync state of every workspace pushed or pulled so far.
type Status struct {
	Server     string            `json:"server"`
	Device     string            `json:"device"`
	SignedIn   bool              `json:"signed_in"`
	Workspaces []WorkspaceStatus `json:"workspaces"`
}

// Status reads the state of the workspaces (all remembered ones when ws is
// empty).
func (c *Client) Status(ws []string) (Status, error) {
	server, tokens := c.session()
	st := Status{Server: server, Device: c.device, SignedIn: tokens != nil, Workspaces: []WorkspaceStatus{}}
	if len(ws) == 0 {
		var err error
		if ws, err = c.Workspaces(); err != nil {
			return st, err
		}
	}
	for _, name := range ws {
		items, err := c.Items(name)
		if err != nil {
			return st, err
		}
		w := WorkspaceStatus{Workspace: name, Follows: c.remote(name), Pending: c.Pending(name), Items: len(items), Conflicts: []ItemState{}}
		_ = c.db.View(func(tx *bolt.Tx) error {
			if _, _, state, _ := wsBuckets(tx, name, false); state != nil {
				w.Cursor, _ = strconv.ParseInt(string(state.Get([]byte("cursor"))), 10, 64)
			}
			return nil
		})
		for _, it := range items {
			if it.Conflict {
				w.Conflicts = append(w.Conflicts, it)
			}
		}
		st.Workspaces = append(st.Workspaces, w)
	}
	return st, nil
}

// Items is the replica of ws: every item the pulled log holds, by kind
// and key.
func (c *Client) Items(ws string) ([]ItemState, error) {
	out := []ItemState{}
	err := c.db.View(func(tx *bolt.Tx) error {
		items, _, _, err := wsBuckets(tx, ws, false)
		if err != nil || items == nil {
			return err
		}
		return items.ForEach(func(_, v []byte) error {
			var it item
			if err := json.Unmarshal(v, &it); err != nil {
				return err
			}
			if len(it.Heads) == 0 {
				return nil // pushed, not pulled yet
			}
			s := ItemState{Kind: it.Kind, Key: it.Key, Heads: it.Heads, Conflict: len(it.Heads) > 1, Deleted: true}
			for _, h := range it.Heads {
				s.Deleted = s.Deleted && h.Deleted
			}
			out = append(out, s)
			return nil
		})
	})
	return out, err
}

// StoreNotes streams the notes of workspace ws of a desktop's store: its
// Markdown and text files, keyed by their path below the folder all of
// them share (so two desktops that imported the same vault at different
// places agree on the keys), with their Markdown source as the body.
func StoreNotes(st *store.Store, ws string) func(fn func(Note) error) error {
	return func(fn func(Note) error) error {
		isNote := func(d document.Document) bool {
			return (d.Source == document.SourceMarkdown || d.Source == document.SourceText) && filepath.IsAbs(d.Path)
		}
		root := ""
		first := true
		err := st.ForEachDocument(ws, 200, func(d document.Document) error {
			if !isNote(d) {
				return nil
			}
			dir := filepath.Dir(d.Path)
			if first {
				root, first = dir, false
			}
			for root != dir && !strings.HasPrefix(dir, root+string(filepath.Separator)) && filepath.Dir(root) != root {
				root = filepath.Dir(root)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return st.ForEachDocument(ws, 200, func(d document.Document) error {
			if !isNote(d) {
				return nil
			}
			rel, err := filepath.Rel(root, d.Path)
			if err != nil {
				return err
			}
			body := d.Markdown
			if body == "" {
				body = d.Body
			}
			return fn(Note{Kind: syncproto.KindNote, Key: filepath.ToSlash(rel), Title: d.Title, Body: body})
		})
	}
}

// PushDictionary replaces the team server's copy of ws's dictionary, which
// team search expands queries with, and returns how many rules it keeps.
func (c *Client) PushDictionary(ctx context.Context, ws string, entries []syncproto.DictEntry) (int, error) {
	// The server's limits (teamserver: 10,000 entries, terms and
	// expansions of 1 to 200 bytes, 32 expansions): an entry beyond them
	// stays on this desktop.
	kept := []syncproto.DictEntry{}
	for _, e := range entries {
		ok := e.Term != "" && len(e.Term) <= 200 && len(e.Expansions) <= 32 && len(kept) < 10000
		for _, x := range e.Expansions {
			ok = ok && x != "" && len(x) <= 200
		}
		if ok {
			kept = append(kept, e)
		}
	}
	entries = kept
	if c.remote(ws) != "" {
		return 0, nil // a teammate's workspace: team search uses its owner's dictionary
	}
	var res syncproto.DictionaryResponse
	if err := c.call(ctx, "PUT", "/v1/sync/dictionary", syncproto.DictionaryRequest{Workspace: ws, Entries: entries}, &res); err != nil {
		return 0, fmt.Errorf("pushing the dictionary of %s: %w", ws, err)
	}
	return res.Rules, nil
}

// Changed counts what a push of ws would queue now: the notes whose content
// differs from what this desktop last pushed (new ones included) and the
// items it had that are gone. It writes nothing; notes streams as for Push.
func (c *Client) Changed(ws string, notes func(fn func(Note) error) error) (int, error) {
	n := 0
	err := c.db.View(func(tx *bolt.Tx) error {
		items, _, _, err := wsBuckets(tx, ws, false)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		err = notes(func(nt Note) error {
			seen[string(itemKey(nt.Kind, nt.Key))] = true
			it := item{}
			if items != nil {
				if it, err = getItem(items, nt.Kind, nt.Key); err != nil {
					return err
				}
			}
			if h := contentHash(nt); it.Pushed != h && !it.agrees(h) {
				n++
			}
			return nil
		})
		if err != nil || items == nil {
			return err
		}
		gone, err := goneItems(items, seen)
		n += len(gone)
		return err
	})
	return n, err
}

// goneItems are the items this desktop had, whose deletion it has not
// queued, that a push's notes (seen, by item key) no longer hold.
func goneItems(items *bolt.Bucket, seen map[string]bool) ([]item, error) {
	var gone []item
	err := items.ForEach(func(k, v []byte) error {
		if seen[string(k)] {
			return nil
		}
		var it item
		if err := json.Unmarshal(v, &it); err != nil {
			return err
		}
		if it.Local && it.Pushed != deletedHash && !it.agrees(deletedHash) {
			gone = append(gone, it)
		}
		return nil
	})
	return gone, err
}
