// Package postgres is the store engine for a node that outgrows one
// machine: PostgreSQL through pgx, chosen with --db postgres://…. It keeps
// the same records as store/sqlite, documents as jsonb, and migrates its
// schema on Open under an advisory lock, so that nodes starting together
// migrate once.
package postgres
