package corpus

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"
)

func TestGenerateMbox(t *testing.T) {
	var a, b bytes.Buffer
	st, err := GenerateMbox(&a, MboxOptions{Bytes: 2 << 20, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := GenerateMbox(&b, MboxOptions{Bytes: 2 << 20, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same options gave different files")
	}
	if int64(a.Len()) != st.Bytes || st.Bytes < 2<<20 || st.Attachments == 0 || st.LongLines == 0 || st.FromQuoted == 0 {
		t.Fatalf("stats %+v for %d bytes", st, a.Len())
	}
	// Split at the separators as an mbox reader does; each part is a mail
	// with its own Message-ID, and no body line starts with "From ".
	parts := strings.Split("\n"+a.String(), "\nFrom ")
	ids := map[string]bool{}
	for _, p := range parts[1:] {
		_, msg, _ := strings.Cut(p, "\n")
		m, err := mail.ReadMessage(strings.NewReader(msg))
		if err != nil {
			t.Fatalf("message %d: %v", len(ids), err)
		}
		ids[m.Header.Get("Message-ID")] = true
	}
	if len(ids) != st.Messages || len(parts)-1 != st.Messages {
		t.Fatalf("%d separators, %d distinct Message-IDs, %d messages written", len(parts)-1, len(ids), st.Messages)
	}
	if _, err := GenerateMbox(&b, MboxOptions{Bytes: 10}); err == nil {
		t.Error("a 10-byte mbox was accepted")
	}
}
