package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"pharos/internal/audit"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/store"
)

// Store is a store in a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// migrations bring the schema from each version to the next; the table
// schema_version says how many have run. Times are Unix nanoseconds of
// event time, as in store/sqlite.
var migrations = []string{
	`CREATE TABLE detections (id TEXT PRIMARY KEY, start_ns BIGINT NOT NULL, doc JSONB NOT NULL);
	CREATE INDEX detections_start ON detections (start_ns);
	CREATE TABLE incidents (id TEXT PRIMARY KEY, detected_ns BIGINT NOT NULL, closed_ns BIGINT, doc JSONB NOT NULL);
	CREATE TABLE sections (id TEXT PRIMARY KEY, doc JSONB NOT NULL);
	CREATE TABLE track_states (seq BIGINT GENERATED ALWAYS AS IDENTITY, track_id BIGINT NOT NULL, t_ns BIGINT NOT NULL, doc JSONB NOT NULL);
	CREATE INDEX track_states_track ON track_states (track_id, t_ns);
	CREATE INDEX track_states_t ON track_states (t_ns);`,
	`CREATE TABLE audit (seq BIGINT PRIMARY KEY, doc JSONB NOT NULL);`,
	// updated_ns is NULL for the zero time, which Unix nanoseconds cannot
	// hold. The C collation orders IDs bytewise, as store/sqlite and Go do,
	// whatever the database's locale.
	`CREATE TABLE items (kind TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, updated_ns BIGINT,
		doc JSONB NOT NULL, PRIMARY KEY (kind, id));`,
	// The track states that still hold a vessel's identifiers, for
	// ExpirePersonal; the condition is, word for word, the one its query
	// builds from store.PersonalWhere (TestExpireUsesIndex).
	`CREATE INDEX track_states_personal ON track_states (t_ns) WHERE doc ?| ARRAY['mmsi', 'name'];`,
}

// Advisory lock keys: schemas migrate, and audit entries append, one at a
// time.
const (
	migrationLock = 0x70686172 // "phar"
	auditLock     = 0x61756474 // "audt"
)

// Open connects to the database at url (postgres://…) and migrates its
// schema to this version of Pharos. A schema from a newer version is
// refused.
func Open(ctx context.Context, url string) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	s := &Store{pool: pool}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL)`); err != nil {
			return err
		}
		var version int
		err := tx.QueryRow(ctx, `SELECT version FROM schema_version`).Scan(&version)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version VALUES (0)`); err != nil {
				return err
			}
		case err != nil:
			return err
		}
		if version > len(migrations) {
			return fmt.Errorf("schema version %d is newer than this Pharos knows (%d)", version, len(migrations))
		}
		for v := version; v < len(migrations); v++ {
			if _, err := tx.Exec(ctx, migrations[v]); err != nil {
				return fmt.Errorf("migration to version %d: %w", v+1, err)
			}
		}
		_, err = tx.Exec(ctx, `UPDATE schema_version SET version = $1`, len(migrations))
		return err
	})
}

// Close closes the connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// SaveDetection implements store.Store.
func (s *Store) SaveDetection(ctx context.Context, ev model.Event) error {
	doc, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO detections (id, start_ns, doc) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET start_ns = excluded.start_ns, doc = excluded.doc`,
		ev.ID, ev.Start.UnixNano(), doc)
	return err
}

// Detections implements store.Store.
func (s *Store) Detections(ctx context.Context, since time.Time) ([]model.Event, error) {
	return query[model.Event](ctx, s.pool, `SELECT doc FROM detections WHERE start_ns >= $1 ORDER BY start_ns, id`, since.UnixNano())
}

// SaveIncident implements store.Store.
func (s *Store) SaveIncident(ctx context.Context, in picture.Incident) error {
	doc, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var closed *int64
	if in.Status == picture.StatusClosed {
		ns := in.Closed.UnixNano()
		closed = &ns
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO incidents (id, detected_ns, closed_ns, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET detected_ns = excluded.detected_ns, closed_ns = excluded.closed_ns, doc = excluded.doc`,
		in.ID, in.Detected.UnixNano(), closed, doc)
	return err
}

// Incident implements store.Store.
func (s *Store) Incident(ctx context.Context, id string) (picture.Incident, error) {
	list, err := query[picture.Incident](ctx, s.pool, `SELECT doc FROM incidents WHERE id = $1`, id)
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
	return query[picture.Incident](ctx, s.pool, `SELECT doc FROM incidents ORDER BY detected_ns, id`)
}

// SaveSection implements store.Store.
func (s *Store) SaveSection(ctx context.Context, sec picture.Section) error {
	doc, err := json.Marshal(sec)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO sections (id, doc) VALUES ($1, $2)
		ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`, sec.ID, doc)
	return err
}

// Sections implements store.Store.
func (s *Store) Sections(ctx context.Context) ([]picture.Section, error) {
	return query[picture.Section](ctx, s.pool, `SELECT doc FROM sections ORDER BY id`)
}

// AddTrackStates implements store.Store: the batch goes in by COPY, in
// one transaction.
func (s *Store) AddTrackStates(ctx context.Context, states []model.TrackState) error {
	rows := make([][]any, len(states))
	for i := range states {
		st := &states[i]
		doc, err := json.Marshal(st)
		if err != nil {
			return err
		}
		rows[i] = []any{int64(st.TrackID), st.Time.UnixNano(), doc}
	}
	_, err := s.pool.CopyFrom(ctx, pgx.Identifier{"track_states"}, []string{"track_id", "t_ns", "doc"}, pgx.CopyFromRows(rows))
	return err
}

// TrackHistory implements store.Store.
func (s *Store) TrackHistory(ctx context.Context, id uint64, from, to time.Time) ([]model.TrackState, error) {
	return query[model.TrackState](ctx, s.pool, `SELECT doc FROM track_states
		WHERE track_id = $1 AND t_ns BETWEEN $2 AND $3 ORDER BY t_ns, seq`, int64(id), from.UnixNano(), to.UnixNano())
}

// AppendAudit implements store.Store; an advisory lock keeps appends in
// one chain.
func (s *Store) AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error) {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLock); err != nil {
			return err
		}
		var doc []byte
		var prev *audit.Entry
		switch err := tx.QueryRow(ctx, `SELECT doc FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&doc); {
		case err == nil:
			prev = new(audit.Entry)
			if err := json.Unmarshal(doc, prev); err != nil {
				return fmt.Errorf("stored audit entry: %w", err)
			}
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		e.Seal(prev)
		doc, err := json.Marshal(e)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO audit (seq, doc) VALUES ($1, $2)`, e.Seq, doc)
		return err
	})
	return e, err
}

// AuditLog implements store.Store.
func (s *Store) AuditLog(ctx context.Context, after int64, limit int) ([]audit.Entry, error) {
	return query[audit.Entry](ctx, s.pool, `SELECT doc FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2`, after, limit)
}

// Prune implements store.Store.
func (s *Store) Prune(ctx context.Context, kind store.Kind, before time.Time) (int64, error) {
	table, column, err := store.PruneWhere(kind)
	if err != nil {
		return 0, err
	}
	tag, err := s.pool.Exec(ctx, "DELETE FROM "+table+" WHERE "+column+" < $1", before.UnixNano())
	if err != nil {
		return 0, err
	}
	return tag.RowsAffected(), nil
}

// SaveItem implements store.Store.
func (s *Store) SaveItem(ctx context.Context, it store.Item) error {
	if err := it.Check(); err != nil {
		return err
	}
	var updated *int64
	if !it.Updated.IsZero() {
		ns := it.Updated.UnixNano()
		updated = &ns
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO items (kind, id, updated_ns, doc) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, id) DO UPDATE SET updated_ns = excluded.updated_ns, doc = excluded.doc`,
		it.Kind, it.ID, updated, []byte(it.Value))
	if err != nil {
		return fmt.Errorf("item %s/%s: %w", it.Kind, it.ID, err)
	}
	return nil
}

// Items implements store.Store.
func (s *Store) Items(ctx context.Context, kind string) ([]store.Item, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, updated_ns, doc FROM items WHERE kind = $1 ORDER BY id`, kind)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Item, error) {
		it := store.Item{Kind: kind}
		var updated *int64
		if err := row.Scan(&it.ID, &updated, &it.Value); err != nil {
			return it, err
		}
		if updated != nil {
			it.Updated = time.Unix(0, *updated).UTC()
		}
		return it, nil
	})
	if list == nil && err == nil {
		list = []store.Item{}
	}
	return list, err
}

// DeleteItem implements store.Store.
func (s *Store) DeleteItem(ctx context.Context, kind, id string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM items WHERE kind = $1 AND id = $2`, kind, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("item %s/%s: %w", kind, id, store.ErrNotFound)
	}
	return nil
}

// ExpirePersonal implements store.Store: one UPDATE, so one transaction,
// that edits the jsonb documents in place with jsonb's operators.
func (s *Store) ExpirePersonal(ctx context.Context, kind store.Kind, before time.Time) (int64, error) {
	p, err := store.PersonalWhere(kind)
	if err != nil {
		return 0, err
	}
	tag, err := s.pool.Exec(ctx, expireQuery(p), before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("expire personal data of %s: %w", kind, err)
	}
	return tag.RowsAffected(), nil
}

// expireQuery is the UPDATE that removes p's identifiers from the rows
// older than its one parameter. It touches only the rows that hold one,
// so that the count is exact and a second run changes nothing. The keys
// are literals, not parameters, so that the planner can match the test
// for track states to the partial index of migration 4, which holds the
// rows still to expire, in generic plans too: a run then reads those
// only, not every row that earlier runs expired and Prune has not yet
// deleted.
func expireQuery(p store.Personal) string {
	doc, has := "doc", []string{}
	if len(p.Drop) > 0 {
		doc = "(" + doc + " - " + textArray(p.Drop) + ")"
		has = append(has, "doc ?| "+textArray(p.Drop))
	}
	if len(p.Details) > 0 {
		// jsonb_set is strict, and - refuses a scalar: only an object
		// of details is edited.
		doc = "CASE WHEN jsonb_typeof(doc->'details') = 'object' THEN jsonb_set(" + doc +
			", '{details}', (doc->'details') - " + textArray(p.Details) + ") ELSE " + doc + " END"
		has = append(has, "doc->'details' ?| "+textArray(p.Details))
	}
	for _, k := range p.Empty {
		doc = "jsonb_set(" + doc + ", " + textArray([]string{k}) + ", '[]')"
		has = append(has, "(jsonb_typeof(doc->"+quote(k)+") = 'array' AND doc->"+quote(k)+" <> '[]')")
	}
	return "UPDATE " + p.Table + " SET doc = " + doc + " WHERE " + p.Column + " < $1 AND (" + strings.Join(has, " OR ") + ")"
}

// textArray is an SQL array of strings: ARRAY['a', 'b'].
func textArray(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = quote(s)
	}
	return "ARRAY[" + strings.Join(q, ", ") + "]"
}

// quote is an SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// query decodes the JSON documents a query returns.
func query[T any](ctx context.Context, pool *pgxpool.Pool, q string, args ...any) ([]T, error) {
	rows, err := pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (T, error) {
		var doc []byte
		var v T
		if err := row.Scan(&doc); err != nil {
			return v, err
		}
		if err := json.Unmarshal(doc, &v); err != nil {
			return v, fmt.Errorf("stored document: %w", err)
		}
		return v, nil
	})
}
