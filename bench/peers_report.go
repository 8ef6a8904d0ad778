package bench

import (
	"fmt"
	"strings"
)

// importCell is "N msgs/s (T s, C CPU-s, P MB peak)".
func importCell(p PeerImport) string {
	m := fmt.Sprintf("%s msgs/s (%s in %.1f s, %.1f CPU-s", group(int64(p.Rate()+0.5)), group(int64(p.Docs)), p.Seconds, p.CPU)
	if p.PeakRSS > 0 {
		m += fmt.Sprintf(", %.0f MB peak", mb(p.PeakRSS))
	}
	if p.Err != "" {
		m += "; " + p.Err
	}
	return m + ")"
}

// measured says whether the import has a rate.
func (p PeerImport) measured() bool { return p.Docs > 0 && p.Seconds > 0 }

// whyNot is "not measured", with the reason when there is one.
func whyNot(reasons ...string) string {
	for _, r := range reasons {
		if r != "" {
			return notMeasured + ": " + r
		}
	}
	return notMeasured
}

// peerImportRows are the import rows of issue 18: engram import through
// the CLI against notmuch, and the two peers against the CLI.
func (s SizeResult) peerImportRows() []row {
	p := s.Peers
	cli := p.CLI
	var rs []row
	const cliBudget = ">= 6x notmuch's rate"
	switch nm := s.Notmuch; {
	case !cli.measured():
		rs = append(rs, row{RowCLIImport, whyNot(cli.Err, p.Skipped), cliBudget, notMeasured})
	case nm.Err != "" || nm.Seconds <= 0:
		rs = append(rs, row{RowCLIImport, importCell(cli) + "; notmuch not measured", cliBudget, notMeasured})
	default:
		ratio := cli.Rate() / (float64(s.Messages) / nm.Seconds)
		m := importCell(cli) + fmt.Sprintf("; x%.2f notmuch's rate", ratio)
		if s.Import.Rate() > 0 {
			m += fmt.Sprintf(", x%.2f the library-timed import's", cli.Rate()/s.Import.Rate())
		}
		rs = append(rs, row{RowCLIImport, m, cliBudget, atLeast(ratio, budgetCLIVsNotmuch)})
	}
	for _, x := range []struct {
		what   string
		peer   PeerImport
		budget bool
	}{{RowBleveImport, p.Bleve.Import, true}, {RowFTS5Import, p.FTS5.Import, false}} {
		b := noBudget
		if x.budget {
			b = fmt.Sprintf("engram import (CLI) >= %.1fx its rate", budgetCLIVsBleve)
		}
		if !x.peer.measured() {
			rs = append(rs, row{x.what, whyNot(x.peer.Err, p.Skipped), b, notMeasured})
			continue
		}
		m, status := importCell(x.peer), notMeasured
		if cli.measured() {
			ratio := cli.Rate() / x.peer.Rate()
			m += fmt.Sprintf("; engram import (CLI) runs at x%.2f its rate", ratio)
			status = noBudget
			if x.budget {
				status = atLeast(ratio, budgetCLIVsBleve)
			}
		} else if !x.budget {
			status = noBudget
		}
		rs = append(rs, row{x.what, m, b, status})
	}
	return rs
}

// peerSearchRows are the search rows of issue 18: each peer from one
// client and from as many as Engram's concurrent search, with Engram's
// p99 over the peer's.
func (s SizeResult) peerSearchRows(clients int) []row {
	label := func(r string) string { return strings.Replace(r, "16", fmt.Sprint(clients), 1) }
	var rs []row
	for _, x := range []struct {
		serialRow, concRow string
		peer               PeerResult
		budget             bool
	}{{RowBleveSerial, label(RowBleveConc), s.Peers.Bleve, true}, {RowFTS5Serial, label(RowFTS5Conc), s.Peers.FTS5, false}} {
		for _, y := range []struct {
			what         string
			peer, engram Latency
			budget       bool
		}{{x.serialRow, x.peer.SearchSerial, s.SearchSerial, false}, {x.concRow, x.peer.Search, s.Search, x.budget}} {
			b := noBudget
			if y.budget {
				b = "Engram's p99 <= it"
			}
			l := y.peer
			if l.N == 0 || l.N == l.Errors {
				first := ""
				if l.FirstError != "" {
					first = fmt.Sprintf("%d errors, first %s", l.Errors, l.FirstError)
				}
				rs = append(rs, row{y.what, whyNot(x.peer.Err, first, s.Peers.Skipped), b, notMeasured})
				continue
			}
			m := fmt.Sprintf("p99 %s (p50 %s; %s queries, %d with no hit", fmtMS(l.P99), fmtMS(l.P50), group(int64(l.N)), l.Empty)
			if l.Errors > 0 {
				m += fmt.Sprintf(", %d errors, first %s", l.Errors, l.FirstError)
			}
			if l.QPS > 0 && y.what == x.concRow {
				m += fmt.Sprintf(", %s/s", group(int64(l.QPS+0.5)))
			}
			m += ")"
			status := noBudget
			if e := y.engram; e.N > e.Errors && l.P99 > 0 {
				m += fmt.Sprintf("; Engram's p99 %s is x%.2f of it", fmtMS(e.P99), e.P99/l.P99)
				if y.budget {
					status = atMost(e.P99, l.P99)
				}
			} else if y.budget {
				status = notMeasured
			}
			rs = append(rs, row{y.what, m, b, status})
		}
	}
	return rs
}
