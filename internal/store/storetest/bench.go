package storetest

import (
	"context"
	"testing"
	"time"

	"pharos/internal/model"
	"pharos/internal/store"
)

// BenchmarkAddTrackStates commits batches of 1,000 track states to s, the
// way a node writes its track history, and reports states per second.
func BenchmarkAddTrackStates(b *testing.B, s store.Store) {
	batch := make([]model.TrackState, 1000)
	n := 0
	for b.Loop() {
		for i := range batch {
			batch[i] = model.TrackState{Time: time.Unix(int64(n), 0), TrackID: uint64(n % 500), Lat: 36, Lon: -5.4,
				SOG: 12, COG: 90, MMSI: 224000001, Sensors: []string{"ais"}}
			n++
		}
		if err := s.AddTrackStates(context.Background(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "states/s")
}
