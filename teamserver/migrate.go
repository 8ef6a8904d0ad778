package teamserver

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed schema/*.sql
var schemaFS embed.FS

// ErrRole means the server was asked to connect as a role it must not use.
var ErrRole = errors.New("unsafe database role")

// migrations are the embedded schema files, in order: NNN_name.sql.
func migrations() ([]migration, error) {
	names, err := fs.Glob(schemaFS, "schema/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for _, n := range names {
		base := strings.TrimPrefix(n, "schema/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: the name must start with its number", n)
		}
		b, err := schemaFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

type migration struct {
	version int
	name    string
	sql     string
}

// Migrate runs the migrations not yet applied, as the role ownerURL
// connects as (the tables' owner), each in a transaction, under an
// advisory lock so that two migrators never interleave. It then grants
// appRole the use of every table, sequence and function, after checking
// that appRole is a different role with neither SUPERUSER nor BYPASSRLS.
// It returns the versions it applied.
func Migrate(ctx context.Context, ownerURL, appRole string) ([]int, error) {
	if appRole == "" {
		return nil, fmt.Errorf("%w: --app-role names the role the server connects as", ErrRole)
	}
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return nil, fmt.Errorf("connecting as the owner: %w", err)
	}
	defer conn.Close(ctx)
	var super, bypass bool
	err = conn.QueryRow(ctx, `SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, appRole).Scan(&super, &bypass)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("%w: role %q does not exist; create it first: CREATE ROLE %s LOGIN PASSWORD '...' NOSUPERUSER NOBYPASSRLS", ErrRole, appRole, appRole)
	}
	if err != nil {
		return nil, err
	}
	var me string
	if err := conn.QueryRow(ctx, `SELECT current_user`).Scan(&me); err != nil {
		return nil, err
	}
	if super || bypass || appRole == me {
		return nil, fmt.Errorf("%w: the app role %q must not be a superuser, have BYPASSRLS or be the owner %q", ErrRole, appRole, me)
	}
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	var applied []int
	err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7354617)`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		for _, m := range ms {
			var n int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name); err != nil {
				return err
			}
			applied = append(applied, m.version)
		}
		role := pgx.Identifier{appRole}.Sanitize()
		for _, g := range []string{
			`GRANT USAGE ON SCHEMA public TO ` + role,
			`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ` + role,
			`REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ` + role,
			`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ` + role,
			`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO ` + role,
		} {
			if _, err := tx.Exec(ctx, g); err != nil {
				return fmt.Errorf("granting %s: %w", appRole, err)
			}
		}
		return nil
	})
	return applied, err
}

// SchemaVersion is the newest migration the embedded schema holds.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}
