package geo

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// landTestLand loads the embedded land once per test binary run.
func landTestLand(tb testing.TB) *Land {
	tb.Helper()
	l, err := LoadLand()
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// landNearCoast returns n points (lat, lon) scattered within maxDist metres
// of coast vertices, in the given box, from a fixed seed.
func landNearCoast(l *Land, n int, maxDist, latMin, latMax, lonMin, lonMax float64) [][2]float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	var out [][2]float64
	for len(out) < n {
		p := l.pts[rng.IntN(len(l.pts))]
		lat, lon := float64(p.lat)/landMicro, float64(p.lon)/landMicro
		if lat < latMin || lat > latMax || lon < lonMin || lon > lonMax {
			continue
		}
		lat, lon = Destination(lat, lon, rng.Float64()*360, rng.Float64()*maxDist)
		out = append(out, [2]float64{lat, lon})
	}
	return out
}

func BenchmarkLoadLand(b *testing.B) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var l *Land
	for b.Loop() {
		var err error
		if l, err = LoadLand(); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
	runtime.KeepAlive(l)
}

func BenchmarkContains(b *testing.B) {
	l := landTestLand(b)
	for _, bc := range []struct {
		name string
		pts  [][2]float64
	}{
		{"coast-europe-10km", landNearCoast(l, 4096, 10e3, 30, 72, -15, 45)},
		{"coast-world-50km", landNearCoast(l, 4096, 50e3, -60, 80, -180, 180)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				p := bc.pts[i%len(bc.pts)]
				l.Contains(p[0], p[1])
				i++
			}
		})
	}
}

func BenchmarkDistanceToShore(b *testing.B) {
	l := landTestLand(b)
	pts := landNearCoast(l, 4096, 50e3, 30, 72, -15, 45)
	b.Run("coast-europe-50km", func(b *testing.B) {
		i := 0
		for b.Loop() {
			p := pts[i%len(pts)]
			l.DistanceToShore(p[0], p[1])
			i++
		}
	})
	b.Run("within-50km", func(b *testing.B) {
		i := 0
		for b.Loop() {
			p := pts[i%len(pts)]
			l.DistanceToShoreWithin(p[0], p[1], 50e3)
			i++
		}
	})
	world := landNearCoast(l, 4096, 50e3, -60, 80, -180, 180)
	b.Run("coast-world-50km", func(b *testing.B) {
		i := 0
		for b.Loop() {
			p := world[i%len(world)]
			l.DistanceToShore(p[0], p[1])
			i++
		}
	})
	b.Run("open-ocean", func(b *testing.B) {
		for b.Loop() {
			l.DistanceToShore(40, -35)
		}
	})
}

func BenchmarkCrossesLand(b *testing.B) {
	l := landTestLand(b)
	pts := landNearCoast(l, 4096, 20e3, 30, 72, -15, 45)
	rng := rand.New(rand.NewPCG(3, 4))
	legs := make([][4]float64, len(pts))
	for i, p := range pts {
		lat, lon := Destination(p[0], p[1], rng.Float64()*360, 5e3)
		legs[i] = [4]float64{p[0], p[1], lat, lon}
	}
	i := 0
	for b.Loop() {
		g := legs[i%len(legs)]
		l.CrossesLand(g[0], g[1], g[2], g[3])
		i++
	}
}
