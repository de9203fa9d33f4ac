// Package postgres is the store engine for a node that outgrows one
// machine: PostgreSQL through pgx, chosen with --db postgres://…. It keeps
// the same records as store/sqlite (detections, incidents, border
// sections, track history, the audit log and items), documents as jsonb,
// expires vessel identifiers in place with jsonb's operators (-,
// jsonb_set), and migrates its schema on Open under an advisory lock, so
// that nodes starting together migrate once. Schema versions, in the
// table schema_version, match store/sqlite's: 1 the records of the
// picture, 2 the audit log, 3 items, 4 an index of the track states that
// still hold vessel identifiers.
package postgres
