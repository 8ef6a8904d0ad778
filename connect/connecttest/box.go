package connecttest

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Box is a fake of the Box API 2.0: users/me, folders/:id/items (marker
// paging with usemarker=true and next_marker), files/:id/content (a 302 to a
// download address, as Box answers), and the events stream
// (stream_position=now, then chunk_size, next_stream_position, entries).
type Box struct {
	Server *httptest.Server
	AS     *AS
	Login  string
	// PageSize caps folder pages (default 2).
	PageSize int

	mu      sync.Mutex
	items   map[string]*boxItem // by ID
	events  []map[string]any
	nextID  int
	limits  []int
	Content int // content downloads served
}

type boxItem struct {
	typ, id, name, parent string
	data                  []byte
	trashed               bool
	modified              time.Time
}

// NewBox starts the fake with an empty root folder "0".
func NewBox(as *AS, login string) *Box {
	b := &Box{AS: as, Login: login, PageSize: 2, items: map[string]*boxItem{"0": {typ: "folder", id: "0", name: "All Files"}}, nextID: 100}
	mux := http.NewServeMux()
	mux.HandleFunc("/2.0/", b.serve)
	mux.HandleFunc("/download/", b.download)
	b.Server = httptest.NewServer(mux)
	return b
}

// Close stops the server.
func (b *Box) Close() { b.Server.Close() }

// URL is the API base.
func (b *Box) URL() string { return b.Server.URL }

func (b *Box) add(typ, parent, name string, data []byte) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextID++
	id := strconv.Itoa(b.nextID)
	it := &boxItem{typ: typ, id: id, name: name, parent: parent, data: data, modified: time.Unix(1700000000+int64(b.nextID), 0).UTC()}
	b.items[id] = it
	ev := "ITEM_CREATE"
	if typ == "file" {
		ev = "ITEM_UPLOAD"
	}
	b.event(ev, it)
	return id
}

// AddFolder makes a folder and returns its ID.
func (b *Box) AddFolder(parent, name string) string { return b.add("folder", parent, name, nil) }

// AddFile uploads a file and returns its ID.
func (b *Box) AddFile(parent, name string, data []byte) string {
	return b.add("file", parent, name, data)
}

// Trash moves an item to the trash (ITEM_TRASH).
func (b *Box) Trash(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	it := b.items[id]
	it.trashed = true
	b.event("ITEM_TRASH", it)
}

// RateLimit makes the next len(secs) requests answer 429 with Retry-After.
func (b *Box) RateLimit(secs ...int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.limits = append(b.limits, secs...)
}

// event records an event; callers hold b.mu.
func (b *Box) event(typ string, it *boxItem) {
	src := b.json(it)
	if it.trashed {
		src["item_status"] = "trashed"
	}
	b.events = append(b.events, map[string]any{"type": "event", "event_id": strconv.Itoa(len(b.events) + 1), "event_type": typ, "source": src})
}

func (b *Box) json(it *boxItem) map[string]any {
	m := map[string]any{"type": it.typ, "id": it.id, "name": it.name, "modified_at": it.modified.Format(time.RFC3339), "item_status": "active"}
	if it.typ == "file" {
		sum := sha1.Sum(it.data)
		m["sha1"], m["size"] = hex.EncodeToString(sum[:]), len(it.data)
	}
	return m
}

// visible reports whether an item and its folders are out of the trash.
func (b *Box) visible(it *boxItem) bool {
	for ; it != nil; it = b.items[it.parent] {
		if it.trashed {
			return false
		}
		if it.id == "0" {
			return true
		}
	}
	return false
}

func boxError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"type": "error", "status": status, "code": code})
}

func (b *Box) serve(w http.ResponseWriter, r *http.Request) {
	if b.AS.Bearer(r) == "" {
		boxError(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.limits) > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(b.limits[0]))
		b.limits = b.limits[1:]
		boxError(w, http.StatusTooManyRequests, "rate_limit_exceeded")
		return
	}
	q := r.URL.Query()
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/2.0/"), "/")
	switch {
	case len(parts) == 2 && parts[0] == "users" && parts[1] == "me":
		writeJSON(w, map[string]any{"type": "user", "id": "1", "login": b.Login})
	case len(parts) == 3 && parts[0] == "folders" && parts[2] == "items":
		f, ok := b.items[parts[1]]
		if !ok || f.typ != "folder" || !b.visible(f) {
			boxError(w, http.StatusNotFound, "not_found")
			return
		}
		if q.Get("usemarker") != "true" {
			boxError(w, http.StatusBadRequest, "bad_request")
			return
		}
		var kids []*boxItem
		for _, it := range b.items {
			if it.parent == f.id && !it.trashed {
				kids = append(kids, it)
			}
		}
		sortItems(kids)
		start := 0
		if m := q.Get("marker"); m != "" {
			start, _ = strconv.Atoi(strings.TrimPrefix(m, "m"))
		}
		start = min(start, len(kids))
		end := min(start+b.PageSize, len(kids))
		var entries []map[string]any
		for _, it := range kids[start:end] {
			entries = append(entries, b.json(it))
		}
		next := ""
		if end < len(kids) {
			next = "m" + strconv.Itoa(end)
		}
		writeJSON(w, map[string]any{"entries": entries, "limit": b.PageSize, "next_marker": next})
	case len(parts) == 3 && parts[0] == "files" && parts[2] == "content":
		it, ok := b.items[parts[1]]
		if !ok || it.typ != "file" || !b.visible(it) {
			boxError(w, http.StatusNotFound, "not_found")
			return
		}
		http.Redirect(w, r, b.Server.URL+"/download/"+it.id, http.StatusFound)
	case len(parts) == 1 && parts[0] == "events":
		pos := q.Get("stream_position")
		if pos == "now" {
			writeJSON(w, map[string]any{"chunk_size": 0, "next_stream_position": len(b.events), "entries": []any{}})
			return
		}
		n, err := strconv.Atoi(pos)
		if err != nil || n < 0 || n > len(b.events) {
			boxError(w, http.StatusBadRequest, "invalid_stream_position")
			return
		}
		end := min(n+3, len(b.events))
		writeJSON(w, map[string]any{"chunk_size": end - n, "next_stream_position": end, "entries": b.events[n:end]})
	default:
		boxError(w, http.StatusNotFound, "not_found")
	}
}

func (b *Box) download(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	defer b.mu.Unlock()
	it, ok := b.items[strings.TrimPrefix(r.URL.Path, "/download/")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	b.Content++
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(it.data)
}

func sortItems(its []*boxItem) {
	slices.SortFunc(its, func(x, y *boxItem) int { return cmp.Compare(len(x.id), len(y.id))*2 + strings.Compare(x.id, y.id) })
}
