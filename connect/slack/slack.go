// Package slack syncs a Slack workspace through the Web API
// (https://api.slack.com/methods): users.list (people), conversations.list,
// conversations.history and conversations.replies (threads), each paged by
// cursor and kept under its rate-limit tier. Messages become documents
// exactly as an export's do (package ingest/slack's Live). The cursor of
// every conversation is saved after every page; a conversation syncs from
// the newest message the last sync saw, and reads again the messages of the
// recheck window before it (Connector.Recheck, 7 days of the conversation
// by default): Slack's history keeps no trace of a deleted message, so a
// message of the window that is no longer there (or is a "tombstone", the
// placeholder of a deleted thread parent) is removed from the workspace,
// and an edited one is updated. Deletions older than the window are not
// seen; a full re-sync (engram disconnect, then connect) finds them.
package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/document"
	islack "github.com/engram-app/engram/ingest/slack"
)

// DefaultAPIBase is Slack's Web API.
const DefaultAPIBase = "https://slack.com/api"

// tiers are Slack's documented rate-limit tiers, in requests per minute,
// of the methods a connector calls.
func tiers() map[string]int {
	return map[string]int{
		"auth.test":             100, // special, generous
		"users.list":            20,  // tier 2
		"conversations.list":    20,  // tier 2
		"conversations.history": 50,  // tier 3
		"conversations.replies": 50,  // tier 3
	}
}

// DefaultRecheck is how far before a conversation's newest message a sync
// reads again to find deleted and edited messages.
const DefaultRecheck = 7 * 24 * time.Hour

// maxRecent bounds how many message timestamps of a conversation's recheck
// window the cursor keeps; a window busier than that is rechecked for its
// newest maxRecent messages.
const maxRecent = 20000

// Connector syncs one Slack workspace.
type Connector struct {
	API  *api.Client
	Base string
	// Recheck is the window, before each conversation's newest message,
	// that every sync reads again for deletions and edits: 0 means
	// DefaultRecheck, a negative value turns the recheck off.
	Recheck time.Duration

	once     sync.Once
	limiters map[string]*rate.Limiter
}

// ErrSlack is an error Slack answered with ("ok": false).
type ErrSlack struct{ Method, Code string }

func (e *ErrSlack) Error() string { return fmt.Sprintf("Slack %s: %s", e.Method, e.Code) }

// Cursor is the sync's saved position.
type Cursor struct {
	Team  string               `json:"team"`
	Convs map[string]*convCurs `json:"convs,omitempty"`
}

type convCurs struct {
	Oldest string `json:"oldest,omitempty"` // newest ts fully synced
	Cursor string `json:"cursor,omitempty"` // history page within the run
	Newest string `json:"newest,omitempty"` // newest ts seen in this run
	// From is where this run's history starts (the recheck window's
	// start, or Oldest); Recent holds the ts of the messages the last
	// complete run saw from its window on, and Seen those this run has
	// seen so far (Recent in order; Seen in order once settle has run at
	// the run's end). A message of Recent at or after From that
	// this run does not see was deleted in Slack.
	From   string   `json:"from,omitempty"`
	Recent []string `json:"recent,omitempty"`
	Seen   []string `json:"seen,omitempty"`
}

func (c *Connector) call(ctx context.Context, method string, q url.Values, v any) error {
	c.once.Do(func() {
		c.limiters = map[string]*rate.Limiter{}
		for m, perMin := range tiers() {
			c.limiters[m] = rate.NewLimiter(rate.Every(time.Minute/time.Duration(perMin)), perMin)
		}
	})
	if l := c.limiters[method]; l != nil {
		if err := l.Wait(ctx); err != nil {
			return err
		}
	}
	base := c.Base
	if base == "" {
		base = DefaultAPIBase
	}
	u := strings.TrimRight(base, "/") + "/" + method
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	data, err := c.API.Get(ctx, u)
	if err != nil {
		return err
	}
	var head struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("decoding Slack %s: %w", method, err)
	}
	if !head.OK {
		switch head.Error {
		case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive":
			return fmt.Errorf("Slack %s: %s: %w", method, head.Error, oauth.ErrReconnect)
		}
		return &ErrSlack{Method: method, Code: head.Error}
	}
	return json.Unmarshal(data, v)
}

type meta struct {
	ResponseMetadata struct {
		NextCursor string `json:"next_cursor"`
	} `json:"response_metadata"`
}

type authTest struct {
	URL    string `json:"url"`
	Team   string `json:"team"`
	TeamID string `json:"team_id"`
	User   string `json:"user"`
}

// Account names the workspace and the user: "team (user)".
func (c *Connector) Account(ctx context.Context) (string, error) {
	var a authTest
	if err := c.call(ctx, "auth.test", nil, &a); err != nil {
		return "", err
	}
	return a.Team + " (" + a.User + ")", nil
}

type channel struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	IsChannel bool   `json:"is_channel"`
	IsGroup   bool   `json:"is_group"`
	IsIM      bool   `json:"is_im"`
	IsMPIM    bool   `json:"is_mpim"`
	IsPrivate bool   `json:"is_private"`
	User      string `json:"user"` // the other member of an IM
}

// Sync brings the workspace up to date, conversation by conversation.
func (c *Connector) Sync(ctx context.Context, run api.Run) error {
	var cur Cursor
	if len(run.Cursor) > 0 {
		if err := json.Unmarshal(run.Cursor, &cur); err != nil {
			return fmt.Errorf("reading the Slack cursor: %w", err)
		}
	}
	if cur.Convs == nil {
		cur.Convs = map[string]*convCurs{}
	}
	var a authTest
	if err := c.call(ctx, "auth.test", nil, &a); err != nil {
		return err
	}
	cur.Team = a.TeamID
	var users []json.RawMessage
	if err := c.pages(ctx, "users.list", url.Values{"limit": {"200"}}, func(data []byte) error {
		var r struct {
			Members []json.RawMessage `json:"members"`
		}
		err := json.Unmarshal(data, &r)
		users = append(users, r.Members...)
		return err
	}); err != nil {
		return err
	}
	var convs []islack.Conversation
	if err := c.pages(ctx, "conversations.list", url.Values{"limit": {"200"}, "types": {"public_channel,private_channel,mpim,im"}}, func(data []byte) error {
		var r struct {
			Channels []channel `json:"channels"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return err
		}
		for _, ch := range r.Channels {
			cv := islack.Conversation{ID: ch.ID, Name: ch.Name, Kind: islack.KindChannel}
			switch {
			case ch.IsIM:
				cv.Kind, cv.Members = islack.KindDM, []string{ch.User}
			case ch.IsMPIM:
				cv.Kind = islack.KindMPIM
			case ch.IsGroup || ch.IsPrivate:
				cv.Kind = islack.KindGroup
			}
			convs = append(convs, cv)
		}
		return nil
	}); err != nil {
		return err
	}
	slices.SortFunc(convs, func(x, y islack.Conversation) int { return strings.Compare(x.ID, y.ID) })
	live := islack.NewLive("slack-api:"+a.TeamID, users, convs)
	for _, cv := range convs {
		if err := c.syncConversation(ctx, run, &cur, live, a.URL, cv); err != nil {
			var se *ErrSlack
			if errors.As(err, &se) && (se.Code == "not_in_channel" || se.Code == "channel_not_found") {
				continue
			}
			return err
		}
	}
	return nil
}

// pages calls a cursor-paged method until its last page.
func (c *Connector) pages(ctx context.Context, method string, q url.Values, each func([]byte) error) error {
	for {
		var raw json.RawMessage
		if err := c.call(ctx, method, q, &raw); err != nil {
			return err
		}
		if err := each(raw); err != nil {
			return fmt.Errorf("decoding Slack %s: %w", method, err)
		}
		var m meta
		_ = json.Unmarshal(raw, &m)
		if m.ResponseMetadata.NextCursor == "" {
			return nil
		}
		q.Set("cursor", m.ResponseMetadata.NextCursor)
	}
}

type histMsg struct {
	TS         string `json:"ts"`
	Subtype    string `json:"subtype"`
	ThreadTS   string `json:"thread_ts"`
	ReplyCount int    `json:"reply_count"`
}

func (c *Connector) syncConversation(ctx context.Context, run api.Run, cur *Cursor, live *islack.Live, teamURL string, cv islack.Conversation) error {
	cc := cur.Convs[cv.ID]
	if cc == nil {
		cc = &convCurs{}
		cur.Convs[cv.ID] = cc
	}
	if cc.Cursor == "" { // a new run, not one resumed mid-way
		cc.From, cc.Seen = cc.Oldest, nil
		if w := c.recheck(); w > 0 && cc.Oldest != "" && len(cc.Recent) > 0 {
			cc.From = tsMinus(cc.Oldest, w)
		}
	}
	for {
		q := url.Values{"channel": {cv.ID}, "limit": {"200"}}
		if cc.From != "" {
			q.Set("oldest", cc.From)
		}
		if cc.Cursor != "" {
			q.Set("cursor", cc.Cursor)
		}
		var r struct {
			meta
			Messages []json.RawMessage `json:"messages"`
			HasMore  bool              `json:"has_more"`
		}
		if err := c.call(ctx, "conversations.history", q, &r); err != nil {
			return err
		}
		var page api.Page
		for _, raw := range r.Messages {
			var hm histMsg
			_ = json.Unmarshal(raw, &hm)
			if hm.TS == "" || hm.TS == cc.From {
				continue
			}
			if tsAfter(hm.TS, cc.Newest) {
				cc.Newest = hm.TS
			}
			if hm.Subtype != "tombstone" { // a deleted parent kept for its replies
				page.Items = appendItem(page.Items, live, teamURL, cv.ID, raw)
				c.see(cc, hm.TS)
			}
			if hm.ReplyCount > 0 && (hm.ThreadTS == "" || hm.ThreadTS == hm.TS) {
				replies, err := c.replies(ctx, cv.ID, hm.TS)
				if err != nil {
					return err
				}
				for _, rr := range replies {
					page.Items = appendItem(page.Items, live, teamURL, cv.ID, rr)
					var rm histMsg
					_ = json.Unmarshal(rr, &rm)
					c.see(cc, rm.TS)
				}
			}
		}
		cc.Cursor = r.ResponseMetadata.NextCursor
		last := !r.HasMore || cc.Cursor == ""
		if last {
			// The run read its whole window: what the last run saw there
			// and this one did not was deleted.
			settle(cc)
			page.Removed = c.gone(cc, teamURL, cv.ID)
		}
		n, err := run.Commit(ctx, page)
		if err != nil {
			return err
		}
		if last {
			cc.Cursor = ""
			if cc.Newest != "" {
				cc.Oldest = cc.Newest
			}
			cc.Recent, cc.Seen, cc.From = c.window(cc.Seen, cc.Newest), nil, ""
		}
		if err := run.Save(cur, n); err != nil {
			return err
		}
		if run.Progress != nil {
			run.Progress(n)
		}
		if cc.Cursor == "" {
			return nil
		}
	}
}

func (c *Connector) recheck() time.Duration {
	if c.Recheck == 0 {
		return DefaultRecheck
	}
	return c.Recheck
}

// see records that this run saw the message ts, keeping only what can
// fall in the next run's window: Slack's history comes newest first, so
// once the newest is known, older messages outside the window are dropped.
// Seen is appended to (newest first, inserting in order would shift the
// whole list every time) and put in order by settle.
func (c *Connector) see(cc *convCurs, ts string) {
	w := c.recheck()
	if w <= 0 || ts == "" {
		return
	}
	if cc.Newest != "" && tsAfter(tsMinus(cc.Newest, w), ts) {
		return
	}
	cc.Seen = append(cc.Seen, ts)
	if len(cc.Seen) > 2*maxRecent {
		settle(cc)
	}
}

// settle sorts Seen, drops repeats, and keeps its newest maxRecent.
func settle(cc *convCurs) {
	slices.SortFunc(cc.Seen, cmpTS)
	cc.Seen = slices.Compact(cc.Seen)
	if len(cc.Seen) > maxRecent {
		cc.Seen = slices.Clone(cc.Seen[len(cc.Seen)-maxRecent:])
	}
}

// gone lists the locations of the messages the last run saw in this run's
// window that this run did not see. When this run saw more than maxRecent
// messages, only those at or after the oldest it kept can be judged.
func (c *Connector) gone(cc *convCurs, teamURL, convID string) []string {
	if c.recheck() <= 0 {
		return nil
	}
	var out []string
	for _, ts := range cc.Recent {
		if cc.From != "" && !tsAfter(ts, cc.From) {
			continue // before the window this run read
		}
		if len(cc.Seen) >= maxRecent && tsAfter(cc.Seen[0], ts) {
			continue // older than what this run could keep
		}
		if _, seen := slices.BinarySearchFunc(cc.Seen, ts, cmpTS); !seen {
			out = append(out, messagePath(teamURL, convID, ts))
		}
	}
	return out
}

// window keeps the ts of seen after the start of the recheck window
// before newest (the next run reads from there, exclusive).
func (c *Connector) window(seen []string, newest string) []string {
	w := c.recheck()
	if w <= 0 || newest == "" {
		return nil
	}
	from := tsMinus(newest, w)
	i, _ := slices.BinarySearchFunc(seen, from, cmpTS)
	for i < len(seen) && !tsAfter(seen[i], from) {
		i++
	}
	return slices.Clone(seen[i:])
}

func cmpTS(a, b string) int {
	switch {
	case a == b:
		return 0
	case tsAfter(a, b):
		return 1
	}
	return -1
}

// tsMinus is the Slack timestamp d before ts.
func tsMinus(ts string, d time.Duration) string {
	sec, _, _ := strings.Cut(ts, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return ""
	}
	return strconv.FormatInt(max(n-int64(d/time.Second), 0), 10) + ".000000"
}

// messagePath is where a message lives: its permalink.
func messagePath(teamURL, convID, ts string) string {
	return strings.TrimRight(teamURL, "/") + "/archives/" + convID + "/p" + strings.ReplaceAll(ts, ".", "")
}

// replies reads a thread's replies (without its parent), every page.
func (c *Connector) replies(ctx context.Context, convID, ts string) ([]json.RawMessage, error) {
	var out []json.RawMessage
	err := c.pages(ctx, "conversations.replies", url.Values{"channel": {convID}, "ts": {ts}, "limit": {"200"}}, func(data []byte) error {
		var r struct {
			Messages []json.RawMessage `json:"messages"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			return err
		}
		for _, m := range r.Messages {
			var hm histMsg
			_ = json.Unmarshal(m, &hm)
			if hm.TS != ts {
				out = append(out, m)
			}
		}
		return nil
	})
	return out, err
}

func appendItem(items []api.Item, live *islack.Live, teamURL, convID string, raw json.RawMessage) []api.Item {
	d, ok := live.Message(convID, raw)
	if !ok {
		return items
	}
	ts := d.Meta["ts"]
	d.Path = messagePath(teamURL, convID, ts)
	d.ModTime = d.Date
	d.Size = int64(len(raw))
	d.ContentHash = document.HashContent(raw)
	d.Meta["connector"] = "slack"
	return append(items, api.Item{Path: d.Path, Docs: []document.Document{d}, Hash: d.ContentHash, ModTime: d.Date, Size: d.Size})
}

// tsAfter compares Slack timestamps ("1700000000.000100").
func tsAfter(a, b string) bool {
	if b == "" {
		return a != ""
	}
	as, af, _ := strings.Cut(a, ".")
	bs, bf, _ := strings.Cut(b, ".")
	if len(as) != len(bs) {
		return len(as) > len(bs)
	}
	if as != bs {
		return as > bs
	}
	return af > bf
}
