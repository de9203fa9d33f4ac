package geo

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// BenchmarkAreasAt looks up points spread over the western Mediterranean
// (33–45° N, 9° W–13° E), where the areas are dense: 1,000 random areas
// of 1–40 km, the 249 territorial waters, and both together; and, the
// worst case, 1,000 boxes of 2 km × 1.7 km packed round the Strait of
// Gibraltar (about 30 to a cell) with the territorial waters, queried
// there.
func BenchmarkAreasAt(b *testing.B) {
	tw, err := LoadTerritorialWaters()
	if err != nil {
		b.Fatal(err)
	}
	random := areaRandomSet(1000, 7)
	both := append(append([]Area(nil), tw.list...), random...)
	rng := rand.New(rand.NewPCG(1, 2))
	pts := make([][2]float64, 4096)
	for i := range pts {
		pts[i] = [2]float64{33 + rng.Float64()*12, -9 + rng.Float64()*22}
	}
	packed := append([]Area(nil), tw.list...)
	for i := range 1000 {
		lat, lon := 35.5+float64(i%40)*0.025, -6.5+float64(i/40)*0.08
		packed = append(packed, Area{ID: "P" + strconv.Itoa(i), Polygons: [][][][2]float64{{areaBox(lon, lat, lon+0.02, lat+0.015)}}})
	}
	strait := make([][2]float64, len(pts))
	for i := range strait {
		strait[i] = [2]float64{35.5 + rng.Float64(), -6.5 + rng.Float64()*3}
	}
	for _, bb := range []struct {
		name string
		a    *Areas
		pts  [][2]float64
	}{
		{"random-1000", NewAreas(random), pts},
		{"territorial-249", tw, pts},
		{"territorial+random-1249", NewAreas(both), pts},
		{"territorial+packed-1249", NewAreas(packed), strait},
	} {
		b.Run(bb.name, func(b *testing.B) {
			buf := make([]int, 0, 16)
			hits, i := 0, 0
			for b.Loop() {
				p := bb.pts[i&(len(bb.pts)-1)]
				buf = bb.a.At(p[0], p[1], buf[:0])
				hits += len(buf)
				i++
			}
			b.ReportMetric(float64(hits)/float64(i), "areas/op")
		})
	}
}

func BenchmarkNewAreas(b *testing.B) {
	list := areaRandomSet(1000, 7)
	for b.Loop() {
		NewAreas(list)
	}
}

func BenchmarkLoadTerritorialWaters(b *testing.B) {
	for b.Loop() {
		if _, err := LoadTerritorialWaters(); err != nil {
			b.Fatal(err)
		}
	}
}
