package teamclient

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/engram-app/engram/syncproto"
)

// SharedPrefix starts the path of every document a pull puts in a local
// workspace: team:KEY, or team:KEY#VERSION for one side of a conflict. No
// file path starts so, so imports and pushes never take them for files.
const SharedPrefix = "team:"

// Shared is one version of a note the team shares, as the local workspace
// shows it: searchable beside the user's own notes.
type Shared struct {
	Path     string `json:"path"` // SharedPrefix + key, with #version for a conflict's side
	Key      string `json:"key"`
	Title    string `json:"title"`
	Body     string `json:"body"` // the note's Markdown
	Device   string `json:"device"`
	Conflict bool   `json:"conflict"` // one of two or more versions no edit has joined yet
}

// Shared lists the versions of ws's notes that the workspace should show
// after a pull, sorted by path: every current version made on another
// desktop. This desktop's own version is its file, already imported;
// a note every version of which is deleted shows nothing. When versions
// conflict, each other desktop's side is shown, titled as a conflict, so
// both stay in view until an edit joins them.
func (c *Client) Shared(ws string) ([]Shared, error) {
	items, err := c.Items(ws)
	if err != nil {
		return nil, err
	}
	var out []Shared
	for _, it := range items {
		if it.Kind != syncproto.KindNote {
			continue
		}
		var live []Head
		for _, h := range it.Heads {
			if !h.Deleted {
				live = append(live, h)
			}
		}
		conflict := len(live) > 1
		for _, h := range live {
			if h.Device == c.device {
				continue
			}
			s := Shared{Path: SharedPrefix + it.Key, Key: it.Key, Title: h.Title, Body: h.Body, Device: h.Device, Conflict: conflict}
			if conflict {
				title := h.Title
				if title == "" {
					title = strings.TrimSuffix(path.Base(it.Key), path.Ext(it.Key))
				}
				s.Path += "#" + h.ID
				s.Title = fmt.Sprintf("%s (conflict: the version of desktop %s)", title, shortID(h.Device))
			}
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
