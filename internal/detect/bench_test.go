package detect

import (
	"math/rand/v2"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// BenchmarkDetectors measures every default detector together on the
// track updates of 2,000 AIS vessels and 50 dark boats in the Strait of
// Gibraltar and the Alborán Sea; ns/op is per track update.
func BenchmarkDetectors(b *testing.B) {
	land, err := geo.LoadLand()
	if err != nil {
		b.Fatal(err)
	}
	areas, err := geo.LoadTerritorialWaters()
	if err != nil {
		b.Fatal(err)
	}
	// Record the tracker's output once, then replay copies of it.
	rng := rand.New(rand.NewPCG(5, 6))
	var updates []track.Track
	tr := track.New(track.Config{Radars: nil}, func(t *track.Track) {
		c := *t
		if t.Identity != nil {
			id := *t.Identity
			c.Identity = &id
		}
		updates = append(updates, c)
	})
	type v struct{ lat, lon, sog, cog float64 }
	vs := make([]v, 2050)
	for i := range vs {
		vs[i] = v{35.8 + rng.Float64()*0.6, -5.8 + rng.Float64()*1.6, 2 + rng.Float64()*20, rng.Float64() * 360}
	}
	for k := 0; k < 60; k++ { // ten minutes, a report every 10 s
		for i, x := range vs {
			sec := float64(k * 10)
			lat, lon := geo.Destination(x.lat, x.lon, x.cog, x.sog*geo.Knot*sec)
			sensor := model.SensorAIS
			if i >= 2000 {
				sensor = model.SensorRadar
			}
			o := model.NewObservation(t0.Add(time.Duration(sec*float64(time.Second))+time.Duration(i)), "bench", sensor)
			o.Lat, o.Lon, o.SOG, o.COG = lat, lon, x.sog, x.cog
			if sensor == model.SensorAIS {
				o.MMSI = uint32(224000000 + i)
			}
			tr.Add(&o)
		}
	}
	eng := NewEngine(func(*model.Event) {}, Defaults(land, areas)...)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		eng.Observe(&updates[i])
		if i++; i == len(updates) {
			b.StopTimer()
			eng = NewEngine(func(*model.Event) {}, Defaults(land, areas)...)
			i = 0
			b.StartTimer()
		}
	}
}
