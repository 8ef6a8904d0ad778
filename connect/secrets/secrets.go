// Package secrets keeps the connectors' tokens and client secrets out of the
// store, the index and the logs: in the OS keychain (macOS Keychain, Windows
// Credential Manager, the Secret Service on Linux) through go-keyring, or,
// where there is no keychain and only when the user chose it, in a file
// encrypted with XChaCha20-Poly1305 under a key derived by scrypt from a
// passphrase.
//
// Keys are "<connector>/<kind>" ("gmail/refresh", "slack/client_secret"):
// one entry per connector and token kind, so disconnecting removes a known,
// short list. No value is ever written anywhere in plain text, and no error
// of this package contains a value.
package secrets

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned by every Store.
var (
	// ErrNotFound means no secret is kept under the key.
	ErrNotFound = errors.New("secret not found")
	// ErrTooLarge means a value is larger than the store keeps.
	ErrTooLarge = errors.New("secret too large for the keychain")
	// ErrNoKeychain means the OS keychain cannot be reached (a headless
	// Linux without a Secret Service).
	ErrNoKeychain = errors.New("no OS keychain available")
	// ErrBadPassphrase means the encrypted file could not be opened with the
	// passphrase given (wrong passphrase, or the file was altered).
	ErrBadPassphrase = errors.New("wrong passphrase for the encrypted secrets file, or the file was altered")
	// ErrNoPassphrase means the file store needs a passphrase and none was
	// given.
	ErrNoPassphrase = errors.New("the encrypted secrets file needs a passphrase: set ENGRAM_SECRETS_PASSPHRASE or run from a terminal")
)

// Store keeps secrets by key. Implementations are safe for concurrent use.
type Store interface {
	// Get returns the value under key, or an error wrapping ErrNotFound.
	Get(key string) (string, error)
	// Set stores value under key, replacing what was there.
	Set(key, value string) error
	// Delete removes key; a key that is not there is not an error.
	Delete(key string) error
}

// Key is the name of a connector's secret of one kind.
func Key(connector, kind string) string { return connector + "/" + kind }

// DeleteAll removes every key of the connector for the given kinds and joins
// the errors.
func DeleteAll(s Store, connector string, kinds ...string) error {
	var errs []error
	for _, k := range kinds {
		if err := s.Delete(Key(connector, k)); err != nil {
			errs = append(errs, fmt.Errorf("removing %s: %w", Key(connector, k), err))
		}
	}
	return errors.Join(errs...)
}

func checkKey(key string) error {
	if key == "" || strings.ContainsAny(key, "#\x00") {
		return fmt.Errorf("secret key %q: must be non-empty, without '#' or NUL", key)
	}
	return nil
}
