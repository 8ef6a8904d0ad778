package cli

import (
	"context"
	"fmt"

	"github.com/engram-app/engram/app"
)

// printThread shows the conversation of a message, oldest first: for each
// message its date, sender, title, ID and excerpt. --json gives
// {"thread": [app.ThreadMessage...]}.
func printThread(ctx context.Context, e *env, a *app.App, id string) error {
	msgs, err := a.Thread(ctx, e.workspace, id)
	if err != nil {
		return err
	}
	if e.jsonOut {
		return e.printJSON(map[string]any{"thread": msgs})
	}
	fmt.Fprintf(e.stdout, "%d message(s) in the conversation\n", len(msgs))
	for i, m := range msgs {
		marker := " "
		if m.ID == id {
			marker = ">"
		}
		fmt.Fprintf(e.stdout, "\n%s %d. %s  %s\n     from %s\n     id %s\n     %s\n", marker, i+1, dateText(m.Date, "2006-01-02 15:04"), m.Title, m.From, m.ID, m.Excerpt)
	}
	return nil
}
