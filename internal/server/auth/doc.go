// Package auth says who is asking and what they may do: users with
// argon2id-hashed passwords, login sessions with a CSRF token each, API
// tokens for programs, and the four roles of a coordination centre —
// operator, analyst, administrator, auditor — with what each may do.
//
// Secrets (session and API tokens) are random 256-bit values handed out
// once; only their SHA-256 is kept, so a copy of the node's memory or
// database does not log anyone in. Sessions end after IdleTimeout
// without use and after MaxAge in any case. Times here are wall-clock
// times, passed in so that tests can move them.
package auth
