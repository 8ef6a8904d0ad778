package app

import (
	"github.com/engram-app/engram/internal/changes"
	"github.com/engram-app/engram/store"
)

// Subscribe returns the container's change feed from now on (a memory
// written by any face, an import job that ended), with room for buffer
// events (1 to 1024), and the function that ends the subscription. A slow
// reader loses its oldest events, never holds up a write: a gap in the
// versions means "reload everything". The channel closes with the container.
func (a *App) Subscribe(buffer int) (<-chan changes.Event, func()) {
	return a.feed.Subscribe(buffer)
}

// ChangesVersion is the number of changes published since the container
// opened.
func (a *App) ChangesVersion() uint64 { return a.feed.Version() }

// publishMemories tells the views that user's memories in workspace ws changed.
func (a *App) publishMemories(ws, user string, changed []store.Memory) {
	ids := make([]string, 0, len(changed))
	for _, m := range changed {
		ids = append(ids, m.ID)
	}
	a.feed.Publish(changes.Event{Kind: changes.Memory, Workspace: ws, User: user, IDs: ids})
}

// publishImport tells the views that import job id in workspace ws ended.
func (a *App) publishImport(ws, id string) {
	a.feed.Publish(changes.Event{Kind: changes.Import, Workspace: ws, IDs: []string{id}})
}
