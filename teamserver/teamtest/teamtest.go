// Package teamtest starts a real team sync server for tests: a private
// PostgreSQL (pgtest), the schema migrated, and engram-server instances on
// loopback that sign users in through a real OpenID Connect provider
// (oauth2-proxy/mockoidc: discovery, JWKS, RS256 ID tokens, PKCE).
package teamtest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/engram-app/engram/teamserver"
	"github.com/engram-app/engram/teamserver/pgtest"
)

// Team is a running team server: its database, its provider and its
// instances, all stopped with the test.
type Team struct {
	PG  *pgtest.Cluster
	IDP *mockoidc.MockOIDC
	// URLs are the instances' addresses (http://127.0.0.1:PORT), each its
	// own public URL.
	URLs []string
	// HTTP are the instances' servers, in the order of URLs: closing one
	// makes its server unreachable.
	HTTP []*httptest.Server
}

// Start migrates a fresh PostgreSQL and starts instances engram-server
// instances on it (one when instances is below 1). wrap, when not nil,
// wraps each instance's handler (tests hold or count requests with it).
func Start(t testing.TB, instances int, wrap func(http.Handler) http.Handler) *Team {
	t.Helper()
	pg := pgtest.Start(t)
	ctx := context.Background()
	if _, err := teamserver.Migrate(ctx, pg.OwnerURL, "engram_app"); err != nil {
		t.Fatal(err)
	}
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	tm := &Team{PG: pg, IDP: idp}
	for range max(instances, 1) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		pub := "http://" + ln.Addr().String()
		s, err := teamserver.Open(ctx, teamserver.Config{DB: pg.AppURL, MaxConns: 4, OIDC: &teamserver.OIDC{
			Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, PublicURL: pub, SecretInBody: true}})
		if err != nil {
			t.Fatal(err)
		}
		var h http.Handler = s.Handler()
		if wrap != nil {
			h = wrap(h)
		}
		hs := &httptest.Server{Listener: ln, Config: &http.Server{Handler: h}}
		hs.Start()
		t.Cleanup(func() { hs.Close(); s.Close() })
		tm.URLs = append(tm.URLs, pub)
		tm.HTTP = append(tm.HTTP, hs)
	}
	return tm
}

// Browse plays the system browser for one sign-in as subject (e-mail
// subject@example.org): it follows authURL from the team server to the
// provider, back to the team server and on to the desktop's loopback
// listener, and fails unless the last page answered 200.
func (tm *Team) Browse(subject, authURL string) error {
	tm.IDP.QueueUser(&mockoidc.MockUser{Subject: subject, Email: subject + "@example.org"})
	res, err := http.Get(authURL)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("the sign-in ended at %s with %d", res.Request.URL, res.StatusCode)
	}
	return nil
}
