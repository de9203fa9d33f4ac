// Package sqlite is the embedded store engine: one SQLite file in the
// node's data directory (modernc.org/sqlite, pure Go, so the binary stays
// static), in WAL mode so that readers never wait for the writer, with
// synchronous=FULL so that a commit that returned survives a crash of the
// process or of the machine.
//
// It keeps every record of store.Store: detections, incidents, border
// sections, track history, the audit log and items, as JSON text, and
// expires vessel identifiers in place with SQLite's JSON functions
// (json_remove, json_set). Schema version N is the database's
// user_version: 1 the records of the picture, 2 the audit log, 3 items, 4
// an index of the track states that still hold vessel identifiers.
package sqlite
