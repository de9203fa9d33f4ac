package postgres

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pharos/internal/model"
	"pharos/internal/store"
	"pharos/internal/store/storetest"
)

// testURL is the database the tests use, from PHAROS_TEST_POSTGRES
// (.ci/run starts a server and sets it). Without it the tests skip, except
// under CI, where they fail.
func testURL(t testing.TB) string {
	u := os.Getenv("PHAROS_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("PHAROS_TEST_POSTGRES is not set: .ci/run starts PostgreSQL and sets it")
		}
		t.Skip("PHAROS_TEST_POSTGRES is not set")
	}
	return u
}

var schemas atomic.Int64

// freshSchema creates an empty schema for one test, dropped after it, and
// returns the URL that works in it.
func freshSchema(t testing.TB) string {
	base := testURL(t)
	ctx := context.Background()
	name := fmt.Sprintf("pharos_test_%d_%d", os.Getpid(), schemas.Add(1))
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return
		}
		defer conn.Close(ctx)
		conn.Exec(ctx, "DROP SCHEMA "+name+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (store.Store, func() store.Store) {
		u := freshSchema(t)
		return open(t, u), func() store.Store { return open(t, u) }
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	u := freshSchema(t)
	ctx := context.Background()
	s, err := Open(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.pool.Exec(ctx, "UPDATE schema_version SET version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := Open(ctx, u); err == nil || !strings.Contains(err.Error(), "newer") {
		if s != nil {
			s.Close()
		}
		t.Fatalf("opened a schema of version 99: %v", err)
	}
}

func TestSIGKILLLosesNothingAcknowledged(t *testing.T) {
	storetest.Crash(t, func(t *testing.T) string { return freshSchema(t) }, open)
}

func open(t *testing.T, url string) store.Store {
	s, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestExpireUsesIndex checks that the expiry of track states reads the
// partial index of the states still to expire, in a generic plan too (the
// plan pgx's statement cache comes to), whose condition must stay the one
// expireQuery builds from store.PersonalWhere.
func TestExpireUsesIndex(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, freshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Many states expired, a few not: the index is worth reading.
	states := make([]model.TrackState, 5000)
	for i := range states {
		states[i] = model.TrackState{Time: time.Unix(int64(i), 0), TrackID: 1}
		if i%500 == 0 {
			states[i].MMSI = 224000001
		}
	}
	if err := s.AddTrackStates(ctx, states); err != nil {
		t.Fatal(err)
	}
	p, err := store.PersonalWhere(store.KindTrackStates)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	for _, q := range []string{"ANALYZE track_states", "SET plan_cache_mode = force_generic_plan",
		"PREPARE expire (bigint) AS " + expireQuery(p)} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	defer conn.Exec(ctx, "DEALLOCATE expire; RESET plan_cache_mode")
	rows, err := conn.Query(ctx, "EXPLAIN EXECUTE expire(0)")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "track_states_personal") {
		t.Errorf("plan of %s:\n%s\nwant a scan of track_states_personal", expireQuery(p), strings.Join(plan, "\n"))
	}
}

// TestMigratesVersion2 opens a store of version 2, with track states
// written before migration 4 indexed them, and expires them.
func TestMigratesVersion2(t *testing.T) {
	ctx := context.Background()
	u := freshSchema(t)
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append(migrations[:2:2], `INSERT INTO track_states (track_id, t_ns, doc)
		VALUES (7, 0, '{"t":"1970-01-01T00:00:00Z","id":7,"lat":36,"lon":-5.4,"sog":12,"cog":90,"mmsi":224000001,"name":"MAR AZUL","dark":false}')`,
		`CREATE TABLE schema_version (version INT NOT NULL)`, `INSERT INTO schema_version VALUES (2)`) {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close(ctx)
	s := open(t, u)
	if n, err := s.ExpirePersonal(ctx, store.KindTrackStates, time.Unix(1, 0)); err != nil || n != 1 {
		t.Errorf("expire the state of version 2: %d, %v; want 1", n, err)
	}
	if got, err := s.Items(ctx, "area"); err != nil || len(got) != 0 {
		t.Errorf("items after migrating: %v, %v", got, err)
	}
}
