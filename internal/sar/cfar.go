package sar

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrWindows is returned when the target, guard and background windows are
// not odd, positive and strictly nested.
var ErrWindows = errors.New("windows must be odd and target < guard < background")

// DefaultPfa is the false-alarm probability per pixel, as ESA SNAP's ocean
// object detection uses.
var DefaultPfa = math.Pow(10, -6.5)

// Window sizes in pixels for chips without a pixel spacing. SNAP's defaults
// are 75 m target, 400 m guard and 1000 m background windows. For chips of
// 1–10 m pixels (SSDD's are 1–15 m) that would be 8–75 px targets and
// 40–400 px guards; a single fixed choice must keep the ships of a fine
// chip (up to ~150 px long) mostly out of the background ring without
// making the ring larger than a 300–500 px chip. The ring is clipped at the
// chip's edges.
const (
	DefaultTarget     = 3  // a 3×3 mean: 3–30 m, tames single-pixel speckle; the detected pixels are clustered afterwards
	DefaultGuard      = 61 // ~60 m at 1 m, ~600 m at 10 m
	DefaultBackground = 101
	DefaultMinPixels  = 10 // smaller clusters, in speckle grains, are speckle
	DefaultJoin       = 5  // a hull broken up by speckle or sidelobes stays one object
	DefaultMaxAspect  = 10 // hulls are 3–8 widths long, and the radar's blur widens them further
)

// Params configures the detector. The zero value of a field means its
// default.
type Params struct {
	Target, Guard, Background int     // odd window sides, pixels
	Pfa                       float64 // false-alarm probability per pixel under a Gaussian clutter model
	Spacing                   float64 // metres per pixel; 0 = unknown (windows and sizes in pixels)

	// Objects outside [MinLength, MaxLength] are discarded: metres when
	// Spacing is given (default 15–600 m), else pixels (default 3–400 px).
	MinLength, MaxLength float64
	MinPixels            int     // fewer detected pixels than this many speckle grains (the clutter's correlation area, measured) is speckle; default DefaultMinPixels
	MinStd               float64 // floor of the background standard deviation; default 1 (one grey level of an 8-bit chip, whose black sea would otherwise have none), 1e-6 for intensity images (σ0 of −60 dB, below any sea's)
	Join                 int     // detected pixels within this Chebyshev distance are one object; default DefaultJoin
	MaxAspect            float64 // objects longer than this many widths are streaks (edge columns, range lines); default DefaultMaxAspect

	Model Model // clutter model; default Gaussian
	Looks int   // looks of the speckle, for the K model; default 1
	// Intensity says the values are intensity (power, σ0 or DN²), not
	// amplitude; the K model then takes them as they are.
	Intensity bool
}

// SmallCraft returns settings for finding boats down to 15 m long, the
// size of the go-fasts crossing the Strait, on images of the given
// spacing and looks: the K model, a 3-pixel target window (about the
// radar's resolution cell on a 10 m product, where SNAP's 75 m window
// averages a small hull away) and a per-pixel false-alarm probability of
// 10^-3, which the 10-pixel minimum object size turns into few false
// objects. Chosen on one synthetic set (seed 1) and scored on others; see
// the package documentation.
func SmallCraft(spacing float64, looks int) Params {
	return Params{Spacing: spacing, Model: KDist, Looks: looks, Target: 3, Pfa: 1e-3}
}

// withDefaults fills in the zero fields. With a pixel spacing the windows
// follow SNAP's metres.
func (p Params) withDefaults() Params {
	odd := func(m float64) int {
		n := int(math.Round(m / p.Spacing))
		if n < 1 {
			n = 1
		}
		if n%2 == 0 {
			n++
		}
		return n
	}
	if p.Target == 0 {
		p.Target = DefaultTarget
		if p.Spacing > 0 {
			p.Target = odd(75)
		}
	}
	if p.Guard == 0 {
		p.Guard = DefaultGuard
		if p.Spacing > 0 {
			p.Guard = odd(400)
		}
	}
	if p.Background == 0 {
		p.Background = DefaultBackground
		if p.Spacing > 0 {
			p.Background = odd(1000)
		}
	}
	if p.Pfa == 0 {
		p.Pfa = DefaultPfa
	}
	if p.MinLength == 0 {
		p.MinLength = 3
		if p.Spacing > 0 {
			p.MinLength = 15
		}
	}
	if p.MaxLength == 0 {
		p.MaxLength = 400
		if p.Spacing > 0 {
			p.MaxLength = 600
		}
	}
	if p.MinPixels == 0 {
		p.MinPixels = DefaultMinPixels
	}
	if p.MinStd == 0 {
		p.MinStd = 1
		if p.Intensity {
			p.MinStd = 1e-6
		}
	}
	if p.Join == 0 {
		p.Join = DefaultJoin
	}
	if p.MaxAspect == 0 {
		p.MaxAspect = DefaultMaxAspect
	}
	if p.Looks == 0 {
		p.Looks = 1
	}
	return p
}

func (p Params) check() error {
	for _, n := range []int{p.Target, p.Guard, p.Background} {
		if n < 1 || n%2 == 0 {
			return fmt.Errorf("%w: %d, %d, %d", ErrWindows, p.Target, p.Guard, p.Background)
		}
	}
	if p.Target >= p.Guard || p.Guard >= p.Background {
		return fmt.Errorf("%w: %d, %d, %d", ErrWindows, p.Target, p.Guard, p.Background)
	}
	if !(p.Pfa > 0 && p.Pfa < 0.5) {
		return fmt.Errorf("false-alarm probability %g not in (0, 0.5)", p.Pfa)
	}
	if p.Looks < 1 || p.Looks > 64 {
		return fmt.Errorf("looks %d not in 1–64", p.Looks)
	}
	if p.Model != Gaussian && p.Model != KDist {
		return fmt.Errorf("unknown clutter model %d", p.Model)
	}
	return nil
}

// Threshold is the number of background standard deviations a target must
// stand above the background mean for false-alarm probability pfa under a
// Gaussian clutter model: the upper (1−pfa) quantile of N(0, 1). For
// 10^-6.5 it is 4.99.
func Threshold(pfa float64) float64 {
	return math.Sqrt2 * math.Erfcinv(2*pfa)
}

// integral holds summed-area tables of the values, of their squares and of
// the pixel count, (W+1)×(H+1), so a box sum costs four look-ups. Censored
// pixels (bright targets, land) are left out of all three. float64 keeps
// the squares of 8-bit values over a million pixels exact.
type integral struct {
	w, h   int
	c      []cell // one cell per corner: the three sums side by side, one cache line apart at most
	stride int
}

type cell struct{ s, ss, n float64 }

func newIntegral(g *Grid, censored []bool) *integral {
	st := g.W + 1
	in := &integral{w: g.W, h: g.H, stride: st, c: make([]cell, st*(g.H+1))}
	for y := 0; y < g.H; y++ {
		var r cell
		row := g.Pix[y*g.W : (y+1)*g.W]
		up := in.c[y*st+1 : (y+1)*st]
		cur := in.c[(y+1)*st+1 : (y+2)*st]
		for x, v := range row {
			if censored == nil || !censored[y*g.W+x] {
				f := float64(v)
				r.s += f
				r.ss += f * f
				r.n++
			}
			cur[x] = cell{up[x].s + r.s, up[x].ss + r.ss, up[x].n + r.n}
		}
	}
	return in
}

// box returns the sum, sum of squares and count of the uncensored pixels
// of the square of half-side r around (x, y), clipped to the grid.
func (in *integral) box(x, y, r int) (s, ss, n float64) {
	x0, y0, x1, y1 := max(x-r, 0), max(y-r, 0), min(x+r+1, in.w), min(y+r+1, in.h)
	a, b, c, d := in.c[y0*in.stride+x0], in.c[y0*in.stride+x1], in.c[y1*in.stride+x0], in.c[y1*in.stride+x1]
	return d.s - b.s - c.s + a.s, d.ss - b.ss - c.ss + a.ss, d.n - b.n - c.n + a.n
}

// Score returns, for every pixel, its CFAR statistic: a pixel is detected
// when its score exceeds Threshold(Pfa). Under the Gaussian model the score
// is how many background standard deviations the mean of its target window
// stands above the mean of its background ring (the background window less
// the guard window); under the K model it is Threshold(Pfa) times the
// target's mean intensity over the K threshold of the ring, so the same
// test applies. Each pixel costs O(1) whatever the window sizes. Pixels
// g.Land marks, and non-finite ones (no data), score 0 and never count in
// a ring.
//
// A ship longer than the guard window, or a neighbour's, would spill into
// the ring and raise its mean and deviation until it hides itself; so the
// ring is censored: first of the pixels that are outliers of the whole
// chip (above its median by Threshold(Pfa) robust deviations, from the
// median absolute deviation), then, in a second pass, of the pixels the
// first pass detected.
func Score(g *Grid, p Params) (*Grid, error) {
	s, _, err := score(noData(g), p.withDefaults())
	return s, err
}

// score is Score of a grid without no-data, its parameters' defaults
// filled in; it also returns the image-wide outlier cut, which Detect
// needs again.
func score(g *Grid, p Params) (*Grid, float32, error) {
	if err := p.check(); err != nil {
		return nil, 0, err
	}
	if g.Land != nil && len(g.Land) != len(g.Pix) {
		return nil, 0, fmt.Errorf("land mask of %d pixels for a %d×%d grid", len(g.Land), g.W, g.H)
	}
	k := Threshold(p.Pfa)
	censored := make([]bool, len(g.Pix))
	cut := outlierCut(g, k, p.MinStd)
	for i, v := range g.Pix {
		censored[i] = v > cut || (g.Land != nil && g.Land[i])
	}
	values := g
	var stat func(tm, mean, variance float64) float64
	switch p.Model {
	case KDist:
		// The model is of intensity; chips and GRD scenes hold amplitude.
		floor := p.MinStd
		if !p.Intensity {
			values = &Grid{W: g.W, H: g.H, Pix: make([]float32, len(g.Pix)), Land: g.Land}
			for i, v := range g.Pix {
				values.Pix[i] = v * v
			}
			floor *= floor
		}
		tab := kTableFor(p.Pfa, p.Looks)
		stat = func(tm, mean, variance float64) float64 {
			mean = max(mean, floor)
			return k * tm / (mean * tab.threshold(mean, variance, p.Looks))
		}
	default:
		stat = func(tm, mean, variance float64) float64 {
			return (tm - mean) / max(math.Sqrt(max(variance, 0)), p.MinStd)
		}
	}
	tm := targetMean(values, p.Target/2)
	var out *Grid
	for pass := 0; pass < 2; pass++ {
		out = scorePass(values, tm, newIntegral(values, censored), p, stat)
		for i, s := range out.Pix {
			censored[i] = censored[i] || float64(s) > k
		}
	}
	return out, cut, nil
}

// targetMean returns the mean of the (2r+1)² window around every pixel,
// clipped to the grid; for r = 0, the grid itself.
func targetMean(g *Grid, r int) []float32 {
	if r == 0 {
		return g.Pix
	}
	in := newIntegral(g, nil)
	out := make([]float32, len(g.Pix))
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			s, _, n := in.box(x, y, r)
			out[y*g.W+x] = float32(s / n)
		}
	}
	return out
}

func scorePass(g *Grid, tm []float32, in *integral, p Params, stat func(tm, mean, variance float64) float64) *Grid {
	out := NewGrid(g.W, g.H)
	rg, rb := p.Guard/2, p.Background/2
	for y := 0; y < g.H; y++ {
		for x := 0; x < g.W; x++ {
			i := y*g.W + x
			if g.Land != nil && g.Land[i] {
				continue
			}
			bs, bss, bn := in.box(x, y, rb)
			gs, gss, gn := in.box(x, y, rg)
			n := bn - gn
			if n < 2 {
				continue // a ring all censored (inside land or a huge target): no estimate
			}
			mean := (bs - gs) / n
			out.Pix[i] = float32(stat(float64(tm[i]), mean, (bss-gss)/n-mean*mean))
		}
	}
	return out
}

// noData returns g with its non-finite pixels (a scene's no-data: NaN in
// a float GeoTIFF, or its no-data value read as NaN) set to 0 and marked
// as not sea, like land; g itself when it has none. One NaN in a
// summed-area table would spoil every box below and right of it.
func noData(g *Grid) *Grid {
	i := slices.IndexFunc(g.Pix, isNoData)
	if i < 0 {
		return g
	}
	out := &Grid{W: g.W, H: g.H, Pix: slices.Clone(g.Pix), Land: make([]bool, len(g.Pix))}
	if g.Land != nil {
		copy(out.Land, g.Land)
	}
	for ; i < len(out.Pix); i++ {
		if isNoData(out.Pix[i]) {
			out.Pix[i], out.Land[i] = 0, true
		}
	}
	return out
}

func isNoData(v float32) bool {
	return math.IsNaN(float64(v)) || math.IsInf(float64(v), 0)
}

// outlierCut is the value above which a pixel is an outlier of the whole
// grid: k robust standard deviations (from the median absolute deviation)
// above the median.
func outlierCut(g *Grid, k, minStd float64) float32 {
	med, mad := medianMAD(g)
	return float32(med + k*1.4826*max(mad, minStd))
}

// medianMAD returns the median of the sea pixels of g and the median
// absolute deviation from it, from a sample of at most 65536 values spread
// over the grid.
func medianMAD(g *Grid) (med, mad float64) {
	step := max(1, len(g.Pix)/65536)
	s := make([]float64, 0, len(g.Pix)/step+1)
	for i := 0; i < len(g.Pix); i += step {
		if g.Land == nil || !g.Land[i] {
			s = append(s, float64(g.Pix[i]))
		}
	}
	if len(s) == 0 {
		return 0, 0
	}
	slices.Sort(s)
	med = s[len(s)/2]
	for i := range s {
		s[i] = math.Abs(s[i] - med)
	}
	slices.Sort(s)
	return med, s[len(s)/2]
}
