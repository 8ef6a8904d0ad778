package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/engram-app/engram/bench/corpus"
)

// defaultMboxBytes is the size of the generated mbox of the large-mailbox
// import: a Google Takeout export, the size of issue 9's acceptance.
const defaultMboxBytes = 3 << 30

// MboxResult is the import of one large generated mbox through `engram
// import` (issue 9: a mailbox of several GB imports within SPEC.md's
// 500 MB).
type MboxResult struct {
	Bytes    int64 // of the file
	Messages int   // written into it
	Import   PeerImport
	Err      string
}

// runMbox writes an mbox of opts.MboxBytes into a fresh directory and
// imports it with the engram binary on a fresh data directory, in the exec
// child so that the peak RSS is engram's own.
func runMbox(ctx context.Context, opts Options, lg *logger) *MboxResult {
	res := &MboxResult{}
	dir, err := os.MkdirTemp(opts.WorkDir, "engram-bench-mbox-")
	if err != nil {
		res.Err = err.Error()
		return res
	}
	if !opts.Keep {
		defer os.RemoveAll(dir)
	}
	path := filepath.Join(dir, "takeout.mbox")
	lg.printf("mbox: writing %.1f GB of mail into %s", float64(opts.MboxBytes)/(1<<30), path)
	f, err := os.Create(path)
	if err != nil {
		res.Err = err.Error()
		return res
	}
	st, err := corpus.GenerateMbox(f, corpus.MboxOptions{Bytes: opts.MboxBytes, Seed: opts.Seed})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		res.Err = "writing the mbox: " + err.Error()
		return res
	}
	res.Bytes, res.Messages = st.Bytes, st.Messages
	lg.printf("mbox: %d messages; engram import", st.Messages)
	res.Import = cliImport(ctx, opts, opts.Engram, path, filepath.Join(dir, "data"))
	if res.Import.Err == "" && res.Import.Docs != res.Messages {
		res.Import.Err = fmt.Sprintf("imported %d of the %d messages", res.Import.Docs, res.Messages)
	}
	lg.printf("mbox: %d messages in %.1fs (%.0f/s, %.1f CPU-s, peak %.0f MB) %s",
		res.Import.Docs, res.Import.Seconds, res.Import.Rate(), res.Import.CPU, mb(res.Import.PeakRSS), res.Import.Err)
	return res
}

// rows are the large mbox's rows of the report.
func (m *MboxResult) rows() []row {
	what := fmt.Sprintf("import of a %.2f GB mbox (%s messages), engram import through the CLI", float64(m.Bytes)/(1<<30), group(int64(m.Messages)))
	if m.Err != "" || m.Import.Err != "" {
		return []row{{what, notMeasured, noBudget, oneLine(strings.TrimSpace(m.Err + " " + m.Import.Err))}}
	}
	return []row{
		{what, fmt.Sprintf("%.0f s (%s messages/s, %.0f CPU-s)", m.Import.Seconds, group(int64(m.Import.Rate()+0.5)), m.Import.CPU), noBudget, noBudget},
		{RowMboxMemory, fmt.Sprintf("%.0f MB", mb(m.Import.PeakRSS)), fmt.Sprintf("<= %.0f MB", budgetImportMB), atMost(mb(m.Import.PeakRSS), budgetImportMB)},
	}
}
