// Package bench measures Engram against the performance budget of the
// specification: import throughput and peak memory, start-up to the first
// answered search, search latency under 16 concurrent clients, and graph
// neighbourhood latency, on a generated Enron-shaped corpus of each size
// asked for (see package corpus) and, optionally, on real folders.
//
// Run does the work; the measurements that must see a whole process (peak
// memory of an import, start-up time) run in a child process that re-executes
// the current binary with a hidden subcommand (ChildMain). A main that uses
// Run must therefore hand those subcommands to ChildMain, and a test binary
// must do the same in TestMain when ChildEnv is set.
//
// Numbers are wall-clock times on whatever machine runs them; they belong
// in BENCHMARKS.md, never in a pass/fail test.
package bench
