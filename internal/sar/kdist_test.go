package sar

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKThreshold checks the tabulated thresholds against clutter drawn
// from the model: texture of shape ν times L-look speckle, mean 1. At
// pfa 10^-3 over 10^6 draws the count of exceedances must be 1000 within
// four standard deviations, for spiky and for gentle clutter.
func TestKThreshold(t *testing.T) {
	const pfa, n = 1e-3, 1_000_000
	r := rand.New(rand.NewPCG(5, 9))
	for _, c := range []struct {
		nu    float64
		looks int
	}{{0.5, 1}, {2, 1}, {8, 4}, {0.2, 4}} {
		tab := kTableFor(pfa, c.looks)
		// The moments the detector would measure for this clutter.
		mean := 1.0
		variance := (1+1/float64(c.looks))*(1+1/c.nu) - 1
		thr := tab.threshold(mean, variance, c.looks)
		var over int
		for range n {
			x := gammaDraw(r, c.nu) / c.nu
			s := gammaDraw(r, float64(c.looks)) / float64(c.looks)
			if x*s > thr {
				over++
			}
		}
		want := pfa * n
		if d := math.Abs(float64(over) - want); d > 4*math.Sqrt(want) {
			t.Errorf("ν %g, %d looks: threshold %.2f× mean exceeded %d times in %d, want %.0f", c.nu, c.looks, thr, over, n, want)
		}
	}
	// Pure speckle: one look, the exponential's quantile −ln pfa.
	if got, want := kTableFor(pfa, 1).gamma, -math.Log(pfa); math.Abs(got-want) > 1e-6 {
		t.Errorf("1-look speckle threshold %.6f, want %.6f", got, want)
	}
}
