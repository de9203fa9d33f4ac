package sar

import (
	"math"
	"testing"
)

// TestNonFinitePixels checks that a scene's no-data pixels (NaN, as float
// GeoTIFFs mark them, or infinities) are neither detected nor taken as
// clutter: the detector must not panic on them, and a ship beside a block
// of them is still found, once, with finite figures.
func TestNonFinitePixels(t *testing.T) {
	ships := []ship{{x: 300, y: 300, l: 30, w: 6}}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		for _, m := range []Model{Gaussian, KDist} {
			g := synthChip(5, 400, 400, ships)
			// A no-data border, above and left of the ship, as a scene's
			// swath edge leaves.
			for y := range 60 {
				for x := range g.W {
					g.Set(x, y, bad)
				}
			}
			g.Set(10, 200, bad)
			objs, err := Detect(g, Params{Model: m})
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) != 1 {
				t.Fatalf("%v pixels, model %v: %d objects, want 1: %+v", bad, m, len(objs), objs)
			}
			o := objs[0]
			if math.Abs(o.X-315) > 2 || math.Abs(o.Y-303) > 2 {
				t.Errorf("%v pixels, model %v: object at %.1f, %.1f, want 315, 303", bad, m, o.X, o.Y)
			}
			for _, v := range []float64{o.X, o.Y, o.PeakScore, o.Confidence, o.Length, o.Width} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("%v pixels, model %v: object %+v not finite", bad, m, o)
				}
			}
		}
	}
}
