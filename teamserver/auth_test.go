package teamserver_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/oauth2-proxy/mockoidc"
	"golang.org/x/oauth2"

	"github.com/engram-app/engram/teamserver"
	"github.com/engram-app/engram/teamserver/pgtest"
)

// signinRig is n instances over one PostgreSQL behind a round-robin
// reverse proxy, signing in through a real OpenID Connect provider
// (mockoidc: discovery, JWKS, RS256 ID tokens, PKCE) on loopback.
type signinRig struct {
	t     *testing.T
	pg    *pgtest.Cluster
	idp   *mockoidc.MockOIDC
	proxy string // the public URL
	cfg   teamserver.OIDC
	insts []string       // each instance's own URL
	srvs  []*http.Server // to restart them
	lns   []net.Listener // each instance's listener
	open  []*teamserver.Server
	next  atomic.Uint64
	hc    *http.Client // follows no redirect
}

func newSigninRig(t *testing.T, n int) *signinRig {
	t.Helper()
	c := pgtest.Start(t)
	ctx := context.Background()
	if _, err := teamserver.Migrate(ctx, c.OwnerURL, "engram_app"); err != nil {
		t.Fatal(err)
	}
	idp, err := mockoidc.Run()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idp.Shutdown() })
	pln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &signinRig{t: t, pg: c, idp: idp, proxy: "http://" + pln.Addr().String(),
		hc: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	r.cfg = teamserver.OIDC{Issuer: idp.Issuer(), ClientID: idp.ClientID, ClientSecret: idp.ClientSecret, PublicURL: r.proxy, SecretInBody: true}
	for i := range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		r.lns = append(r.lns, ln)
		r.insts = append(r.insts, "http://"+ln.Addr().String())
		r.srvs = append(r.srvs, nil)
		r.open = append(r.open, nil)
		r.start(i)
	}
	t.Cleanup(func() {
		for i := range r.srvs {
			r.stop(i)
		}
	})
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		u, _ := url.Parse(r.insts[r.next.Add(1)%uint64(len(r.insts))])
		pr.SetURL(u)
		pr.Out.Host = pr.In.Host
	}}
	ps := &http.Server{Handler: proxy}
	go ps.Serve(pln)
	t.Cleanup(func() { ps.Close() })
	return r
}

// start opens instance i (a new Server, nothing kept from before) and
// serves it on its address; every answer says which instance gave it.
func (r *signinRig) start(i int) {
	r.t.Helper()
	s, err := teamserver.Open(context.Background(), teamserver.Config{DB: r.pg.AppURL, MaxConns: 4, OIDC: &r.cfg})
	if err != nil {
		r.t.Fatal(err)
	}
	h := s.Handler()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("X-Instance", strconv.Itoa(i))
		h.ServeHTTP(w, req)
	})}
	if r.lns[i] == nil {
		u, _ := url.Parse(r.insts[i])
		if r.lns[i], err = net.Listen("tcp", u.Host); err != nil {
			r.t.Fatal(err)
		}
	}
	go srv.Serve(r.lns[i])
	r.srvs[i], r.open[i] = srv, s
}

func (r *signinRig) stop(i int) {
	if r.srvs[i] != nil {
		r.srvs[i].Close()
		r.open[i].Close()
		r.srvs[i], r.open[i], r.lns[i] = nil, nil, nil
	}
}

func (r *signinRig) get(u string) *http.Response {
	r.t.Helper()
	res, err := r.hc.Get(u)
	if err != nil {
		r.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

const loopback = "http://127.0.0.1:9/oauth2/callback"

// desktopFlow is the desktop's half of a sign-in: its state and verifier.
type desktopFlow struct{ state, verifier string }

// begin starts a desktop sign-in at base and returns the provider's
// authorization URL and the instance that served it.
func (r *signinRig) begin(base string, d desktopFlow) (string, string) {
	r.t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {teamserver.DesktopClientID}, "redirect_uri": {loopback},
		"state": {d.state}, "code_challenge_method": {"S256"}}
	sum := sha256.Sum256([]byte(d.verifier))
	q.Set("code_challenge", base64.RawURLEncoding.EncodeToString(sum[:]))
	res := r.get(base + "/auth/login?" + q.Encode())
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), r.idp.AuthorizationEndpoint()) {
		r.t.Fatalf("login: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	return res.Header.Get("Location"), res.Header.Get("X-Instance")
}

// authorize has the provider sign the user in and returns the callback URL
// it redirects to (through the proxy).
func (r *signinRig) authorize(authURL, subject string) string {
	r.t.Helper()
	r.idp.QueueUser(&mockoidc.MockUser{Subject: subject, Email: subject + "@example.org", EmailVerified: true})
	res := r.get(authURL)
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(loc, r.proxy+"/auth/callback?") {
		r.t.Fatalf("provider: %d to %q", res.StatusCode, loc)
	}
	return loc
}

// callback follows the provider's redirect at base (the callback URL's
// path and query on another host) and returns the response.
func (r *signinRig) callback(base, cbURL string) *http.Response {
	r.t.Helper()
	u, _ := url.Parse(cbURL)
	return r.get(base + u.RequestURI())
}

func (r *signinRig) tokenRequest(base string, form url.Values) (int, map[string]any) {
	r.t.Helper()
	res, err := r.hc.PostForm(base+"/auth/token", form)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		r.t.Fatal(err)
	}
	return res.StatusCode, out
}

func (r *signinRig) whoami(base, token string) (int, string) {
	r.t.Helper()
	req, _ := http.NewRequest("GET", base+"/v1/whoami", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Email string }
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out.Email
}

// TestSignInAcrossInstances: 100 desktop sign-ins, each begun on one
// instance and completed through the round-robin proxy on others (the
// callback, the token request and the first API call each land where the
// proxy sends them), all succeed; a sign-in begun before every instance
// restarts completes after.
func TestSignInAcrossInstances(t *testing.T) {
	r := newSigninRig(t, 3)
	const flows = 100
	ok, crossed := 0, 0
	for k := range flows {
		d := desktopFlow{state: fmt.Sprintf("desktop-state-%d", k), verifier: oauth2.GenerateVerifier()}
		// Begun on an instance other than the one the proxy sends the
		// next request (the callback) to.
		authURL, began := r.begin(r.insts[(r.next.Load()+2+uint64(k%2))%3], d)
		subject := fmt.Sprintf("user-%03d", k%7)
		res := r.callback(r.proxy, r.authorize(authURL, subject))
		if res.Header.Get("X-Instance") != began {
			crossed++
		}
		loc, _ := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), loopback+"?") || loc.Query().Get("state") != d.state {
			t.Errorf("flow %d: callback %d to %q", k, res.StatusCode, loc)
			continue
		}
		status, tok := r.tokenRequest(r.proxy, url.Values{"grant_type": {"authorization_code"}, "client_id": {teamserver.DesktopClientID},
			"code": {loc.Query().Get("code")}, "code_verifier": {d.verifier}, "redirect_uri": {loopback}})
		access, _ := tok["access_token"].(string)
		if status != 200 || access == "" || tok["refresh_token"] == "" || tok["token_type"] != "Bearer" {
			t.Errorf("flow %d: token %d %v", k, status, tok)
			continue
		}
		if code, email := r.whoami(r.proxy, access); code != 200 || email != subject+"@example.org" {
			t.Errorf("flow %d: whoami %d %q", k, code, email)
			continue
		}
		ok++
	}
	t.Logf("%d/%d sign-ins succeeded, %d completed on an instance other than the one they began on", ok, flows, crossed)
	if ok != flows || crossed != flows {
		t.Fatalf("%d/%d sign-ins, %d crossed instances", ok, flows, crossed)
	}

	// Begun, then every instance restarts: the flow completes.
	d := desktopFlow{state: "across-restart", verifier: oauth2.GenerateVerifier()}
	authURL, _ := r.begin(r.insts[0], d)
	cb := r.authorize(authURL, "restarter")
	for i := range r.insts {
		r.stop(i)
	}
	for i := range r.insts {
		r.start(i)
	}
	if res := r.callback(r.proxy, cb); res.StatusCode != http.StatusFound || !strings.Contains(res.Header.Get("Location"), "code=") {
		t.Fatalf("after a restart of every instance: %d %q", res.StatusCode, res.Header.Get("Location"))
	}

	// A refresh token is single use, on any instance.
	d = desktopFlow{state: "refresh", verifier: oauth2.GenerateVerifier()}
	authURL, _ = r.begin(r.insts[1], d)
	loc, _ := url.Parse(r.callback(r.insts[2], r.authorize(authURL, "refresher")).Header.Get("Location"))
	_, tok := r.tokenRequest(r.insts[0], url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "code_verifier": {d.verifier}, "redirect_uri": {loopback}})
	refresh, _ := tok["refresh_token"].(string)
	status, next := r.tokenRequest(r.insts[1], url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}})
	if status != 200 || next["access_token"] == "" || next["refresh_token"] == refresh {
		t.Fatalf("refresh: %d %v", status, next)
	}
	for i, base := range r.insts {
		if status, out := r.tokenRequest(base, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh}}); status != 400 || out["error"] != "invalid_grant" {
			t.Errorf("a spent refresh token on instance %d: %d %v", i, status, out)
		}
	}
}

// TestSignInRefusals: a replayed, a tampered and an expired state fail on
// every instance, as do a replayed code, a wrong PKCE verifier and a
// redirect_uri that is not loopback; none of them mints a session.
func TestSignInRefusals(t *testing.T) {
	r := newSigninRig(t, 3)
	sessions := func() int {
		conn, err := pgx.Connect(context.Background(), r.pg.SuperURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	refused := func(what string, i int, res *http.Response) {
		t.Helper()
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
			t.Errorf("%s on instance %d: %d to %q, want 400", what, i, res.StatusCode, res.Header.Get("Location"))
		}
	}
	for i, base := range r.insts {
		// Replayed: completed once (through the proxy), then again here.
		d := desktopFlow{state: "replay", verifier: oauth2.GenerateVerifier()}
		authURL, _ := r.begin(r.insts[(i+1)%3], d)
		cb := r.authorize(authURL, "replayer")
		first := r.callback(r.proxy, cb)
		if first.StatusCode != http.StatusFound {
			t.Fatalf("the first use: %d", first.StatusCode)
		}
		for j, other := range r.insts {
			refused("a replayed state", j, r.callback(other, cb))
		}
		// The code handed to the desktop is single use too.
		loc, _ := url.Parse(first.Header.Get("Location"))
		form := url.Values{"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "code_verifier": {"x" + d.verifier[1:]}, "redirect_uri": {loopback}}
		if status, out := r.tokenRequest(base, form); status != 400 || out["error"] != "invalid_grant" {
			t.Errorf("a wrong PKCE verifier on instance %d: %d %v", i, status, out)
		}
		form.Set("code_verifier", d.verifier)
		if status, _ := r.tokenRequest(r.insts[(i+2)%3], form); status != 400 {
			t.Errorf("a code spent by a wrong verifier was accepted on instance %d: %d", (i+2)%3, status)
		}

		// Tampered: the state with one character changed, and the state
		// of a flow never begun.
		d = desktopFlow{state: "tamper", verifier: oauth2.GenerateVerifier()}
		authURL, _ = r.begin(base, d)
		cb = r.authorize(authURL, "tamperer")
		u, _ := url.Parse(cb)
		q := u.Query()
		st := q.Get("state")
		flip := "A"
		if st[0] == 'A' {
			flip = "B"
		}
		q.Set("state", flip+st[1:])
		u.RawQuery = q.Encode()
		for j, other := range r.insts {
			refused("a tampered state", j, r.callback(other, u.String()))
		}
		q.Set("state", "")
		u.RawQuery = q.Encode()
		refused("no state", i, r.callback(base, u.String()))
		// The untampered one still completes.
		if res := r.callback(r.insts[(i+1)%3], cb); res.StatusCode != http.StatusFound {
			t.Errorf("the genuine state after tampered tries: %d", res.StatusCode)
		}

		// Expired: past its TTL in the database (the clock the TTL is
		// checked against), on this instance and every other.
		for j, other := range r.insts {
			d = desktopFlow{state: "expire", verifier: oauth2.GenerateVerifier()}
			authURL, _ = r.begin(base, d)
			cb = r.authorize(authURL, "sleeper")
			mustExec(t, superConn(t, r.pg), `UPDATE auth_flows SET expires = now() - interval '1 second'`)
			refused("an expired state", j, r.callback(other, cb))
		}
	}
	before := sessions()
	// A redirect that is not loopback is refused before the provider.
	for _, bad := range []string{"https://evil.example/cb", "http://evil.example/cb", "http://127.0.0.1.evil.example/cb"} {
		res := r.get(r.insts[0] + "/auth/login?response_type=code&client_id=engram-desktop&code_challenge_method=S256&state=s&code_challenge=" +
			strings.Repeat("a", 43) + "&redirect_uri=" + url.QueryEscape(bad))
		if res.StatusCode != 400 {
			t.Errorf("redirect_uri %s: %d", bad, res.StatusCode)
		}
	}
	if after := sessions(); after != before {
		t.Errorf("refused sign-ins made %d sessions", after-before)
	}
	// The expired rows were purged by later sign-ins, and none is left readable.
	conn, err := pgx.Connect(context.Background(), r.pg.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM auth_flows`).Scan(&n); err != nil || n != 0 {
		t.Errorf("the app role with no state set reads %d flows (%v)", n, err)
	}
}

func superConn(t *testing.T, c *pgtest.Cluster) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), c.SuperURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
