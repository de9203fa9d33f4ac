package lap

import "math"

// Solver solves rectangular linear assignment problems by shortest
// augmenting paths with dual potentials (the Hungarian method in the form
// Jonker and Volgenant made fast): O(rows²·cols). It keeps its buffers
// between calls so that a tracker solving one small problem per scan
// allocates nothing once warm. The zero value is ready to use.
type Solver struct {
	u, v, minv []float64
	p, way     []int
	used       []bool
}

// Solve assigns each of rows rows to a distinct column, rows ≤ cols,
// minimising the total of cost[i*cols+j]; out[i] receives row i's column.
// Costs must be finite; forbidden pairs carry Forbidden. More rows than
// columns is a caller's error and panics.
func (a *Solver) Solve(cost []float64, rows, cols int, out []int) {
	if rows == 0 {
		return
	}
	if rows > cols {
		panic("lap: more rows than columns")
	}
	a.u = Resize(a.u, rows+1)
	a.v = Resize(a.v, cols+1)
	a.minv = Resize(a.minv, cols+1)
	a.p = ResizeInt(a.p, cols+1)
	a.way = ResizeInt(a.way, cols+1)
	if cap(a.used) < cols+1 {
		a.used = make([]bool, cols+1)
	}
	a.used = a.used[:cols+1]
	u, v, minv, p, way, used := a.u, a.v, a.minv, a.p, a.way, a.used
	for i := range u {
		u[i] = 0
	}
	for j := range v {
		v[j], p[j], way[j] = 0, 0, 0
	}
	for i := 1; i <= rows; i++ {
		p[0] = i
		j0 := 0
		for j := range minv {
			minv[j], used[j] = math.Inf(1), false
		}
		for {
			used[j0] = true
			i0 := p[j0]
			delta, j1 := math.Inf(1), 0
			row := cost[(i0-1)*cols:]
			for j := 1; j <= cols; j++ {
				if used[j] {
					continue
				}
				if cur := row[j-1] - u[i0] - v[j]; cur < minv[j] {
					minv[j], way[j] = cur, j0
				}
				if minv[j] < delta {
					delta, j1 = minv[j], j
				}
			}
			for j := 0; j <= cols; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if p[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	for j := 1; j <= cols; j++ {
		if p[j] != 0 {
			out[p[j]-1] = j - 1
		}
	}
}

// Forbidden is the cost of a pair that must not be chosen: large enough
// that any allowed assignment is cheaper, finite so that potentials stay
// numbers.
const Forbidden = 1e9

// Resize returns s with length n, reusing its array when it is large enough.
func Resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// ResizeInt is Resize for ints.
func ResizeInt(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
