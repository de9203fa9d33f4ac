// Package audit is the node's audit log: who did what, when, to what, and
// how it ended, for every user action on the API (and, as sharing lands,
// every message sent, received, refused or dropped).
//
// Entries form a hash chain: each carries the SHA-256 of its own content
// and of the entry before it, so removing, reordering or changing an entry
// breaks every hash after it, and Verify finds where. The store appends
// entries and keeps the chain; this package says how an entry is hashed.
package audit
