package track

import (
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// aisTraffic returns n reports each from vessels vessels on straight
// courses in the western Mediterranean, in time order.
func aisTraffic(vessels, n int) []model.Observation {
	rng := rand.New(rand.NewPCG(3, 4))
	start := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	type v struct{ lat, lon, sog, cog float64 }
	vs := make([]v, vessels)
	for i := range vs {
		vs[i] = v{35 + rng.Float64()*5, -5 + rng.Float64()*10, 5 + rng.Float64()*15, rng.Float64() * 360}
	}
	obs := make([]model.Observation, n)
	for k := range obs {
		i := k % vessels
		sec := float64(k / vessels * 10)
		lat, lon := geo.Destination(vs[i].lat, vs[i].lon, vs[i].cog, vs[i].sog*geo.Knot*sec)
		o := model.NewObservation(start.Add(time.Duration(sec*float64(time.Second))+time.Duration(i)), "ais", model.SensorAIS)
		o.MMSI, o.Lat, o.Lon, o.SOG, o.COG = uint32(224000000+i), lat, lon, vs[i].sog, vs[i].cog
		obs[k] = o
	}
	return obs
}

// BenchmarkAISUpdate measures the AIS hot path: one position report
// updating its vessel's track among 10,000. ns/op is per report.
func BenchmarkAISUpdate(b *testing.B) {
	obs := aisTraffic(10000, 200000)
	tr := New(Config{}, func(*Track) {})
	for i := range obs[:10000] {
		tr.Add(&obs[i])
	}
	b.ReportAllocs()
	i := 10000
	for b.Loop() {
		tr.Add(&obs[i])
		if i++; i == len(obs) {
			b.StopTimer()
			tr = New(Config{}, func(*Track) {})
			for k := range obs[:10000] {
				tr.Add(&obs[k])
			}
			i = 10000
			b.StartTimer()
		}
	}
}

// TestMemoryPerTrack holds 200,000 live tracks and checks what each costs.
func TestMemoryPerTrack(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 200,000 tracks")
	}
	const n = 200000
	obs := aisTraffic(n, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tr := New(Config{}, func(*Track) {})
	for i := range obs {
		tr.Add(&obs[i])
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if got := len(tr.Tracks()); got != n {
		t.Fatalf("%d tracks live, want %d", got, n)
	}
	per := float64(after.HeapAlloc-before.HeapAlloc) / n
	t.Logf("%.0f bytes per live track (track, identity, indexes)", per)
	if per > 1024 {
		t.Errorf("%.0f bytes per track, target ≤ 1 KiB", per)
	}
	runtime.KeepAlive(tr)
}
