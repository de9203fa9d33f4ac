package eval

import (
	"math"
	"math/rand/v2"
	"testing"

	"pharos/internal/geo"
)

// bruteGOSPA is GOSPA(s)ᵖ by trying every partial matching.
func bruteGOSPA(xs, ys []point, c, p float64) float64 {
	cp := math.Pow(c, p)
	best := math.Inf(1)
	used := make([]bool, len(ys))
	var rec func(i int, sum float64, k int)
	rec = func(i int, sum float64, k int) {
		if i == len(xs) {
			best = min(best, sum+cp/2*float64(len(xs)+len(ys)-2*k))
			return
		}
		rec(i+1, sum, k) // x_i unassigned
		for j, y := range ys {
			if used[j] {
				continue
			}
			if d := geo.Distance(xs[i].lat, xs[i].lon, y.lat, y.lon); d < c {
				used[j] = true
				rec(i+1, sum+math.Pow(d, p), k+1)
				used[j] = false
			}
		}
	}
	rec(0, 0, 0)
	return best
}

func TestMatchBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// Points scattered around a few centres, so that groups of nearby
	// points of several sizes form, some across the antimeridian.
	centres := []point{{36, -5.5}, {36.004, -5.5}, {-60, 179.999}, {-60, -179.999}}
	random := func(n int) []point {
		ps := make([]point, n)
		for i := range ps {
			c := centres[rng.IntN(len(centres))]
			lat, lon := geo.Destination(c.lat, c.lon, rng.Float64()*360, rng.Float64()*700)
			ps[i] = point{lat, lon}
		}
		return ps
	}
	for _, p := range []float64{1, 2, 3} {
		m := newMatcher(500, p)
		for trial := range 1000 {
			xs, ys := random(rng.IntN(7)), random(rng.IntN(7))
			m.match(xs, ys)
			var sum float64
			k := 0
			for i, j := range m.yOf {
				if j < 0 {
					continue
				}
				k++
				if m.xOf[j] != i {
					t.Fatalf("p=%g trial %d: yOf[%d] = %d but xOf[%d] = %d", p, trial, i, j, j, m.xOf[j])
				}
				d := geo.Distance(xs[i].lat, xs[i].lon, ys[j].lat, ys[j].lon)
				if d >= 500 || math.Abs(d-m.dOf[i]) > 1e-9 {
					t.Fatalf("p=%g trial %d: pair %d-%d at %g m, reported %g", p, trial, i, j, d, m.dOf[i])
				}
				sum += math.Pow(d, p)
			}
			for j, i := range m.xOf {
				if i >= 0 && m.yOf[i] != j {
					t.Fatalf("p=%g trial %d: xOf[%d] = %d but yOf[%d] = %d", p, trial, j, i, i, m.yOf[i])
				}
			}
			got := sum + m.cp/2*float64(len(xs)+len(ys)-2*k)
			if want := bruteGOSPA(xs, ys, 500, p); math.Abs(got-want) > 1e-6*max(1, want) {
				t.Fatalf("p=%g trial %d (%d×%d): GOSPAᵖ %g, brute force %g", p, trial, len(xs), len(ys), got, want)
			}
		}
	}
}
