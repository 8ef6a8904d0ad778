package eml

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
)

// sniffLines is how many lines of the header block Sniff looks at.
const sniffLines = 20

// knownHeader says whether a header field marks a file as mail when it
// appears at its top: strong ones are written only by mail software; the
// others (Date, Subject, ...) also start other kinds of text, so two of them
// are needed.
func knownHeader(key string) (strong, known bool) {
	switch key {
	case "message-id", "received", "return-path", "delivered-to",
		"x-from", "x-to", "mime-version", "in-reply-to":
		return true, true
	case "from", "to", "cc", "date", "subject", "sender", "reply-to",
		"references", "content-type", "x-mailer", "user-agent", "x-folder":
		return false, true
	}
	return false, false
}

// maildirName is the start of a Maildir file name: the delivery time in
// seconds, then a dot ("1700000000.M1P2.host:2,S").
var maildirName = regexp.MustCompile(`^[0-9]{6,}\.`)

// maildirFolder returns "cur", "new" or "tmp" when path is a message file in
// that folder of a Maildir, and "" otherwise.
func maildirFolder(path string) string {
	switch folder := filepath.Base(filepath.Dir(path)); folder {
	case "cur", "new", "tmp":
		if maildirName.MatchString(filepath.Base(path)) {
			return folder
		}
	}
	return ""
}

// InMaildirTmp reports whether path is in the tmp/ folder of a Maildir,
// where a mail program writes a message before it is delivered. Such a file
// may be incomplete; it is imported once it moves to new/ or cur/.
func InMaildirTmp(path string) bool { return maildirFolder(path) == "tmp" }

// Sniff reports whether a file that no extension claims is one email
// message, from its path and first bytes: a message in the cur/ or new/
// folder of a Maildir ("cur/1700000000.M1P2.host:2,S"), or a file whose
// first non-empty lines are a mail header block ("maildir/lay-k/inbox/12."
// of the Enron corpus). A header block is well-formed "Name: value" lines
// that include a field only mail software writes (Message-ID, Received,
// Return-Path, Delivered-To, X-From, MIME-Version...) or two common ones
// (From, To, Date, Subject...). Files in a Maildir's tmp/ are never claimed.
// Sniff is safe for concurrent use.
func Sniff(path string, head []byte) bool {
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	switch maildirFolder(path) {
	case "tmp":
		return false
	case "cur", "new":
		return len(bytes.TrimSpace(head)) > 0
	}
	if looksLikeHeader(head) {
		return true
	}
	// A message of a Maildir whose file names are not the usual ones
	// ("cur/01:2,"), saved with an mbox "From " line first, is one message,
	// not a mailbox.
	switch filepath.Base(filepath.Dir(path)) {
	case "cur", "new":
		if bytes.HasPrefix(head, []byte("From ")) {
			if i := bytes.IndexByte(head, '\n'); i >= 0 {
				return looksLikeHeader(head[i+1:])
			}
		}
	}
	return false
}

// looksLikeHeader reports whether head starts with a mail header block.
func looksLikeHeader(head []byte) bool {
	lines := strings.Split(string(head), "\n")
	// Without a newline at the end, the last line may be cut short.
	if !bytes.HasSuffix(head, []byte("\n")) && len(lines) > 1 {
		lines = lines[:len(lines)-1]
	}
	strong, weak := 0, map[string]bool{}
	fields, started := 0, false
	for _, line := range lines {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			if started {
				break // end of the header block
			}
			continue
		}
		if fields >= sniffLines {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if !started {
				return false
			}
			continue // folded continuation of the previous field
		}
		name, _, ok := strings.Cut(line, ":")
		if !ok || !validFieldName(name) {
			return false
		}
		started = true
		fields++
		key := strings.ToLower(name)
		if isStrong, known := knownHeader(key); known {
			if isStrong {
				strong++
			} else {
				weak[key] = true
			}
		}
	}
	return strong > 0 || len(weak) >= 2
}

// validFieldName reports whether s is an RFC 5322 field name: printable
// ASCII without space or colon.
func validFieldName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
