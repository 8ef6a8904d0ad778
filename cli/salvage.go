package cli

import (
	"fmt"

	"github.com/engram-app/engram/app"
)

// runSalvage is `engram doctor --salvage`: it works without opening the
// container first, since a damaged store is what stops it from opening.
func runSalvage(e *env) error {
	ctx, stop := interruptContext(e.stderr)
	defer stop()
	res, err := app.Salvage(ctx, app.Config{DataDir: e.dataDir, Workspace: e.workspace})
	if res == nil {
		return err
	}
	if e.jsonOut {
		if jerr := e.printJSON(res); jerr != nil {
			return jerr
		}
		return err
	}
	fmt.Fprintf(e.stdout, "salvaged %d records into a new store; the damaged one is kept as %s\n", res.Store.Copied, safe(res.Store.Damaged))
	for _, s := range res.Store.Skipped {
		fmt.Fprintf(e.stdout, "  left out: %s\n", safe(s))
	}
	if res.Store.Forgotten > 0 {
		fmt.Fprintf(e.stdout, "%d imported files lost documents: import their sources again to read them anew\n", res.Store.Forgotten)
	}
	for _, r := range res.Repairs {
		state := "repaired"
		if !r.OK {
			state = "NOT repaired"
		}
		fmt.Fprintf(e.stdout, "workspace %s: %d documents, index and graph %s\n", r.Workspace, r.Documents, state)
	}
	return err
}
