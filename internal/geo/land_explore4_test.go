package geo

import "testing"

func TestExplore4(t *testing.T) {
	l := landTestLand(t)
	for _, p := range [][2]float64{{35.99, -5.60}, {35.98, -5.61}, {35.80, -5.78}, {35.79, -5.79}, {35.80, -5.75}, {35.92, -6.0}, {36.0, -5.2}, {35.98, -5.0}, {43.5, -9.5}, {41.0, 2.5}, {36.5, -6.5}, {36.6, -4.3}, {70.5, 179}, {70.5, -179}, {71.8, 179.5}, {70.6, -179.5}, {-16.8, 179.98}, {-16.75, -179.95}, {-17.5, 179.9}, {-17.5, -179.9}, {45, 180}, {45, -180}, {56.04, 12.65}, {56.0, 12.62}} {
		t.Logf("%v land=%v d=%.0f", p, l.Contains(p[0], p[1]), l.DistanceToShore(p[0], p[1]))
	}
	for _, g := range [][4]float64{{35.98, -5.61, 35.80, -5.75}, {35.92, -6.0, 35.98, -5.0}, {43.5, -9.5, 41.0, 2.5}, {70.5, 179, 70.5, -179}, {71.8, 179.5, 70.6, -179.5}, {56.2, 12.55, 55.9, 12.70}} {
		t.Logf("%v crosses=%v", g, l.CrossesLand(g[0], g[1], g[2], g[3]))
	}
	mx := 0.0
	for r := 0; r+1 < len(l.rings); r++ {
		for i := l.rings[r]; i < l.rings[r+1]-1; i++ {
			if l.cutEdge(i) {
				continue
			}
			a, b := l.pts[i], l.pts[i+1]
			d := Distance(float64(a.lat)/1e6, float64(a.lon)/1e6, float64(b.lat)/1e6, float64(b.lon)/1e6)
			if d > mx {
				mx = d
				t.Logf("edge %d len %.0f at %v", i, d, a)
			}
		}
	}
}
