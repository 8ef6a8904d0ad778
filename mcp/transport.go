package mcp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sync"
)

// maxLine is the longest JSON-RPC line the server reads (16 MiB). A longer
// one is answered with a parse error and skipped, in bounded memory.
const maxLine = 16 << 20

// JSON-RPC 2.0 error codes the guard answers with.
const (
	codeParseError     = -32700
	codeInvalidRequest = -32600
	// codeNotInitialized is in JSON-RPC's range for server errors; LSP uses
	// the same number for a request before initialize.
	codeNotInitialized = -32002
)

// lockedWriter serialises whole-message writes of the SDK and of the guard:
// each Write is one line.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// guard copies the JSON-RPC lines of r to out, one message a line, and
// answers the lines no JSON-RPC peer could mean itself, so the SDK never
// sees them and the session goes on: a line that is not JSON gets -32700
// (parse error), JSON that is not a JSON-RPC 2.0 message gets -32600
// (invalid request, with the request's id when it has a usable one). It
// returns nil at the end of r. A request other than initialize or ping
// before the first initialize gets -32002 (server not initialized).
func guard(r io.Reader, out io.Writer, replies io.Writer) error {
	br := bufio.NewReaderSize(r, 64<<10)
	initialized := false
	for {
		line, tooLong, err := readLine(br)
		if len(line) > 0 || tooLong {
			var werr error
			id, code, reason, method := check(line, tooLong)
			switch {
			case code != 0:
				werr = reply(replies, id, code, reason)
			case !initialized && method != "" && method != "initialize" && method != "ping" && len(id) > 0:
				werr = reply(replies, id, codeNotInitialized, "server not initialized: send initialize first")
			case !initialized && method != "" && method != "initialize" && method != "ping":
				// A notification before initialize has nobody to answer.
			default:
				if method == "initialize" {
					initialized = true
				}
				_, werr = out.Write(append(line, '\n'))
			}
			if werr != nil {
				return werr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readLine reads one line without its end, holding at most maxLine bytes:
// the rest of a longer line is read and dropped, and tooLong says so.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > maxLine {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return bytes.TrimSpace(buf), tooLong, err
	}
}

// check says whether line is a JSON-RPC 2.0 message; when it is not, it
// returns the id to answer (if any), the error code and the reason. For a
// message it returns its id and method.
func check(line []byte, tooLong bool) (id json.RawMessage, code int, reason, method string) {
	if tooLong {
		return nil, codeParseError, "parse error: the message is longer than 16 MiB", ""
	}
	if !json.Valid(line) {
		return nil, codeParseError, "parse error: the line is not JSON; send one JSON-RPC 2.0 message a line", ""
	}
	if line[0] != '{' {
		return nil, codeInvalidRequest, "invalid request: a message is a JSON object (batches are not supported)", ""
	}
	var m struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Method  *string         `json:"method"`
		Result  json.RawMessage `json:"result"`
		Error   json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(line, &m); err != nil {
		return nil, codeInvalidRequest, "invalid request: " + err.Error(), ""
	}
	if len(m.ID) > 0 && !validID(m.ID) {
		return nil, codeInvalidRequest, "invalid request: id must be a string or a number", ""
	}
	switch {
	case m.JSONRPC != "2.0":
		return m.ID, codeInvalidRequest, `invalid request: "jsonrpc" must be "2.0"`, ""
	case m.Method == nil && m.Result == nil && m.Error == nil:
		return m.ID, codeInvalidRequest, "invalid request: a message has a method, or is a response with a result or an error", ""
	case m.Method != nil && *m.Method == "":
		return m.ID, codeInvalidRequest, "invalid request: the method is empty", ""
	case m.Method != nil:
		return m.ID, 0, "", *m.Method
	}
	return m.ID, 0, "", ""
}

func validID(id json.RawMessage) bool {
	switch id[0] {
	case '"':
		return true
	case '{', '[', 't', 'f', 'n':
		return false
	}
	var n json.Number
	return json.Unmarshal(id, &n) == nil
}

func reply(w io.Writer, id json.RawMessage, code int, msg string) error {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	b, err := json.Marshal(struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{JSONRPC: "2.0", ID: id, Error: struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{code, msg}})
	if err != nil {
		return errors.New("encoding a JSON-RPC error: " + err.Error())
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
