package geo

import (
	"cmp"
	"math"
	"slices"
)

// areaIndex is a uniform grid of ¼° cells over the globe (about 28 km at
// the equator), grouped in 1° blocks so that empty sea costs one word per
// block. Each cell lists, in increasing order of area, the areas that
// reach into it: either wholly (no edge of the area in the cell, the cell
// inside it) or partly, with the runs of the area's edges that touch the
// cell and the side of the cell's centre. A point's answer is each partial
// area's centre side flipped once for every one of its edges crossed on
// the way from the centre to the point, first along the centre's parallel,
// then along the point's meridian (as Land.Contains does): the cost is the
// handful of edges in one cell, however large or many the areas are.
//
// A uniform grid rather than an R-tree (github.com/tidwall/rtree): a
// lookup is one array index and a short scan with no tree descent, the
// same code serves the world's territorial waters (polygons of thousands
// of vertices, where an R-tree of bounding boxes still leaves a
// point-in-polygon test over every vertex) and thousands of small drawn
// areas, and it needs no dependency. A grid's weakness, very uneven
// density, is bounded here by the cell size: a cell holds only the edges
// that touch it.
type areaIndex struct {
	block   []int32     // per 1° block: -1 when empty, else its first cell in cellAt
	cellAt  []int32     // per cell of non-empty blocks: its first entry; one more at the end
	entries []areaEntry // by cell, then area; a sentinel at the end
	runs    []areaRun
}

// areaEntry is one area in one cell: meta is the area's index << 1 | 1
// when the cell's centre is inside it; its edge runs go from runs to the
// next entry's runs.
type areaEntry struct {
	meta uint32
	runs int32
}

// areaRun is the edges first..last-1 (edge i joins points i and i+1).
type areaRun struct{ first, last int32 }

const (
	areaPerDeg   = 4                       // cells per degree
	areaCols     = 360 * areaPerDeg        // cells round a parallel
	areaRows     = 180 * areaPerDeg        // cells pole to pole
	areaPerBlock = areaPerDeg * areaPerDeg // cells in a 1° block
)

func areaRow(lat float64) int {
	return max(0, min(areaRows-1, int(math.Floor((lat+90)*areaPerDeg))))
}

func areaCol(lon float64) int {
	return max(0, min(areaCols-1, int(math.Floor((lon+180)*areaPerDeg))))
}

// Cell centres are multiples of ⅛°: exact in float64.
func areaCentreLat(row int) float64 { return (float64(row)+0.5)/areaPerDeg - 90 }
func areaCentreLon(col int) float64 { return (float64(col)+0.5)/areaPerDeg - 180 }

// areaCell numbers cells block by block, so that a block's cells are
// consecutive.
func areaCell(row, col int) uint32 {
	blk := (row/areaPerDeg)*360 + col/areaPerDeg
	return uint32(blk*areaPerBlock + (row%areaPerDeg)*areaPerDeg + col%areaPerDeg)
}

// crossParallel gives where the edge a–b crosses the parallel y, counting
// a vertex on the parallel as above it, so that a parallel through a
// vertex is crossed once or not at all. The index build and the queries
// must compute it the same way.
func crossParallel(a, b areaPt, y float64) (float64, bool) {
	if (a.lat > y) == (b.lat > y) {
		return 0, false
	}
	x := a.lon + (y-a.lat)*(b.lon-a.lon)/(b.lat-a.lat)
	return max(min(a.lon, b.lon), min(max(a.lon, b.lon), x)), true // rounding stays on the edge
}

// areaPoint brings a query into the index's frame: longitude in
// [-180°, 180°), nudged off the cut lines at ±180° and the poles.
func areaPoint(lat, lon float64) (x, y float64) {
	x = max(-180+1e-9, NormLon(lon))
	y = max(-90+1e-9, min(90-1e-9, lat))
	return x, y
}

// build indexes the rings of a.
func (x *areaIndex) build(a *Areas) {
	areaRings := a.areaRings
	nAreas := len(areaRings) - 1
	edgeArea := make([]int32, len(a.pts))
	for ar := range nAreas {
		lo, hi := a.ringStart[areaRings[ar]], a.ringStart[areaRings[ar+1]]
		for i := lo; i < hi; i++ {
			edgeArea[i] = int32(ar)
		}
	}

	// One key per (cell, edge) the edge's bounding box touches. Edges are
	// numbered area after area, so sorted keys group by cell, then area,
	// then edge: runs of consecutive edges.
	keys := make([]uint64, 0, 2*len(a.pts))
	for r := 0; r+1 < len(a.ringStart); r++ {
		for i := a.ringStart[r]; i < a.ringStart[r+1]-1; i++ {
			p, q := a.pts[i], a.pts[i+1]
			r0, r1 := areaRow(min(p.lat, q.lat)), areaRow(max(p.lat, q.lat))
			c0, c1 := areaCol(min(p.lon, q.lon)), areaCol(max(p.lon, q.lon))
			for row := r0; row <= r1; row++ {
				for col := c0; col <= c1; col++ {
					keys = append(keys, uint64(areaCell(row, col))<<32|uint64(i))
				}
			}
		}
	}
	slices.Sort(keys)

	type entry struct {
		cell       uint32
		area       int32
		in         bool
		runs, runN int32 // in tmpRuns
	}
	var ents []entry
	var tmpRuns []areaRun
	for _, k := range keys {
		cell, e := uint32(k>>32), int32(k)
		ar := edgeArea[e]
		if n := len(ents); n > 0 && ents[n-1].cell == cell && ents[n-1].area == ar {
			if last := &tmpRuns[len(tmpRuns)-1]; last.last == e {
				last.last = e + 1
			} else {
				tmpRuns = append(tmpRuns, areaRun{e, e + 1})
				ents[n-1].runN++
			}
			continue
		}
		ents = append(ents, entry{cell: cell, area: ar, runs: int32(len(tmpRuns)), runN: 1})
		tmpRuns = append(tmpRuns, areaRun{e, e + 1})
	}
	keys = nil

	// The side of every cell centre, area by area, from the crossings of
	// each parallel through the centres, counted from 180° W (outside
	// every ring). Centres inside an area in cells without its edges make
	// whole entries.
	partial := make([][]int32, nAreas) // entries of each area
	for i, e := range ents {
		partial[e.area] = append(partial[e.area], int32(i))
	}
	type crossing struct {
		row int32
		x   float64
	}
	var xs []crossing
	var whole []uint64 // cell<<32 | area of the entries without edges
	at := map[uint32]int32{}
	for ar := range nAreas {
		xs = xs[:0]
		for r := areaRings[ar]; r < areaRings[ar+1]; r++ {
			for i := a.ringStart[r]; i < a.ringStart[r+1]-1; i++ {
				p, q := a.pts[i], a.pts[i+1]
				for row := areaRow(min(p.lat, q.lat)); row <= areaRow(max(p.lat, q.lat)); row++ {
					if xc, ok := crossParallel(p, q, areaCentreLat(row)); ok {
						xs = append(xs, crossing{int32(row), xc})
					}
				}
			}
		}
		if len(xs) == 0 {
			continue
		}
		slices.SortFunc(xs, func(a, b crossing) int {
			return cmp.Or(cmp.Compare(a.row, b.row), cmp.Compare(a.x, b.x))
		})
		clear(at)
		for _, i := range partial[ar] {
			at[ents[i].cell] = i
		}
		for j := 0; j < len(xs); {
			row := xs[j].row
			k := j
			for k < len(xs) && xs[k].row == row {
				k++
			}
			// Centres with an odd number of crossings west of them: those
			// in (xs[2m], xs[2m+1]] of the row.
			for m := j; m+1 < k; m += 2 {
				w, e := xs[m].x, xs[m+1].x
				c0 := areaCol(w)
				for c0 < areaCols && areaCentreLon(c0) <= w {
					c0++
				}
				for col := c0; col < areaCols && areaCentreLon(col) <= e; col++ {
					cell := areaCell(int(row), col)
					if i, ok := at[cell]; ok {
						ents[i].in = true
					} else {
						whole = append(whole, uint64(cell)<<32|uint64(ar))
					}
				}
			}
			j = k
		}
	}

	// Merge the whole entries into the partial ones, which the keys left
	// in order.
	slices.Sort(whole)
	merged := make([]entry, 0, len(ents)+len(whole))
	for i, j := 0, 0; i < len(ents) || j < len(whole); {
		if j == len(whole) || (i < len(ents) && uint64(ents[i].cell)<<32|uint64(ents[i].area) < whole[j]) {
			merged = append(merged, ents[i])
			i++
			continue
		}
		merged = append(merged, entry{cell: uint32(whole[j] >> 32), area: int32(uint32(whole[j])), in: true})
		j++
	}
	ents, whole = merged, nil
	x.block = make([]int32, 360*180)
	for i := range x.block {
		x.block[i] = -1
	}
	x.entries = make([]areaEntry, 0, len(ents)+1)
	x.runs = make([]areaRun, 0, len(tmpRuns))
	for k := 0; k < len(ents); {
		blk := ents[k].cell / areaPerBlock
		x.block[blk] = int32(len(x.cellAt))
		base := len(x.cellAt)
		for range areaPerBlock {
			x.cellAt = append(x.cellAt, -1)
		}
		for ; k < len(ents) && ents[k].cell/areaPerBlock == blk; k++ {
			e := ents[k]
			c := base + int(e.cell%areaPerBlock)
			if x.cellAt[c] < 0 {
				x.cellAt[c] = int32(len(x.entries))
			}
			meta := uint32(e.area) << 1
			if e.in {
				meta |= 1
			}
			x.entries = append(x.entries, areaEntry{meta: meta, runs: int32(len(x.runs))})
			x.runs = append(x.runs, tmpRuns[e.runs:e.runs+e.runN]...)
		}
		// Cells without entries start where the next cell does.
		next := int32(len(x.entries))
		for c := base + areaPerBlock - 1; c >= base; c-- {
			if x.cellAt[c] < 0 {
				x.cellAt[c] = next
			}
			next = x.cellAt[c]
		}
	}
	x.cellAt = append(x.cellAt, int32(len(x.entries)))
	x.entries = append(x.entries, areaEntry{runs: int32(len(x.runs))})
}

// cellOf returns the entries of the cell holding the point, and the
// cell's centre.
func (x *areaIndex) cellOf(px, py float64) (lo, hi int32, cx, cy float64) {
	row, col := areaRow(py), areaCol(px)
	b := x.block[(row/areaPerDeg)*360+col/areaPerDeg]
	if b < 0 {
		return 0, 0, 0, 0
	}
	c := int(b) + (row%areaPerDeg)*areaPerDeg + col%areaPerDeg
	return x.cellAt[c], x.cellAt[c+1], areaCentreLon(col), areaCentreLat(row)
}

// inside decides entry k for the point (px, py) in a cell centred on
// (cx, cy).
func (x *areaIndex) inside(a *Areas, k int32, px, py, cx, cy float64) bool {
	e := x.entries[k]
	in := e.meta&1 == 1
	if !in {
		// Partial or not, a point outside the area's bounds is outside.
		if b := &a.box[e.meta>>1]; px < b.lon0 || px > b.lon1 || py < b.lat0 || py > b.lat1 {
			return false
		}
	}
	for _, run := range x.runs[e.runs:x.entries[k+1].runs] {
		for i := run.first; i < run.last; i++ {
			p, q := a.pts[i], a.pts[i+1]
			if xc, ok := crossParallel(p, q, cy); ok && (xc < cx) != (xc < px) {
				in = !in
			}
			if (p.lon < px) != (q.lon < px) {
				if yc := p.lat + (px-p.lon)*(q.lat-p.lat)/(q.lon-p.lon); (yc < cy) != (yc < py) {
					in = !in
				}
			}
		}
	}
	return in
}

func (x *areaIndex) at(a *Areas, lat, lon float64, dst []int) []int {
	if math.IsNaN(lat) || math.IsNaN(lon) || x.block == nil {
		return dst
	}
	px, py := areaPoint(lat, lon)
	lo, hi, cx, cy := x.cellOf(px, py)
	for k := lo; k < hi; k++ {
		if x.inside(a, k, px, py, cx, cy) {
			dst = append(dst, int(x.entries[k].meta>>1))
		}
	}
	return dst
}

func (x *areaIndex) contains(a *Areas, i int, lat, lon float64) bool {
	if math.IsNaN(lat) || math.IsNaN(lon) || x.block == nil || i < 0 {
		return false
	}
	px, py := areaPoint(lat, lon)
	lo, hi, cx, cy := x.cellOf(px, py)
	for k := lo; k < hi; k++ {
		switch ar := int(x.entries[k].meta >> 1); {
		case ar == i:
			return x.inside(a, k, px, py, cx, cy)
		case ar > i:
			return false
		}
	}
	return false
}
