package lap

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAssignOptimal compares the solver with brute force on random
// problems, square and rectangular, with forbidden pairs.
func TestAssignOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var a Solver
	for trial := 0; trial < 500; trial++ {
		rows := 1 + rng.IntN(5)
		cols := rows + rng.IntN(3)
		cost := make([]float64, rows*cols)
		for i := range cost {
			cost[i] = math.Round(rng.Float64()*100) / 10
			if rng.IntN(5) == 0 {
				cost[i] = Forbidden
			}
		}
		out := make([]int, rows)
		a.Solve(cost, rows, cols, out)
		seen := map[int]bool{}
		got := 0.0
		for i, j := range out {
			if seen[j] || j < 0 || j >= cols {
				t.Fatalf("trial %d: invalid assignment %v", trial, out)
			}
			seen[j] = true
			got += cost[i*cols+j]
		}
		if want := bruteForce(cost, rows, cols); math.Abs(got-want) > 1e-6 {
			t.Fatalf("trial %d (%d×%d): cost %.2f, optimum %.2f", trial, rows, cols, got, want)
		}
	}
}

func bruteForce(cost []float64, rows, cols int) float64 {
	best := math.Inf(1)
	used := make([]bool, cols)
	var rec func(i int, sum float64)
	rec = func(i int, sum float64) {
		if i == rows {
			best = math.Min(best, sum)
			return
		}
		for j := 0; j < cols; j++ {
			if !used[j] {
				used[j] = true
				rec(i+1, sum+cost[i*cols+j])
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

func BenchmarkAssign20(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 20
	cost := make([]float64, n*2*n)
	for i := range cost {
		cost[i] = rng.Float64()
	}
	out := make([]int, n)
	var a Solver
	b.ReportAllocs()
	for b.Loop() {
		a.Solve(cost, n, 2*n, out)
	}
}
