// Package teamsync is a desktop's team sync as every face runs it: the
// CLI (`engram team ...`), the desktop window and the browser face (the
// Team view) all call one Sync, which the container builds once over the
// data directory's team client (package teamclient) and the workspace's
// notes, dictionary and import.
//
// A push sends a workspace's notes (teamclient.Client.Push) and then its
// dictionary, for team search's synonyms; a pull fetches the team's log
// (teamclient.Client.Pull) and puts what the team shares into the local
// workspace (Deps.Apply). Only one push or pull of a workspace runs at a
// time (ErrBusy). The UI starts them as jobs (Start) that report throttled
// Progress and are polled (Job) by the browser face; a sign-in from the UI
// (StartLogin) hands back the address to open at once and completes in the
// background.
//
// No token ever leaves teamclient: statuses, progress and errors carry the
// server's address, the account's e-mail and counts only.
package teamsync
