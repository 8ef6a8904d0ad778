package oauth_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/engram-app/engram/connect/connecttest"
	"github.com/engram-app/engram/connect/oauth"
	"github.com/engram-app/engram/connect/secrets"
)

func signedIn(t *testing.T, as *connecttest.AS, sec secrets.Store) *oauth.Tokens {
	t.Helper()
	f, loc := begin(t, endpoint(as, "gmail"), openStore(t, ""), oauth.Options{})
	if _, err := connecttest.Visit(loc); err != nil {
		t.Fatal(err)
	}
	tok, err := waitResult(t, f)
	if err != nil {
		t.Fatal(err)
	}
	tk := oauth.NewTokens(endpoint(as, "gmail"), sec, nil, nil)
	if err := tk.Save(tok); err != nil {
		t.Fatal(err)
	}
	return tk
}

func fileSecrets(t *testing.T) secrets.Store {
	return secrets.NewFile(filepath.Join(t.TempDir(), "secrets.enc"), func() ([]byte, error) { return []byte("pw"), nil }, 1<<10)
}

// TestOneRefreshPerExpiry: 32 workers find the token expired at once; one
// refresh request reaches the server, all get the new token, and the
// rotated refresh token is what the secret store holds.
func TestOneRefreshPerExpiry(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	sec := fileSecrets(t)
	tk := signedIn(t, as, sec)
	oldRefresh, _ := sec.Get(secrets.Key("gmail", oauth.KindRefresh))
	for round := 1; round <= 2; round++ {
		as.Expire()
		first, _ := tk.Token(context.Background())
		tk.Invalidate(first.AccessToken) // the API said 401
		var wg sync.WaitGroup
		got := make([]string, 32)
		errs := make([]error, 32)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tok, err := tk.Token(context.Background())
				errs[i] = err
				if err == nil {
					got[i] = tok.AccessToken
				}
			}()
		}
		wg.Wait()
		for i := range got {
			if errs[i] != nil || !as.Valid(got[i]) || got[i] != got[0] {
				t.Fatalf("round %d worker %d: %v (valid %v)", round, i, errs[i], as.Valid(got[i]))
			}
		}
		if n := as.Refreshes(); n != int64(round) {
			t.Fatalf("round %d: %d refreshes reached the server, want %d", round, n, round)
		}
	}
	newRefresh, err := sec.Get(secrets.Key("gmail", oauth.KindRefresh))
	if err != nil || newRefresh == oldRefresh {
		t.Fatalf("the rotated refresh token was not saved (%v)", err)
	}
	// A new holder (another start of Engram) reads the rotated token.
	tk2 := oauth.NewTokens(endpoint(as, "gmail"), sec, nil, nil)
	as.Expire()
	if _, err := tk2.Token(context.Background()); err != nil {
		t.Fatalf("refresh with the saved rotated token: %v", err)
	}
}

func TestRevokedRefreshIsReconnect(t *testing.T) {
	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	tk := signedIn(t, as, fileSecrets(t))
	as.Expire()
	as.RevokeRefresh()
	first, _ := tk.Token(context.Background())
	tk.Invalidate(first.AccessToken)
	_, err := tk.Token(context.Background())
	if !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("got %v, want ErrReconnect", err)
	}
	if _, err := oauth.NewTokens(endpoint(as, "box"), fileSecrets(t), nil, nil).Token(context.Background()); !errors.Is(err, oauth.ErrReconnect) {
		t.Fatalf("never connected: %v, want ErrReconnect", err)
	}
}
