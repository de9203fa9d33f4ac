package postgres

import (
	"context"
	"testing"

	"pharos/internal/store/storetest"
)

func BenchmarkAddTrackStates(b *testing.B) {
	s, err := Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkAddTrackStates(b, s)
}

func BenchmarkExpirePersonal(b *testing.B) {
	s, err := Open(context.Background(), freshSchema(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	storetest.BenchmarkExpirePersonal(b, s, 100_000)
}
