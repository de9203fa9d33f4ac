package geo

// InRing reports whether the point lies inside a closed ring of lon, lat
// pairs (even-odd rule), as satellite scene footprints and small areas are
// given. Rings are assumed not to cross the antimeridian.
func InRing(lat, lon float64, ring [][2]float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		xi, yi := ring[i][0], ring[i][1]
		xj, yj := ring[j][0], ring[j][1]
		if (yi > lat) != (yj > lat) && lon < (xj-xi)*(lat-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}
