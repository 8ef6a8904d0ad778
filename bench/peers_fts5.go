package bench

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	_ "github.com/mattn/go-sqlite3" // the database/sql driver "sqlite3" (cgo)
)

// The SQLite FTS5 peer is one FTS5 virtual table over the same messages,
// filled from one writer in transactions of peerBatch rows with a prepared
// statement, with the journal and syncing off: SQLite at its fastest, as
// an app that can rebuild the index would run it.

// errNoFTS5 is returned when the SQLite compiled into this binary has no
// FTS5: mattn/go-sqlite3 builds it only with the sqlite_fts5 tag.
var errNoFTS5 = errors.New("fts5 not compiled in: run with -tags sqlite_fts5 (make bench does)")

// fts5Schema is the peer's table; porter stemming over unicode61, the
// tokenizer most FTS5 apps use for mail.
const fts5Schema = `CREATE VIRTUAL TABLE mail USING fts5(subject, sender, recipients, body, tokenize='porter unicode61')`

// hasFTS5 reports whether db's SQLite was compiled with FTS5.
func hasFTS5(db *sql.DB) (bool, error) {
	var on bool
	if err := db.QueryRow(`SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&on); err != nil {
		return false, fmt.Errorf("asking SQLite for its compile options: %w", err)
	}
	return on, nil
}

// fts5Available reports whether this binary's SQLite has FTS5, and the
// error that says why not.
func fts5Available() error {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	on, err := hasFTS5(db)
	if err != nil {
		return err
	}
	if !on {
		return errNoFTS5
	}
	return nil
}

// indexFTS5 indexes the Maildir under dir into a new SQLite database at
// path: peerParsers goroutines parse, one writer inserts. It returns once
// the database is closed.
func indexFTS5(ctx context.Context, dir, path string) (docs, failed int, err error) {
	if err := os.RemoveAll(path); err != nil {
		return 0, 0, err
	}
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		return 0, 0, err
	}
	db.SetMaxOpenConns(1) // the pragmas are per connection
	docs, failed, err = fillFTS5(ctx, db, dir)
	return docs, failed, errors.Join(err, db.Close())
}

func fillFTS5(ctx context.Context, db *sql.DB, dir string) (docs, failed int, err error) {
	if on, err := hasFTS5(db); err != nil || !on {
		return 0, 0, cmp.Or(err, errNoFTS5)
	}
	for _, s := range []string{`PRAGMA journal_mode=OFF`, `PRAGMA synchronous=OFF`, fts5Schema} {
		if _, err := db.Exec(s); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", s, err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	msgs := make(chan peerMsg, 2*peerBatch)
	done := make(chan struct{})
	var (
		parseFailed int
		walkErr     error
	)
	go func() {
		defer close(done)
		parseFailed, walkErr = walkMessages(ctx, dir, msgs)
	}()
	docs, err = insertFTS5(db, msgs)
	if err != nil {
		cancel()
	}
	for range msgs { // let the walk end
	}
	<-done
	if walkErr != nil && err == nil {
		err = fmt.Errorf("walking %s: %w", dir, walkErr)
	}
	return docs, parseFailed, err
}

// insertFTS5 inserts msgs in transactions of peerBatch rows.
func insertFTS5(db *sql.DB, msgs <-chan peerMsg) (int, error) {
	var (
		tx   *sql.Tx
		stmt *sql.Stmt
		n    int
		docs int
	)
	commit := func() error {
		if tx == nil {
			return nil
		}
		err := errors.Join(stmt.Close(), tx.Commit())
		tx, stmt = nil, nil
		docs += n
		n = 0
		return err
	}
	for m := range msgs {
		if tx == nil {
			var err error
			if tx, err = db.Begin(); err != nil {
				return docs, err
			}
			if stmt, err = tx.Prepare(`INSERT INTO mail(subject, sender, recipients, body) VALUES (?, ?, ?, ?)`); err != nil {
				_ = tx.Rollback()
				return docs, err
			}
		}
		if _, err := stmt.Exec(m.subject, m.from, m.to, m.body); err != nil {
			_ = stmt.Close()
			_ = tx.Rollback()
			return docs, fmt.Errorf("inserting %s: %w", m.id, err)
		}
		if n++; n == peerBatch {
			if err := commit(); err != nil {
				return docs, err
			}
		}
	}
	return docs, commit()
}

// fts5Searcher answers the query mix on the peer's table.
type fts5Searcher struct {
	db   *sql.DB
	stmt *sql.Stmt
}

// openFTS5Searcher opens the database at path read-only with a connection
// for each of clients.
func openFTS5Searcher(path string, clients int) (*fts5Searcher, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(clients)
	db.SetMaxIdleConns(clients)
	if on, err := hasFTS5(db); err != nil || !on {
		db.Close()
		return nil, cmp.Or(err, errNoFTS5)
	}
	stmt, err := db.Prepare(`SELECT rowid, subject FROM mail WHERE mail MATCH ? ORDER BY rank LIMIT 10`)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &fts5Searcher{db: db, stmt: stmt}, nil
}

func (s *fts5Searcher) Close() error { return errors.Join(s.stmt.Close(), s.db.Close()) }

// search asks for the top 10 by FTS5's rank (bm25), with their subjects.
func (s *fts5Searcher) search(q peerQuery) (int, error) {
	rows, err := s.stmt.Query(q.fts5Match())
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		var subject string
		if err := rows.Scan(&id, &subject); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
