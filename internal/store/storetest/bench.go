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

// BenchmarkExpirePersonal expires the vessel identifiers of n track
// states at a time, all older than the limit, and reports states per
// second; the states are written afresh, outside the timing, before each
// expiry.
func BenchmarkExpirePersonal(b *testing.B, s store.Store, n int) {
	ctx := context.Background()
	before := time.Unix(int64(n), 0)
	batch := make([]model.TrackState, 1000)
	total := 0
	for b.Loop() {
		b.StopTimer()
		if _, err := s.Prune(ctx, store.KindTrackStates, before); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < n; i += len(batch) {
			for j := range batch {
				batch[j] = model.TrackState{Time: time.Unix(int64(i+j), 0), TrackID: uint64((i + j) % 500), Lat: 36, Lon: -5.4,
					SOG: 12, COG: 90, MMSI: 224000001, Name: "MAR AZUL", Sensors: []string{"ais"}}
			}
			if err := s.AddTrackStates(ctx, batch[:min(len(batch), n-i)]); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		got, err := s.ExpirePersonal(ctx, store.KindTrackStates, before)
		if err != nil || got != int64(n) {
			b.Fatalf("expired %d, %v; want %d", got, err, n)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "states/s")
}
