package report

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// HotZ is the least Getis–Ord Gi* z-score of a hotspot cell: 1.96, a
// cluster of high counts at the 95 % level.
const HotZ = 1.96

// HotMin is the least count of a hotspot cell: a cell with a count or two
// beside busy ones is not a hotspot itself.
const HotMin = 3

// Hotspot is a cluster of hotspot cells (side by side, not corner to
// corner) of one layer and crime type over a period.
type Hotspot struct {
	Layer Layer
	Crime Crime
	// Cells of the hotspot, sorted.
	Cells [][2]int32
	// Count is the figure of the records in the cells; Total that of the
	// crime type in the whole area; Before that of the same cells over
	// the period compared with.
	Count, Total, Before *Figure
	// Peak is the busiest cell and its figure.
	Peak    [2]int32
	PeakFig *Figure
	// Z is the highest Gi* z-score of the cells.
	Z float64
}

// CellCounts are the counts of the grid's cells for a layer and a crime
// type over a period: the density the maps show.
func (d *Data) CellCounts(layer Layer, from, to time.Time, c Crime) map[[2]int32]*Figure {
	q := Query{Layer: layer, From: from, To: to, Crime: c.String()}
	out := map[[2]int32]*Figure{}
	for k, f := range d.By(q, DimCell, nil) {
		out[parseCell(k)] = f
	}
	return out
}

func parseCell(k string) [2]int32 {
	a, b, _ := strings.Cut(k, ":")
	r, _ := strconv.Atoi(a)
	c, _ := strconv.Atoi(b)
	return [2]int32{int32(r), int32(c)}
}

// studyCells are the cells of the map's extent that are sea at their
// centre, the area Gi* compares a cell with; cells with records are
// added to them.
func (d *Data) studyCells() map[[2]int32]bool {
	r0, c0 := CellOf(d.Extent.South, d.Extent.West, d.Grid)
	r1, c1 := CellOf(d.Extent.North, d.Extent.East, d.Grid)
	out := map[[2]int32]bool{}
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			lat, lon := (float64(r)+0.5)*d.Grid, (float64(c)+0.5)*d.Grid
			if d.Land == nil || !d.Land.Contains(lat, lon) {
				out[[2]int32{r, c}] = true
			}
		}
	}
	return out
}

// giStar computes the Getis–Ord Gi* z-score of every cell with a count,
// with the cell and its eight neighbours as its neighbourhood (binary
// weights), over the study cells.
func giStar(counts map[[2]int32]int, study map[[2]int32]bool) map[[2]int32]float64 {
	cells := make(map[[2]int32]bool, len(study)+len(counts))
	for k := range study {
		cells[k] = true
	}
	for k := range counts {
		cells[k] = true
	}
	n := float64(len(cells))
	if n < 2 {
		return nil
	}
	// Sums in a fixed order, so that the same counts give the same
	// z-scores to the last bit.
	var sum, sum2 float64
	for _, k := range slices.SortedFunc(maps.Keys(cells), cmpCell) {
		x := float64(counts[k])
		sum += x
		sum2 += x * x
	}
	mean := sum / n
	s := math.Sqrt(max(sum2/n-mean*mean, 0))
	if s == 0 {
		return nil
	}
	out := map[[2]int32]float64{}
	for k := range counts {
		var wx, w float64
		for dr := int32(-1); dr <= 1; dr++ {
			for dc := int32(-1); dc <= 1; dc++ {
				nb := [2]int32{k[0] + dr, k[1] + dc}
				if cells[nb] {
					w++
					wx += float64(counts[nb])
				}
			}
		}
		den := s * math.Sqrt((n*w-w*w)/(n-1))
		if den > 0 {
			out[k] = (wx - mean*w) / den
		}
	}
	return out
}

// hotCells returns the cells of a layer and crime type whose Gi* is at
// least HotZ and whose count is at least HotMin, with their z-scores,
// and the figures of every cell.
func (d *Data) hotCells(layer Layer, from, to time.Time, c Crime) (map[[2]int32]float64, map[[2]int32]*Figure) {
	figs := d.CellCounts(layer, from, to, c)
	counts := make(map[[2]int32]int, len(figs))
	for k, f := range figs {
		counts[k] = f.Value
	}
	if d.study == nil {
		d.study = d.studyCells()
	}
	hot := map[[2]int32]float64{}
	for k, z := range giStar(counts, d.study) {
		if z >= HotZ && counts[k] >= HotMin {
			hot[k] = z
		}
	}
	return hot, figs
}

// Hotspots finds the hotspots of a layer and crime type over [from, to),
// compared with [pfrom, pto), biggest first.
func (d *Data) Hotspots(layer Layer, from, to, pfrom, pto time.Time, c Crime) []Hotspot {
	hot, figs := d.hotCells(layer, from, to, c)
	total := d.Count(Query{Layer: layer, From: from, To: to, Crime: c.String()})
	var out []Hotspot
	for _, cells := range clusters(hot) {
		h := Hotspot{Layer: layer, Crime: c, Cells: cells, Total: total}
		keys := make([]string, len(cells))
		for i, k := range cells {
			keys[i] = CellKey(k[0], k[1])
			if f := figs[k]; h.PeakFig == nil || f.Value > h.PeakFig.Value {
				h.Peak, h.PeakFig = k, f
			}
			h.Z = max(h.Z, hot[k])
		}
		q := Query{Layer: layer, From: from, To: to, Crime: c.String(), Cells: strings.Join(keys, " "), Grid: d.Grid}
		h.Count = d.Count(q)
		q.From, q.To = pfrom, pto
		h.Before = d.Count(q)
		out = append(out, h)
	}
	slices.SortStableFunc(out, func(a, b Hotspot) int {
		return cmp.Or(cmp.Compare(b.Count.Value, a.Count.Value), cmp.Compare(b.Z, a.Z))
	})
	return out
}

// clusters groups cells into sets joined side by side, each sorted, the
// sets by their first cell.
func clusters[V any](set map[[2]int32]V) [][][2]int32 {
	seen := map[[2]int32]bool{}
	keys := make([][2]int32, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpCell)
	var out [][][2]int32
	for _, k := range keys {
		if seen[k] {
			continue
		}
		var group [][2]int32
		stack := [][2]int32{k}
		seen[k] = true
		for len(stack) > 0 {
			c := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			group = append(group, c)
			for _, nb := range [][2]int32{{c[0] + 1, c[1]}, {c[0] - 1, c[1]}, {c[0], c[1] + 1}, {c[0], c[1] - 1}} {
				if _, ok := set[nb]; ok && !seen[nb] {
					seen[nb] = true
					stack = append(stack, nb)
				}
			}
		}
		slices.SortFunc(group, cmpCell)
		out = append(out, group)
	}
	return out
}

func cmpCell(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }

// CommonArea is a common area of interest: neighbouring cells that are
// hotspots of two crime types or more at once.
type CommonArea struct {
	Cells  [][2]int32
	Crimes []Crime
	// Counts are the figures of each crime type's incidents in the cells.
	Counts map[Crime]*Figure
}

// CommonAreas finds the cells that are incident hotspots of two or more
// of the report's crime types over [from, to), grouped.
func (d *Data) CommonAreas(from, to time.Time) []CommonArea {
	hotBy := map[Crime]map[[2]int32]float64{}
	for _, c := range Crimes {
		hotBy[c], _ = d.hotCells(LayerIncidents, from, to, c)
	}
	common := map[[2]int32][]Crime{}
	for _, c := range Crimes {
		for k := range hotBy[c] {
			common[k] = append(common[k], c)
		}
	}
	for k, cs := range common {
		if len(cs) < 2 {
			delete(common, k)
		}
	}
	var out []CommonArea
	for _, cells := range clusters(common) {
		a := CommonArea{Cells: cells, Counts: map[Crime]*Figure{}}
		keys := make([]string, len(cells))
		has := map[Crime]bool{}
		for i, k := range cells {
			keys[i] = CellKey(k[0], k[1])
			for _, c := range common[k] {
				has[c] = true
			}
		}
		for _, c := range Crimes {
			if has[c] {
				a.Crimes = append(a.Crimes, c)
				a.Counts[c] = d.Count(Query{Layer: LayerIncidents, From: from, To: to, Crime: c.String(),
					Cells: strings.Join(keys, " "), Grid: d.Grid})
			}
		}
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(a, b CommonArea) int { return cmp.Compare(b.sum(), a.sum()) })
	return out
}

func (a CommonArea) sum() int {
	n := 0
	for _, f := range a.Counts {
		n += f.Value
	}
	return n
}

// cellOutline traces the outer boundary of a group of cells joined side
// by side, as a ring of [lon, lat] points counter-clockwise.
func cellOutline(cells [][2]int32, grid float64) [][2]float64 {
	in := map[[2]int32]bool{}
	for _, c := range cells {
		in[c] = true
	}
	// Directed boundary edges, the cells on their left: from corner to
	// corner, corners as (row, col) of their south-west cell.
	type pt [2]int32
	next := map[pt][]pt{}
	for _, c := range cells {
		r, k := c[0], c[1]
		if !in[[2]int32{r - 1, k}] { // south side, west to east
			next[pt{r, k}] = append(next[pt{r, k}], pt{r, k + 1})
		}
		if !in[[2]int32{r, k + 1}] { // east side, south to north
			next[pt{r, k + 1}] = append(next[pt{r, k + 1}], pt{r + 1, k + 1})
		}
		if !in[[2]int32{r + 1, k}] { // north side, east to west
			next[pt{r + 1, k + 1}] = append(next[pt{r + 1, k + 1}], pt{r + 1, k})
		}
		if !in[[2]int32{r, k - 1}] { // west side, north to south
			next[pt{r + 1, k}] = append(next[pt{r + 1, k}], pt{r, k})
		}
	}
	// Follow from the lowest corner, which lies on the outer ring.
	var start pt
	first := true
	for p := range next {
		if first || p[0] < start[0] || p[0] == start[0] && p[1] < start[1] {
			start, first = p, false
		}
	}
	var corners []pt
	p := start
	for range 4*len(cells) + 4 {
		corners = append(corners, p)
		outs := next[p]
		if len(outs) == 0 {
			break
		}
		q := outs[0]
		next[p] = outs[1:]
		p = q
		if p == start {
			break
		}
	}
	// Keep the corners where the boundary turns.
	var ring [][2]float64
	n := len(corners)
	for i, c := range corners {
		a, b := corners[(i+n-1)%n], corners[(i+1)%n]
		if (c[0]-a[0])*(b[1]-c[1]) == (c[1]-a[1])*(b[0]-c[0]) {
			continue // straight on
		}
		ring = append(ring, [2]float64{float64(c[1]) * grid, float64(c[0]) * grid})
	}
	return ring
}
