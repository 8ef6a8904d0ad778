// Package control is the local control endpoint of the one Engram process
// that owns a data directory (the desktop app, `engram serve`, `engram
// daemon`, or any command that opened the directory itself), so every other
// face becomes its client instead of waiting on the store's lock: the CLI,
// and `engram mcp` started by an AI assistant.
//
// The endpoint is a Unix domain socket, engram.sock in the data directory
// (or, when that path is longer than a socket address holds, a socket named
// after the directory in a private per-user folder under the system's temp
// directory), mode 0600. Every connection is checked against the peer's
// user ID (SO_PEERCRED on Linux, getpeereid elsewhere) and closed unless it
// is the owner's own user.
//
// A client opens a connection and sends one Request, a JSON line. For "run"
// (a CLI command), the owner runs the command against its container and
// answers with binary frames (frame.go): what the command printed on stdout
// and stderr, in order, as the bytes it wrote, then its exit code. A client
// may send one JSON line with Signal "interrupt" (Ctrl-C), which cancels the
// command as Ctrl-C cancels it in a process of its own. A detached run
// (`engram import --detach`) ends for the client at the frame naming the job
// the command started (its ID, the job list's and the desktop's imports
// view's), or at the exit code when the command fails first; the command
// goes on in the owner. For "mcp", after the request line the connection
// carries the MCP session's own JSON-RPC lines both ways. The output, the
// errors and the exit codes are those of the same command run in a process
// of its own: the choice between client and owner is invisible to the user.
//
// Two owners never run: an owner listens only after it holds the store's
// lock, which stays the arbiter. A socket left by an owner that crashed is
// found stale (nothing answers it) and removed by the next owner.
package control
