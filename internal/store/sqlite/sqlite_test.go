package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"

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
