// Package sqlite is the embedded store engine: one SQLite file in the
// node's data directory (modernc.org/sqlite, pure Go, so the binary stays
// static), in WAL mode so that readers never wait for the writer, with
// synchronous=FULL so that a commit that returned survives a crash of the
// process or of the machine.
package sqlite
