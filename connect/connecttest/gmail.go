package connecttest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Gmail is a fake of the Gmail API v1 under /gmail/v1/users/me/: profile,
// labels, messages.list (pageToken, maxResults, newest first, without SPAM
// and TRASH), messages.get with format=raw (base64url "raw"), and
// history.list (startHistoryId, pageToken; 404 for a history id older than
// the server keeps). Every request needs a bearer token the AS issued.
type Gmail struct {
	Server *httptest.Server
	AS     *AS
	Email  string
	// Now is the clock the request log is kept by (default time.Now).
	Now func() time.Time

	mu       sync.Mutex
	msgs     map[string]*gmailMsg
	order    []string // insertion order; the list is newest first
	labels   map[string]string
	history  []gmailHistory
	histID   uint64
	minHist  uint64 // oldest start id accepted
	limits   []int  // Retry-After seconds of the next 429 answers
	requests []Request
	hook     func(r *http.Request) // called for every request, before it is served
}

// Request is one request a fake served: when (by the fake's clock), the
// path and query, and the status answered.
type Request struct {
	At     time.Time
	Path   string
	Status int
}

type gmailMsg struct {
	id, thread string
	raw        []byte
	labels     []string
	internal   time.Time
}

type gmailHistory struct {
	id                        uint64
	added, deleted            []string
	labelsAdded, labelsRemove map[string][]string
}

// NewGmail starts the fake for account email, checking tokens with as.
func NewGmail(as *AS, email string) *Gmail {
	g := &Gmail{AS: as, Email: email, msgs: map[string]*gmailMsg{}, histID: 1000,
		labels: map[string]string{"INBOX": "INBOX", "SENT": "SENT", "TRASH": "TRASH", "SPAM": "SPAM", "IMPORTANT": "IMPORTANT"}}
	g.Server = httptest.NewServer(http.HandlerFunc(g.serve))
	return g
}

// Close stops the server.
func (g *Gmail) Close() { g.Server.Close() }

// URL is the API base (the connector's api_base).
func (g *Gmail) URL() string { return g.Server.URL }

// AddLabel creates a user label.
func (g *Gmail) AddLabel(id, name string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.labels[id] = name
}

// Add stores a message (RFC 5322 bytes) with labels and records it in the
// history; it returns its ID.
func (g *Gmail) Add(raw []byte, labels ...string) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.histID++
	id := strconv.FormatUint(0x18c0000000+g.histID, 16)
	g.msgs[id] = &gmailMsg{id: id, thread: id, raw: raw, labels: labels, internal: time.Unix(1700000000+int64(g.histID), 0)}
	g.order = append(g.order, id)
	g.history = append(g.history, gmailHistory{id: g.histID, added: []string{id}})
	return id
}

// Delete removes a message for good (messagesDeleted in the history).
func (g *Gmail) Delete(id string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.msgs, id)
	g.order = slices.DeleteFunc(g.order, func(s string) bool { return s == id })
	g.histID++
	g.history = append(g.history, gmailHistory{id: g.histID, deleted: []string{id}})
}

// Relabel adds and removes labels of a message.
func (g *Gmail) Relabel(id string, add, remove []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.msgs[id]
	m.labels = slices.DeleteFunc(append(m.labels, add...), func(l string) bool { return slices.Contains(remove, l) })
	g.histID++
	g.history = append(g.history, gmailHistory{id: g.histID, labelsAdded: map[string][]string{id: add}, labelsRemove: map[string][]string{id: remove}})
}

// ForgetHistory makes every history id up to now too old (as Gmail does
// after about a week), so history.list answers 404.
func (g *Gmail) ForgetHistory() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.minHist = g.histID
}

// RateLimit makes the next len(secs) requests answer 429 with those
// Retry-After values.
func (g *Gmail) RateLimit(secs ...int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.limits = append(g.limits, secs...)
}

// OnRequest sets a function called before every request is served.
func (g *Gmail) OnRequest(fn func(r *http.Request)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hook = fn
}

// Requests returns the log of requests served.
func (g *Gmail) Requests() []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Request(nil), g.requests...)
}

// Count is how many messages the fake holds.
func (g *Gmail) Count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.msgs)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

func googleError(w http.ResponseWriter, code int, status, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": code, "message": msg, "status": status}})
}

func pageWindow(q map[string][]string, total, def, maxN int) (start, end int, next string, ok bool) {
	n := def
	if v := first(q, "maxResults"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			return 0, 0, "", false
		}
		n = min(n, maxN)
	}
	if tok := first(q, "pageToken"); tok != "" {
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			return 0, 0, "", false
		}
		if start, err = strconv.Atoi(strings.TrimPrefix(string(b), "o:")); err != nil || start < 0 || start > total {
			return 0, 0, "", false
		}
	}
	end = min(start+n, total)
	if end < total {
		next = base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(end)))
	}
	return start, end, next, true
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (g *Gmail) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

func (g *Gmail) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	hook := g.hook
	g.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	g.handle(rec, r)
	g.mu.Lock()
	g.requests = append(g.requests, Request{At: g.now(), Path: r.URL.RequestURI(), Status: rec.status})
	g.mu.Unlock()
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (g *Gmail) handle(w http.ResponseWriter, r *http.Request) {
	if g.AS.Bearer(r) == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="https://accounts.google.com/", error="invalid_token"`)
		googleError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.limits) > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(g.limits[0]))
		g.limits = g.limits[1:]
		googleError(w, http.StatusTooManyRequests, "RESOURCE_EXHAUSTED", "User-rate limit exceeded.")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/gmail/v1/users/me/")
	if !ok || r.Method != http.MethodGet {
		googleError(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
		return
	}
	q := r.URL.Query()
	switch {
	case rest == "profile":
		writeJSON(w, map[string]any{"emailAddress": g.Email, "messagesTotal": len(g.msgs), "threadsTotal": len(g.msgs), "historyId": strconv.FormatUint(g.histID, 10)})
	case rest == "labels":
		var ls []map[string]string
		for id, name := range g.labels {
			typ := "user"
			if id == name {
				typ = "system"
			}
			ls = append(ls, map[string]string{"id": id, "name": name, "type": typ})
		}
		slices.SortFunc(ls, func(a, b map[string]string) int { return strings.Compare(a["id"], b["id"]) })
		writeJSON(w, map[string]any{"labels": ls})
	case rest == "messages":
		var ids []string
		for i := len(g.order) - 1; i >= 0; i-- {
			m := g.msgs[g.order[i]]
			if first(q, "includeSpamTrash") != "true" && (slices.Contains(m.labels, "SPAM") || slices.Contains(m.labels, "TRASH")) {
				continue
			}
			ids = append(ids, m.id)
		}
		start, end, next, ok := pageWindow(q, len(ids), 100, 500)
		if !ok {
			googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid pageToken or maxResults")
			return
		}
		out := map[string]any{"resultSizeEstimate": len(ids)}
		var list []map[string]string
		for _, id := range ids[start:end] {
			list = append(list, map[string]string{"id": id, "threadId": g.msgs[id].thread})
		}
		if list != nil {
			out["messages"] = list
		}
		if next != "" {
			out["nextPageToken"] = next
		}
		writeJSON(w, out)
	case strings.HasPrefix(rest, "messages/"):
		m, ok := g.msgs[strings.TrimPrefix(rest, "messages/")]
		if !ok {
			googleError(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.")
			return
		}
		if first(q, "format") != "raw" {
			googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "this fake serves format=raw only")
			return
		}
		writeJSON(w, map[string]any{
			"id": m.id, "threadId": m.thread, "labelIds": m.labels, "historyId": strconv.FormatUint(g.histID, 10),
			"internalDate": strconv.FormatInt(m.internal.UnixMilli(), 10), "sizeEstimate": len(m.raw),
			"raw": base64.URLEncoding.EncodeToString(m.raw),
		})
	case rest == "history":
		startID, err := strconv.ParseUint(first(q, "startHistoryId"), 10, 64)
		if err != nil {
			googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid startHistoryId")
			return
		}
		if startID < g.minHist {
			googleError(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.")
			return
		}
		var recs []gmailHistory
		for _, h := range g.history {
			if h.id > startID {
				recs = append(recs, h)
			}
		}
		start, end, next, ok := pageWindow(q, len(recs), 100, 500)
		if !ok {
			googleError(w, http.StatusBadRequest, "INVALID_ARGUMENT", "Invalid pageToken")
			return
		}
		ref := func(id string) map[string]any {
			m := map[string]any{"id": id, "threadId": id}
			if msg, ok := g.msgs[id]; ok {
				m["labelIds"] = msg.labels
			}
			return m
		}
		var hs []map[string]any
		for _, h := range recs[start:end] {
			e := map[string]any{"id": strconv.FormatUint(h.id, 10)}
			var msgs []map[string]any
			add := func(key string, ids []string) {
				var l []map[string]any
				for _, id := range ids {
					l = append(l, map[string]any{"message": ref(id)})
					msgs = append(msgs, ref(id))
				}
				if l != nil {
					e[key] = l
				}
			}
			add("messagesAdded", h.added)
			add("messagesDeleted", h.deleted)
			for key, m := range map[string]map[string][]string{"labelsAdded": h.labelsAdded, "labelsRemoved": h.labelsRemove} {
				var l []map[string]any
				for id, labels := range m {
					if len(labels) > 0 {
						l = append(l, map[string]any{"message": ref(id), "labelIds": labels})
						msgs = append(msgs, ref(id))
					}
				}
				if l != nil {
					e[key] = l
				}
			}
			e["messages"] = msgs
			hs = append(hs, e)
		}
		out := map[string]any{"historyId": strconv.FormatUint(g.histID, 10)}
		if hs != nil {
			out["history"] = hs
		}
		if next != "" {
			out["nextPageToken"] = next
		}
		writeJSON(w, out)
	default:
		googleError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("no such method %s", rest))
	}
}
