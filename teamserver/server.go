package teamserver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Config configures Open.
type Config struct {
	// DB is the app role's connection URL (postgres://...).
	DB string
	// MaxConns bounds the connection pool (1 to 1000); zero means 10.
	MaxConns int32
	// Log receives structured logs; nil discards them. No secret (a token,
	// a password, a query's text) is ever logged.
	Log *slog.Logger
	// OIDC, when set, enables sign-in at /auth/login.
	OIDC *OIDC
}

// Server is one stateless instance.
type Server struct {
	pool *pgxpool.Pool
	log  *slog.Logger
	oidc *oidcClient // nil without a provider
}

// Open connects to PostgreSQL and checks the role: it refuses a superuser,
// a role with BYPASSRLS and a role that owns (or is a member of the role
// that owns) the tables, since row-level security would then not hold; and
// it refuses a database whose schema is older than this server's (run
// `engram-server migrate`).
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.MaxConns == 0 {
		cfg.MaxConns = 10
	}
	if cfg.MaxConns < 1 || cfg.MaxConns > 1000 {
		return nil, fmt.Errorf("the pool size must be from 1 to 1000, not %d", cfg.MaxConns)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	pc, err := pgxpool.ParseConfig(cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("the database URL does not parse (it is not shown here, as it may hold a password): %w", errors.Unwrap(err))
	}
	pc.MaxConns = cfg.MaxConns
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	s := &Server{pool: pool, log: cfg.Log}
	if err := s.checkRole(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if cfg.OIDC != nil {
		if s.oidc, err = newOIDC(ctx, *cfg.OIDC); err != nil {
			pool.Close()
			return nil, err
		}
	}
	return s, nil
}

func (s *Server) checkRole(ctx context.Context) error {
	var role string
	var super, bypass bool
	err := s.pool.QueryRow(ctx, `SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&role, &super, &bypass)
	if err != nil {
		return fmt.Errorf("reading the connection's role: %w", err)
	}
	if super || bypass {
		return fmt.Errorf("%w: %q is a superuser or has BYPASSRLS; connect as the app role that `engram-server migrate --app-role` granted", ErrRole, role)
	}
	var version int
	if err := s.pool.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return fmt.Errorf("reading the schema version (run engram-server migrate first): %w", err)
	}
	if version < SchemaVersion() {
		return fmt.Errorf("the database's schema is version %d, this server needs %d: run engram-server migrate", version, SchemaVersion())
	}
	var owns bool
	err = s.pool.QueryRow(ctx, `SELECT EXISTS (
		SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND pg_has_role(current_user, c.relowner, 'MEMBER'))`).Scan(&owns)
	if err != nil {
		return err
	}
	if owns {
		return fmt.Errorf("%w: %q owns the tables (or is a member of their owner), so row-level security would not bind it; connect as the app role", ErrRole, role)
	}
	return nil
}

// Close closes the pool.
func (s *Server) Close() { s.pool.Close() }

// Handler is the server's HTTP API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("GET /readyz", s.ready)
	mux.HandleFunc("GET /auth/login", s.login)
	mux.HandleFunc("GET /auth/callback", s.callback)
	mux.HandleFunc("POST /auth/token", s.token)
	mux.HandleFunc("GET /auth/done", s.done)
	mux.Handle("GET /v1/search", s.authed(s.search))
	mux.Handle("POST /v1/sync/push", s.authed(s.push))
	mux.Handle("GET /v1/sync/pull", s.authed(s.pull))
	mux.Handle("GET /v1/whoami", s.authed(s.whoami))
	mux.Handle("PUT /v1/sync/dictionary", s.authed(s.dictionary))
	mux.Handle("GET /v1/teams", s.authed(s.teams))
	mux.Handle("POST /v1/teams", s.authed(s.makeTeam))
	mux.Handle("POST /v1/teams/{id}/members", s.authed(s.addMember))
	mux.Handle("DELETE /v1/teams/{id}/members", s.authed(s.removeMember))
	mux.Handle("GET /v1/workspaces", s.authed(s.workspaces))
	mux.Handle("PUT /v1/workspaces/share", s.authed(s.share))
	mux.HandleFunc("GET "+RelayPath, s.relayCallback)
	mux.Handle("POST /v1/relay", s.authed(s.relayBegin))
	mux.Handle("GET /v1/relay", s.authed(s.relayTake))
	return mux
}

// Serve answers HTTP on ln until ctx ends, then stops accepting and gives
// requests in flight 10 s.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.pool.Ping(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// userKey carries the signed-in user's ID in a request's context.
type userKey struct{}

// authed checks the request's bearer token against the sessions table and
// runs h with the session's user.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, user string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok && r.Method == http.MethodGet {
			// A browser's session, for reads only: a cookie never
			// authorises a change (no cross-site request forgery).
			if c, err := r.Cookie(SessionCookie); err == nil {
				token, ok = c.Value, true
			}
		}
		if !ok || token == "" || len(token) > 512 {
			writeError(w, http.StatusUnauthorized, "sign in first: engram team login URL")
			return
		}
		var user string
		hash := hashToken(token)
		err := s.queryAs(r.Context(), "engram.session", hash, func(rows pgx.Rows) (err error) {
			user, err = pgx.CollectExactlyOneRow(rows, pgx.RowTo[string])
			return err
		}, `SELECT user_id::text FROM sessions WHERE token_hash = $1 AND expires > now()`, hash)
		if errors.Is(err, pgx.ErrNoRows) {
			writeError(w, http.StatusUnauthorized, "the session is unknown or expired: sign in again")
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r, user)
	})
}

// queryLimit bounds a request's queries once they run: they are not cut
// off when the client leaves. This server's queries take milliseconds, and
// cancelling one mid-query breaks its connection (pgx cuts the socket), so
// that under load every cancelled request cost PostgreSQL a new backend
// (a fork, a login, cold caches, every statement prepared again) on top
// of its query. The wait for a connection still ends with the request.
const queryLimit = 30 * time.Second

// acquire takes a connection of the pool for a request: ctx bounds the
// wait, the returned context the queries.
func (s *Server) acquire(ctx context.Context) (*pgxpool.Conn, context.Context, func(), error) {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), queryLimit)
	return c, qctx, func() { cancel(); c.Release() }, nil
}

// withUser runs fn in a transaction in which the database knows user as
// the one asking: every row-level policy reads it. fn gets the context to
// run its queries with.
func (s *Server) withUser(ctx context.Context, user string, fn func(ctx context.Context, tx pgx.Tx) error) error {
	c, qctx, done, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer done()
	return pgx.BeginFunc(qctx, c, func(tx pgx.Tx) error {
		if _, err := tx.Exec(qctx, `SELECT set_config('engram.user_id', $1, true)`, user); err != nil {
			return err
		}
		return fn(qctx, tx)
	})
}

// queryAs runs one read-only query with the transaction-local setting
// name = value (the user, or the session being looked up) in one round
// trip, where a transaction takes four (begin, the setting, the query,
// commit): the setting and the query go to PostgreSQL as one batch, which
// it runs as one implicit transaction, so the setting holds for the query
// and ends with it. read gets the query's rows.
func (s *Server) queryAs(ctx context.Context, name, value string, read func(pgx.Rows) error, sql string, args ...any) error {
	c, qctx, done, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	defer done()
	b := &pgx.Batch{}
	b.Queue(`SELECT set_config($1, $2, true)`, name, value)
	b.Queue(sql, args...)
	br := c.SendBatch(qctx, b)
	if _, err = br.Exec(); err == nil {
		var rows pgx.Rows
		if rows, err = br.Query(); err == nil {
			err = read(rows)
		}
	}
	return errors.Join(err, br.Close())
}

func (s *Server) whoami(w http.ResponseWriter, r *http.Request, user string) {
	var email, name string
	err := s.withUser(r.Context(), user, func(ctx context.Context, tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT email, name FROM users WHERE id = $1`, user).Scan(&email, &name)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": user, "email": email, "name": name})
}

// fail answers 503 when the client left or the pool is exhausted in time,
// 500 otherwise, logging the error without the request's query.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil {
		writeError(w, http.StatusServiceUnavailable, "request cancelled")
		return
	}
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "the team server could not answer; it logged why")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewSession makes a session for the user with OpenID Connect issuer and
// subject (creating the user on first sign-in) and returns its bearer
// token, which is stored only as its SHA-256. ttl is from a minute to a
// year.
func (s *Server) NewSession(ctx context.Context, issuer, subject, email, name string, ttl time.Duration) (token, user string, err error) {
	if ttl < time.Minute || ttl > 366*24*time.Hour {
		return "", "", fmt.Errorf("a session lasts from a minute to a year, not %s", ttl)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	token = hex.EncodeToString(b)
	user = uuidFor(issuer + "\x00" + subject)
	err = s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO users (id, issuer, subject, email, name) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET email = excluded.email, name = excluded.name`, user, issuer, subject, email, name); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, expires) VALUES ($1, $2, now() + $3::interval)`, hashToken(token), user, fmt.Sprintf("%d seconds", int64(ttl.Seconds())))
		return err
	})
	return token, user, err
}

// uuidFor is a name-based UUID (version 5 layout over SHA-256) for a
// stable user ID from issuer and subject.
func uuidFor(name string) string {
	sum := sha256.Sum256([]byte("engram-user\x00" + name))
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	h := hex.EncodeToString(sum[:16])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
