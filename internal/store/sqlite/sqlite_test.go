package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pharos/internal/store"
	"pharos/internal/store/storetest"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (store.Store, func() store.Store) {
		path := filepath.Join(t.TempDir(), "pharos.db")
		return open(t, path), func() store.Store { return open(t, path) }
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pharos.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := Open(path); err == nil {
		s.Close()
		t.Fatal("opened a store of schema version 99")
	}
}

func TestSIGKILLLosesNothingAcknowledged(t *testing.T) {
	storetest.Crash(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "pharos.db") }, open)
}

func open(t *testing.T, path string) store.Store {
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestExpireUsesIndex checks that the expiry of track states reads the
// partial index of the states still to expire, whose condition must stay
// the one expireQuery builds from store.PersonalWhere.
func TestExpireUsesIndex(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "pharos.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := store.PersonalWhere(store.KindTrackStates)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	rows, err := s.db.Query("EXPLAIN QUERY PLAN "+expireQuery(p), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if len(plan) != 1 || !strings.Contains(plan[0], "USING INDEX track_states_personal") {
		t.Errorf("plan of %s:\n%s\nwant a search of track_states_personal", expireQuery(p), strings.Join(plan, "\n"))
	}
}

// TestMigratesVersion2 opens a store of version 2, with track states
// written before migration 4 indexed them, and expires them.
func TestMigratesVersion2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pharos.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(migrations[:2:2], `INSERT INTO track_states (track_id, t_ns, doc)
		VALUES (7, 0, '{"t":"1970-01-01T00:00:00Z","id":7,"lat":36,"lon":-5.4,"sog":12,"cog":90,"mmsi":224000001,"name":"MAR AZUL","dark":false}')`,
		"PRAGMA user_version = 2") {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	s := open(t, path)
	ctx := context.Background()
	if n, err := s.ExpirePersonal(ctx, store.KindTrackStates, time.Unix(1, 0)); err != nil || n != 1 {
		t.Errorf("expire the state of version 2: %d, %v; want 1", n, err)
	}
	if got, err := s.Items(ctx, "area"); err != nil || len(got) != 0 {
		t.Errorf("items after migrating: %v, %v", got, err)
	}
}
