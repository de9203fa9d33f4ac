package sqlite

import (
	"path/filepath"
	"testing"

	"pharos/internal/store/storetest"
)

func BenchmarkAddTrackStates(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "pharos.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkAddTrackStates(b, s)
}

func BenchmarkExpirePersonal(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "pharos.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkExpirePersonal(b, s, 100_000)
}
