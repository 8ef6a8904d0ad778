// Package teamserver is Engram's team sync server: stateless HTTP
// instances in front of PostgreSQL, the team's system of record. Nothing
// that matters lives in an instance: sessions, sync cursors and the change
// log are rows, so any number of instances can stand behind any load
// balancer.
//
// Access is enforced in the database. Every tenant table has row-level
// security enabled and forced, with policies that read the signed-in user
// from a transaction-local setting (set_config('engram.user_id', id, true)),
// which the server sets at the start of every transaction it runs for a
// request (withUser). The server connects as an app role that owns no table
// and has neither SUPERUSER nor BYPASSRLS, and refuses to start otherwise:
// a handler bug can at worst ask for the wrong rows, never receive another
// user's.
//
// Migrations are embedded SQL, run once by `engram-server migrate` as the
// tables' owner, which then grants the app role what it needs.
package teamserver
