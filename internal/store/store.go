package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pharos/internal/audit"
	"pharos/internal/model"
	"pharos/internal/picture"
)

// ErrNotFound reports a record the store does not hold.
var ErrNotFound = errors.New("not found")

// Store is a node's persistence. Writes are durable when they return:
// a crash after that loses nothing. Methods are safe for concurrent use.
type Store interface {
	// SaveDetection stores a detection, replacing an earlier version of
	// the same ID.
	SaveDetection(ctx context.Context, ev model.Event) error
	// Detections returns the detections that started at or after since,
	// oldest first.
	Detections(ctx context.Context, since time.Time) ([]model.Event, error)

	// SaveIncident stores an incident, replacing an earlier version.
	SaveIncident(ctx context.Context, in picture.Incident) error
	// Incident returns one incident, or ErrNotFound.
	Incident(ctx context.Context, id string) (picture.Incident, error)
	// Incidents returns every incident, oldest detection first.
	Incidents(ctx context.Context) ([]picture.Incident, error)

	// SaveSection stores a border section with its history.
	SaveSection(ctx context.Context, s picture.Section) error
	// Sections returns the border sections, by ID.
	Sections(ctx context.Context) ([]picture.Section, error)

	// AddTrackStates appends track states to the history, all or none.
	AddTrackStates(ctx context.Context, states []model.TrackState) error
	// TrackHistory returns a track's states from from to to inclusive,
	// oldest first.
	TrackHistory(ctx context.Context, id uint64, from, to time.Time) ([]model.TrackState, error)

	// AppendAudit seals an entry after the last one (audit.Entry.Seal)
	// and appends it, in one transaction, so that concurrent appends make
	// one chain; it returns the entry sealed.
	AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error)
	// AuditLog returns up to limit entries after sequence number after,
	// in order.
	AuditLog(ctx context.Context, after int64, limit int) ([]audit.Entry, error)

	// Prune deletes the records of a kind older than before (by event
	// time: a state's time, a detection's start, a closed incident's
	// closing; open incidents are never pruned) and says how many went.
	Prune(ctx context.Context, kind Kind, before time.Time) (int64, error)

	Close() error
}

// Kind is a kind of data with a retention of its own.
type Kind string

// PruneWhere names the table a kind of data lives in and the column of
// event time (Unix nanoseconds) its retention counts from; both engines
// share the schema, so they share this. Closed incidents count from their
// closing; open ones have no closing (NULL) and are never pruned.
func PruneWhere(kind Kind) (table, column string, err error) {
	switch kind {
	case KindTrackStates:
		return "track_states", "t_ns", nil
	case KindDetections:
		return "detections", "start_ns", nil
	case KindIncidents:
		return "incidents", "closed_ns", nil
	}
	return "", "", fmt.Errorf("prune: unknown kind of data %q", kind)
}

// Kinds of data Prune knows.
const (
	KindTrackStates Kind = "track_states"
	KindDetections  Kind = "detections"
	KindIncidents   Kind = "incidents"
)
