package postgres

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

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
