package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/oauth2-proxy/mockoidc"

	"github.com/engram-app/engram/connect"
	"github.com/engram-app/engram/connect/connecttest"
	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamserver"
	"github.com/engram-app/engram/teamserver/pgtest"
)

// TestSlackSignInThroughTheTeamRelay: Slack takes only https redirects.
// With connect.slack.redirect_url set to the team server's relay (a real
// engram-server over TLS on PostgreSQL, the desktop signed in to it), the
// provider sends the browser to the relay, the desktop takes the query
// from the server and finishes the sign-in with its own PKCE verifier:
// connected, nothing pasted, and nothing of the sign-in left on the
// server.
func TestSlackSignInThroughTheTeamRelay(t *testing.T) {
	pg := pgtest.Start(t)
	ctx := context.Background()
	if _, err := teamserver.Migrate(ctx, pg.OwnerURL, "engram_app"); err != nil {
		t.Fatal(err)
	}
	idp, err := mockoidc.Run()
	must(t, err)
	defer idp.Shutdown()
	hs := httptest.NewUnstartedServer(nil)
	pub := "https://" + hs.Listener.Addr().String()
	srv, err := teamserver.Open(ctx, teamserver.Config{DB: pg.AppURL, MaxConns: 4, OIDC: &teamserver.OIDC{
		Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, PublicURL: pub, SecretInBody: true}})
	must(t, err)
	defer srv.Close()
	hs.Config.Handler = srv.Handler()
	hs.StartTLS()
	defer hs.Close()
	browser := hs.Client() // trusts the test server's certificate, follows redirects

	as := connecttest.NewAS("engram-desktop")
	defer as.Close()
	as.HTTPSRedirect = pub + syncproto.RelayPath
	sl := connecttest.NewSlack(as, "acme")
	defer sl.Close()
	sl.AddUser("U1", "Ada Lovelace", "ada@acme.test")
	sl.AddChannel("C1", "engines")
	sl.Post("C1", "U1", "1700000001.000100", "The analytical engine needs punched cards", "")

	a, _ := connectApp(t, as, "file")
	a.team.hc = browser
	point(t, a, "slack", as, sl.URL())
	must(t, a.SetSetting("connect.slack.redirect_url", pub+syncproto.RelayPath))

	// The browser: the provider's consent, then its redirect to the relay.
	relayed := make(chan int, 2)
	a.conn.browser = func(u string) error {
		loc, err := connecttest.Approve(u)
		if err != nil {
			return err
		}
		go func() {
			res, err := browser.Get(loc)
			if err != nil {
				relayed <- 0
				return
			}
			res.Body.Close()
			relayed <- res.StatusCode
		}()
		return nil
	}
	// Without a team sign-in the relay is not used: the sign-in wants its
	// address pasted.
	if _, err := a.Connect(ctx, "", "slack", connect.ConnectOptions{}); err == nil {
		t.Fatal("connected through the relay without a team sign-in")
	}
	if code := <-relayed; code != http.StatusBadRequest {
		t.Fatalf("the relay answered %d to a sign-in nobody registered", code)
	}
	team, err := a.Team()
	must(t, err)
	_, err = team.Login(ctx, pub, func(authURL string) error {
		idp.QueueUser(&mockoidc.MockUser{Subject: "ada", Email: "ada@acme.test"})
		res, err := browser.Get(authURL)
		if err != nil {
			return err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("the team sign-in ended with %d", res.StatusCode)
		}
		return nil
	})
	must(t, err)

	st, err := a.Connect(ctx, "", "slack", connect.ConnectOptions{})
	if err != nil {
		t.Fatalf("the sign-in through the relay: %v", err)
	}
	if code := <-relayed; code != http.StatusOK {
		t.Fatalf("the relay answered the browser %d", code)
	}
	if st.Status != connect.StatusConnected {
		t.Fatalf("status %+v", st)
	}
	conn, err := pgx.Connect(ctx, pg.SuperURL)
	must(t, err)
	defer conn.Close(ctx)
	var left int
	must(t, conn.QueryRow(ctx, `SELECT count(*) FROM relay_flows`).Scan(&left))
	if left != 0 {
		t.Fatalf("%d relay rows left after the sign-in", left)
	}
}
