package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"pharos/internal/geo"
)

// Bounds returns the box round every point of the scenario (routes,
// lanes, threats, radar sites, satellite footprints), padded by pad
// degrees: south, west, north, east.
func (sc *Scenario) Bounds(pad float64) (south, west, north, east float64) {
	south, west, north, east = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	add := func(ps ...Point) {
		for _, p := range ps {
			south, north = min(south, p.lat()), max(north, p.lat())
			west, east = min(west, p.lon()), max(east, p.lon())
		}
	}
	for _, v := range sc.Vessels {
		add(v.Route...)
	}
	for _, t := range sc.Traffic {
		for _, l := range t.Lanes {
			add(l...)
		}
	}
	for _, t := range sc.Threats {
		add(t.Via...)
		add(t.Route...)
		for _, p := range []Point{t.From, t.To, t.At} {
			if p != (Point{}) {
				add(p)
			}
		}
		if t.Mother != nil {
			add(t.Mother.Route...)
		}
	}
	for _, r := range sc.Sensors.Radars {
		add(r.Site)
	}
	if math.IsInf(south, 1) {
		return 0, 0, 0, 0
	}
	return south - pad, west - pad, north + pad, east + pad
}

// Sections derives border sections for a scenario that has none: each
// state's territorial sea (the embedded OpenStreetMap boundaries, land
// included) inside the scenario's box padded by 0.3°, cut into bands of
// longitude no wider than about 1.2°. IDs are the state's alpha-2 code,
// "-SEA-" and a number from west to east ("ES-SEA-2"); names say the
// state and the band; every section starts at impact medium. Sea outside
// every territorial sea is the pre-frontier area, in no section.
func Sections(sc *Scenario, waters *geo.Areas) []geo.Area {
	s, w, n, e := sc.Bounds(0.3)
	var out []geo.Area
	for _, a := range waters.List() {
		if a.Kind != geo.KindTerritorialWaters || a.ISOA2 == "" {
			continue
		}
		var polys [][][][2]float64
		for _, poly := range a.Polygons {
			if len(poly) == 0 {
				continue
			}
			if ring := clipRing(poly[0], w, s, e, n); len(ring) >= 3 && ringArea(ring) > 1e-4 {
				polys = append(polys, [][][2]float64{ring})
			}
		}
		if len(polys) == 0 {
			continue
		}
		west, east := math.Inf(1), math.Inf(-1)
		for _, p := range polys {
			for _, pt := range p[0] {
				west, east = min(west, pt[0]), max(east, pt[0])
			}
		}
		bands := max(1, int(math.Ceil((east-west)/1.2-0.05)))
		width := (east - west) / float64(bands)
		state := strings.TrimSuffix(a.Name, " territorial waters")
		for b := range bands {
			x0, x1 := west+float64(b)*width, west+float64(b+1)*width
			var cut [][][][2]float64
			for _, p := range polys {
				if ring := clipRing(p[0], x0, s, x1, n); len(ring) >= 3 && ringArea(ring) > 1e-4 {
					cut = append(cut, [][][2]float64{ring})
				}
			}
			if len(cut) == 0 {
				continue
			}
			name := state
			if bands > 1 {
				name = fmt.Sprintf("%s, %s–%s", state, lonName(x0), lonName(x1))
			}
			out = append(out, geo.Area{ID: fmt.Sprintf("%s-SEA-%d", a.ISOA2, len(out)+1), Name: name,
				Kind: geo.KindBorderSection, Impact: geo.AreaImpactMedium, ISOA2: a.ISOA2, ISOA3: a.ISOA3, Polygons: cut})
		}
	}
	// Number each state's sections from 1, west to east.
	count := map[string]int{}
	for i := range out {
		count[out[i].ISOA2]++
		out[i].ID = fmt.Sprintf("%s-SEA-%d", out[i].ISOA2, count[out[i].ISOA2])
	}
	slices.SortStableFunc(out, func(a, b geo.Area) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func lonName(lon float64) string {
	if lon < 0 {
		return fmt.Sprintf("%.1f°W", -lon)
	}
	return fmt.Sprintf("%.1f°E", lon)
}

// clipRing clips a ring of [lon, lat] points to a box (Sutherland and
// Hodgman): a concave ring may come out joined along the box's edge by
// stretches of no width, which change no point's inside.
func clipRing(ring [][2]float64, x0, y0, x1, y1 float64) [][2]float64 {
	if n := len(ring); n > 1 && ring[0] == ring[n-1] {
		ring = ring[:n-1]
	}
	out := ring
	edges := []struct {
		in    func(p [2]float64) bool
		cross func(a, b [2]float64) [2]float64
	}{
		{func(p [2]float64) bool { return p[0] >= x0 }, func(a, b [2]float64) [2]float64 { return atX(a, b, x0) }},
		{func(p [2]float64) bool { return p[0] <= x1 }, func(a, b [2]float64) [2]float64 { return atX(a, b, x1) }},
		{func(p [2]float64) bool { return p[1] >= y0 }, func(a, b [2]float64) [2]float64 { return atY(a, b, y0) }},
		{func(p [2]float64) bool { return p[1] <= y1 }, func(a, b [2]float64) [2]float64 { return atY(a, b, y1) }},
	}
	for _, e := range edges {
		in := out
		out = nil
		for i, cur := range in {
			prev := in[(i+len(in)-1)%len(in)]
			switch {
			case e.in(cur) && e.in(prev):
				out = append(out, cur)
			case e.in(cur):
				out = append(out, e.cross(prev, cur), cur)
			case e.in(prev):
				out = append(out, e.cross(prev, cur))
			}
		}
		if len(out) == 0 {
			return nil
		}
	}
	for i := range out {
		out[i] = [2]float64{math.Round(out[i][0]*1e5) / 1e5, math.Round(out[i][1]*1e5) / 1e5}
	}
	out = slices.Compact(out)
	if len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

func atX(a, b [2]float64, x float64) [2]float64 {
	t := (x - a[0]) / (b[0] - a[0])
	return [2]float64{x, a[1] + t*(b[1]-a[1])}
}

func atY(a, b [2]float64, y float64) [2]float64 {
	t := (y - a[1]) / (b[1] - a[1])
	return [2]float64{a[0] + t*(b[0]-a[0]), y}
}

// ringArea is a ring's area in square degrees.
func ringArea(r [][2]float64) float64 {
	var s float64
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return math.Abs(s) / 2
}

// WriteAreasGeoJSON writes areas as the GeoJSON FeatureCollection that
// geo.ParseAreasGeoJSON reads back, one feature a line.
func WriteAreasGeoJSON(w io.Writer, areas []geo.Area) error {
	type props struct {
		ID     string `json:"id"`
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		Impact string `json:"impact,omitempty"`
		ISOA2  string `json:"isoA2,omitempty"`
		ISOA3  string `json:"isoA3,omitempty"`
	}
	type geom struct {
		Type        string           `json:"type"`
		Coordinates [][][][2]float64 `json:"coordinates"`
	}
	type feature struct {
		Type       string `json:"type"`
		Properties props  `json:"properties"`
		Geometry   geom   `json:"geometry"`
	}
	bw := bufio.NewWriter(w)
	bw.WriteString("{\"type\": \"FeatureCollection\", \"features\": [\n")
	for i, a := range areas {
		f := feature{Type: "Feature", Properties: props{ID: a.ID, Name: a.Name, Kind: a.Kind, ISOA2: a.ISOA2, ISOA3: a.ISOA3},
			Geometry: geom{Type: "MultiPolygon", Coordinates: closed(a.Polygons)}}
		if a.Impact != geo.AreaImpactNone {
			f.Properties.Impact = a.Impact.String()
		}
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		bw.Write(b)
		if i+1 < len(areas) {
			bw.WriteString(",")
		}
		bw.WriteString("\n")
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// closed repeats each ring's first point at its end, as GeoJSON wants.
func closed(polys [][][][2]float64) [][][][2]float64 {
	out := make([][][][2]float64, len(polys))
	for i, p := range polys {
		for _, r := range p {
			if len(r) > 0 && r[0] != r[len(r)-1] {
				r = append(slices.Clone(r), r[0])
			}
			out[i] = append(out[i], r)
		}
	}
	return out
}
