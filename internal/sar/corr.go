package sar

import "math"

// maxLag bounds the lags the clutter's autocorrelation is measured at:
// products oversampled by up to four show correlation that far out.
const maxLag = 4

// correlationArea estimates how many pixels one independent sample of the
// clutter covers: (1 + 2Σρx)(1 + 2Σρy) over the autocorrelations ρ of the
// sea pixels at lags 1 to maxLag along rows and columns, each sum stopped at
// its first lag without correlation. Pixels brighter than cut (ships,
// outliers) and land are left out. Independent speckle gives 1; an image
// resampled finer than its resolution, as many chips are, gives more, and
// its speckle grains, and so its false alarms, are that much larger.
func correlationArea(g *Grid, cut float32) float64 {
	sea := func(i int) bool { return g.Pix[i] <= cut && (g.Land == nil || !g.Land[i]) }
	// Rows sampled at a stride keep the cost a fraction of the detector's.
	stride := max(1, g.H/256)
	var s, ss, n float64
	for y := 0; y < g.H; y += stride {
		for x := range g.W {
			if i := y*g.W + x; sea(i) {
				v := float64(g.Pix[i])
				s, ss, n = s+v, ss+v*v, n+1
			}
		}
	}
	if n < 100 {
		return 1
	}
	mean := s / n
	variance := ss/n - mean*mean
	if variance <= 0 {
		return 1
	}
	rho := func(dx, dy int) float64 {
		var c, k float64
		for y := 0; y+dy < g.H; y += stride {
			for x := 0; x+dx < g.W; x++ {
				i, j := y*g.W+x, (y+dy)*g.W+x+dx
				if sea(i) && sea(j) {
					c += (float64(g.Pix[i]) - mean) * (float64(g.Pix[j]) - mean)
					k++
				}
			}
		}
		if k == 0 {
			return 0
		}
		return c / k / variance
	}
	side := func(dx, dy int) float64 {
		sum := 1.0
		for lag := 1; lag <= maxLag; lag++ {
			r := rho(dx*lag, dy*lag)
			if r <= 0 {
				break
			}
			sum += 2 * r
		}
		return sum
	}
	return math.Min(side(1, 0)*side(0, 1), 50)
}
