package teamserver

import (
	"context"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/engram-app/engram/syncproto"
)

// The https relay of a connector's sign-in (schema 6): Slack sends the
// browser to RelayPath on the team server, which keeps the query for the
// desktop that registered the state; the desktop takes it and finishes the
// sign-in itself.

// RelayPath is the relay's callback, the redirect URI to register with the
// provider: PUBLIC_URL + RelayPath.
const RelayPath = syncproto.RelayPath

// relayTTL is how long a registered sign-in waits for its callback.
const relayTTL = 10 * time.Minute

const maxState = 512

func (s *Server) relayBegin(w http.ResponseWriter, r *http.Request, user string) {
	var req syncproto.RelayRequest
	err := decode(w, r, 1<<12, &req)
	if err == nil {
		err = s.RelayBegin(r.Context(), user, req.State)
	}
	s.answer(w, r, syncproto.RelayResponse{Waiting: err == nil}, err)
}

func checkState(state string) error {
	if len(state) < 16 || len(state) > maxState {
		return badRequest("state must be 16 to %d bytes", maxState)
	}
	return nil
}

// RelayBegin registers the state of the user's sign-in for relayTTL.
// Registering it again is no error.
func (s *Server) RelayBegin(ctx context.Context, user, state string) error {
	if err := checkState(state); err != nil {
		return err
	}
	return s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO relay_flows (state_hash, user_id, expires) VALUES ($1, $2, now() + make_interval(secs => $3))
			ON CONFLICT (state_hash) DO NOTHING`, hashToken(state), user, relayTTL.Seconds())
		if refused(err) {
			return forbidden("that state belongs to another sign-in")
		}
		return err
	})
}

// relayCallback is where the provider sends the browser: the query is
// kept for the desktop, once, if its state is registered and waiting.
func (s *Server) relayCallback(w http.ResponseWriter, r *http.Request) {
	state := r.URL.Query().Get("state")
	if checkState(state) != nil {
		authPage(w, http.StatusBadRequest, "This address lacks the sign-in's state: start the sign-in again in Engram.")
		return
	}
	// Expired rows go first, so the table holds only live sign-ins.
	if _, err := s.pool.Exec(r.Context(), `DELETE FROM relay_flows`); err != nil {
		s.log.Error("purging relay flows", "err", err)
	}
	var n int64
	err := pgx.BeginFunc(r.Context(), s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(r.Context(), `SELECT set_config('engram.relay', $1, true)`, hashToken(state)); err != nil {
			return err
		}
		tag, err := tx.Exec(r.Context(), `UPDATE relay_flows SET callback = $2 WHERE state_hash = $1`, hashToken(state), r.URL.RawQuery)
		n = tag.RowsAffected()
		return err
	})
	switch {
	case err != nil:
		s.log.Error("relaying a sign-in", "err", err)
		authPage(w, http.StatusInternalServerError, "The team server could not keep this sign-in; it logged why. Start it again in Engram.")
	case n == 0:
		authPage(w, http.StatusBadRequest, "This sign-in is unknown, took more than 10 minutes, or was already used: start it again in Engram.")
	default:
		authPage(w, http.StatusOK, "Signed in. Engram finishes the sign-in; you can close this tab.")
	}
}

func (s *Server) relayTake(w http.ResponseWriter, r *http.Request, user string) {
	res, err := s.RelayTake(r.Context(), user, r.URL.Query().Get("state"))
	s.answer(w, r, res, err)
}

// RelayTake hands the user the query the browser brought for state, once
// (Waiting while none came yet); an unknown or expired state is
// ErrNotFound.
func (s *Server) RelayTake(ctx context.Context, user, state string) (syncproto.RelayResponse, error) {
	var res syncproto.RelayResponse
	if err := checkState(state); err != nil {
		return res, err
	}
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		var q *string
		var live bool
		err := tx.QueryRow(ctx, `SELECT callback, expires > now() FROM relay_flows WHERE state_hash = $1`, hashToken(state)).Scan(&q, &live)
		switch {
		case err == pgx.ErrNoRows || (err == nil && !live):
			return notFound("no sign-in waits under that state (unknown, taken, or older than 10 minutes): start it again")
		case err != nil:
			return err
		case q == nil:
			res.Waiting = true
			return nil
		}
		res.Query = *q
		_, err = tx.Exec(ctx, `DELETE FROM relay_flows WHERE state_hash = $1`, hashToken(state))
		return err
	})
	return res, err
}
