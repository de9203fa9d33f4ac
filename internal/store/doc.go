// Package store keeps what a node must not lose — detections, incidents,
// border sections with their history, track history, the audit log, and
// the items the node and its users keep by kind and ID (own assets,
// operations, environmental information, risk products, watchlist
// entries, requests for information, imagery references, the areas users
// draw, users and API tokens) — behind one interface, Store, with one
// engine per database: store/sqlite, the embedded default in the node's
// data directory, and store/postgres. Every engine passes the same suite,
// store/storetest.
//
// Records are kept as JSON documents beside the columns queries need (an
// ID, an event time), so the schema changes rarely and both engines share
// one shape. Each engine migrates its schema forward on Open, version by
// version, inside a transaction.
//
// Retention is per kind of data: Prune deletes what is older than a
// time, so a node can keep track history for days and incidents for
// years. Vessel identifiers, the personal data of the picture, can go
// sooner: ExpirePersonal removes them from older track states and
// detections and keeps the rest (PersonalWhere says what goes). Incidents,
// reports people wrote, are kept whole until Prune deletes them.
package store
