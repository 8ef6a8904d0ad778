package secrets_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/engram-app/engram/connect/secrets"
)

func pass(p string) func() ([]byte, error) {
	return func() ([]byte, error) { return []byte(p), nil }
}

// stores returns one of each implementation, the keychain through
// go-keyring's in-memory mock (this machine has no Secret Service).
func stores(t *testing.T) map[string]secrets.Store {
	keyring.MockInit()
	return map[string]secrets.Store{
		"keychain": secrets.NewKeychain("engram-test:" + t.Name()),
		"file":     secrets.NewFile(filepath.Join(t.TempDir(), "secrets.enc"), pass("correct horse"), 1<<10),
	}
}

// TestConformance runs the same contract against every Store.
func TestConformance(t *testing.T) {
	long := strings.Repeat("eyJhbGciOi", 700) // 7,000 bytes: a JWT-sized token
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.Get("gmail/refresh"); !errors.Is(err, secrets.ErrNotFound) {
				t.Fatalf("Get of nothing: %v, want ErrNotFound", err)
			}
			cases := []struct{ key, val string }{
				{"gmail/refresh", "1//refresh-token"},
				{"gmail/access", long},
				{"box/access", ""},
			}
			for _, c := range cases {
				if err := s.Set(c.key, c.val); err != nil {
					t.Fatalf("Set %s: %v", c.key, err)
				}
			}
			for _, c := range cases {
				got, err := s.Get(c.key)
				if err != nil || got != c.val {
					t.Fatalf("Get %s: %d bytes, %v; want %d bytes", c.key, len(got), err, len(c.val))
				}
			}
			// A shorter value replaces a split one entirely.
			if err := s.Set("gmail/access", "short"); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.Get("gmail/access"); got != "short" {
				t.Fatalf("after shrinking: %q", got)
			}
			if err := secrets.DeleteAll(s, "gmail", "access", "refresh", "client_secret"); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"gmail/access", "gmail/refresh"} {
				if _, err := s.Get(k); !errors.Is(err, secrets.ErrNotFound) {
					t.Fatalf("%s after DeleteAll: %v", k, err)
				}
			}
			if _, err := s.Get("box/access"); err != nil {
				t.Fatalf("another connector's key went too: %v", err)
			}
			if err := s.Set("x", strings.Repeat("a", secrets.MaxChunks*secrets.ChunkBytes+1)); name == "keychain" && !errors.Is(err, secrets.ErrTooLarge) {
				t.Fatalf("oversized value: %v, want ErrTooLarge", err)
			}
			if err := s.Set("bad#key", "v"); err == nil {
				t.Fatal("a key with '#' was accepted")
			}
		})
	}
}

func TestKeychainSplitsUnderTheWindowsCap(t *testing.T) {
	keyring.MockInit()
	k := secrets.NewKeychain("engram-test-split")
	val := strings.Repeat("z", 5000)
	if err := k.Set("slack/access", val); err != nil {
		t.Fatal(err)
	}
	for _, entry := range []string{"slack/access", "slack/access#2", "slack/access#3"} {
		v, err := keyring.Get("engram-test-split", entry)
		if err != nil {
			t.Fatalf("entry %s: %v", entry, err)
		}
		if len(v) > 2560 {
			t.Fatalf("entry %s is %d bytes, over Windows' 2,560", entry, len(v))
		}
	}
	if err := k.Delete("slack/access"); err != nil {
		t.Fatal(err)
	}
	for _, entry := range []string{"slack/access", "slack/access#2", "slack/access#3"} {
		if _, err := keyring.Get("engram-test-split", entry); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("entry %s left after Delete: %v", entry, err)
		}
	}
}

func TestKeychainUnavailable(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	defer keyring.MockInit()
	err := secrets.NewKeychain("x").Set("gmail/refresh", "v")
	if !errors.Is(err, secrets.ErrNoKeychain) || !strings.Contains(err.Error(), "secrets.store file") {
		t.Fatalf("got %v, want ErrNoKeychain naming the way out", err)
	}
}

func TestFileIsEncryptedAndNeedsThePassphrase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secrets.enc")
	canary := "canary-9f8e7d6c5b4a"
	f := secrets.NewFile(path, pass("right"), 1<<10)
	if err := f.Set("gmail/refresh", canary); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(canary)) || bytes.Contains(raw, []byte("gmail/refresh")) {
		t.Fatal("the file holds a value or key in plain text")
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v, want 0600", info.Mode().Perm())
	}
	// Reopened with the right passphrase: the value is back.
	if got, err := secrets.NewFile(path, pass("right"), 0).Get("gmail/refresh"); err != nil || got != canary {
		t.Fatalf("reopened: %q, %v", got, err)
	}
	cases := []struct {
		name string
		pass func() ([]byte, error)
		edit func([]byte) []byte
		want error
	}{
		{"wrong passphrase", pass("wrong"), nil, secrets.ErrBadPassphrase},
		{"no passphrase", pass(""), nil, secrets.ErrNoPassphrase},
		{"altered box", pass("right"), func(b []byte) []byte {
			i := bytes.Index(b, []byte(`"box":"`)) + 8
			b[i] ^= 1
			return b
		}, secrets.ErrBadPassphrase},
		{"not a secrets file", pass("right"), func([]byte) []byte { return []byte("hello") }, secrets.ErrBadPassphrase},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := path
			if c.edit != nil {
				p = filepath.Join(t.TempDir(), "s.enc")
				if err := os.WriteFile(p, c.edit(append([]byte(nil), raw...)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := secrets.NewFile(p, c.pass, 0).Get("gmail/refresh")
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), canary) {
				t.Fatal("the error shows the secret")
			}
		})
	}
}

// FuzzFile: whatever the file holds, opening it returns a value or an error,
// never panics, and accepts nothing but what was sealed with the passphrase.
func FuzzFile(f *testing.F) {
	dir := f.TempDir()
	good := filepath.Join(dir, "good.enc")
	if err := secrets.NewFile(good, pass("pw"), 1<<4).Set("k/v", "value"); err != nil {
		f.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	f.Add(raw)
	f.Add([]byte(`{"version":1,"kdf":"scrypt","n":1048576,"r":32,"p":16,"salt":"AAAAAAAAAAAAAAAAAAAAAA==","nonce":"","box":""}`))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "s.enc")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		v, err := secrets.NewFile(p, pass("pw"), 0).Get("k/v")
		if err == nil && !bytes.Equal(data, raw) && v != "value" {
			t.Fatalf("an altered file gave %q", v)
		}
	})
}
