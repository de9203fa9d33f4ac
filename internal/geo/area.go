package geo

import (
	"fmt"
	"math"
)

// Area kinds the node knows; ParseAreasGeoJSON accepts any other name too.
const (
	KindTerritorialWaters = "territorial_waters" // a state's land and its 12 nm sea (embedded, OSM)
	KindBorderSection     = "border_section"     // EUROSUR: a stretch of external border with an impact level
	KindClosedArea        = "closed_area"        // fishing closures, military or exclusion zones
	KindUserArea          = "user_area"          // drawn by an operator; the default kind
)

// AreaImpact is the impact level EUROSUR attaches to a border section,
// each with its reaction: low (regular control), medium (the centre is
// informed), high (reinforced measures), critical (escalation).
type AreaImpact uint8

// Impact levels of an area, lowest first; AreaImpactNone when none is given.
const (
	AreaImpactNone AreaImpact = iota
	AreaImpactLow
	AreaImpactMedium
	AreaImpactHigh
	AreaImpactCritical
)

var areaImpactNames = [...]string{"", "low", "medium", "high", "critical"}

func (l AreaImpact) String() string {
	if int(l) < len(areaImpactNames) {
		return areaImpactNames[l]
	}
	return "unknown"
}

// MarshalText writes the level's name (empty for none).
func (l AreaImpact) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name; the empty string is none.
func (l *AreaImpact) UnmarshalText(b []byte) error {
	for i, n := range areaImpactNames {
		if n == string(b) {
			*l = AreaImpact(i)
			return nil
		}
	}
	return fmt.Errorf("unknown impact level %q (want low, medium, high or critical)", b)
}

// Area is a named region of the sea a node watches: a state's territorial
// waters, a border section, a closed area, an area an operator drew.
type Area struct {
	ID     string     // unique among the areas of a set, e.g. "TW-ESP"
	Name   string     // for people
	Kind   string     // KindTerritorialWaters, KindBorderSection, …
	Impact AreaImpact // border sections; AreaImpactNone for others
	ISOA2  string     // ISO 3166-1 alpha-2 of the state the area belongs to, if any
	ISOA3  string     // ISO 3166-1 alpha-3, likewise

	// Polygons as GeoJSON draws them: each polygon a list of rings, the
	// first its outer boundary, the others its holes; each ring a list of
	// [lon, lat] in degrees, closed or not. Orientation does not matter.
	// A ring may cross the antimeridian (longitudes jumping from 179° to
	// -179°, or running past 180°): NewAreas cuts it there.
	Polygons [][][][2]float64
}

// Areas is a set of areas with a spatial index that finds, for a point,
// every area containing it in well under a microsecond, however many
// thousands of areas the set holds. It is read-only after NewAreas (or
// LoadTerritorialWaters) and safe for concurrent use.
//
// A point is inside an area when it is inside an odd number of the area's
// rings (even-odd rule): inside a polygon and not in one of its holes.
// Polygons of one area should not overlap, as GeoJSON requires. Edges are
// straight in latitude and longitude, which for the kilometre-long edges of
// real boundaries is within metres of the great circle. Points on a
// boundary may fall either way.
type Areas struct {
	list []Area

	// Rings of all areas, area after area, cut at the antimeridian so that
	// each lies within [-180°, 180°], each closed by repeating its first
	// vertex. Edge i joins pts[i] and pts[i+1] when both are in one ring.
	pts       []areaPt
	ringStart []int32 // start of each ring in pts, plus len(pts)
	areaRings []int32 // first ring of each area in ringStart, plus the number of rings
	box       []areaBounds

	idx areaIndex
}

// areaBounds bounds an area's rings: a point outside it is outside the
// area, which spares the edge tests of small areas in a large cell.
type areaBounds struct{ lon0, lat0, lon1, lat1 float64 }

// areaPt is a vertex in degrees.
type areaPt struct{ lon, lat float64 }

// NewAreas indexes the areas. Rings with fewer than three distinct
// vertices, or with a vertex that is not a finite position, are left out
// (ParseAreasGeoJSON rejects them with an error first); an area left with
// no ring contains no point.
func NewAreas(list []Area) *Areas {
	a := &Areas{list: list, areaRings: make([]int32, 0, len(list)+1)}
	for _, ar := range list {
		a.areaRings = append(a.areaRings, int32(len(a.ringStart)))
		for _, poly := range ar.Polygons {
			for _, ring := range poly {
				for _, part := range cutRing(ring) {
					a.ringStart = append(a.ringStart, int32(len(a.pts)))
					a.pts = append(a.pts, part...)
					a.pts = append(a.pts, part[0])
				}
			}
		}
	}
	a.areaRings = append(a.areaRings, int32(len(a.ringStart)))
	a.ringStart = append(a.ringStart, int32(len(a.pts)))
	a.box = make([]areaBounds, len(list))
	for i := range list {
		b := areaBounds{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, p := range a.pts[a.ringStart[a.areaRings[i]]:a.ringStart[a.areaRings[i+1]]] {
			b = areaBounds{min(b.lon0, p.lon), min(b.lat0, p.lat), max(b.lon1, p.lon), max(b.lat1, p.lat)}
		}
		a.box[i] = b
	}
	a.idx.build(a)
	return a
}

// Len is the number of areas.
func (a *Areas) Len() int { return len(a.list) }

// Area returns area i, which the caller must not change.
func (a *Areas) Area(i int) *Area { return &a.list[i] }

// List returns the areas in index order, which the caller must not change:
// to combine the territorial waters with configured areas, pass
// append(slices.Clone(tw.List()), more...) to NewAreas.
func (a *Areas) List() []Area { return a.list }

// InKind returns the first area of the given kind that contains the point.
func (a *Areas) InKind(lat, lon float64, kind string) (int, bool) {
	var buf [8]int
	for _, i := range a.At(lat, lon, buf[:0]) {
		if a.list[i].Kind == kind {
			return i, true
		}
	}
	return 0, false
}

// Lookup returns the index of the area with the given ID.
func (a *Areas) Lookup(id string) (int, bool) {
	for i := range a.list {
		if a.list[i].ID == id {
			return i, true
		}
	}
	return 0, false
}

// At appends to dst the indexes of all areas that contain the point, in
// increasing order, and returns the extended slice. It allocates only when
// dst has too little room.
func (a *Areas) At(lat, lon float64, dst []int) []int {
	return a.idx.at(a, lat, lon, dst)
}

// Contains reports whether area i contains the point.
func (a *Areas) Contains(i int, lat, lon float64) bool {
	return a.idx.contains(a, i, lat, lon)
}

// cutRing returns the ring as one or more rings within [-180°, 180°],
// without repeated vertices or the closing one, or nothing when it has
// fewer than three distinct finite vertices. Longitudes are first unwrapped
// (consecutive vertices never more than 180° apart), so that a ring may
// cross the antimeridian either by a jump (179° → -179°) or by running
// past 180°; it is then clipped to each 360° window it overlaps and the
// pieces shifted home, joined along ±180° by edges that are not boundary.
// A ring that goes round a pole is first closed through that pole (the one
// on the side of its mean latitude), as package landgen does.
func cutRing(ring [][2]float64) [][]areaPt {
	if n := len(ring); n > 1 && ring[0] == ring[n-1] {
		ring = ring[:n-1]
	}
	u := make([]areaPt, 0, len(ring)+3)
	var off float64 // a whole number of turns: exact in float64
	for _, c := range ring {
		lon, lat := c[0], c[1]
		if math.IsNaN(lon) || math.IsInf(lon, 0) || math.Abs(lon) > 1e6 || math.IsNaN(lat) || lat < -90 || lat > 90 {
			return nil
		}
		if n := len(u); n > 0 {
			off = unwrapTurns(u[n-1].lon, lon, off)
		}
		p := areaPt{lon + off, lat}
		if n := len(u); n > 0 && u[n-1] == p {
			continue
		}
		u = append(u, p)
	}
	if len(u) < 3 {
		return nil
	}
	// Back to the first vertex: a ring that went round a pole comes back a
	// turn away from where it started.
	if w := unwrapTurns(u[len(u)-1].lon, u[0].lon, off); w != 0 {
		u = closePole(u, w)
	} else if u[len(u)-1] == u[0] {
		u = u[:len(u)-1]
	}
	if len(u) < 3 {
		return nil
	}
	lo, hi := u[0].lon, u[0].lon
	for _, p := range u {
		lo, hi = min(lo, p.lon), max(hi, p.lon)
	}
	if lo >= -180 && hi <= 180 {
		return [][]areaPt{u}
	}
	var parts [][]areaPt
	for k := math.Floor((lo + 180) / 360); -180+360*k < hi; k++ {
		w0, w1 := -180+360*k, 180+360*k
		c := clipLon(clipLon(u, w0, true), w1, false)
		out := c[:0]
		for _, p := range c {
			p.lon -= 360 * k
			if n := len(out); n > 0 && out[n-1] == p {
				continue
			}
			out = append(out, p)
		}
		for len(out) > 1 && out[0] == out[len(out)-1] {
			out = out[:len(out)-1]
		}
		if len(out) >= 3 {
			parts = append(parts, out)
		}
	}
	return parts
}

// unwrapTurns returns the offset, off plus a whole number of turns, that
// brings lon within 180° of prev.
func unwrapTurns(prev, lon, off float64) float64 {
	for lon+off-prev > 180 {
		off -= 360
	}
	for lon+off-prev < -180 {
		off += 360
	}
	return off
}

// closePole closes an unwrapped ring whose end lies w degrees of longitude
// from its start (a whole number of turns) through the pole on the side of
// its mean latitude.
func closePole(u []areaPt, w float64) []areaPt {
	var sum float64
	for _, p := range u {
		sum += p.lat
	}
	pole := 90.0
	if sum < 0 {
		pole = -90
	}
	end := areaPt{u[0].lon + w, u[0].lat}
	if u[len(u)-1] != end {
		u = append(u, end)
	}
	return append(u, areaPt{end.lon, pole}, areaPt{u[0].lon, pole})
}

// clipLon is one Sutherland–Hodgman step: the part of the closed ring
// east (keepEast) or west of the meridian at.
func clipLon(ring []areaPt, at float64, keepEast bool) []areaPt {
	in := func(p areaPt) bool {
		if keepEast {
			return p.lon >= at
		}
		return p.lon <= at
	}
	var out []areaPt
	for i := range ring {
		p, q := ring[i], ring[(i+1)%len(ring)]
		pin, qin := in(p), in(q)
		if pin {
			out = append(out, p)
		}
		if pin != qin && p.lon != at && q.lon != at {
			t := (at - p.lon) / (q.lon - p.lon)
			out = append(out, areaPt{at, p.lat + t*(q.lat-p.lat)})
		}
	}
	return out
}
