package geo

import "math"

// Contains reports whether the point (degrees) is on land. Points on the
// coastline itself may fall either way.
//
// Each grid cell knows the side of its centre; the answer is that side
// flipped once for every edge crossed on the way from the centre to the
// point, first along the centre's parallel, then along the point's
// meridian. Only the cell's own edges can be crossed.
func (l *Land) Contains(lat, lon float64) bool {
	if math.IsNaN(lat) || math.IsNaN(lon) {
		return false
	}
	// Nudge points off the lines where the generator closed rings: a
	// point on 180° lies on the cut between two pieces of the same land,
	// one at the pole on the edge closing Antarctica.
	x := max(-180*landMicro+1e-3, NormLon(lon)*landMicro)
	y := max(-90*landMicro+1e-3, min(90*landMicro-1e-3, lat*landMicro))
	row, col := landRow(y), landCol(x)
	b := l.block[(row/landPerDeg)*landBlockCol+col/landPerDeg]
	if b < 0 {
		return b == landLand
	}
	c := landCellIn(row, col)
	in := l.inner[b]>>c&1 == 1
	cx, cy := landCentre(col, 180), landCentre(row, 90)
	cell := int(b)*landPerBlock + c
	for _, run := range l.runs[l.cellAt[cell]:l.cellAt[cell+1]] {
		for i := run.first; i < run.last; i++ {
			if xc, ok := l.crossParallel(i, cy); ok && (xc < cx) != (xc < x) {
				in = !in
			}
			pa, pb := l.pts[i], l.pts[i+1]
			xa, xb := float64(pa.lon), float64(pb.lon)
			if (xa < x) != (xb < x) {
				ya, yb := float64(pa.lat), float64(pb.lat)
				if yc := ya + (x-xa)*(yb-ya)/(xb-xa); (yc < cy) != (yc < y) {
					in = !in
				}
			}
		}
	}
	return in
}

// DistanceToShore is the great-circle distance in metres from the point to
// the nearest coastline, for points at sea and on land alike.
func (l *Land) DistanceToShore(lat, lon float64) float64 {
	return l.DistanceToShoreWithin(lat, lon, math.Inf(1))
}

// DistanceToShoreWithin is DistanceToShore when the coast is nearer than
// limit metres, and limit otherwise. A small limit bounds the search, which
// makes far-offshore points cheap for callers that only care about the
// coastal zone.
//
// Distances are on the sphere of radius EarthRadius (as Distance), to the
// coastline as the data draws it: a vertex can be up to a few hundred
// metres off the real coast.
func (l *Land) DistanceToShoreWithin(lat, lon, limit float64) float64 {
	if math.IsNaN(lat) || math.IsNaN(lon) || math.IsNaN(limit) {
		return math.NaN()
	}
	lat, lon = max(-90, min(90, lat)), NormLon(lon)
	s := landSearch{l: l, lat: lat, lon: lon}
	φ, λ := rad(lat), rad(lon)
	sφ, cφ := math.Sincos(φ)
	sλ, cλ := math.Sincos(λ)
	s.q = [3]float64{cφ * cλ, cφ * sλ, sφ}
	s.cosLat = cφ
	limitθ := min(math.Pi, limit/EarthRadius)
	s.bestθ = limitθ
	s.best2 = landChord2(limitθ)

	// Search boxes that cover all points within θ of the query, θ doubling
	// from about a quarter of a cell; each step visits only what the
	// previous box left out.
	prev := landBox{r0: 1, r1: 0} // empty
	for θ := 0.25 * rad(1.0/landPerDeg); ; θ *= 2 {
		θ = min(θ, limitθ)
		box := s.box(θ)
		for row := box.r0; row <= box.r1; row++ {
			if row < prev.r0 || row > prev.r1 {
				s.visit(row, box.c0, box.c1)
				continue
			}
			if box.all && prev.all {
				continue
			}
			if box.all {
				s.visit(row, prev.c1+1, prev.c0-1+landCols)
				continue
			}
			s.visit(row, box.c0, prev.c0-1)
			s.visit(row, prev.c1+1, box.c1)
		}
		prev = box
		if s.bestθ <= θ || θ >= limitθ || (box.all && box.r0 == 0 && box.r1 == landRows-1) {
			break
		}
	}
	if s.best2 >= landChord2(limitθ) {
		return limit
	}
	return s.bestθ * EarthRadius
}

// landSearch is the state of one nearest-coast search.
type landSearch struct {
	l        *Land
	lat, lon float64    // query, degrees
	q        [3]float64 // query as a unit vector
	cosLat   float64
	best2    float64 // squared chord to the nearest coast edge so far
	bestθ    float64 // the same as an angle, radians
}

// landBox is rows r0..r1 and columns c0..c1 (c1 may exceed the last column:
// columns wrap round the antimeridian), or every column when all is set.
type landBox struct {
	r0, r1, c0, c1 int
	all            bool
}

// box returns the cells that hold every point within θ radians of the
// query. Beyond a longitude difference Δλ (up to 90°) no point is nearer
// than the cross-track distance asin(cos φ · sin Δλ) to that meridian.
func (s *landSearch) box(θ float64) landBox {
	dφ := deg(θ)
	b := landBox{
		r0: landRow((s.lat - dφ) * landMicro),
		r1: landRow((s.lat + dφ) * landMicro),
	}
	sinθ := math.Sin(θ)
	if s.lat+dφ >= 90 || s.lat-dφ <= -90 || sinθ >= s.cosLat {
		b.all, b.c0, b.c1 = true, 0, landCols-1
		return b
	}
	dλ := deg(math.Asin(sinθ / s.cosLat))
	b.c0 = int(math.Floor((s.lon - dλ + 180) * landPerDeg))
	b.c1 = int(math.Floor((s.lon + dλ + 180) * landPerDeg))
	if b.c1-b.c0+1 >= landCols {
		b.all, b.c0, b.c1 = true, 0, landCols-1
	}
	return b
}

// visit searches the cells of a row from column c0 to c1 (wrapping), with
// whole empty blocks skipped and cells that cannot beat the best so far
// left out.
func (s *landSearch) visit(row, c0, c1 int) {
	l := s.l
	if c1 < c0 {
		return
	}
	y0 := float64(row)/landPerDeg - 90
	latGap := rad(max(0, y0-s.lat, s.lat-(y0+1.0/landPerDeg)))
	if latGap >= s.bestθ {
		return
	}
	blockRow := (row / landPerDeg) * landBlockCol
	for c := c0; c <= c1; {
		col := ((c % landCols) + landCols) % landCols
		b := l.block[blockRow+col/landPerDeg]
		if b < 0 {
			c += landPerDeg - col%landPerDeg // the rest of the block
			continue
		}
		cell := int(b)*landPerBlock + landCellIn(row, col)
		runs := l.runs[l.cellAt[cell]:l.cellAt[cell+1]]
		c++
		if len(runs) == 0 {
			continue
		}
		// A lower bound on the distance to anything in the cell.
		x0 := float64(col)/landPerDeg - 180
		dλ := min(math.Pi/2, rad(max(0, min(
			math.Abs(NormLon(x0-s.lon)), math.Abs(NormLon(x0+1.0/landPerDeg-s.lon))))))
		if s.lon >= x0 && s.lon < x0+1.0/landPerDeg {
			dλ = 0
		}
		lonGap := s.cosLat * (dλ - dλ*dλ*dλ/6) // ≤ asin(cos φ sin Δλ)
		if max(latGap, lonGap) >= s.bestθ {
			continue
		}
		best := s.best2
		art := l.cut[b]>>landCellIn(row, col)&1 == 1
		qx, qy, qz := s.q[0], s.q[1], s.q[2]
		for _, run := range runs {
			a := l.xyz[run.first]
			ax, ay, az := float64(a.x), float64(a.y), float64(a.z)
			for i := run.first; i < run.last; i++ {
				v := l.xyz[i+1]
				bx, by, bz := float64(v.x), float64(v.y), float64(v.z)
				if !art || !l.cutEdge(i) {
					// Point to chord distance: for edges of a few km the
					// chord lies within millimetres of the arc.
					wx, wy, wz := qx-ax, qy-ay, qz-az
					dx, dy, dz := bx-ax, by-ay, bz-az
					t := wx*dx + wy*dy + wz*dz
					var d2 float64
					if t <= 0 {
						d2 = wx*wx + wy*wy + wz*wz
					} else if dd := dx*dx + dy*dy + dz*dz; t >= dd {
						ex, ey, ez := qx-bx, qy-by, qz-bz
						d2 = ex*ex + ey*ey + ez*ez
					} else {
						d2 = wx*wx + wy*wy + wz*wz - t*t/dd
					}
					best = min(best, d2)
				}
				ax, ay, az = bx, by, bz
			}
		}
		if best < s.best2 {
			s.best2 = best
			s.bestθ = 2 * math.Asin(min(1, math.Sqrt(best)/2))
		}
	}
}

// landChord2 is the squared chord of an angle on the unit sphere.
func landChord2(θ float64) float64 {
	c := 2 * math.Sin(θ/2)
	return c * c
}

// cutEdge reports whether edge i is not coast but a cut the generator made
// along ±180° or a pole's parallel to close a ring.
func (l *Land) cutEdge(i int32) bool {
	a, b := l.pts[i], l.pts[i+1]
	return (a.lon == b.lon && (a.lon == 180*landMicro || a.lon == -180*landMicro)) ||
		(a.lat == b.lat && (a.lat == 90*landMicro || a.lat == -90*landMicro))
}

// CrossesLand reports whether the straight leg between two points touches
// land: an end on land, or an edge of the coast met on the way. The leg is
// straight in latitude and longitude (a rhumb-like line, within metres of
// the great circle over the few kilometres a simulated boat moves in a
// step) and goes the short way round, across the antimeridian if need be.
func (l *Land) CrossesLand(lat1, lon1, lat2, lon2 float64) bool {
	if l.Contains(lat1, lon1) || l.Contains(lat2, lon2) {
		return true
	}
	lat1, lat2 = max(-90, min(90, lat1)), max(-90, min(90, lat2))
	lon1 = NormLon(lon1)
	end := lon1 + NormLon(lon2-lon1)
	switch {
	case end > 180:
		m := lat1 + (180-lon1)/(end-lon1)*(lat2-lat1)
		return l.legCrosses(lat1, lon1, m, 180) || l.legCrosses(m, -180, lat2, end-360)
	case end < -180:
		m := lat1 + (-180-lon1)/(end-lon1)*(lat2-lat1)
		return l.legCrosses(lat1, lon1, m, -180) || l.legCrosses(m, 180, lat2, end+360)
	}
	return l.legCrosses(lat1, lon1, lat2, end)
}

// legCrosses tests a leg within ±180° against the edges of every cell it
// passes through.
func (l *Land) legCrosses(lat1, lon1, lat2, lon2 float64) bool {
	px, py := lon1*landMicro, lat1*landMicro
	qx, qy := lon2*landMicro, lat2*landMicro
	r0, r1 := landRow(min(py, qy)), landRow(max(py, qy))
	for row := r0; row <= r1; row++ {
		// The leg's longitudes within the row's band, widened a little
		// so that rounding never drops a cell.
		y0 := float64(row)*landCell - 90*landMicro
		ya, yb := max(min(py, qy), y0), min(max(py, qy), y0+landCell)
		xa, xb := px, qx
		if qy != py {
			xa = px + (ya-py)*(qx-px)/(qy-py)
			xb = px + (yb-py)*(qx-px)/(qy-py)
		}
		c0, c1 := landCol(min(xa, xb)-1), landCol(max(xa, xb)+1)
		for col := c0; col <= c1; col++ {
			b := l.block[(row/landPerDeg)*landBlockCol+col/landPerDeg]
			if b < 0 {
				continue
			}
			cell := int(b)*landPerBlock + landCellIn(row, col)
			for _, run := range l.runs[l.cellAt[cell]:l.cellAt[cell+1]] {
				for i := run.first; i < run.last; i++ {
					if l.edgeMeets(i, px, py, qx, qy) {
						return true
					}
				}
			}
		}
	}
	return false
}

// edgeMeets reports whether edge i and the segment p–q (micro-degrees)
// intersect or touch. Coordinates are taken relative to p to keep the
// products well within float64 precision.
func (l *Land) edgeMeets(i int32, px, py, qx, qy float64) bool {
	a, b := l.pts[i], l.pts[i+1]
	ax, ay := float64(a.lon)-px, float64(a.lat)-py
	bx, by := float64(b.lon)-px, float64(b.lat)-py
	qx, qy = qx-px, qy-py
	if max(ax, bx) < min(0, qx) || min(ax, bx) > max(0, qx) ||
		max(ay, by) < min(0, qy) || min(ay, by) > max(0, qy) {
		return false
	}
	d1 := qx*ay - qy*ax // side of a from p–q
	d2 := qx*by - qy*bx
	if (d1 > 0 && d2 > 0) || (d1 < 0 && d2 < 0) {
		return false
	}
	ex, ey := bx-ax, by-ay
	d3 := ex*(0-ay) - ey*(0-ax) // side of p from a–b
	d4 := ex*(qy-ay) - ey*(qx-ax)
	if (d3 > 0 && d4 > 0) || (d3 < 0 && d4 < 0) {
		return false
	}
	// Collinear segments passed the bounding-box test, so they overlap.
	return true
}
