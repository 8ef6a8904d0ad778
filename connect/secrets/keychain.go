package secrets

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/zalando/go-keyring"
)

// ChunkBytes is the most a keychain entry holds here. Windows' Credential
// Manager refuses more than 2,560 bytes and macOS about 3,000 with the
// service and account names, so a longer value (some providers' JWT access
// tokens) is split into entries of at most ChunkBytes: "<key>" holds
// "<n>:<first part>" and "<key>#2" ... "<key>#n" the rest.
const ChunkBytes = 2000

// MaxChunks bounds a split value: a secret over MaxChunks*ChunkBytes bytes
// is refused with ErrTooLarge rather than spread over the keychain.
const MaxChunks = 8

// Keychain is a Store in the OS keychain, under one service name per data
// directory. Calls are serialised: keychains are not built for concurrent
// writers and the tokens are read rarely (they are cached by their users).
type Keychain struct {
	service string
	mu      sync.Mutex
}

// NewKeychain returns the keychain store for service (e.g.
// "engram:<data directory>").
func NewKeychain(service string) *Keychain { return &Keychain{service: service} }

func (k *Keychain) wrap(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return ErrTooLarge
	}
	// go-keyring reports a missing Secret Service (or D-Bus) with its
	// own words; anything else from the OS is treated the same: the
	// keychain cannot be used here.
	return fmt.Errorf("%w (%v); on a machine without one, run `engram config set secrets.store file` to keep tokens in an encrypted file", ErrNoKeychain, err)
}

// Get implements Store.
func (k *Keychain) Get(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	head, err := keyring.Get(k.service, key)
	if err != nil {
		return "", k.wrap(err)
	}
	ns, first, ok := strings.Cut(head, ":")
	n, perr := strconv.Atoi(ns)
	if !ok || perr != nil || n < 1 || n > MaxChunks {
		return "", fmt.Errorf("keychain entry %s is not one Engram wrote; disconnect and connect again", key)
	}
	var b strings.Builder
	b.WriteString(first)
	for i := 2; i <= n; i++ {
		part, err := keyring.Get(k.service, chunkKey(key, i))
		if err != nil {
			return "", fmt.Errorf("keychain entry %s part %d: %w", key, i, k.wrap(err))
		}
		b.WriteString(part)
	}
	return b.String(), nil
}

func chunkKey(key string, i int) string { return key + "#" + strconv.Itoa(i) }

// Set implements Store. A value over ChunkBytes is split (see ChunkBytes);
// parts a previous, longer value left are removed.
func (k *Keychain) Set(key, value string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	parts := split(value, ChunkBytes)
	if len(parts) > MaxChunks {
		return fmt.Errorf("%s is %d bytes: %w (at most %d)", key, len(value), ErrTooLarge, MaxChunks*ChunkBytes)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	// The tail first, the head last: a reader never sees a head that
	// counts parts not written yet.
	for i := len(parts); i >= 2; i-- {
		if err := keyring.Set(k.service, chunkKey(key, i), parts[i-1]); err != nil {
			return fmt.Errorf("saving %s: %w", key, k.wrap(err))
		}
	}
	if err := keyring.Set(k.service, key, strconv.Itoa(len(parts))+":"+parts[0]); err != nil {
		return fmt.Errorf("saving %s: %w", key, k.wrap(err))
	}
	for i := len(parts) + 1; i <= MaxChunks; i++ {
		if err := keyring.Delete(k.service, chunkKey(key, i)); err != nil {
			break // parts are written in order: the first missing one ends them
		}
	}
	return nil
}

// Delete implements Store; it removes every part of the value.
func (k *Keychain) Delete(key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := keyring.Delete(k.service, key); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return k.wrap(err)
	}
	for i := 2; i <= MaxChunks; i++ {
		if err := keyring.Delete(k.service, chunkKey(key, i)); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return k.wrap(err)
		}
	}
	return nil
}

// split cuts s into parts of at most n bytes, never inside a UTF-8
// sequence (tokens are ASCII, but a value is a value).
func split(s string, n int) []string {
	if s == "" {
		return []string{""}
	}
	var out []string
	for len(s) > n {
		cut := n
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	return append(out, s)
}
