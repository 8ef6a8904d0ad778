package secrets

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/scrypt"
)

// FileWarning is what a user is told when tokens go to the encrypted file
// instead of the OS keychain.
const FileWarning = "warning: tokens are kept in an encrypted file in the data directory, not in the OS keychain; " +
	"they are as safe as the passphrase (ENGRAM_SECRETS_PASSPHRASE) is"

// File is a Store in one file encrypted with XChaCha20-Poly1305 (every
// write with a fresh random nonce) under a 256-bit key derived by scrypt
// from a passphrase and a random salt kept in the file. The whole map is
// sealed at once; the file is replaced atomically (write, sync, rename) with
// mode 0600. It is for a machine with no OS keychain, and only when the user
// chose it (`secrets.store file`).
type File struct {
	path       string
	passphrase func() ([]byte, error)
	cost       int

	mu   sync.Mutex
	key  []byte // derived once, on first use
	salt []byte
	vals map[string]string // decrypted contents, loaded on first use
}

// fileFormat is the file's JSON. Salt, nonce and box are base64 (encoding/json
// encodes []byte so); the box is the sealed JSON map of key -> value, with
// aad as associated data.
type fileFormat struct {
	Version int    `json:"version"`
	KDF     string `json:"kdf"`
	N       int    `json:"n"`
	R       int    `json:"r"`
	P       int    `json:"p"`
	Salt    []byte `json:"salt"`
	Nonce   []byte `json:"nonce"`
	Box     []byte `json:"box"`
}

var aad = []byte("engram secrets v1")

// DefaultCost is scrypt's N for new files: 2^15, the cost its authors
// recommend for interactive logins (about 100 ms and 32 MB).
const DefaultCost = 1 << 15

// NewFile returns the file store at path. passphrase is asked once, on first
// use; cost is scrypt's N for a new file (0 means DefaultCost; an existing
// file keeps its own).
func NewFile(path string, passphrase func() ([]byte, error), cost int) *File {
	if cost <= 1 {
		cost = DefaultCost
	}
	return &File{path: path, passphrase: passphrase, cost: cost}
}

func derive(pass, salt []byte, n, r, p int) ([]byte, error) {
	return scrypt.Key(pass, salt, n, r, p, chacha20poly1305.KeySize)
}

// load reads and opens the file once; a missing file is an empty store.
// Callers hold f.mu.
func (f *File) load() error {
	if f.vals != nil {
		return nil
	}
	pass, err := f.passphrase()
	if err != nil {
		return err
	}
	if len(pass) == 0 {
		return ErrNoPassphrase
	}
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		f.salt = make([]byte, 16)
		if _, err := rand.Read(f.salt); err != nil {
			return err
		}
		if f.key, err = derive(pass, f.salt, f.cost, 8, 1); err != nil {
			return err
		}
		f.vals = map[string]string{}
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", f.path, err)
	}
	var ff fileFormat
	if err := json.Unmarshal(raw, &ff); err != nil || ff.Version != 1 || ff.KDF != "scrypt" {
		return fmt.Errorf("%s is not an Engram secrets file: %w", f.path, ErrBadPassphrase)
	}
	// Bounds on what the file says, so an altered file cannot ask for
	// gigabytes of scrypt memory (at most 128 MiB).
	if ff.N < 2 || ff.N > 1<<17 || ff.N&(ff.N-1) != 0 || ff.R < 1 || ff.R > 8 || ff.P < 1 || ff.P > 4 || len(ff.Salt) < 16 || len(ff.Nonce) != chacha20poly1305.NonceSizeX {
		return fmt.Errorf("%s has impossible parameters: %w", f.path, ErrBadPassphrase)
	}
	key, err := derive(pass, ff.Salt, ff.N, ff.R, ff.P)
	if err != nil {
		return err
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return err
	}
	plain, err := aead.Open(nil, ff.Nonce, ff.Box, aad)
	if err != nil {
		return ErrBadPassphrase
	}
	vals := map[string]string{}
	if err := json.Unmarshal(plain, &vals); err != nil {
		return ErrBadPassphrase
	}
	f.key, f.salt, f.vals, f.cost = key, ff.Salt, vals, ff.N
	return nil
}

// save seals the map and replaces the file. Callers hold f.mu.
func (f *File) save() error {
	aead, err := chacha20poly1305.NewX(f.key)
	if err != nil {
		return err
	}
	plain, err := json.Marshal(f.vals)
	if err != nil {
		return err
	}
	nonce := make([]byte, chacha20poly1305.NonceSizeX)
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	ff := fileFormat{Version: 1, KDF: "scrypt", N: f.cost, R: 8, P: 1, Salt: f.salt, Nonce: nonce, Box: aead.Seal(nil, nonce, plain, aad)}
	clear(plain)
	raw, err := json.Marshal(ff)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), ".secrets-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.path)
}

// Get implements Store.
func (f *File) Get(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return "", err
	}
	v, ok := f.vals[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Set implements Store; the file is rewritten before Set returns.
func (f *File) Set(key, value string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return err
	}
	prev, had := f.vals[key]
	f.vals[key] = value
	if err := f.save(); err != nil {
		if had {
			f.vals[key] = prev
		} else {
			delete(f.vals, key)
		}
		return fmt.Errorf("saving %s: %w", f.path, err)
	}
	return nil
}

// Delete implements Store.
func (f *File) Delete(key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.load(); err != nil {
		return err
	}
	if _, ok := f.vals[key]; !ok {
		return nil
	}
	delete(f.vals, key)
	return f.save()
}
