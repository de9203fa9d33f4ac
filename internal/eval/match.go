package eval

import (
	"cmp"
	"math"
	"slices"

	"pharos/internal/geo"
	"pharos/internal/lap"
)

type point struct{ lat, lon float64 }

type edge struct {
	x, y int
	d    float64
}

// matcher finds, at one time, the matching between truth points X and
// estimates Y that GOSPA and OSPA both need: the partial matching, over
// pairs closer than the cut-off c, that minimises Σ(dᵖ − cᵖ). (GOSPA's
// Σdᵖ + cᵖ/2·(|X|+|Y|−2k) and OSPA's Σdᵖ + cᵖ·(max(|X|,|Y|)−k) differ from
// it only by terms fixed by |X| and |Y|.)
//
// A pair at d ≥ c costs exactly what leaving both unmatched costs, so the
// problem splits into the connected components of the graph of pairs
// closer than c, each solved exactly with the rectangular solver of package lap on
// costs min(d,c)ᵖ. Targets kilometres apart never meet in one matrix,
// which keeps a large scenario cheap.
type matcher struct {
	c, p, cp float64 // cut-off, order, cᵖ
	dlat     float64 // degrees of latitude within which a pair may be closer than c

	// Outputs of match: yOf[i] is the estimate matched to truth i, -1 for
	// none, dOf[i] its distance; xOf[j] the truth matched to estimate j.
	yOf, xOf []int
	dOf      []float64

	// Scratch, kept between calls. Nodes are numbered x first (0..|X|-1),
	// then y (|X|..|X|+|Y|-1).
	byLat        []int  // estimates by latitude
	edges        []edge // pairs closer than c
	parent       []int  // union-find forest over nodes
	root         []int  // component number of a root node, -1 for none yet
	local        []int  // index of a node inside its component's side, -1 if unlisted
	compX, compY [][]int
	compE        [][]int // edges of each component
	cost, dist   []float64
	out          []int
	a            lap.Solver
}

func newMatcher(c, p float64) *matcher {
	// Haversine distance is at least R·|Δφ|; the small margin keeps
	// rounding from ever dropping a pair whose computed distance is < c.
	return &matcher{c: c, p: p, cp: math.Pow(c, p), dlat: c / geo.EarthRadius * 180 / math.Pi * (1 + 1e-9)}
}

func (m *matcher) pow(d float64) float64 {
	if m.p == 2 {
		return d * d
	}
	return math.Pow(d, m.p)
}

func (m *matcher) match(xs, ys []point) {
	n, k := len(xs), len(ys)
	m.yOf = fillInt(m.yOf, n, -1)
	m.dOf = lap.Resize(m.dOf, n)
	m.xOf = fillInt(m.xOf, k, -1)
	if n == 0 || k == 0 {
		return
	}

	// Pairs closer than c, found through a latitude window over the
	// estimates sorted by latitude.
	m.byLat = m.byLat[:0]
	for j := range ys {
		m.byLat = append(m.byLat, j)
	}
	slices.SortFunc(m.byLat, func(a, b int) int { return cmp.Compare(ys[a].lat, ys[b].lat) })
	m.edges = m.edges[:0]
	for i, x := range xs {
		lo, _ := slices.BinarySearchFunc(m.byLat, x.lat-m.dlat, func(j int, lat float64) int { return cmp.Compare(ys[j].lat, lat) })
		for _, j := range m.byLat[lo:] {
			y := ys[j]
			if y.lat > x.lat+m.dlat {
				break
			}
			if d := geo.Distance(x.lat, x.lon, y.lat, y.lon); d < m.c {
				m.edges = append(m.edges, edge{i, j, d})
			}
		}
	}
	if len(m.edges) == 0 {
		return
	}

	// Connected components (union-find over x nodes 0..n-1, y nodes n..n+k-1).
	m.parent = lap.ResizeInt(m.parent, n+k)
	for i := range m.parent {
		m.parent[i] = i
	}
	for _, e := range m.edges {
		a, b := m.find(e.x), m.find(n+e.y)
		if a != b {
			m.parent[a] = b
		}
	}
	m.root = fillInt(m.root, n+k, -1)
	m.local = fillInt(m.local, n+k, -1)
	nc := 0
	m.compX, m.compY, m.compE = m.compX[:0], m.compY[:0], m.compE[:0]
	for ei, e := range m.edges {
		r := m.find(e.x)
		if m.root[r] < 0 {
			m.root[r] = nc
			nc++
			m.compX = appendEmpty(m.compX, nc)
			m.compY = appendEmpty(m.compY, nc)
			m.compE = appendEmpty(m.compE, nc)
		}
		c := m.root[r]
		if m.local[e.x] < 0 {
			m.local[e.x] = len(m.compX[c])
			m.compX[c] = append(m.compX[c], e.x)
		}
		if yn := n + e.y; m.local[yn] < 0 {
			m.local[yn] = len(m.compY[c])
			m.compY[c] = append(m.compY[c], e.y)
		}
		m.compE[c] = append(m.compE[c], ei)
	}

	for c := range nc {
		cx, cy, ce := m.compX[c], m.compY[c], m.compE[c]
		if len(ce) == 1 { // a lone pair closer than c: matching it always pays
			m.set(m.edges[ce[0]].x, m.edges[ce[0]].y, m.edges[ce[0]].d)
			continue
		}
		// Rows are the smaller side.
		rows, cols, flip := len(cx), len(cy), false
		if rows > cols {
			rows, cols, flip = cols, rows, true
		}
		m.cost = lap.Resize(m.cost, rows*cols)
		m.dist = lap.Resize(m.dist, rows*cols)
		for i := range m.cost {
			m.cost[i] = m.cp
		}
		for _, ei := range ce {
			e := m.edges[ei]
			r, q := m.local[e.x], m.local[n+e.y]
			if flip {
				r, q = q, r
			}
			m.cost[r*cols+q] = m.pow(e.d)
			m.dist[r*cols+q] = e.d
		}
		m.out = lap.ResizeInt(m.out, rows)
		m.a.Solve(m.cost, rows, cols, m.out)
		for r, q := range m.out[:rows] {
			if m.cost[r*cols+q] >= m.cp {
				continue // no pair closer than c here: both stay unmatched
			}
			i, j := r, q
			if flip {
				i, j = q, r
			}
			m.set(cx[i], cy[j], m.dist[r*cols+q])
		}
	}
}

func (m *matcher) set(x, y int, d float64) {
	m.yOf[x], m.xOf[y], m.dOf[x] = y, x, d
}

func (m *matcher) find(v int) int {
	for m.parent[v] != v {
		m.parent[v] = m.parent[m.parent[v]]
		v = m.parent[v]
	}
	return v
}

func fillInt(s []int, n, v int) []int {
	s = lap.ResizeInt(s, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// appendEmpty grows a list of lists to n, reusing the storage of lists
// dropped by an earlier truncation.
func appendEmpty(s [][]int, n int) [][]int {
	if n <= cap(s) {
		s = s[:n]
		s[n-1] = s[n-1][:0]
		return s
	}
	return append(s, nil)
}
