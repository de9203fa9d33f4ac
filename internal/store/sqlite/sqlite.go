package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	"pharos/internal/audit"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/store"
)

// Store is a store in one SQLite file.
type Store struct {
	db *sql.DB
}

var _ store.Store = (*Store)(nil)

// migrations bring the schema from each version to the next; the
// database's user_version says how many have run. Times are Unix
// nanoseconds of event time.
var migrations = []string{
	`CREATE TABLE detections (id TEXT PRIMARY KEY, start_ns INTEGER NOT NULL, doc TEXT NOT NULL);
	CREATE INDEX detections_start ON detections (start_ns);
	CREATE TABLE incidents (id TEXT PRIMARY KEY, detected_ns INTEGER NOT NULL, closed_ns INTEGER, doc TEXT NOT NULL);
	CREATE TABLE sections (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
	CREATE TABLE track_states (track_id INTEGER NOT NULL, t_ns INTEGER NOT NULL, doc TEXT NOT NULL);
	CREATE INDEX track_states_track ON track_states (track_id, t_ns);
	CREATE INDEX track_states_t ON track_states (t_ns);`,
	`CREATE TABLE audit (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);`,
	// updated_ns is NULL for the zero time, which Unix nanoseconds cannot hold.
	`CREATE TABLE items (kind TEXT NOT NULL, id TEXT NOT NULL, updated_ns INTEGER, doc TEXT NOT NULL,
		PRIMARY KEY (kind, id));`,
	// The track states that still hold a vessel's identifiers, for
	// ExpirePersonal; the condition is, word for word, the one its query
	// builds from store.PersonalWhere (TestExpireUsesIndex).
	`CREATE INDEX track_states_personal ON track_states (t_ns)
		WHERE json_type(doc, '$."mmsi"') IS NOT NULL OR json_type(doc, '$."name"') IS NOT NULL;`,
}

// Open opens the store in the file at path, creating it if need be, and
// migrates its schema to this version of Pharos. A file from a newer
// version is refused.
func Open(path string) (*Store, error) {
	q := url.Values{}
	// cache_size: 64 MiB a connection rather than SQLite's 2 MiB, so that
	// the pages of the track-history index that thousands of live tracks
	// touch stay in memory instead of being read back for every batch.
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)", "cache_size(-65536)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate") // writers queue at BEGIN, not fail at their first write
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	s := &Store{db: db}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return s, nil
}

func (s *Store) migrate() error {
	ctx := context.Background()
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this Pharos knows (%d)", version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1))
			return err
		})
		if err != nil {
			return fmt.Errorf("migration to version %d: %w", v+1, err)
		}
	}
	return nil
}

// inTx runs f in a transaction, committed when f returns nil.
func (s *Store) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// SaveDetection implements store.Store.
func (s *Store) SaveDetection(ctx context.Context, ev model.Event) error {
	doc, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO detections (id, start_ns, doc) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET start_ns = excluded.start_ns, doc = excluded.doc`,
		ev.ID, ev.Start.UnixNano(), doc)
	return err
}

// Detections implements store.Store.
func (s *Store) Detections(ctx context.Context, since time.Time) ([]model.Event, error) {
	return query[model.Event](ctx, s.db, `SELECT doc FROM detections WHERE start_ns >= ? ORDER BY start_ns, id`, since.UnixNano())
}

// SaveIncident implements store.Store.
func (s *Store) SaveIncident(ctx context.Context, in picture.Incident) error {
	doc, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var closed sql.NullInt64
	if in.Status == picture.StatusClosed {
		closed = sql.NullInt64{Int64: in.Closed.UnixNano(), Valid: true}
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO incidents (id, detected_ns, closed_ns, doc) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET detected_ns = excluded.detected_ns, closed_ns = excluded.closed_ns, doc = excluded.doc`,
		in.ID, in.Detected.UnixNano(), closed, doc)
	return err
}

// Incident implements store.Store.
func (s *Store) Incident(ctx context.Context, id string) (picture.Incident, error) {
	list, err := query[picture.Incident](ctx, s.db, `SELECT doc FROM incidents WHERE id = ?`, id)
	if err != nil {
		return picture.Incident{}, err
	}
	if len(list) == 0 {
		return picture.Incident{}, fmt.Errorf("incident %s: %w", id, store.ErrNotFound)
	}
	return list[0], nil
}

// Incidents implements store.Store.
func (s *Store) Incidents(ctx context.Context) ([]picture.Incident, error) {
	return query[picture.Incident](ctx, s.db, `SELECT doc FROM incidents ORDER BY detected_ns, id`)
}

// SaveSection implements store.Store.
func (s *Store) SaveSection(ctx context.Context, sec picture.Section) error {
	doc, err := json.Marshal(sec)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO sections (id, doc) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`, sec.ID, doc)
	return err
}

// Sections implements store.Store.
func (s *Store) Sections(ctx context.Context) ([]picture.Section, error) {
	return query[picture.Section](ctx, s.db, `SELECT doc FROM sections ORDER BY id`)
}

// AddTrackStates implements store.Store: one transaction for the batch.
func (s *Store) AddTrackStates(ctx context.Context, states []model.TrackState) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO track_states (track_id, t_ns, doc) VALUES (?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		var doc []byte
		for i := range states {
			st := &states[i]
			if doc, err = json.Marshal(st); err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, int64(st.TrackID), st.Time.UnixNano(), doc); err != nil {
				return err
			}
		}
		return nil
	})
}

// TrackHistory implements store.Store.
func (s *Store) TrackHistory(ctx context.Context, id uint64, from, to time.Time) ([]model.TrackState, error) {
	return query[model.TrackState](ctx, s.db, `SELECT doc FROM track_states
		WHERE track_id = ? AND t_ns BETWEEN ? AND ? ORDER BY t_ns, rowid`, int64(id), from.UnixNano(), to.UnixNano())
}

// AppendAudit implements store.Store; the write lock taken at BEGIN
// keeps appends in one chain.
func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error) {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var doc []byte
		var prev *audit.Entry
		switch err := tx.QueryRowContext(ctx, `SELECT doc FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&doc); {
		case err == nil:
			prev = new(audit.Entry)
			if err := json.Unmarshal(doc, prev); err != nil {
				return fmt.Errorf("stored audit entry: %w", err)
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		e.Seal(prev)
		doc, err := json.Marshal(e)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit (seq, doc) VALUES (?, ?)`, e.Seq, doc)
		return err
	})
	return e, err
}

// AuditLog implements store.Store.
func (s *Store) AuditLog(ctx context.Context, after int64, limit int) ([]audit.Entry, error) {
	return query[audit.Entry](ctx, s.db, `SELECT doc FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
}

// Prune implements store.Store.
func (s *Store) Prune(ctx context.Context, kind store.Kind, before time.Time) (int64, error) {
	table, column, err := store.PruneWhere(kind)
	if err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, "DELETE FROM "+table+" WHERE "+column+" < ?", before.UnixNano())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// SaveItem implements store.Store.
func (s *Store) SaveItem(ctx context.Context, it store.Item) error {
	if err := it.Check(); err != nil {
		return err
	}
	var updated sql.NullInt64
	if !it.Updated.IsZero() {
		updated = sql.NullInt64{Int64: it.Updated.UnixNano(), Valid: true}
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO items (kind, id, updated_ns, doc) VALUES (?, ?, ?, ?)
		ON CONFLICT (kind, id) DO UPDATE SET updated_ns = excluded.updated_ns, doc = excluded.doc`,
		it.Kind, it.ID, updated, string(it.Value))
	if err != nil {
		return fmt.Errorf("item %s/%s: %w", it.Kind, it.ID, err)
	}
	return nil
}

// Items implements store.Store.
func (s *Store) Items(ctx context.Context, kind string) ([]store.Item, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, updated_ns, doc FROM items WHERE kind = ? ORDER BY id`, kind)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []store.Item{}
	for rows.Next() {
		it := store.Item{Kind: kind}
		var updated sql.NullInt64
		var doc string
		if err := rows.Scan(&it.ID, &updated, &doc); err != nil {
			return nil, err
		}
		if updated.Valid {
			it.Updated = time.Unix(0, updated.Int64).UTC()
		}
		it.Value = json.RawMessage(doc)
		list = append(list, it)
	}
	return list, rows.Err()
}

// DeleteItem implements store.Store.
func (s *Store) DeleteItem(ctx context.Context, kind, id string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM items WHERE kind = ? AND id = ?`, kind, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("item %s/%s: %w", kind, id, store.ErrNotFound)
	}
	return nil
}

// ExpirePersonal implements store.Store: one UPDATE, so one transaction,
// that edits the documents in place with SQLite's JSON functions. It holds
// the write lock while it runs, some 5 s a million states on a small
// machine, and writers wait for it up to busy_timeout (10 s): a node
// should expire often, a few hours of states at a time, not once a week.
func (s *Store) ExpirePersonal(ctx context.Context, kind store.Kind, before time.Time) (int64, error) {
	p, err := store.PersonalWhere(kind)
	if err != nil {
		return 0, err
	}
	res, err := s.db.ExecContext(ctx, expireQuery(p), before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("expire personal data of %s: %w", kind, err)
	}
	return res.RowsAffected()
}

// expireQuery is the UPDATE that removes p's identifiers from the rows
// older than its one parameter. It touches only the rows that hold one,
// so that the count is exact and a second run changes nothing. The paths
// are literals, not parameters, so that the planner can match the test
// for track states to the partial index of migration 4, which holds the
// rows still to expire: a run then reads those only, not every row that
// earlier runs expired and Prune has not yet deleted.
func expireQuery(p store.Personal) string {
	var remove, has []string
	for _, k := range p.Drop {
		remove = append(remove, jsonPath("$", k))
		has = append(has, "json_type(doc, "+jsonPath("$", k)+") IS NOT NULL")
	}
	for _, k := range p.Details {
		remove = append(remove, jsonPath("$.details", k))
		has = append(has, "json_type(doc, "+jsonPath("$.details", k)+") IS NOT NULL")
	}
	doc := "doc"
	if len(remove) > 0 {
		doc = "json_remove(doc, " + strings.Join(remove, ", ") + ")"
	}
	var set []string
	for _, k := range p.Empty {
		set = append(set, jsonPath("$", k)+", json('[]')")
		has = append(has, "json_array_length(doc, "+jsonPath("$", k)+") > 0")
	}
	if len(set) > 0 {
		doc = "json_set(" + doc + ", " + strings.Join(set, ", ") + ")"
	}
	return "UPDATE " + p.Table + " SET doc = " + doc + " WHERE " + p.Column + " < ? AND (" + strings.Join(has, " OR ") + ")"
}

// jsonPath is key's path in the object at path, as an SQL literal; the
// key is quoted in the path, so that it may hold dots (PersonalWhere's
// keys hold no double quotes).
func jsonPath(path, key string) string {
	return "'" + strings.ReplaceAll(path+`."`+key+`"`, "'", "''") + "'"
}

// query decodes the JSON documents a query returns.
func query[T any](ctx context.Context, db *sql.DB, q string, args ...any) ([]T, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal(doc, &v); err != nil {
			return nil, fmt.Errorf("stored document: %w", err)
		}
		list = append(list, v)
	}
	return list, rows.Err()
}
