package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/engram-app/engram/app"
)

// searchArgs separates the flags of cmd (its own and inherited) from the
// words of a query, so that `engram search -patch` searches for documents
// without "patch" instead of failing on an unknown shorthand flag: an
// argument with one '-' that is not a flag cmd knows is a word, one with
// "--" an unknown flag (a usage error), and everything after "--" is a
// word. cmd must have DisableFlagParsing set; searchArgs parses the
// flags it finds into their variables.
func searchArgs(cmd *cobra.Command, args []string) ([]string, error) {
	fs := pflag.NewFlagSet(cmd.Name(), pflag.ContinueOnError)
	fs.SetOutput(cmd.ErrOrStderr())
	fs.AddFlagSet(cmd.Flags())
	fs.AddFlagSet(cmd.InheritedFlags())
	var flags, words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			words = append(words, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			words = append(words, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		var f *pflag.Flag
		switch {
		case strings.HasPrefix(a, "--"):
			f = fs.Lookup(name)
		case len(name) == 1:
			f = fs.ShorthandLookup(name)
		}
		if f == nil && strings.HasPrefix(a, "--") {
			return nil, usageError{fmt.Errorf("unknown flag: %s (to search for it, write it after --)", a)}
		}
		if f == nil {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		if !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if err := fs.Parse(flags); err != nil {
		return nil, usageError{err}
	}
	return words, nil
}

// printSearch writes a page of results for a terminal.
func printSearch(e *env, res *app.SearchResult, offset int) {
	if res.Corrected != "" {
		fmt.Fprintf(e.stdout, "showing results for %s\n", res.Corrected)
	}
	fmt.Fprintf(e.stdout, "%d results (%.1f ms)\n", res.Total, res.TookMS)
	for i, h := range res.Hits {
		fmt.Fprintf(e.stdout, "\n%d. %s  [%s]  %s%s\n", offset+i+1, h.Title, h.Source, dateText(h.Date, "2006-01-02"), matchedNote(h.Matched))
		if p := people(h); p != "" {
			fmt.Fprintf(e.stdout, "   %s\n", p)
		}
		fmt.Fprintf(e.stdout, "   %s\n   id %s  %s\n", plainSnippet(h.Snippet, e.color), h.ID, h.Path)
	}
	if len(res.Degraded) > 0 {
		fmt.Fprintf(e.stderr, "note: %s unavailable; results are text-only (run `engram doctor --repair`)\n", strings.Join(res.Degraded, ", "))
	}
}

// people is a hit's sender and first recipients, by name where known.
func people(h app.SearchHit) string {
	var b strings.Builder
	if h.From != nil {
		b.WriteString("from " + h.From.Display())
	}
	for i, p := range h.To {
		switch {
		case i == 0 && b.Len() > 0:
			b.WriteString("  to ")
		case i == 0:
			b.WriteString("to ")
		case i == 3:
			fmt.Fprintf(&b, " and %d more", len(h.To)-3)
		}
		if i >= 3 {
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.Display())
	}
	return b.String()
}
