package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/memory"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamsync"
)

// TeamApplied says what ApplyTeam changed in the workspace.
type TeamApplied = teamsync.Applied

// ApplyTeam makes the team's notes in workspace ws what a pull left in the
// replica (teamclient.Client.Shared): each is a Markdown document at its
// team: path, stored, indexed and graphed like an imported note, so search,
// links and the graph find it; a version no longer current goes. It goes
// through the import's commit, so a kill midway is mended by the next pull.
func (a *App) ApplyTeam(ctx context.Context, ws string, shared []teamclient.Shared) (TeamApplied, error) {
	var rep TeamApplied
	w, release, err := a.acquire(a.wsName(ws))
	if err != nil {
		return rep, err
	}
	defer release()
	s := sink{a: a, w: w}
	known, err := s.KnownUnder(teamclient.SharedPrefix)
	if err != nil {
		return rep, err
	}
	before := map[string]ingest.FileState{}
	for _, f := range known {
		before[f.Path] = f
	}
	parser, _, ok := a.pipeline.Registry().Lookup(".md")
	if !ok {
		return rep, errors.New("no Markdown parser is registered")
	}
	var b ingest.Batch
	keep := map[string]bool{}
	for _, sh := range shared {
		if !strings.HasPrefix(sh.Path, teamclient.SharedPrefix) {
			return rep, fmt.Errorf("team note %q: not a %s path", sh.Path, teamclient.SharedPrefix)
		}
		keep[sh.Path] = true
		if sh.Conflict {
			rep.Conflicts++
		}
		data := []byte(sh.Body)
		hash := document.HashContent(data)
		prev, existed := before[sh.Path]
		if existed && prev.Hash == hash {
			continue
		}
		// Parsed under its key, the path it has in the vault, so that its
		// name (Obsidian's title) is the note's, not "team:NAME".
		docs, err := parser.Parse(ctx, ingest.File{Path: sh.Key, Data: data, Size: int64(len(data))}, a.Limits())
		if err != nil || len(docs) == 0 {
			return rep, fmt.Errorf("team note %s: %v", sh.Key, err)
		}
		d := docs[0]
		d.ID, d.Path, d.ContentHash, d.Source = document.IDFor(sh.Path), sh.Path, hash, document.SourceMarkdown
		if sh.Conflict || d.Title == "" { // a conflict's side says so in its title
			d.Title = sh.Title
		}
		b.Docs = append(b.Docs, d)
		b.Files = append(b.Files, ingest.FileState{Path: sh.Path, Hash: hash, Size: int64(len(data)), DocIDs: []string{d.ID}})
		if existed {
			rep.Updated++
		} else {
			rep.Added++
		}
	}
	for _, f := range known {
		if !keep[f.Path] {
			b.Removed = append(b.Removed, f)
			rep.Removed++
		}
	}
	if len(b.Docs)+len(b.Removed) == 0 {
		return rep, nil
	}
	if err := s.Commit(ctx, b); err != nil {
		return rep, err
	}
	return rep, nil
}

// ApplyTeamMemories makes the workspace's memories what the team's other
// desktops made them last (teamclient.SharedMemories): added under the same
// ID, a new version of one whose text differs, deleted. It returns how many
// memories changed.
func (a *App) ApplyTeamMemories(ctx context.Context, ws string, mems []teamclient.SharedMemory) (int, error) {
	n := 0
	for _, m := range mems {
		k := a.memKey(ws, m.User)
		var res *memory.Result
		var err error
		if m.Deleted {
			res, err = a.mem.Delete(ctx, k, m.ID)
			if errors.Is(err, memory.ErrNotFound) {
				continue // never here: nothing to delete
			}
		} else {
			res, err = a.mem.Adopt(ctx, k, m.ID, m.Text, m.Said, "team")
		}
		if err != nil {
			return n, fmt.Errorf("the team's memory %s of %s: %w", m.ID, m.User, err)
		}
		if len(res.Changed) > 0 {
			n++
			a.memoryWritten(ctx, k, res)
		}
	}
	return n, nil
}
