// Package syncproto holds the wire types the desktop and the team server
// exchange: JSON over HTTPS, one request a batch.
//
// Sync is a change log. A device pushes changes, each with an ID it made
// itself (a UUID), so a batch sent twice is stored once; each change names
// the changes it was made on top of (Parents, the heads the device had).
// The server keeps, for every item, the changes no later change names as a
// parent: its heads. One head is the item's state; two or more are a
// conflict, kept until a change names them all as parents. No change ever
// replaces another silently, and every replica that applies the log in
// order reaches the same heads.
package syncproto

import "time"

// DesktopClientID is the OAuth client_id the desktop signs in to the team
// server with: a public client (PKCE, no secret, loopback redirect only).
const DesktopClientID = "engram-desktop"

// Item kinds.
const (
	KindNote     = "note"
	KindMemory   = "memory"
	KindDocument = "document"
)

// Change is one edit of one item.
type Change struct {
	ID      string   `json:"id"`      // a UUID the device made
	Kind    string   `json:"kind"`    // note, memory or document
	Key     string   `json:"key"`     // the item's key within the workspace (a path, a memory ID)
	Parents []string `json:"parents"` // the heads this change was made on top of
	Title   string   `json:"title,omitempty"`
	Body    string   `json:"body,omitempty"`
	Deleted bool     `json:"deleted,omitempty"`
}

// PushRequest sends a batch of changes of one workspace: the user's own
// called Workspace (made on first push), or, when WorkspaceID is set, any
// workspace the user may read (a teammate's, shared with their team).
type PushRequest struct {
	Device      string   `json:"device"`
	Workspace   string   `json:"workspace"`
	WorkspaceID string   `json:"workspace_id,omitempty"`
	Changes     []Change `json:"changes"`
}

// PushResponse says what the batch did.
type PushResponse struct {
	Accepted   int `json:"accepted"`   // new changes stored
	Duplicates int `json:"duplicates"` // changes the server had already
	// Conflicts are the items that have more than one head after the batch.
	Conflicts []Conflict `json:"conflicts"`
}

// Conflict is an item with concurrent heads.
type Conflict struct {
	Kind  string   `json:"kind"`
	Key   string   `json:"key"`
	Heads []string `json:"heads"` // change IDs, sorted
}

// PulledChange is a change with its place in the log.
type PulledChange struct {
	Seq int64 `json:"seq"`
	Change
	Device  string    `json:"device"`
	Author  string    `json:"author"`
	Created time.Time `json:"created"`
}

// PullResponse is a page of the change log after a cursor.
type PullResponse struct {
	Changes []PulledChange `json:"changes"`
	Cursor  int64          `json:"cursor"` // the seq to pull after next time
	More    bool           `json:"more"`
}

// SearchHit is one item found by team search.
type SearchHit struct {
	Workspace string  `json:"workspace"`
	Kind      string  `json:"kind"`
	Key       string  `json:"key"`
	Title     string  `json:"title"`
	Snippet   string  `json:"snippet"`
	Rank      float64 `json:"rank"`
	Conflict  bool    `json:"conflict,omitempty"`
}

// SearchResponse is team search's answer.
type SearchResponse struct {
	Hits []SearchHit `json:"hits"`
}

// DictEntry is one entry of a workspace's dictionary: a term and what it
// also means (synonyms, an abbreviation's long forms).
type DictEntry struct {
	Kind       string   `json:"kind"`
	Term       string   `json:"term"`
	Expansions []string `json:"expansions"`
}

// DictionaryRequest replaces the dictionary of one of the user's
// workspaces, which team search expands queries with.
type DictionaryRequest struct {
	Workspace string      `json:"workspace"`
	Entries   []DictEntry `json:"entries"`
}

// DictionaryResponse says how many rules the server keeps.
type DictionaryResponse struct {
	Rules int `json:"rules"` // entries with a searchable term
}

// Person is a user of the team server as another user sees them.
type Person struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

// Team is a team the user is in or made. Members is its roster, given to
// its administrators only.
type Team struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Admin   bool     `json:"admin"`
	Members []Person `json:"members,omitempty"`
}

// TeamRequest makes a team (POST /v1/teams).
type TeamRequest struct {
	Name string `json:"name"`
}

// MemberRequest adds the user who signed in with Email to a team (POST
// /v1/teams/{id}/members) or removes them (DELETE).
type MemberRequest struct {
	Email string `json:"email"`
}

// ShareRequest shares the user's workspace called Workspace with a team
// they are in (PUT /v1/workspaces/share); an empty TeamID makes it private.
type ShareRequest struct {
	Workspace string `json:"workspace"`
	TeamID    string `json:"team_id"`
}

// Workspace is a workspace the user may read (GET /v1/workspaces).
type Workspace struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Owner    Person `json:"owner"`
	Mine     bool   `json:"mine"`
	TeamID   string `json:"team_id,omitempty"`
	TeamName string `json:"team_name,omitempty"`
}

// RelayPath is the team server's https relay of connector sign-ins: the
// redirect URI to register with a provider is the server's public URL and
// this path.
const RelayPath = "/relay/callback"

// RelayRequest registers a connector sign-in's state with the team
// server's https relay (POST /v1/relay).
type RelayRequest struct {
	State string `json:"state"`
}

// RelayResponse is the relay's answer: Waiting until the browser came
// back, then once the query it brought (GET /v1/relay?state=).
type RelayResponse struct {
	Waiting bool   `json:"waiting,omitempty"`
	Query   string `json:"query,omitempty"`
}
