package slack

import (
	"encoding/json"

	"github.com/engram-app/engram/document"
)

// Conversation kinds for Live, the values Conversation.Kind takes.
const (
	KindChannel = convChannel // public channel
	KindGroup   = convGroup   // private channel
	KindMPIM    = convMPIM    // group direct message
	KindDM      = convDM      // direct message
)

// Conversation is a conversation as Slack's Web API lists it
// (conversations.list), for Live.
type Conversation struct {
	ID      string
	Name    string
	Kind    string // KindChannel, KindGroup, KindMPIM or KindDM
	Members []string
}

// Live turns messages read from Slack's Web API (conversations.history and
// conversations.replies, whose message objects are those of an export's day
// files) into documents exactly as an export's are: the same titles,
// authors, recipients, mentions, tags and thread links. It is read-only
// once built and safe for concurrent use.
type Live struct{ e *export }

// NewLive returns a reader for one workspace. root is part of every
// message's key (use one per Slack team, e.g. "slack-api:T123"); users are
// users.list's members (the objects of an export's users.json).
func NewLive(root string, users []json.RawMessage, convs []Conversation) *Live {
	e := &export{root: root, users: map[string]userInfo{}, folders: map[string]*convInfo{}, chanName: map[string]string{}}
	for _, raw := range users {
		var u userJSON
		if json.Unmarshal(raw, &u) != nil || u.ID == "" {
			continue
		}
		if e.teamID == "" {
			e.teamID = u.TeamID
		}
		e.users[u.ID] = userInfo{
			name:  firstNonEmpty(u.Profile.RealName, u.RealName, u.Profile.DisplayName, u.Name),
			email: u.Profile.Email,
		}
	}
	for _, c := range convs {
		name := firstNonEmpty(c.Name, c.ID)
		e.folders[c.ID] = &convInfo{id: c.ID, name: name, kind: c.Kind, members: c.Members}
		if c.Kind != convDM {
			e.chanName[c.ID] = name
		}
	}
	return &Live{e: e}
}

// Message turns one message of conversation convID into a document; ok is
// false for what an export import skips too (joins, topic changes, empty
// messages, a message without a valid ts) and for JSON that is not a
// message.
func (l *Live) Message(convID string, raw json.RawMessage) (document.Document, bool) {
	var m message
	if json.Unmarshal(raw, &m) != nil {
		return document.Document{}, false
	}
	return l.e.document(l.e.conversation(convID), &m)
}
