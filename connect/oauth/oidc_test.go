package oauth_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/oauth2-proxy/mockoidc"

	"github.com/engram-app/engram/connect/connecttest"
	"github.com/engram-app/engram/connect/oauth"
)

// TestSignInAgainstAnotherProvider runs the connectors' sign-in against an
// OpenID Connect provider this project did not write (oauth2-proxy's
// mockoidc, which checks the PKCE verifier and the client secret itself):
// the loopback flow with S256 completes with a token, the same code
// replayed into another flow is refused by that provider, and a callback whose state was
// altered is refused by the flow before any token request.
func TestSignInAgainstAnotherProvider(t *testing.T) {
	m, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	defer m.Shutdown()
	ep := oauth.Endpoint{Provider: "gmail", AuthURL: m.AuthorizationEndpoint(), TokenURL: m.TokenEndpoint(),
		ClientID: m.ClientID, ClientSecret: m.ClientSecret, Scopes: []string{"openid", "email"},
		SecretInBody: true} // mockoidc reads the secret only from the body (client_secret_post)
	st := openStore(t, "")

	// A tampered state: refused by the flow, which then still completes.
	f, loc := begin(t, ep, st, oauth.Options{})
	if code, _ := connecttest.Visit(withQuery(t, loc, func(q url.Values) { q.Set("state", q.Get("state")+"x") })); code == http.StatusOK {
		t.Fatal("a callback with an altered state was accepted")
	}
	if code, err := connecttest.Visit(loc); err != nil || code != http.StatusOK {
		t.Fatalf("callback: %d, %v", code, err)
	}
	tok, err := waitResult(t, f)
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token %v, %v", tok, err)
	}
	if _, ok := tok.Extra("id_token").(string); !ok {
		t.Fatal("the provider's token response has no ID token: the exchange did not reach it as an OIDC client")
	}

	// The same authorization code again, in a new flow's callback: the
	// provider refuses it (spent, and bound to the first flow's PKCE
	// challenge, not this one's verifier).
	code := mustQuery(t, loc, "code")
	f2, loc2 := begin(t, ep, st, oauth.Options{})
	replay := withQuery(t, loc2, func(q url.Values) { q.Set("code", code) })
	if c, _ := connecttest.Visit(replay); c == http.StatusOK {
		t.Fatal("a spent authorization code completed a second sign-in")
	}
	f2.Close()
}

func mustQuery(t *testing.T, loc, key string) string {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	v := u.Query().Get(key)
	if v == "" {
		t.Fatalf("%s has no %s", loc, key)
	}
	return v
}
