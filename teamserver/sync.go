package teamserver

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/engram-app/engram/syncproto"
)

// Limits of a push, checked before anything is stored.
const (
	maxBatch   = 1000    // changes a push
	maxKey     = 1024    // bytes of a key
	maxBody    = 1 << 20 // bytes of a body
	maxParents = 64      // parents of a change
	maxPush    = 64 << 20
)

// marks turns ts_headline's private-use delimiters into <mark> tags.
var marks = strings.NewReplacer("\uE000", "<mark>", "\uE001", "</mark>")

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// errBadRequest marks a request the client must change; its message says how.
var errBadRequest = errors.New("bad request")

func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadRequest, fmt.Sprintf(format, args...))
}

func checkChange(i int, c syncproto.Change) error {
	switch {
	case !uuidRE.MatchString(c.ID):
		return badRequest("change %d: id must be a lower-case UUID, not %q", i, c.ID)
	case c.Kind != syncproto.KindNote && c.Kind != syncproto.KindMemory && c.Kind != syncproto.KindDocument:
		return badRequest("change %d: kind must be note, memory or document, not %q", i, c.Kind)
	case c.Key == "" || len(c.Key) > maxKey:
		return badRequest("change %d: key must be 1 to %d bytes", i, maxKey)
	case len(c.Body)+len(c.Title) > maxBody:
		return badRequest("change %d: title and body are over %d bytes", i, maxBody)
	case len(c.Parents) > maxParents:
		return badRequest("change %d: at most %d parents", i, maxParents)
	}
	for _, p := range c.Parents {
		if !uuidRE.MatchString(p) {
			return badRequest("change %d: parent %q is not a lower-case UUID", i, p)
		}
	}
	return nil
}

func (s *Server) push(w http.ResponseWriter, r *http.Request, user string) {
	var req syncproto.PushRequest
	err := decode(w, r, maxPush, &req)
	var res syncproto.PushResponse
	if err == nil {
		res, err = s.Push(r.Context(), user, req)
	}
	s.answer(w, r, res, err)
}

// Push stores a batch of changes of the user's workspace req.Workspace
// (made on first push), or of the workspace req.WorkspaceID the user may
// read, in one transaction: all of it or none. A change the
// server has already is counted as a duplicate and changes nothing.
// Changes of one workspace are written one batch at a time, so the log's
// order is the order batches committed in.
func (s *Server) Push(ctx context.Context, user string, req syncproto.PushRequest) (syncproto.PushResponse, error) {
	var res syncproto.PushResponse
	if req.Device == "" || len(req.Device) > 200 {
		return res, badRequest("device must be 1 to 200 bytes")
	}
	if req.WorkspaceID == "" && (req.Workspace == "" || len(req.Workspace) > 200) {
		return res, badRequest("workspace must be 1 to 200 bytes")
	}
	if len(req.Changes) > maxBatch {
		return res, badRequest("at most %d changes a push, not %d", maxBatch, len(req.Changes))
	}
	for i, c := range req.Changes {
		if err := checkChange(i, c); err != nil {
			return res, err
		}
	}
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		res = syncproto.PushResponse{Conflicts: []syncproto.Conflict{}}
		ws, err := workspaceOf(ctx, tx, user, req.Workspace, req.WorkspaceID, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, ws); err != nil {
			return err
		}
		type item struct{ kind, key string }
		var touched []item
		for _, c := range req.Changes {
			parents := c.Parents
			if parents == nil {
				parents = []string{}
			}
			tag, err := tx.Exec(ctx, `INSERT INTO changes (workspace_id, change_id, device_id, author_id, kind, key, parent_ids, title, body, deleted)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (change_id) DO NOTHING`,
				ws, c.ID, req.Device, user, c.Kind, c.Key, parents, c.Title, c.Body, c.Deleted)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				res.Duplicates++
				continue
			}
			res.Accepted++
			if _, err := tx.Exec(ctx, `DELETE FROM heads WHERE workspace_id = $1 AND kind = $2 AND key = $3 AND change_id = ANY($4)`, ws, c.Kind, c.Key, parents); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO heads (workspace_id, kind, key, change_id, title, body, deleted, tsv)
				VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7 THEN ''::tsvector ELSE to_tsvector('english', $5 || ' ' || $6) END)`,
				ws, c.Kind, c.Key, c.ID, c.Title, c.Body, c.Deleted); err != nil {
				return err
			}
			if !slices.Contains(touched, item{c.Kind, c.Key}) {
				touched = append(touched, item{c.Kind, c.Key})
			}
		}
		for _, it := range touched {
			rows, err := tx.Query(ctx, `SELECT change_id::text FROM heads WHERE workspace_id = $1 AND kind = $2 AND key = $3 ORDER BY change_id`, ws, it.kind, it.key)
			if err != nil {
				return err
			}
			heads, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			if len(heads) > 1 {
				res.Conflicts = append(res.Conflicts, syncproto.Conflict{Kind: it.kind, Key: it.key, Heads: heads})
			}
		}
		return nil
	})
	return res, err
}

// workspaceOf returns id when the user may read that workspace, else the
// ID of their own workspace called name (made when create is set).
func workspaceOf(ctx context.Context, tx pgx.Tx, user, name, id string, create bool) (string, error) {
	if id != "" {
		return id, readableWorkspace(ctx, tx, id)
	}
	return ownWorkspace(ctx, tx, user, name, create)
}

// ownWorkspace returns the ID of the user's workspace called name, making
// it when create is set.
func ownWorkspace(ctx context.Context, tx pgx.Tx, user, name string, create bool) (string, error) {
	var id string
	err := tx.QueryRow(ctx, `SELECT id::text FROM workspaces WHERE owner_id = $1 AND name = $2`, user, name).Scan(&id)
	if err == nil || !errors.Is(err, pgx.ErrNoRows) {
		return id, err
	}
	if !create {
		return "", badRequest("no workspace called %q: push it first", name)
	}
	err = tx.QueryRow(ctx, `INSERT INTO workspaces (id, owner_id, name) VALUES (gen_random_uuid(), $1, $2)
		ON CONFLICT (owner_id, name) DO UPDATE SET name = excluded.name RETURNING id::text`, user, name).Scan(&id)
	return id, err
}

func intQuery(r *http.Request, name string, def, lo, hi int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, badRequest("%s must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

func (s *Server) pull(w http.ResponseWriter, r *http.Request, user string) {
	after, err := intQuery(r, "after", 0, 0, 1<<62)
	if err == nil {
		var limit int64
		if limit, err = intQuery(r, "limit", 500, 1, 1000); err == nil {
			q := r.URL.Query()
			var res syncproto.PullResponse
			res, err = s.Pull(r.Context(), user, q.Get("device"), q.Get("workspace"), q.Get("workspace_id"), after, int(limit))
			s.answer(w, r, res, err)
			return
		}
	}
	s.answer(w, r, nil, err)
}

// Pull returns up to limit changes after the cursor of the workspace the
// user may read (their own called name, or any by wsID), and records the
// device's cursor.
func (s *Server) Pull(ctx context.Context, user, device, name, wsID string, after int64, limit int) (syncproto.PullResponse, error) {
	res := syncproto.PullResponse{Changes: []syncproto.PulledChange{}, Cursor: after}
	if device == "" {
		return res, badRequest("device is required")
	}
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		ws, err := workspaceOf(ctx, tx, user, name, wsID, false)
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT seq, change_id::text, kind, key, parent_ids::text[], title, body, deleted, device_id, author_id::text, created
			FROM changes WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, ws, after, limit+1)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c syncproto.PulledChange
			if err := rows.Scan(&c.Seq, &c.ID, &c.Kind, &c.Key, &c.Parents, &c.Title, &c.Body, &c.Deleted, &c.Device, &c.Author, &c.Created); err != nil {
				return err
			}
			if len(res.Changes) == limit {
				res.More = true
				break
			}
			res.Changes = append(res.Changes, c)
			res.Cursor = c.Seq
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		_, err = tx.Exec(ctx, `INSERT INTO cursors (user_id, device_id, workspace_id, pulled_seq) VALUES ($1, $2, $3, $4)
			ON CONFLICT (user_id, device_id, workspace_id) DO UPDATE SET pulled_seq = excluded.pulled_seq, updated = now()`, user, device, ws, res.Cursor)
		return err
	})
	return res, err
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, user string) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" || len(q) > 1000 {
		writeError(w, http.StatusBadRequest, "q must be 1 to 1000 characters")
		return
	}
	limit, err := intQuery(r, "limit", 20, 1, 100)
	var res syncproto.SearchResponse
	if err == nil {
		res, err = s.Search(r.Context(), user, q, int(limit))
	}
	s.answer(w, r, res, err)
}

// Search finds the items of every workspace the user may read that match
// q (web search syntax: words, "phrases", -not, or), best first; the
// database's policies decide what may be read. Snippets are HTML-escaped
// text with the matches in <mark>.
func (s *Server) Search(ctx context.Context, user, q string, limit int) (syncproto.SearchResponse, error) {
	res := syncproto.SearchResponse{Hits: []syncproto.SearchHit{}}
	read := func(rows pgx.Rows) error {
		hits, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (syncproto.SearchHit, error) {
			var h syncproto.SearchHit
			var rank float32
			err := row.Scan(&h.Workspace, &h.Kind, &h.Key, &h.Title, &h.Snippet, &rank, &h.Conflict)
			h.Rank = float64(rank)
			// The body is text, not HTML: escape it, then mark the matches.
			h.Snippet = marks.Replace(html.EscapeString(h.Snippet))
			return h, err
		})
		res.Hits = append(res.Hits, hits...)
		return err
	}
	// The dictionaries' synonyms of every readable workspace rewrite the
	// query (ts_rewrite runs its rule query under the same policies).
	err := s.queryAs(ctx, "engram.user_id", user, read, `WITH q AS (SELECT ts_rewrite(websearch_to_tsquery('english', $1), 'SELECT target, substitute FROM synonyms ORDER BY workspace_id, term') AS q),
			hits AS (
				SELECT h.workspace_id, h.kind, h.key, h.title, h.body, ts_rank(h.tsv, q.q) AS rank,
					(SELECT count(*) FROM heads o WHERE o.workspace_id = h.workspace_id AND o.kind = h.kind AND o.key = h.key) > 1 AS conflict
				FROM heads h, q
				-- The policy (schema 4) limits the scan to the readable
				-- workspaces through the heads' key; the query is a
				-- scalar subquery so that the match can use the GIN index
				-- as well, where that is cheaper.
				WHERE h.tsv @@ (SELECT q FROM q) AND NOT h.deleted
				ORDER BY rank DESC, h.key, h.change_id LIMIT $2)
			SELECT w.name, hits.kind, hits.key, hits.title,
				ts_headline('english', left(hits.body, 20000), q.q, 'MaxWords=30, MinWords=10, StartSel=, StopSel='),
				hits.rank, hits.conflict
			FROM hits JOIN workspaces w ON w.id = hits.workspace_id, q
			ORDER BY hits.rank DESC, hits.key`, q, limit)
	return res, err
}

// WorkspaceID is the ID of the user's own workspace called name (for an
// administrator's tools and the load test).
func (s *Server) WorkspaceID(ctx context.Context, user, name string) (string, error) {
	var id string
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		var err error
		id, err = ownWorkspace(ctx, tx, user, name, false)
		return err
	})
	return id, err
}

// Limits of a dictionary.
const (
	maxDictEntries    = 10000
	maxDictTerm       = 200
	maxDictExpansions = 32
)

func (s *Server) dictionary(w http.ResponseWriter, r *http.Request, user string) {
	var req syncproto.DictionaryRequest
	err := decode(w, r, 16<<20, &req)
	var n int
	if err == nil {
		n, err = s.SetDictionary(r.Context(), user, req)
	}
	s.answer(w, r, syncproto.DictionaryResponse{Rules: n}, err)
}

// SetDictionary replaces the synonyms of the user's workspace req.Workspace
// (made when new) with req.Entries, in one transaction, and returns how
// many rules it keeps (an entry whose term is only stop words makes none).
func (s *Server) SetDictionary(ctx context.Context, user string, req syncproto.DictionaryRequest) (int, error) {
	if req.Workspace == "" || len(req.Workspace) > 200 {
		return 0, badRequest("workspace must be 1 to 200 bytes")
	}
	if len(req.Entries) > maxDictEntries {
		return 0, badRequest("at most %d dictionary entries, not %d", maxDictEntries, len(req.Entries))
	}
	for i, e := range req.Entries {
		if e.Term == "" || len(e.Term) > maxDictTerm || len(e.Expansions) > maxDictExpansions {
			return 0, badRequest("entry %d: a term of 1 to %d bytes with at most %d expansions", i, maxDictTerm, maxDictExpansions)
		}
		for _, x := range e.Expansions {
			if x == "" || len(x) > maxDictTerm {
				return 0, badRequest("entry %d: an expansion must be 1 to %d bytes", i, maxDictTerm)
			}
		}
	}
	rules := 0
	err := s.withUser(ctx, user, func(ctx context.Context, tx pgx.Tx) error {
		ws, err := ownWorkspace(ctx, tx, user, req.Workspace, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM synonyms WHERE workspace_id = $1`, ws); err != nil {
			return err
		}
		for _, e := range req.Entries {
			// Each member of the entry (the term, each expansion) stands
			// for the whole group, as the desktop's dictionary expands
			// both ways.
			group := append([]string{e.Term}, e.Expansions...)
			for _, m := range group {
				tag, err := tx.Exec(ctx, `INSERT INTO synonyms (workspace_id, term, target, substitute)
				SELECT $1, $2, phraseto_tsquery('english', $2),
					(SELECT string_agg('(' || phraseto_tsquery('english', x)::text || ')', ' | ' ORDER BY n)
					 FROM unnest($3::text[]) WITH ORDINALITY AS u(x, n)
					 WHERE phraseto_tsquery('english', x)::text <> '')::tsquery
				WHERE phraseto_tsquery('english', $2)::text <> ''
				ON CONFLICT (workspace_id, term) DO NOTHING`, ws, strings.ToLower(m), group)
				if err != nil {
					return err
				}
				rules += int(tag.RowsAffected())
			}
		}
		return nil
	})
	return rules, err
}
