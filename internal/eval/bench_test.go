package eval

import (
	"math/rand/v2"
	"testing"
	"time"

	"pharos/internal/geo"
)

// benchRun builds a scenario of vessels × samples on a 10 s grid in a
// 60 km square (the Strait of Gibraltar), each vessel followed by a track
// with ~30 m of noise, one state per step, plus a tenth as many false
// tracks.
func benchRun(vessels, samples int) (*Truth, []TrackState) {
	rng := rand.New(rand.NewPCG(7, 8))
	tr := truth(samples)
	var tracks []TrackState
	for v := range vessels {
		lat, lon := geo.Destination(35.9, -5.6, rng.Float64()*360, rng.Float64()*30000)
		p := steaming(lat, lon, rng.Float64()*360, 5+rng.Float64()*25)
		dark := v%5 == 0
		tr.Vessels = append(tr.Vessels, vessel("v", p, 0, samples, dark))
		tr.Vessels[v].ID = string(rune('a'+v%26)) + string(rune('0'+v/26))
		id := uint64(v + 1)
		for k := range samples {
			lat, lon := offset(p, rng.Float64()*360, rng.Float64()*60)(k)
			tracks = append(tracks, TrackState{T: at(k).Add(time.Duration(rng.IntN(5)) * time.Second), ID: id,
				Status: StatusConfirmed, Lat: lat, Lon: lon, SOG: 10, COG: 90, Dark: dark})
		}
	}
	for f := range vessels / 10 {
		lat, lon := geo.Destination(35.9, -5.6, rng.Float64()*360, rng.Float64()*30000)
		tracks = append(tracks, follow(uint64(10000+f), still(lat, lon), 0, samples, false)...)
	}
	return tr, tracks
}

func BenchmarkEvaluate(b *testing.B) {
	tr, tracks := benchRun(100, 360)
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(tr, tracks, Options{})
	}
}
