package eval

import "math"

// assigner solves rectangular linear assignment problems exactly by
// shortest augmenting paths with dual potentials (the Hungarian method in
// Jonker and Volgenant's form), O(rows²·cols). Its buffers are kept between
// calls: Evaluate solves one small problem per grid time.
type assigner struct {
	u, v, minv []float64
	p, way     []int
	used       []bool
}

// solve assigns each of rows rows to a distinct column, rows ≤ cols,
// minimising the sum of cost[i*cols+j] over the chosen pairs; out[i]
// receives row i's column. Costs must be finite.
func (a *assigner) solve(cost []float64, rows, cols int, out []int) {
	if rows == 0 {
		return
	}
	if rows > cols {
		panic("eval: assignment with more rows than columns")
	}
	a.u = growFloat(a.u, rows+1)
	a.v = growFloat(a.v, cols+1)
	a.minv = growFloat(a.minv, cols+1)
	a.p = growInt(a.p, cols+1)
	a.way = growInt(a.way, cols+1)
	if cap(a.used) < cols+1 {
		a.used = make([]bool, cols+1)
	}
	a.used = a.used[:cols+1]
	u, v, minv, p, way, used := a.u, a.v, a.minv, a.p, a.way, a.used
	clear(u)
	clear(v)
	clear(p)
	clear(way)
	// Column 0 is a virtual column holding the row being inserted; p[j] is
	// the row (1-based) assigned to column j, 0 for none.
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
			row := cost[(i0-1)*cols : i0*cols]
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
		for j0 != 0 { // augment along the path back to the virtual column
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

func growFloat(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func growInt(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}
