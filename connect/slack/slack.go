// Package slack syncs a Slack workspace through the Web API
// (https://api.slack.com/methods): users.list (people), conversations.list,
// conversations.history and conversations.replies (threads), each paged by
// cursor and kept under its rate-limit tier. Messages become documents
// exactly as an export's do (package ingest/slack's Live). The cursor of
// every conversation is saved after every page; a conversation syncs from
// the newest message the last sync saw. Messages deleted in Slack leave no
// trace in the history, so they are not removed by an incremental sync.
package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
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

// Connector syncs one Slack workspace.
type Connector struct {
	API  *api.Client
	Base string

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
	ThreadTS   string `json:"thread_ts"`
	ReplyCount int    `json:"reply_count"`
}

func (c *Connector) syncConversation(ctx context.Context, run api.Run, cur *Cursor, live *islack.Live, teamURL string, cv islack.Conversation) error {
	cc := cur.Convs[cv.ID]
	if cc == nil {
		cc = &convCurs{}
		cur.Convs[cv.ID] = cc
	}
	for {
		q := url.Values{"channel": {cv.ID}, "limit": {"200"}}
		if cc.Oldest != "" {
			q.Set("oldest", cc.Oldest)
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
			if hm.TS == cc.Oldest {
				continue
			}
			if tsAfter(hm.TS, cc.Newest) {
				cc.Newest = hm.TS
			}
			page.Items = appendItem(page.Items, live, teamURL, cv.ID, raw)
			if hm.ReplyCount > 0 && (hm.ThreadTS == "" || hm.ThreadTS == hm.TS) {
				replies, err := c.replies(ctx, cv.ID, hm.TS)
				if err != nil {
					return err
				}
				for _, rr := range replies {
					page.Items = appendItem(page.Items, live, teamURL, cv.ID, rr)
				}
			}
		}
		n, err := run.Commit(ctx, page)
		if err != nil {
			return err
		}
		cc.Cursor = r.ResponseMetadata.NextCursor
		if !r.HasMore || cc.Cursor == "" {
			cc.Cursor = ""
			if cc.Newest != "" {
				cc.Oldest = cc.Newest
			}
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
	d.Path = strings.TrimRight(teamURL, "/") + "/archives/" + convID + "/p" + strings.ReplaceAll(ts, ".", "")
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
