// Package store keeps what a node must not lose — detections, incidents,
// border sections with their history, track history and the audit log —
// behind one interface, Store, with one engine per database: store/sqlite,
// the embedded default in the node's data directory, and store/postgres.
// Every engine passes the same suite, store/storetest.
//
// Records are kept as JSON documents beside the columns queries need (an
// ID, an event time), so the schema changes rarely and both engines share
// one shape. Each engine migrates its schema forward on Open, version by
// version, inside a transaction.
//
// Retention is per kind of data: Prune deletes what is older than a
// time, so a node can keep track history for days and incidents for
// years.
package store
