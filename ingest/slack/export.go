package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/engram-app/engram/ingest"
)

// export is what the metadata files of one export say: who the users are
// and which conversation each folder holds. It is read-only once built and
// shared by concurrent day-file parses.
type export struct {
	root     string               // folder or zip path; part of every message key
	users    map[string]userInfo  // by user ID
	folders  map[string]*convInfo // by folder name
	chanName map[string]string    // channel ID -> name, for <#C123>
	teamID   string
	warnings []string // metadata that could not be read; names fall back to IDs
}

type userInfo struct {
	name  string // display name, "" when the export has none
	email string
}

// Conversation kinds, the value of Meta["channel_type"].
const (
	convChannel = "channel" // public channel (channels.json)
	convGroup   = "group"   // private channel (groups.json)
	convMPIM    = "mpim"    // group direct message (mpims.json)
	convDM      = "dm"      // direct message (dms.json)
)

type convInfo struct {
	id, name, kind string
	members        []string
}

// The JSON shapes of the metadata files; unknown fields are ignored.
type userJSON struct {
	ID       string `json:"id"`
	TeamID   string `json:"team_id"`
	Name     string `json:"name"`
	RealName string `json:"real_name"`
	Profile  struct {
		RealName    string `json:"real_name"`
		DisplayName string `json:"display_name"`
		Email       string `json:"email"`
	} `json:"profile"`
}

type convJSON struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
}

// readFunc returns the content of a metadata file of an export by its name,
// an error wrapping fs.ErrNotExist when the export has none, and an error
// wrapping ingest.ErrBadInput when reading it broke a limit that must stop
// the import (a zip bomb). Any other error leaves names unresolved.
type readFunc func(name string) ([]byte, error)

// newExport reads the metadata files of the export at root.
func newExport(root string, read readFunc) (*export, error) {
	e := &export{
		root:     root,
		users:    map[string]userInfo{},
		folders:  map[string]*convInfo{},
		chanName: map[string]string{},
	}
	load := func(name string, each func(raw json.RawMessage) error) error {
		data, err := read(name)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil
		case errors.Is(err, ingest.ErrBadInput):
			return err
		case err != nil:
			e.warnings = append(e.warnings, fmt.Sprintf("%s: %v", name, err))
			return nil
		}
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			e.warnings = append(e.warnings, fmt.Sprintf("%s is not a JSON array: %v", name, err))
			return nil
		}
		bad := 0
		for _, raw := range items {
			if each(raw) != nil {
				bad++
			}
		}
		if bad > 0 {
			e.warnings = append(e.warnings, fmt.Sprintf("%s: %d entries could not be read", name, bad))
		}
		return nil
	}
	err := load("users.json", func(raw json.RawMessage) error {
		var u userJSON
		if err := json.Unmarshal(raw, &u); err != nil || u.ID == "" {
			return errors.New("bad user")
		}
		if e.teamID == "" {
			e.teamID = u.TeamID
		}
		e.users[u.ID] = userInfo{
			name:  firstNonEmpty(u.Profile.RealName, u.RealName, u.Profile.DisplayName, u.Name),
			email: strings.TrimSpace(u.Profile.Email),
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	convs := []struct{ file, kind string }{
		{"channels.json", convChannel}, {"groups.json", convGroup},
		{"mpims.json", convMPIM}, {"dms.json", convDM},
	}
	for _, c := range convs {
		err := load(c.file, func(raw json.RawMessage) error {
			var cj convJSON
			if err := json.Unmarshal(raw, &cj); err != nil || cj.ID == "" {
				return errors.New("bad conversation")
			}
			ci := &convInfo{id: cj.ID, name: cj.Name, kind: c.kind, members: cj.Members}
			// Slack names a DM's folder by its ID, every other
			// conversation's by its name.
			folder := cj.Name
			if c.kind == convDM || folder == "" {
				folder, ci.name = cj.ID, firstNonEmpty(cj.Name, cj.ID)
			}
			if _, dup := e.folders[folder]; !dup {
				e.folders[folder] = ci
			}
			if c.kind != convDM {
				e.chanName[cj.ID] = ci.name
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return e, nil
}

// conversation returns what the export says of the conversation kept in a
// folder; a folder no metadata names is taken as a channel whose name and ID
// are the folder's name.
func (e *export) conversation(folder string) *convInfo {
	if c, ok := e.folders[folder]; ok {
		return c
	}
	return &convInfo{id: folder, name: folder, kind: convChannel}
}

// loadDir returns the metadata of the unzipped export at root, from the
// parser's cache when no metadata file changed since it was read.
func (p *Parser) loadDir(root string, lim ingest.Limits) (*export, error) {
	var key strings.Builder
	key.WriteString(root)
	for _, name := range metaFiles {
		if info, err := os.Stat(filepath.Join(root, name)); err == nil {
			fmt.Fprintf(&key, "\x00%s:%d:%d", name, info.Size(), info.ModTime().UnixNano())
		}
	}
	if e, ok := p.meta.Get(key.String()); ok {
		return e, nil
	}
	e, err := newExport(root, func(name string) ([]byte, error) {
		return readFileLimited(filepath.Join(root, name), lim.MaxFileBytes)
	})
	if err != nil {
		return nil, err
	}
	p.meta.Add(key.String(), e)
	return e, nil
}

func readFileLimited(path string, limit int64) ([]byte, error) {
	data, err := ingest.ReadLimited(path, limit)
	if errors.Is(err, ingest.ErrTooLarge) {
		return nil, fmt.Errorf("%w; names are shown as user IDs", err)
	}
	return data, err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
