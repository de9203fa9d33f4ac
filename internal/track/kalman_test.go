package track

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFilterConverges runs the filter on noisy positions of a target
// moving under the filter's own motion model and checks that its estimate
// ends near the truth and that the normalised estimation error is
// consistent: its mean is the state dimension, 4.
func TestFilterConverges(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const (
		sigma = 30.0 // m
		dt    = 3.0  // s
		q     = 0.05 // m²/s³
		steps = 2000
	)
	// Discrete process noise per axis, from the Cholesky factor of
	// q·[[dt³/3, dt²/2], [dt²/2, dt]].
	l11 := math.Sqrt(q * dt * dt * dt / 3)
	l21 := q * dt * dt / 2 / l11
	l22 := math.Sqrt(q*dt - l21*l21)
	truth := [4]float64{0, 0, 8, -3}
	var f filter
	f.init(rng.NormFloat64()*sigma, rng.NormFloat64()*sigma, 0, 0, sigma*sigma, 400)
	var nees float64
	n := 0
	for k := 1; k <= steps; k++ {
		for axis := 0; axis < 2; axis++ {
			a, b := rng.NormFloat64(), rng.NormFloat64()
			truth[axis] += dt*truth[axis+2] + l11*a
			truth[axis+2] += l21*a + l22*b
		}
		f.predict(dt, q)
		f.updatePos(truth[0]+rng.NormFloat64()*sigma, truth[1]+rng.NormFloat64()*sigma, sigma*sigma)
		if k > 50 {
			e := [4]float64{f.x[0] - truth[0], f.x[1] - truth[1], f.x[2] - truth[2], f.x[3] - truth[3]}
			nees += quadInv4(f.P, e)
			n++
		}
	}
	if d := math.Hypot(f.x[0]-truth[0], f.x[1]-truth[1]); d > 3*sigma {
		t.Errorf("position error %.1f m", d)
	}
	if avg := nees / float64(n); avg < 3.5 || avg > 4.5 {
		t.Errorf("mean NEES %.2f, want 4 ± 0.5 (a consistent filter)", avg)
	}
}

// quadInv4 returns eᵀ P⁻¹ e by Gaussian elimination.
func quadInv4(P [4][4]float64, e [4]float64) float64 {
	a := P
	b := e
	for i := 0; i < 4; i++ {
		for j := i + 1; j < 4; j++ {
			m := a[j][i] / a[i][i]
			for k := i; k < 4; k++ {
				a[j][k] -= m * a[i][k]
			}
			b[j] -= m * b[i]
		}
	}
	var x [4]float64
	for i := 3; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < 4; k++ {
			s -= a[i][k] * x[k]
		}
		x[i] = s / a[i][i]
	}
	return e[0]*x[0] + e[1]*x[1] + e[2]*x[2] + e[3]*x[3]
}

func TestVelocityUpdate(t *testing.T) {
	var f filter
	f.init(0, 0, 0, 0, 100, 100)
	vx, vy := velocityFrom(10, 90)
	f.updateVel(vx, vy, 0.01)
	if s, c := f.speed(); math.Abs(s-10) > 0.01 || math.Abs(c-90) > 0.1 {
		t.Errorf("speed %.3f course %.2f, want 10 and 90", s, c)
	}
}
