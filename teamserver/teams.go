package teamserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/engram-app/engram/syncproto"
)

// Teams, their members and the workspaces shared with them (schema 5).
// The handlers only say what to do; the policies decide who may: a
// request the database refuses comes back as 403, whatever the handler
// asked.

// ErrForbidden and ErrNotFound mark a request the database refused or
// found nothing for (403 and 404); their messages say what to do.
var (
	ErrForbidden = errors.New("forbidden")
	ErrNotFound  = errors.New("not found")
)

func forbidden(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrForbidden, fmt.Sprintf(format, args...))
}

func notFound(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrNotFound, fmt.Sprintf(format, args...))
}

// refused reports whether PostgreSQL refused a write by a row-level
// policy (or a privilege).
func refused(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "42501"
}

// answer writes res as JSON, or err with the status its class gives.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, res any, err error) {
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, res)
	case errors.Is(err, errBadRequest):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, ErrForbidden):
		writeError(w, http.StatusForbidden, err.Error())
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	default:
		s.fail(w, r, err)
	}
}

// decode reads a JSON request body of at most max bytes into v.
func decode(w http.ResponseWriter, r *http.Request, max int64, v any) error {
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, max)).Decode(v); err != nil {
		return badRequest("the request is not JSON of the sync protocol: %v", err)
	}
	return nil
}

// Limits of the team API's names.
const (
	maxTeamName = 200
	maxEmail    = 320
)

func checkTeamID(id string) error {
	if !uuidRE.MatchString(id) {
		return badRequest("the team must be given by its ID, a lower-case UUID (engram team teams lists them), not %q", id)
	}
	return nil
}

func (s *Server) makeTeam(w http.ResponseWriter, r *http.Request, user string) {
	var req syncproto.TeamRequest
	err := decode(w, r, 1<<16, &req)
	var t syncproto.Team
	if err == nil {
		t, err = s.MakeTeam(r.Context(), user, req.Name)
	}
	s.answer(w, r, t, err)
}

// MakeTeam makes a team called name (1 to 200 bytes) with the user as its
// administrator and first member.
func (s *Server) MakeTeam(ctx context.Context, user, name string) (syncproto.Team, error) {
	name = strings.TrimSpace(name)
	t := syncproto.Team{Name: name, Admin: true}
	if name == "" || len(name) > maxTeamName {
		return t, badRequest("a team's name must be 1 to %d bytes", maxTeamName)
	}
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO teams (id, name, created_by) VALUES (gen_random_uuid(), $1, $2) RETURNING id::text`, name, user).Scan(&t.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO team_admins (team_id, user_id) VALUES ($1, $2)`, t.ID, user); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'admin')`, t.ID, user); err != nil {
			return err
		}
		var p syncproto.Person
		err := tx.QueryRow(ctx, `SELECT id::text, email, name FROM users WHERE id = $1`, user).Scan(&p.ID, &p.Email, &p.Name)
		t.Members = []syncproto.Person{p}
		return err
	})
	if err != nil {
		return syncproto.Team{}, err
	}
	return t, nil
}

func (s *Server) teams(w http.ResponseWriter, r *http.Request, user string) {
	ts, err := s.Teams(r.Context(), user)
	s.answer(w, r, ts, err)
}

// Teams lists the teams the user is in or made, by name, with the roster
// of those they administer.
func (s *Server) Teams(ctx context.Context, user string) ([]syncproto.Team, error) {
	ts := []syncproto.Team{}
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT t.id::text, t.name, EXISTS (SELECT 1 FROM team_admins a WHERE a.team_id = t.id AND a.user_id = $1)
			FROM teams t ORDER BY t.name, t.id`, user)
		if err != nil {
			return err
		}
		if ts, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (syncproto.Team, error) {
			var t syncproto.Team
			return t, row.Scan(&t.ID, &t.Name, &t.Admin)
		}); err != nil {
			return err
		}
		for i := range ts {
			if !ts[i].Admin {
				continue
			}
			rows, err := tx.Query(ctx, `SELECT u.id::text, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id
				WHERE m.team_id = $1 ORDER BY u.email, u.id`, ts[i].ID)
			if err != nil {
				return err
			}
			if ts[i].Members, err = pgx.CollectRows(rows, scanPerson); err != nil {
				return err
			}
		}
		return nil
	})
	return ts, err
}

func scanPerson(row pgx.CollectableRow) (syncproto.Person, error) {
	var p syncproto.Person
	return p, row.Scan(&p.ID, &p.Email, &p.Name)
}

// findByEmail is the one user who signed in with email, as an
// administrator adding them may see them.
func findByEmail(ctx context.Context, tx pgx.Tx, email string) (syncproto.Person, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > maxEmail || !strings.Contains(email, "@") {
		return syncproto.Person{}, badRequest("email must be an address of 1 to %d bytes, not %q", maxEmail, email)
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('engram.lookup_email', $1, true)`, email); err != nil {
		return syncproto.Person{}, err
	}
	rows, err := tx.Query(ctx, `SELECT id::text, email, name FROM users WHERE lower(email) = $1 ORDER BY id`, email)
	if err != nil {
		return syncproto.Person{}, err
	}
	found, err := pgx.CollectRows(rows, scanPerson)
	switch {
	case err != nil:
		return syncproto.Person{}, err
	case len(found) == 0:
		return syncproto.Person{}, notFound("nobody has signed in to this server as %s: they run engram team login first", email)
	case len(found) > 1:
		return syncproto.Person{}, badRequest("%d users signed in as %s, through different providers; ask the server's administrator", len(found), email)
	}
	return found[0], nil
}

func (s *Server) addMember(w http.ResponseWriter, r *http.Request, user string) {
	var req syncproto.MemberRequest
	err := decode(w, r, 1<<12, &req)
	var p syncproto.Person
	if err == nil {
		p, err = s.AddMember(r.Context(), user, r.PathValue("id"), req.Email)
	}
	s.answer(w, r, p, err)
}

// AddMember adds the user who signed in as email to the team; only its
// administrators may (the policy memberships_add decides). Adding a member
// twice is no error.
func (s *Server) AddMember(ctx context.Context, user, team, email string) (syncproto.Person, error) {
	var p syncproto.Person
	if err := checkTeamID(team); err != nil {
		return p, err
	}
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		if p, err = findByEmail(ctx, tx, email); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO memberships (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, team, p.ID)
		if refused(err) {
			return forbidden("you do not administer the team %s: its administrators add members", team)
		}
		return err
	})
	return p, err
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request, user string) {
	err := s.RemoveMember(r.Context(), user, r.PathValue("id"), r.URL.Query().Get("email"))
	s.answer(w, r, map[string]bool{"removed": err == nil}, err)
}

// RemoveMember takes the user who signed in as email out of the team: an
// administrator may remove anyone, a member themselves (leaving).
func (s *Server) RemoveMember(ctx context.Context, user, team, email string) error {
	if err := checkTeamID(team); err != nil {
		return err
	}
	return s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		p, err := findByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM memberships WHERE team_id = $1 AND user_id = $2`, team, p.ID)
		if err == nil && tag.RowsAffected() == 0 {
			return notFound("%s is not a member of a team %s you administer", p.Email, team)
		}
		return err
	})
}

func (s *Server) share(w http.ResponseWriter, r *http.Request, user string) {
	var req syncproto.ShareRequest
	err := decode(w, r, 1<<12, &req)
	if err == nil {
		err = s.Share(r.Context(), user, req.Workspace, req.TeamID)
	}
	s.answer(w, r, map[string]string{"workspace": req.Workspace, "team_id": req.TeamID}, err)
}

// Share shares the user's workspace called name with a team they are in,
// or, with team "", makes it private again.
func (s *Server) Share(ctx context.Context, user, name, team string) error {
	if name == "" || len(name) > 200 {
		return badRequest("workspace must be 1 to 200 bytes")
	}
	if team != "" {
		if err := checkTeamID(team); err != nil {
			return err
		}
	}
	return s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE workspaces SET team_id = NULLIF($3, '')::uuid WHERE owner_id = $1 AND name = $2`, user, name, team)
		if refused(err) {
			return forbidden("you are not in the team %s: share with a team engram team teams lists", team)
		}
		if err == nil && tag.RowsAffected() == 0 {
			return notFound("no workspace called %q: push it first", name)
		}
		return err
	})
}

func (s *Server) workspaces(w http.ResponseWriter, r *http.Request, user string) {
	ws, err := s.Workspaces(r.Context(), user)
	s.answer(w, r, ws, err)
}

// Workspaces lists the workspaces the user may read: their own first,
// then their teammates' by owner and name.
func (s *Server) Workspaces(ctx context.Context, user string) ([]syncproto.Workspace, error) {
	ws := []syncproto.Workspace{}
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT w.id::text, w.name, w.owner_id::text, coalesce(u.email, ''), coalesce(u.name, ''),
				w.owner_id = $1, coalesce(w.team_id::text, ''), coalesce(t.name, '')
			FROM workspaces w LEFT JOIN users u ON u.id = w.owner_id LEFT JOIN teams t ON t.id = w.team_id
			ORDER BY w.owner_id = $1 DESC, u.email, w.name, w.id`, user)
		if err != nil {
			return err
		}
		ws, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (syncproto.Workspace, error) {
			var w syncproto.Workspace
			return w, row.Scan(&w.ID, &w.Name, &w.Owner.ID, &w.Owner.Email, &w.Owner.Name, &w.Mine, &w.TeamID, &w.TeamName)
		})
		return err
	})
	return ws, err
}

// readableWorkspace checks that the user may read the workspace id.
func readableWorkspace(ctx context.Context, tx pgx.Tx, id string) error {
	if !uuidRE.MatchString(id) {
		return badRequest("workspace_id must be a lower-case UUID")
	}
	var found bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM workspaces WHERE id = $1)`, id).Scan(&found); err != nil {
		return err
	}
	if !found {
		return notFound("no workspace %s that you may read: engram team workspaces lists them", id)
	}
	return nil
}
