package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
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

	// SaveItem stores an item, replacing an item of the same kind and ID.
	// Kind and ID are required and Value must be valid JSON (Item.Check).
	SaveItem(ctx context.Context, it Item) error
	// Items returns every item of a kind, by ID (bytewise); none: an
	// empty list, not nil.
	Items(ctx context.Context, kind string) ([]Item, error)
	// DeleteItem deletes an item, or says ErrNotFound.
	DeleteItem(ctx context.Context, kind, id string) error

	// Prune deletes the records of a kind older than before (by event
	// time: a state's time, a detection's start, a closed incident's
	// closing; open incidents are never pruned) and says how many went.
	Prune(ctx context.Context, kind Kind, before time.Time) (int64, error)
	// ExpirePersonal removes vessel identifiers from the records of a kind
	// whose event time is before before, keeping the rest; it says how many
	// records it changed (records already without them are not counted).
	// PersonalWhere says what goes; incidents are not expired this way.
	ExpirePersonal(ctx context.Context, kind Kind, before time.Time) (int64, error)

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

// Kinds of data Prune and ExpirePersonal know.
const (
	KindTrackStates Kind = "track_states"
	KindDetections  Kind = "detections"
	KindIncidents   Kind = "incidents"
)

// Item is one record of a kind the store keeps as a JSON document by ID:
// the node's operational and analysis layers (own assets, operations,
// environmental information, risk products, watchlist entries, requests
// for information, imagery references), the areas users draw, users and
// API tokens. The store does not look inside Value.
//
// Updated comes back exactly as saved, to the nanosecond, in UTC (without
// a monotonic reading); the zero time stays zero. Other times must lie in
// the years 1678–2262, the range of Unix nanoseconds in which the schema
// keeps every time. Value comes back as the same JSON value, not always
// byte for byte: PostgreSQL keeps jsonb, which reorders keys, respaces,
// keeps the last of duplicate keys and refuses a string holding \u0000.
type Item struct {
	Kind    string          `json:"kind"`
	ID      string          `json:"id"`
	Updated time.Time       `json:"updated"`
	Value   json.RawMessage `json:"value"`
}

// Check says why the store would refuse an item, or nil. Both engines
// call it in SaveItem, so they refuse the same items.
func (it Item) Check() error {
	switch {
	case it.Kind == "":
		return fmt.Errorf("item %q: no kind", it.ID)
	case it.ID == "":
		return fmt.Errorf("item of kind %q: no id", it.Kind)
	case !json.Valid(it.Value):
		return fmt.Errorf("item %s/%s: value is not valid JSON", it.Kind, it.ID)
	case !it.Updated.IsZero() && (it.Updated.Before(minNanos) || it.Updated.After(maxNanos)):
		return fmt.Errorf("item %s/%s: updated %v is outside the years 1678–2262", it.Kind, it.ID, it.Updated)
	}
	return nil
}

// The times Unix nanoseconds can hold.
var minNanos, maxNanos = time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)

// Personal says where a kind of data keeps the identifiers of vessels,
// the personal data of a maritime picture: EUROSUR lets a node keep ship
// identification numbers only as long as it needs them, so ExpirePersonal
// removes them from older records and keeps the rest (positions, times,
// measurements) for the statistics and the risk analysis.
type Personal struct {
	Table, Column string   // as PruneWhere: the table and its event time
	Drop          []string // top-level keys removed from each document
	Empty         []string // top-level lists set to [], so that readers find the shape they know
	Details       []string // keys removed from the document's "details" object
}

// PersonalWhere says, for ExpirePersonal, what identifies a vessel in each
// kind of data; both engines share it, as they share PruneWhere.
//
// Track states (model.TrackState) carry the MMSI and the name a vessel
// sends. Detections (model.Event) list the MMSIs involved, and their
// details may carry identity the detectors copied from AIS or from the
// watchlist: watchlist_hit writes the vessel's name and the name the entry
// watches for, identity_spoof the old and the new name of an MMSI. No
// detector writes an IMO number, a call sign or an MMSI into the details
// today; they are listed so that one that does later is covered. A
// detector that adds such a key must add it here. Left alone: a
// watchlist_hit's entry ID (the entry is the node's own operational data,
// kept as an Item), an identity_spoof's MID (the flag state's three
// digits, not a vessel) and the track IDs (the node's own numbering).
//
// Incidents are reports people wrote, which name vessels in free text and
// which a node must keep whole; they are not expired this way.
//
// The engines index the track states that still hold Drop's keys, so that
// an expiry reads only those; the index's condition is written out in a
// migration of each engine. Changing Drop needs a new index there (each
// engine's TestExpireUsesIndex fails until it has one).
func PersonalWhere(kind Kind) (Personal, error) {
	if kind == KindIncidents {
		return Personal{}, errors.New("expire personal data: incidents are reports people wrote, not expired this way")
	}
	table, column, err := PruneWhere(kind)
	if err != nil {
		return Personal{}, fmt.Errorf("expire personal data: unknown kind of data %q", kind)
	}
	p := Personal{Table: table, Column: column}
	switch kind {
	case KindTrackStates:
		p.Drop = []string{"mmsi", "name"}
	case KindDetections:
		p.Empty = []string{"mmsi"}
		p.Details = []string{
			"name", "watch_name", // watchlist_hit
			"old_name", "new_name", // identity_spoof
			"mmsi", "imo", "call_sign", // none yet: the identifiers the watchlist matches on
		}
	}
	return p, nil
}
