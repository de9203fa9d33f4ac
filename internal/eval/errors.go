package eval

import "errors"

// Errors returned by the readers, wrapped with the place where the input
// went wrong (a line of tracks.jsonl, a vessel of truth.json).
var (
	// ErrStatus reports a track state whose status is not one of
	// confirmed, coasting, tentative or dropped.
	ErrStatus = errors.New("unknown track status")

	// ErrTruth reports a truth file that decodes but cannot be scored: a
	// vessel without id or with the id of another, samples out of time order,
	// a negative step, a position off the globe.
	ErrTruth = errors.New("invalid truth")
)
