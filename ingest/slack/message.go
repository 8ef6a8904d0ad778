package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// message is the part of a Slack message this package reads; unknown fields
// are ignored.
type message struct {
	Type        string       `json:"type"`
	Subtype     string       `json:"subtype"`
	Hidden      bool         `json:"hidden"`
	User        string       `json:"user"`
	BotID       string       `json:"bot_id"`
	Username    string       `json:"username"`
	Text        string       `json:"text"`
	TS          string       `json:"ts"`
	ThreadTS    string       `json:"thread_ts"`
	ReplyCount  int          `json:"reply_count"`
	Team        string       `json:"team"`
	UserProfile *profileJSON `json:"user_profile"`
	Comment     *struct {
		User string `json:"user"`
	} `json:"comment"` // file_comment in older exports: the commenter
	File        *fileJSON  `json:"file"`  // older exports
	Files       []fileJSON `json:"files"` // newer exports
	Attachments []struct {
		Pretext  string `json:"pretext"`
		Title    string `json:"title"`
		Text     string `json:"text"`
		Fallback string `json:"fallback"`
	} `json:"attachments"`
}

type profileJSON struct {
	RealName    string `json:"real_name"`
	DisplayName string `json:"display_name"`
	Name        string `json:"name"`
}

type fileJSON struct {
	Name     string `json:"name"`
	Title    string `json:"title"`
	Mimetype string `json:"mimetype"`
	Size     int64  `json:"size"`
}

// noise reports the subtypes that record an event rather than something
// someone wrote: joins, renames, pins, integrations. Any other subtype is
// kept when it has text or files (thread_broadcast, file_share,
// bot_message, me_message, file_comment, ...).
func noise(subtype string) bool {
	switch subtype {
	case "channel_join", "channel_leave", "channel_purpose",
		"channel_topic", "channel_name", "channel_archive",
		"channel_unarchive", "channel_convert_to_private",
		"channel_convert_to_public", "channel_posting_permissions",
		"group_join", "group_leave", "group_purpose",
		"group_topic", "group_name", "group_archive",
		"group_unarchive", "bot_add", "bot_remove",
		"bot_enable", "bot_disable", "pinned_item",
		"unpinned_item", "reminder_add", "reminder_delete",
		"app_conversation_join", "app_conversation_leave",
		"tombstone", "joiner_notification", "sh_room_created",
		"huddle_thread", "message_changed", "message_deleted",
		"message_replied":
		return true
	}
	return false
}

// titleRunes is about how long a title's text part is.
const titleRunes = 60

// parseDay turns the content of one day file of the conversation kept in
// folder into documents. It fails, wrapping ingest.ErrBadInput, when data is
// not a JSON array, and when no message of a non-empty array can be read; it
// returns an error wrapping ingest.ErrSkipped when the day holds only
// noise, so the pipeline counts it as skipped and lists why.
func (e *export) parseDay(folder string, data []byte) ([]document.Document, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, fmt.Errorf("%w: not a JSON array of Slack messages: %v", ingest.ErrBadInput, jsonReason(err))
	}
	conv := e.conversation(folder)
	seen := map[string]bool{}
	var docs []document.Document
	bad := 0
	for _, raw := range raws {
		var m message
		if err := json.Unmarshal(raw, &m); err != nil {
			bad++
			continue
		}
		d, ok := e.document(conv, &m)
		if !ok || seen[d.ID] {
			continue
		}
		seen[d.ID] = true
		docs = append(docs, d)
	}
	if bad > 0 && len(docs) == 0 {
		return nil, fmt.Errorf("%w: none of its %d messages could be read as a Slack message", ingest.ErrBadInput, len(raws))
	}
	if len(raws) == 0 {
		return nil, fmt.Errorf("%w: a Slack day with no messages (an empty list)", ingest.ErrSkipped)
	}
	if len(docs) == 0 {
		// Joins, topic changes and the like only: skipped, with the reason
		// listed on the job.
		return nil, fmt.Errorf("%w: a Slack day holding only channel events (joins, leaves, topic changes), no messages", ingest.ErrSkipped)
	}
	var warn []string
	if bad > 0 {
		warn = append(warn, fmt.Sprintf("%d messages of this day could not be read", bad))
	}
	warn = append(warn, e.warnings...)
	if len(warn) > 0 {
		w := strings.Join(warn, "; ")
		for i := range docs {
			docs[i].Meta["parse_warning"] = w
		}
	}
	return docs, nil
}

func jsonReason(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v at byte %d", se, se.Offset)
	}
	return err.Error()
}

// messageKey is the MessageID of a message: the export's location, the
// conversation ID and the message's ts, which Slack keeps unique within a
// conversation.
func (e *export) messageKey(convID, ts string) string {
	return "slack:" + e.root + ":" + convID + ":" + ts
}

// document turns one message into a document, or reports false for noise,
// messages with no text nor files, and messages without a valid ts.
func (e *export) document(conv *convInfo, m *message) (document.Document, bool) {
	if (m.Type != "" && m.Type != "message") || m.Hidden || noise(m.Subtype) {
		return document.Document{}, false
	}
	date, ok := parseTS(m.TS)
	if !ok {
		return document.Document{}, false
	}
	body, mentions := e.resolve(m.Text)
	if body == "" {
		// Bots often post only attachments.
		var parts []string
		for _, a := range m.Attachments {
			var lines []string
			for _, l := range []string{a.Pretext, a.Title, a.Text} {
				if l = strings.TrimSpace(l); l != "" {
					lines = append(lines, l)
				}
			}
			if len(lines) == 0 {
				lines = append(lines, strings.TrimSpace(a.Fallback))
			}
			if t := strings.Join(lines, "\n"); t != "" {
				r, more := e.resolve(t)
				parts = append(parts, r)
				mentions = append(mentions, more...)
			}
		}
		body = strings.Join(parts, "\n\n")
	}
	files := m.Files
	if m.File != nil {
		files = append([]fileJSON{*m.File}, files...)
	}
	var atts []document.Attachment
	var unnamed []string // file names the text does not already show
	for _, f := range files {
		name := firstNonEmpty(f.Name, f.Title)
		if name == "" {
			continue
		}
		atts = append(atts, document.Attachment{Name: name, ContentType: f.Mimetype, Size: f.Size})
		if !strings.Contains(body, name) && (f.Title == "" || !strings.Contains(body, f.Title)) {
			unnamed = append(unnamed, name)
		}
	}
	if len(unnamed) > 0 {
		body = strings.TrimSpace(body + "\n\nFiles: " + strings.Join(unnamed, ", "))
	}
	if body == "" {
		return document.Document{}, false
	}

	key := e.messageKey(conv.id, m.TS)
	d := document.Document{
		ID:          document.MessageDocID(key),
		Source:      Kind,
		Title:       e.title(conv, body),
		Body:        body,
		MessageID:   key,
		Attachments: atts,
		Date:        date,
		Meta: map[string]string{
			"channel":    conv.name,
			"channel_id": conv.id,
			"ts":         m.TS,
		},
	}
	if conv.kind != convDM {
		d.Tags = []string{strings.ToLower(conv.name)}
	}
	if conv.kind != convChannel {
		d.Meta["channel_type"] = conv.kind
	}
	if m.Subtype != "" {
		d.Meta["subtype"] = m.Subtype
	}
	if team := firstNonEmpty(m.Team, e.teamID); team != "" {
		d.Meta["team_id"] = team
	}
	if m.ThreadTS != "" && m.ThreadTS != m.TS {
		d.InReplyTo = e.messageKey(conv.id, m.ThreadTS)
		d.Meta["thread_ts"] = m.ThreadTS
	} else if m.ReplyCount > 0 {
		d.Meta["reply_count"] = strconv.Itoa(m.ReplyCount)
	}

	if m.User == "" && m.Comment != nil {
		m.User = m.Comment.User
	}
	author := m.User
	var from document.Person
	switch {
	case m.User != "":
		d.Meta["user_id"] = m.User
		name := ""
		if m.UserProfile != nil {
			name = firstNonEmpty(m.UserProfile.RealName, m.UserProfile.DisplayName, m.UserProfile.Name)
		}
		from = e.person(m.User, name)
	case m.BotID != "":
		author = m.BotID
		d.Meta["bot_id"] = m.BotID
		name, _ := e.resolve(m.Username)
		from = document.NewPerson(firstNonEmpty(name, m.BotID), m.BotID+"@slack")
	}
	// Direct messages go to the other members; every message to whoever
	// it mentions.
	seen := map[string]bool{author: true}
	var recipients []mention
	if conv.kind == convDM || conv.kind == convMPIM {
		for _, id := range conv.members {
			recipients = append(recipients, mention{id: id})
		}
	}
	var to []document.Person
	for _, m := range append(recipients, mentions...) {
		if m.id == "" || seen[m.id] {
			continue
		}
		seen[m.id] = true
		to = append(to, e.person(m.id, m.label))
	}
	d.SetPeople([]document.Person{from}, to, nil)
	return d, true
}

// person is a user as "Real Name <email>", or "Real Name <u123@slack>"
// when the export has no email for them; fallback is the name to use when
// users.json does not know the user.
func (e *export) person(userID, fallback string) document.Person {
	u := e.users[userID]
	addr := u.email
	if addr == "" {
		addr = userID + "@slack"
	}
	return document.NewPerson(firstNonEmpty(u.name, fallback), addr)
}

// displayName is how a mention of a user reads: their name, else the label
// Slack wrote in the mention, else their ID.
func (e *export) displayName(userID, label string) string {
	return firstNonEmpty(e.users[userID].name, label, userID)
}

// parseTS reads a Slack ts, "seconds.microseconds".
func parseTS(ts string) (time.Time, bool) {
	sec, frac, _ := strings.Cut(ts, ".")
	if sec == "" || len(sec) > 12 || len(frac) > 9 {
		return time.Time{}, false
	}
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s < 0 {
		return time.Time{}, false
	}
	var ns int64
	if frac != "" {
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return time.Time{}, false
		}
		ns = f
		for range 9 - len(frac) {
			ns *= 10
		}
	}
	return time.Unix(s, ns).UTC(), true
}

// title is "#channel: " and the first words of the body.
func (e *export) title(conv *convInfo, body string) string {
	prefix := "#" + conv.name + ": "
	if conv.kind == convDM {
		var names []string
		for _, id := range conv.members {
			names = append(names, e.displayName(id, ""))
		}
		prefix = "DM " + strings.Join(names, ", ") + ": "
	}
	return prefix + shorten(body, titleRunes)
}

// shorten collapses white space and cuts s to about n runes, at a word
// boundary when there is one in the second half, marking the cut with "…".
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for i := n; i > n/2; i-- {
		if r[i] == ' ' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(r[:cut]), " ,.;:") + "…"
}
