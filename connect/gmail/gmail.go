// Package gmail syncs a Gmail mailbox through the Gmail API v1
// (https://developers.google.com/gmail/api/reference/rest): a full sync
// (users.messages.list, then users.messages.get with format=raw for each
// message, parsed by the import's mail parser), then incremental syncs from
// the history id the full sync started at (users.history.list). Labels
// become tags; a message deleted, trashed or marked as spam is removed.
// The cursor is saved after every page, so a killed sync resumes from its
// last page; when Gmail no longer keeps the history (404), the next sync is
// a full one that also removes what disappeared.
package gmail

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/ingest"
)

// DefaultAPIBase is Gmail's API host; paths are /gmail/v1/users/me/....
const DefaultAPIBase = "https://gmail.googleapis.com"

// PageSize is how many message IDs or history records a page asks for.
const PageSize = 500

// Connector syncs one mailbox.
type Connector struct {
	API     *api.Client
	Base    string        // API base, DefaultAPIBase when ""
	Parser  ingest.Parser // the mail (.eml) parser of the import registry
	Workers int           // messages fetched at once (default 4)
	// PageSize overrides PageSize (tests use small pages).
	PageSize int
}

// Cursor is the sync's saved position.
type Cursor struct {
	Account string `json:"account"`
	// Phase is "full" while the full listing runs, "reconcile" while a
	// full resync lists what is still there, "incremental" after.
	Phase     string `json:"phase"`
	PageToken string `json:"page_token,omitempty"`
	// HistoryID is where the next history.list starts: the history id
	// taken before the full sync, then the one of the last history page.
	HistoryID string `json:"history_id,omitempty"`
	// Reconcile marks a full resync of a mailbox already synced: its
	// last step removes what is no longer listed.
	Reconcile bool `json:"reconcile,omitempty"`
}

func (c *Connector) base() string {
	if c.Base == "" {
		return DefaultAPIBase
	}
	return strings.TrimRight(c.Base, "/")
}

func (c *Connector) url(path string, q url.Values) string {
	u := c.base() + "/gmail/v1/users/me/" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func (c *Connector) pageSize() int {
	if c.PageSize > 0 {
		return min(c.PageSize, PageSize)
	}
	return PageSize
}

type profile struct {
	EmailAddress string `json:"emailAddress"`
	HistoryID    string `json:"historyId"`
}

// Account returns the mailbox's address.
func (c *Connector) Account(ctx context.Context) (string, error) {
	var p profile
	if err := c.API.GetJSON(ctx, c.url("profile", nil), &p); err != nil {
		return "", err
	}
	return p.EmailAddress, nil
}

// prefix is the start of every location of this account's messages.
func prefix(account string) string {
	return "https://mail.google.com/mail/u/" + url.PathEscape(account) + "/#all/"
}

// Sync brings the workspace up to date with the mailbox, from run.Cursor.
func (c *Connector) Sync(ctx context.Context, run api.Run) error {
	var cur Cursor
	if len(run.Cursor) > 0 {
		if err := json.Unmarshal(run.Cursor, &cur); err != nil {
			return fmt.Errorf("reading the Gmail cursor: %w", err)
		}
	}
	if cur.Account == "" {
		acct, err := c.Account(ctx)
		if err != nil {
			return err
		}
		cur.Account = acct
	}
	labels, err := c.labels(ctx)
	if err != nil {
		if ctx.Err() != nil || !errors.As(err, new(*api.StatusError)) && !errors.Is(err, api.ErrNotFound) {
			return err
		}
		labels = map[string]string{} // tags fall back to label IDs
	}
	for {
		var done bool
		var err error
		switch cur.Phase {
		case "", "full":
			done, err = c.fullPage(ctx, run, &cur, labels)
		case "reconcile":
			done, err = c.reconcile(ctx, run, &cur)
		case "incremental":
			done, err = c.historyPage(ctx, run, &cur, labels)
		default:
			return fmt.Errorf("unknown Gmail sync phase %q", cur.Phase)
		}
		if err != nil || done {
			return err
		}
	}
}

func (c *Connector) labels(ctx context.Context) (map[string]string, error) {
	var resp struct {
		Labels []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"labels"`
	}
	if err := c.API.GetJSON(ctx, c.url("labels", nil), &resp); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(resp.Labels))
	for _, l := range resp.Labels {
		out[l.ID] = l.Name
	}
	return out, nil
}

type msgRef struct {
	ID       string   `json:"id"`
	LabelIDs []string `json:"labelIds"`
}

// fullPage syncs one page of the full listing; done once the listing ended
// and the phase moved on (the next call continues with it).
func (c *Connector) fullPage(ctx context.Context, run api.Run, cur *Cursor, labels map[string]string) (bool, error) {
	if cur.Phase == "" {
		// Where incremental sync starts: taken before listing, so a
		// change made during the full sync is replayed after it.
		var p profile
		if err := c.API.GetJSON(ctx, c.url("profile", nil), &p); err != nil {
			return false, err
		}
		cur.Phase, cur.HistoryID, cur.PageToken = "full", p.HistoryID, ""
		if err := run.Save(cur, api.Counts{}); err != nil {
			return false, err
		}
	}
	q := url.Values{"maxResults": {strconv.Itoa(c.pageSize())}}
	if cur.PageToken != "" {
		q.Set("pageToken", cur.PageToken)
	}
	var resp struct {
		Messages      []msgRef `json:"messages"`
		NextPageToken string   `json:"nextPageToken"`
	}
	if err := c.API.GetJSON(ctx, c.url("messages", q), &resp); err != nil {
		return false, err
	}
	ids := make([]string, len(resp.Messages))
	for i, m := range resp.Messages {
		ids[i] = m.ID
	}
	page, failed, err := c.fetch(ctx, run, cur.Account, ids, labels)
	if err != nil {
		return false, err
	}
	n, err := run.Commit(ctx, page)
	if err != nil {
		return false, err
	}
	n.Failed = failed
	cur.PageToken = resp.NextPageToken
	if cur.PageToken == "" {
		cur.Phase = "incremental"
		if cur.Reconcile {
			cur.Phase = "reconcile"
		}
	}
	if err := run.Save(cur, n); err != nil {
		return false, err
	}
	if run.Progress != nil {
		run.Progress(n)
	}
	return false, nil
}

// reconcile lists every message ID still in the mailbox and removes the
// documents of the others. It runs whole (IDs only) and saves at its end.
func (c *Connector) reconcile(ctx context.Context, run api.Run, cur *Cursor) (bool, error) {
	live := map[string]bool{}
	token := ""
	for {
		q := url.Values{"maxResults": {strconv.Itoa(c.pageSize())}}
		if token != "" {
			q.Set("pageToken", token)
		}
		var resp struct {
			Messages      []msgRef `json:"messages"`
			NextPageToken string   `json:"nextPageToken"`
		}
		if err := c.API.GetJSON(ctx, c.url("messages", q), &resp); err != nil {
			return false, err
		}
		for _, m := range resp.Messages {
			live[location(cur.Account, m.ID)] = true
		}
		if token = resp.NextPageToken; token == "" {
			break
		}
	}
	known, err := run.Sink.KnownUnder(prefix(cur.Account))
	if err != nil {
		return false, err
	}
	var page api.Page
	for _, k := range known {
		if !live[k.Path] {
			page.Removed = append(page.Removed, k.Path)
		}
	}
	n, err := run.Commit(ctx, page)
	if err != nil {
		return false, err
	}
	cur.Phase, cur.Reconcile = "incremental", false
	return false, run.Save(cur, n)
}

type historyRecord struct {
	MessagesAdded   []struct{ Message msgRef } `json:"messagesAdded"`
	MessagesDeleted []struct{ Message msgRef } `json:"messagesDeleted"`
	LabelsAdded     []struct {
		Message  msgRef
		LabelIDs []string `json:"labelIds"`
	} `json:"labelsAdded"`
	LabelsRemoved []struct {
		Message  msgRef
		LabelIDs []string `json:"labelIds"`
	} `json:"labelsRemoved"`
}

// historyPage applies one page of history; done when the history is
// applied to its end.
func (c *Connector) historyPage(ctx context.Context, run api.Run, cur *Cursor, labels map[string]string) (bool, error) {
	q := url.Values{"startHistoryId": {cur.HistoryID}, "maxResults": {strconv.Itoa(c.pageSize())}}
	if cur.PageToken != "" {
		q.Set("pageToken", cur.PageToken)
	}
	var resp struct {
		History       []historyRecord `json:"history"`
		NextPageToken string          `json:"nextPageToken"`
		HistoryID     string          `json:"historyId"`
	}
	err := c.API.GetJSON(ctx, c.url("history", q), &resp)
	if errors.Is(err, api.ErrNotFound) {
		// Gmail no longer keeps history that old: sync in full again,
		// and remove what is gone.
		*cur = Cursor{Account: cur.Account, Reconcile: true}
		return false, run.Save(cur, api.Counts{})
	}
	if err != nil {
		return false, err
	}
	// The last operation on a message wins: added then deleted is gone.
	fetch := map[string]bool{}
	var order []string
	mark := func(id string, get bool) {
		if _, seen := fetch[id]; !seen {
			order = append(order, id)
		}
		fetch[id] = get
	}
	for _, h := range resp.History {
		for _, m := range h.MessagesAdded {
			mark(m.Message.ID, true)
		}
		for _, m := range h.LabelsAdded {
			mark(m.Message.ID, true)
		}
		for _, m := range h.LabelsRemoved {
			mark(m.Message.ID, true)
		}
		for _, m := range h.MessagesDeleted {
			mark(m.Message.ID, false)
		}
	}
	var ids, gone []string
	for _, id := range order {
		if fetch[id] {
			ids = append(ids, id)
		} else {
			gone = append(gone, location(cur.Account, id))
		}
	}
	page, failed, err := c.fetch(ctx, run, cur.Account, ids, labels)
	if err != nil {
		return false, err
	}
	page.Removed = append(page.Removed, gone...)
	n, err := run.Commit(ctx, page)
	if err != nil {
		return false, err
	}
	n.Failed = failed
	done := resp.NextPageToken == ""
	cur.PageToken = resp.NextPageToken
	if done && resp.HistoryID != "" {
		cur.HistoryID = resp.HistoryID
	}
	if err := run.Save(cur, n); err != nil {
		return false, err
	}
	if run.Progress != nil {
		run.Progress(n)
	}
	return done, nil
}

func location(account, id string) string { return prefix(account) + id }

type rawMessage struct {
	ID           string   `json:"id"`
	ThreadID     string   `json:"threadId"`
	LabelIDs     []string `json:"labelIds"`
	InternalDate string   `json:"internalDate"`
	Raw          string   `json:"raw"`
}

// fetch gets and parses messages (format=raw) with a few requests at once.
// A message gone (404), in the trash or in spam is listed as removed; one
// that cannot be parsed is counted as failed and skipped.
func (c *Connector) fetch(ctx context.Context, run api.Run, account string, ids []string, labels map[string]string) (api.Page, int, error) {
	workers := c.Workers
	if workers <= 0 {
		workers = 4
	}
	items := make([]*api.Item, len(ids))
	removed := make([]bool, len(ids))
	errs := make([]error, len(ids))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, max(len(ids), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				items[i], removed[i], errs[i] = c.message(ctx, run, account, ids[i], labels)
			}
		}()
	}
	for i := range ids {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return api.Page{}, 0, err
	}
	var page api.Page
	failed := 0
	for i := range ids {
		switch {
		case errs[i] != nil && (errors.Is(errs[i], ingest.ErrBadInput) || errors.Is(errs[i], ingest.ErrSkipped)):
			failed++
		case errs[i] != nil:
			return api.Page{}, 0, errs[i]
		case removed[i]:
			page.Removed = append(page.Removed, location(account, ids[i]))
		default:
			page.Items = append(page.Items, *items[i])
		}
	}
	return page, failed, nil
}

func (c *Connector) message(ctx context.Context, run api.Run, account, id string, labels map[string]string) (*api.Item, bool, error) {
	var m rawMessage
	err := c.API.GetJSON(ctx, c.url("messages/"+url.PathEscape(id), url.Values{"format": {"raw"}}), &m)
	if errors.Is(err, api.ErrNotFound) {
		return nil, true, nil
	}
	if err != nil {
		return nil, false, err
	}
	if slices.Contains(m.LabelIDs, "TRASH") || slices.Contains(m.LabelIDs, "SPAM") {
		return nil, true, nil
	}
	raw, err := decodeRaw(m.Raw)
	if err != nil {
		return nil, false, fmt.Errorf("%w: message %s: %v", ingest.ErrBadInput, id, err)
	}
	mod := time.Time{}
	if ms, err := strconv.ParseInt(m.InternalDate, 10, 64); err == nil {
		mod = time.UnixMilli(ms).UTC()
	}
	var tags []string
	for _, l := range m.LabelIDs {
		name := labels[l]
		if name == "" {
			name = l
		}
		tags = append(tags, strings.ToLower(name))
	}
	slices.Sort(tags)
	tags = slices.Compact(tags)
	item, err := api.Parse(ctx, c.Parser, location(account, id), raw, mod, run.Limits, strings.Join(tags, ","))
	if err != nil {
		return nil, false, err
	}
	for i := range item.Docs {
		d := &item.Docs[i]
		d.Tags = mergeTags(d.Tags, tags)
		if d.Meta == nil {
			d.Meta = map[string]string{}
		}
		d.Meta["gmail_id"] = m.ID
		d.Meta["gmail_thread_id"] = m.ThreadID
		d.Meta["connector"] = "gmail"
	}
	return &item, false, nil
}

// decodeRaw reads the "raw" field: base64url, padded or not.
func decodeRaw(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	return base64.RawURLEncoding.DecodeString(s)
}

func mergeTags(a, b []string) []string {
	out := append(append([]string(nil), a...), b...)
	slices.Sort(out)
	return slices.Compact(out)
}
