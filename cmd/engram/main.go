// Command engram is Engram's command-line interface: import, search, show,
// graph, stats, doctor, workspaces and dictionaries over one data directory.
// Every read command takes --json. Exit codes: 0 success, 1 error, 2 usage.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
