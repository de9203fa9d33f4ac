package sar

import (
	"math"
	"math/rand/v2"
)

// Synth describes a synthetic SAR image: sea clutter of a known
// distribution, land where the embedded land data has it, and ships of
// known size, so that detection can be scored against exact truth.
type Synth struct {
	W, H int
	// Sea clutter: K-distributed intensity, gamma speckle of Looks looks
	// on a gamma texture of shape Nu (0: no texture, pure speckle), with
	// mean amplitude Mean (digital numbers).
	Looks int
	Nu    float64
	Mean  float64
	// Place and Spacing put the image on the Earth (north-up); with Land,
	// the pixels on land are rendered as land: brighter and spikier than
	// the sea, as towns, cliffs and harbours are.
	Place   Georef
	Row0    int // the image's first row in Place's grid, when a scene is rendered in bands
	Spacing float64
	Land    interface{ Contains(lat, lon float64) bool } // nil: all sea
	Ships   []SynthShip
	// Max clips amplitudes, which are rounded to whole digital numbers:
	// 255 renders an 8-bit chip, 65535 a 16-bit scene.
	Max float64
}

// SynthShip is a hull: a rectangle of Length × Width pixels centred on
// (X, Y), its long axis at Axis degrees clockwise from up, whose pixels
// return SCR times the sea's mean intensity (signal to clutter ratio),
// with speckle of their own.
type SynthShip struct {
	X, Y          float64
	Length, Width float64
	Axis          float64
	SCR           float64
}

// Render draws the image. The same seed draws the same image.
func (s Synth) Render(seed uint64) *Grid {
	r := rand.New(rand.NewPCG(seed, 0x5a4))
	g := NewGrid(s.W, s.H)
	meanI := s.Mean * s.Mean
	looks := max(s.Looks, 1)
	speckle := func() float64 { return gammaDraw(r, float64(looks)) / float64(looks) }
	for y := range s.H {
		for x := range s.W {
			tex := 1.0
			if s.Nu > 0 {
				tex = gammaDraw(r, s.Nu) / s.Nu
			}
			i := meanI * tex * speckle()
			if s.Land != nil {
				lat, lon := s.Place.LatLon(float64(x)+0.5, float64(s.Row0+y)+0.5)
				if s.Land.Contains(lat, lon) {
					i = 6 * meanI * gammaDraw(r, 0.3) / 0.3 * speckle()
				}
			}
			g.Pix[y*s.W+x] = s.level(i)
		}
	}
	for _, sh := range s.Ships {
		sin, cos := math.Sincos(sh.Axis * math.Pi / 180)
		// Unit vectors along the hull (up is −y) and across it.
		ax, ay := sin, -cos
		reach := sh.Length/2 + sh.Width/2 + 1
		for y := max(int(sh.Y-reach), 0); y < min(int(sh.Y+reach)+1, s.H); y++ {
			for x := max(int(sh.X-reach), 0); x < min(int(sh.X+reach)+1, s.W); x++ {
				dx, dy := float64(x)+0.5-sh.X, float64(y)+0.5-sh.Y
				along, across := dx*ax+dy*ay, dx*ay-dy*ax
				if math.Abs(along) > sh.Length/2 || math.Abs(across) > sh.Width/2 {
					continue
				}
				g.Pix[y*s.W+x] = s.level(meanI * sh.SCR * speckle())
			}
		}
	}
	return g
}

// level is the digital number of intensity i.
func (s Synth) level(i float64) float32 {
	return float32(math.Round(min(math.Sqrt(i), s.Max)))
}

// gammaDraw draws from Gamma(shape, 1): Marsaglia and Tsang's method,
// shapes below 1 boosted by U^(1/shape).
func gammaDraw(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gammaDraw(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if u := r.Float64(); math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}
