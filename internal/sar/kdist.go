package sar

import (
	"math"
	"sync"
)

// Model is the clutter model the CFAR threshold is set from.
type Model int

const (
	// Gaussian: a pixel is detected when its target mean stands
	// Threshold(Pfa) standard deviations above the ring's mean (SNAP's
	// two-parameter CFAR).
	Gaussian Model = iota
	// KDist: the ring's intensities (amplitude²) are taken as
	// K-distributed, gamma speckle of Looks looks modulated by a gamma
	// texture of shape ν, the model of sea clutter whose tail grows heavier
	// as the sea gets rougher. ν comes from the ring's own moments, so a
	// heavy-tailed patch of sea gets a higher threshold than a calm one at
	// the same mean.
	KDist
)

func (m Model) String() string {
	if m == KDist {
		return "k"
	}
	return "gaussian"
}

// ParseModel reads "gaussian" or "k".
func ParseModel(s string) (Model, bool) {
	switch s {
	case "gaussian", "":
		return Gaussian, true
	case "k", "K":
		return KDist, true
	}
	return 0, false
}

// The threshold table spans shapes from spiky clutter (ν = 0.05) to
// clutter that is nearly pure speckle (ν = 50); above it the gamma
// threshold of speckle alone is used, below it the spikiest entry.
const (
	kNuMin   = 0.05
	kNuMax   = 50.0
	kEntries = 48
)

// kTable holds the intensity thresholds, as multiples of the clutter mean,
// that K clutter of each tabulated shape exceeds with probability pfa, and
// the speckle-only (gamma) threshold.
type kTable struct {
	t     [kEntries]float64 // at ν = kNuMin·(kNuMax/kNuMin)^(i/(kEntries−1))
	gamma float64
}

type kKey struct {
	pfa   float64
	looks int
}

var kTables sync.Map // kKey → *kTable; computing one takes a few tens of milliseconds

func kTableFor(pfa float64, looks int) *kTable {
	key := kKey{pfa, looks}
	if t, ok := kTables.Load(key); ok {
		return t.(*kTable)
	}
	var tab kTable
	for i := range tab.t {
		nu := kNu(i)
		tab.t[i] = solveThreshold(pfa, func(t float64) float64 { return kPfa(t, nu, looks) })
	}
	tab.gamma = solveThreshold(pfa, func(t float64) float64 { return speckleTail(looks, float64(looks)*t) })
	t, _ := kTables.LoadOrStore(key, &tab)
	return t.(*kTable)
}

func kNu(i int) float64 {
	return kNuMin * math.Pow(kNuMax/kNuMin, float64(i)/(kEntries-1))
}

// threshold returns the multiple of the mean for clutter whose intensity
// has mean m and variance v: ν from the moments of L-look K clutter,
// v/m² = (1+1/L)(1+1/ν) − 1, interpolated in ln ν.
func (tab *kTable) threshold(m, v float64, looks int) float64 {
	inv := (v/(m*m)+1)/(1+1/float64(looks)) - 1 // 1/ν
	// NaN too: int(NaN) below would index out of the table.
	if !(inv > 1/kNuMax) {
		return tab.gamma
	}
	nu := 1 / inv
	if nu <= kNuMin {
		return tab.t[0]
	}
	f := math.Log(nu/kNuMin) / math.Log(kNuMax/kNuMin) * (kEntries - 1)
	i := min(int(f), kEntries-2)
	w := f - float64(i)
	return tab.t[i]*(1-w) + tab.t[i+1]*w
}

// solveThreshold finds t with tail(t) = pfa by bisection in ln t, to a
// relative 10^-8; tail falls as t grows.
func solveThreshold(pfa float64, tail func(float64) float64) float64 {
	lo, hi := math.Log(1e-3), math.Log(1e7)
	for range 32 {
		mid := (lo + hi) / 2
		if tail(math.Exp(mid)) > pfa {
			lo = mid
		} else {
			hi = mid
		}
	}
	return math.Exp((lo + hi) / 2)
}

// speckleTail is P(X > y) for X ~ Gamma(L, 1): e^−y Σ_{k<L} y^k/k!, the
// chance that L-look speckle of mean 1 exceeds y/L.
func speckleTail(looks int, y float64) float64 {
	term, sum := 1.0, 1.0
	for k := 1; k < looks; k++ {
		term *= y / float64(k)
		sum += term
	}
	return math.Exp(-y) * sum
}

// kPfa is the chance that K clutter of mean 1, shape nu and the given
// looks exceeds t: the speckle's tail averaged over the gamma texture x
// (mean 1, shape nu), ∫ P(speckle > t | x) p(x) dx, integrated by the
// trapezoid rule in ln x (600 steps: the integrand is smooth there, and
// the thresholds agree with 3000 steps to 10^-4). Below x = Lt/800 the speckle's tail is under
// e^−800, and above max(100, 200/ν) the texture's density is negligible.
func kPfa(t, nu float64, looks int) float64 {
	const steps = 600
	L := float64(looks)
	lgNu, _ := math.Lgamma(nu)
	c := nu*math.Log(nu) - lgNu
	u0, u1 := math.Log(L*t/800), math.Log(max(100, 200/nu))
	if u0 >= u1 {
		return 0
	}
	du := (u1 - u0) / steps
	var sum float64
	for i := 0; i <= steps; i++ {
		u := u0 + float64(i)*du
		x := math.Exp(u)
		f := math.Exp(c+nu*u-nu*x) * speckleTail(looks, L*t/x) // p(x)·x
		if i == 0 || i == steps {
			f /= 2
		}
		sum += f
	}
	return sum * du
}
