// Command engram-server is Engram's team sync server: stateless HTTP
// instances in front of PostgreSQL (package teamserver).
//
//	engram-server [--db URL] [--addr HOST:PORT] [--pool N]   serve
//	    [--oidc-issuer URL --oidc-client-id ID --public-url URL
//	     [--oidc-client-secret-file PATH] [--oidc-secret-in-body]]
//	engram-server migrate --db OWNER_URL --app-role NAME     run the migrations as the owner
//	engram-server session --db URL --issuer ISS --subject SUB [--email E] [--name N] [--ttl D]
//	                                                         mint a session token for a user
//
// --db defaults to $ENGRAM_SERVER_DB; the OpenID Connect flags to
// $ENGRAM_OIDC_ISSUER, $ENGRAM_OIDC_CLIENT_ID and $ENGRAM_PUBLIC_URL, the
// client secret to $ENGRAM_OIDC_CLIENT_SECRET (or the file named; it is
// never logged). Without an issuer, sign-in is off and sessions are minted
// with `engram-server session`. The server connects as the app role
// and refuses a superuser, a role with BYPASSRLS or the tables' owner.
// Exit codes: 0 success, 1 error, 2 usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/engram-app/engram/teamserver"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "migrate" || args[0] == "session" || args[0] == "serve") {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("engram-server "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", os.Getenv("ENGRAM_SERVER_DB"), "PostgreSQL URL (default $ENGRAM_SERVER_DB)")
	addr := fs.String("addr", "127.0.0.1:8088", "address to listen on (serve)")
	pool := fs.Int("pool", 10, "most database connections of this instance, 1 to 1000 (serve)")
	appRole := fs.String("app-role", "", "the role the server connects as, granted what it needs (migrate)")
	issuer := fs.String("issuer", "", "the user's OpenID Connect issuer (session)")
	subject := fs.String("subject", "", "the user's subject at the issuer (session)")
	email := fs.String("email", "", "the user's email (session)")
	name := fs.String("name", "", "the user's name (session)")
	issuerURL := fs.String("oidc-issuer", os.Getenv("ENGRAM_OIDC_ISSUER"), "the team's OpenID Connect issuer URL; enables sign-in (serve)")
	clientID := fs.String("oidc-client-id", os.Getenv("ENGRAM_OIDC_CLIENT_ID"), "this server's client id at the provider (serve)")
	secretFile := fs.String("oidc-client-secret-file", "", "a file holding the client secret (default $ENGRAM_OIDC_CLIENT_SECRET) (serve)")
	secretInBody := fs.Bool("oidc-secret-in-body", false, "send the client secret as client_secret_post instead of HTTP Basic (serve)")
	publicURL := fs.String("public-url", os.Getenv("ENGRAM_PUBLIC_URL"), "the address browsers reach the servers at, behind the load balancer (serve)")
	ttl := fs.Duration("ttl", 30*24*time.Hour, "how long the session lasts, 1m to 8784h (session)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *db == "" {
		fmt.Fprintln(stderr, "engram-server: --db (or $ENGRAM_SERVER_DB) names the PostgreSQL database, e.g. postgres://engram_app@127.0.0.1/engram")
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd {
	case "migrate":
		var applied []int
		if applied, err = teamserver.Migrate(ctx, *db, *appRole); err == nil {
			fmt.Fprintf(stdout, "schema at version %d (applied %v); %s granted\n", teamserver.SchemaVersion(), applied, *appRole)
		}
	case "session":
		if *issuer == "" || *subject == "" {
			fmt.Fprintln(stderr, "engram-server session: --issuer and --subject name the user")
			return 2
		}
		var s *teamserver.Server
		if s, err = teamserver.Open(ctx, teamserver.Config{DB: *db, MaxConns: 1, Log: log}); err == nil {
			var token string
			token, _, err = s.NewSession(ctx, *issuer, *subject, *email, *name, *ttl)
			s.Close()
			if err == nil {
				fmt.Fprintln(stdout, token)
			}
		}
	default:
		var oidc *teamserver.OIDC
		if *issuerURL != "" {
			secret := os.Getenv("ENGRAM_OIDC_CLIENT_SECRET")
			if *secretFile != "" {
				b, rerr := os.ReadFile(*secretFile)
				if rerr != nil {
					fmt.Fprintln(stderr, "engram-server: --oidc-client-secret-file:", rerr)
					return 2
				}
				secret = strings.TrimSpace(string(b))
			}
			if *clientID == "" || *publicURL == "" {
				fmt.Fprintln(stderr, "engram-server: --oidc-issuer needs --oidc-client-id and --public-url")
				return 2
			}
			oidc = &teamserver.OIDC{Issuer: *issuerURL, ClientID: *clientID, ClientSecret: secret, PublicURL: *publicURL, SecretInBody: *secretInBody}
		}
		err = serve(ctx, teamserver.Config{DB: *db, MaxConns: int32(*pool), Log: log, OIDC: oidc}, *addr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "engram-server:", err)
		if errors.Is(err, teamserver.ErrRole) {
			return 2
		}
		return 1
	}
	return 0
}

func serve(ctx context.Context, cfg teamserver.Config, addr string) error {
	log := cfg.Log
	s, err := teamserver.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	log.Info("serving", "addr", ln.Addr().String(), "pool", cfg.MaxConns, "sign_in", cfg.OIDC != nil)
	err = s.Serve(ctx, ln)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
