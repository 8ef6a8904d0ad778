package connecttest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Slack is a fake of Slack's Web API methods the connector uses: auth.test,
// users.list, conversations.list, conversations.history (newest first,
// oldest exclusive, cursor paging with has_more) and conversations.replies
// (parent first). Answers are {"ok": true, ..., "response_metadata":
// {"next_cursor": ""}}, errors {"ok": false, "error": "..."}, rate limits
// HTTP 429 with Retry-After.
type Slack struct {
	Server *httptest.Server
	AS     *AS
	Team   string
	TeamID string
	// PageSize caps every page (default 2, to exercise cursors).
	PageSize int

	mu      sync.Mutex
	users   []map[string]any
	convs   []map[string]any
	msgs    map[string][]map[string]any // channel -> messages (any order)
	limits  []int
	Methods map[string]int // calls per method
}

// NewSlack starts the fake.
func NewSlack(as *AS, team string) *Slack {
	s := &Slack{AS: as, Team: team, TeamID: "T0001", PageSize: 2, msgs: map[string][]map[string]any{}, Methods: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close stops the server.
func (s *Slack) Close() { s.Server.Close() }

// URL is the API base (https://slack.com/api's stand-in).
func (s *Slack) URL() string { return s.Server.URL + "/api" }

// AddUser adds a member.
func (s *Slack) AddUser(id, name, email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append(s.users, map[string]any{"id": id, "team_id": s.TeamID, "name": strings.ToLower(name),
		"real_name": name, "profile": map[string]any{"real_name": name, "email": email}})
}

// AddChannel adds a public channel.
func (s *Slack) AddChannel(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.convs = append(s.convs, map[string]any{"id": id, "name": name, "is_channel": true})
}

// Post adds a message; threadTS names the parent of a reply ("" for none).
func (s *Slack) Post(channel, user, ts, text, threadTS string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]any{"type": "message", "user": user, "text": text, "ts": ts}
	if threadTS != "" {
		m["thread_ts"] = threadTS
		for _, p := range s.msgs[channel] {
			if p["ts"] == threadTS {
				p["thread_ts"] = threadTS
				n, _ := p["reply_count"].(int)
				p["reply_count"] = n + 1
			}
		}
	}
	s.msgs[channel] = append(s.msgs[channel], m)
}

// Delete deletes a message as Slack does: a reply or a message without
// replies leaves the history; a thread parent with replies stays as a
// "tombstone" (subtype tombstone, "This message was deleted.") so that its
// replies keep their thread.
func (s *Slack) Delete(channel, ts string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs := s.msgs[channel]
	for i, m := range msgs {
		if m["ts"] != ts {
			continue
		}
		if n, _ := m["reply_count"].(int); n > 0 && m["thread_ts"] == ts {
			for _, k := range []string{"user", "text"} {
				delete(m, k)
			}
			m["subtype"], m["text"], m["user"] = "tombstone", "This message was deleted.", "USLACKBOT"
			return
		}
		if parent, _ := m["thread_ts"].(string); parent != "" && parent != ts {
			for _, p := range msgs {
				if p["ts"] == parent {
					n, _ := p["reply_count"].(int)
					p["reply_count"] = n - 1
				}
			}
		}
		s.msgs[channel] = append(msgs[:i:i], msgs[i+1:]...)
		return
	}
}

// Edit changes a message's text, as chat.update does.
func (s *Slack) Edit(channel, ts, text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.msgs[channel] {
		if m["ts"] == ts {
			m["text"] = text
			m["edited"] = map[string]any{"user": m["user"], "ts": ts}
		}
	}
}

// RateLimit makes the next len(secs) calls answer 429 with those Retry-After.
func (s *Slack) RateLimit(secs ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = append(s.limits, secs...)
}

func (s *Slack) page(items []map[string]any, cursor string) ([]map[string]any, string) {
	start := 0
	if cursor != "" {
		b, _ := base64.StdEncoding.DecodeString(cursor)
		start, _ = strconv.Atoi(strings.TrimPrefix(string(b), "next:"))
	}
	start = min(start, len(items))
	end := min(start+s.PageSize, len(items))
	next := ""
	if end < len(items) {
		next = base64.StdEncoding.EncodeToString([]byte("next:" + strconv.Itoa(end)))
	}
	return items[start:end], next
}

func (s *Slack) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	ok := func(v map[string]any, next string) {
		v["ok"] = true
		v["response_metadata"] = map[string]string{"next_cursor": next}
		_ = json.NewEncoder(w).Encode(v)
	}
	fail := func(code string) { _ = json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code}) }
	if s.AS.Bearer(r) == "" {
		fail("invalid_auth")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	method := strings.TrimPrefix(r.URL.Path, "/api/")
	s.Methods[method]++
	if len(s.limits) > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(s.limits[0]))
		s.limits = s.limits[1:]
		w.WriteHeader(http.StatusTooManyRequests)
		fail("ratelimited")
		return
	}
	q := r.URL.Query()
	switch method {
	case "auth.test":
		ok(map[string]any{"url": "https://" + s.Team + ".slack.com/", "team": s.Team, "team_id": s.TeamID, "user": "me", "user_id": "U0ME"}, "")
	case "users.list":
		p, next := s.page(s.users, q.Get("cursor"))
		ok(map[string]any{"members": p}, next)
	case "conversations.list":
		p, next := s.page(s.convs, q.Get("cursor"))
		ok(map[string]any{"channels": p}, next)
	case "conversations.history":
		ch, has := s.msgs[q.Get("channel")]
		if !has && !slices.ContainsFunc(s.convs, func(c map[string]any) bool { return c["id"] == q.Get("channel") }) {
			fail("channel_not_found")
			return
		}
		var top []map[string]any
		for _, m := range ch {
			if t, _ := m["thread_ts"].(string); t != "" && t != m["ts"] {
				continue // replies are not in the history
			}
			if o := q.Get("oldest"); o != "" && !tsGreater(m["ts"].(string), o) {
				continue
			}
			top = append(top, m)
		}
		slices.SortFunc(top, func(a, b map[string]any) int { return -strings.Compare(a["ts"].(string), b["ts"].(string)) })
		p, next := s.page(top, q.Get("cursor"))
		ok(map[string]any{"messages": p, "has_more": next != ""}, next)
	case "conversations.replies":
		var th []map[string]any
		for _, m := range s.msgs[q.Get("channel")] {
			if m["ts"] == q.Get("ts") || m["thread_ts"] == q.Get("ts") {
				th = append(th, m)
			}
		}
		slices.SortFunc(th, func(a, b map[string]any) int { return strings.Compare(a["ts"].(string), b["ts"].(string)) })
		p, next := s.page(th, q.Get("cursor"))
		ok(map[string]any{"messages": p, "has_more": next != ""}, next)
	default:
		fail("unknown_method")
	}
}

func tsGreater(a, b string) bool {
	fa, _ := strconv.ParseFloat(a, 64)
	fb, _ := strconv.ParseFloat(b, 64)
	return fa > fb
}
