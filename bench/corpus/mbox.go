package corpus

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"
)

// MboxOptions says how large an mbox to make.
type MboxOptions struct {
	// Bytes is the size to reach: messages are written until the file is
	// at least this large (1 KB to 1 TB).
	Bytes int64
	// Seed selects the messages; the same seed and Bytes give the same file.
	Seed uint64
}

// MboxStats describes a generated mbox.
type MboxStats struct {
	Messages    int   // messages written, each with its own Message-ID
	Attachments int   // of which multipart/mixed with a base64 attachment
	LongLines   int   // of which with a body line longer than 4 KB
	FromQuoted  int   // of which with a body line quoted as ">From "
	Bytes       int64 // size of the file
	Elapsed     time.Duration
}

// meanMboxMessage is about how large a message of GenerateMbox is on
// average, used to spread dates over the corpus's years.
const meanMboxMessage = 3300

// GenerateMbox writes an mboxrd mailbox of at least opts.Bytes to out: the
// Enron-shaped messages of Generate, each after a "From " separator line,
// with a few that an mbox reader must get right mixed in: about one in 25
// carries a base64 attachment of 2 to 200 KB (multipart/mixed), one in 60
// has a body line of 4 to 64 KB, and one in 40 has a body line starting
// with "From " (quoted as ">From ", as mboxrd writers do). The output is a
// pure function of the options and is streamed: memory stays small
// whatever the size.
func GenerateMbox(out io.Writer, opts MboxOptions) (MboxStats, error) {
	start := time.Now()
	if opts.Bytes < 1<<10 || opts.Bytes > 1<<40 {
		return MboxStats{}, fmt.Errorf("mbox size %d bytes is outside 1 KB to 1 TB", opts.Bytes)
	}
	n := int(max(opts.Bytes/meanMboxMessage, 1))
	g := New(Options{Messages: n, Seed: opts.Seed})
	w := newWriter(g)
	extra := rand.New(rand.NewPCG(opts.Seed, 0x6d626f78)) // "mbox"
	bw := bufio.NewWriterSize(out, 1<<20)
	var (
		st  MboxStats
		msg bytes.Buffer
		raw []byte
	)
	for i := 0; st.Bytes < opts.Bytes; i++ {
		m := w.next(i)
		if extra.IntN(40) == 0 && len(m.lines) > 2 {
			at := 1 + extra.IntN(len(m.lines)-1)
			m.lines = append(m.lines[:at], append([]string{"From the desk of " + g.people[m.from].Name() + ", " + m.date.Format("Mon Jan 2 15:04:05 2006")}, m.lines[at:]...)...)
			st.FromQuoted++
		}
		if extra.IntN(60) == 0 {
			var b strings.Builder
			for b.Len() < 4<<10+extra.IntN(60<<10) {
				b.WriteString(w.word(true))
				b.WriteByte(' ')
			}
			m.lines = append(m.lines, b.String())
			st.LongLines++
		}
		msg.Reset()
		w.render(&msg, m)
		body := msg.Bytes()
		if extra.IntN(25) == 0 {
			raw = attach(raw[:0], body, extra)
			body = raw
			st.Attachments++
		}
		line := "From " + g.people[m.from].Address + " " + m.date.UTC().Format("Mon Jan _2 15:04:05 2006") + "\n"
		k, _ := bw.WriteString(line)
		st.Bytes += int64(k)
		for len(body) > 0 {
			l := body
			if j := bytes.IndexByte(body, '\n'); j >= 0 {
				l = body[:j+1]
			}
			body = body[len(l):]
			if bytes.HasPrefix(bytes.TrimLeft(l, ">"), []byte("From ")) {
				bw.WriteByte('>')
				st.Bytes++
			}
			k, _ := bw.Write(l)
			st.Bytes += int64(k)
		}
		bw.WriteByte('\n')
		st.Bytes++
		st.Messages++
		w.remember(m)
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("writing the mbox: %w", err)
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// attach turns the rendered text message msg into a multipart/mixed one
// whose second part is a base64 attachment of random bytes, appending it
// to dst.
func attach(dst, msg []byte, r *rand.Rand) []byte {
	head, body, _ := bytes.Cut(msg, []byte("\n\n"))
	boundary := fmt.Sprintf("==boundary_%x", r.Uint64())
	for _, l := range bytes.Split(head, []byte("\n")) {
		switch {
		case bytes.HasPrefix(l, []byte("Content-Type:")):
			dst = append(dst, "Content-Type: multipart/mixed; boundary=\""+boundary+"\""...)
		case bytes.HasPrefix(l, []byte("Content-Transfer-Encoding:")):
			continue
		default:
			dst = append(dst, l...)
		}
		dst = append(dst, '\n')
	}
	dst = append(dst, "\nThis is a multi-part message in MIME format.\n\n--"+boundary+"\nContent-Type: text/plain; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n"...)
	dst = append(dst, body...)
	data := make([]byte, 2<<10+r.IntN(198<<10))
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	name := fmt.Sprintf("report-%x.bin", r.Uint32())
	dst = append(dst, "\n--"+boundary+"\nContent-Type: application/octet-stream; name=\""+name+"\"\nContent-Disposition: attachment; filename=\""+name+"\"\nContent-Transfer-Encoding: base64\n\n"...)
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		dst = append(dst, enc[:76]...)
		dst = append(dst, '\n')
		enc = enc[76:]
	}
	dst = append(dst, enc...)
	dst = append(dst, "\n--"+boundary+"--\n"...)
	return dst
}
