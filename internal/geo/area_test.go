package geo

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"pharos/internal/shareddata"
	"slices"
	"strconv"
	"testing"
)

// areaBox is a rectangle ring of [lon, lat], closed.
func areaBox(lon0, lat0, lon1, lat1 float64) [][2]float64 {
	return [][2]float64{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}
}

// areaCircle is a ring of n vertices round a centre, radius in metres.
func areaCircle(lat, lon, radius float64, n int) [][2]float64 {
	r := make([][2]float64, n)
	for i := range r {
		la, lo := Destination(lat, lon, float64(i)*360/float64(n), radius)
		r[i] = [2]float64{lo, la}
	}
	return r
}

// areaTestSet is the synthetic areas of TestAreasAt, one case each.
func areaTestSet() []Area {
	return []Area{
		{ID: "box", Polygons: [][][][2]float64{{areaBox(-6, 35, -5, 36)}}},
		{ID: "holed", Polygons: [][][][2]float64{{areaBox(10, 40, 12, 42), areaBox(10.5, 40.5, 11.5, 41.5)}}},
		{ID: "multi", Polygons: [][][][2]float64{{areaBox(20, 10, 21, 11)}, {areaBox(22, 10, 23, 11)}}},
		// Fiji-like, crossing 180° by a jump from 179° to -179°.
		{ID: "jump", Polygons: [][][][2]float64{{{{179, -17}, {-179, -17}, {-179, -16}, {179, -16}, {179, -17}}}}},
		// The same crossing drawn running on past 180°.
		{ID: "past", Polygons: [][][][2]float64{{{{178, -21}, {182, -21}, {182, -20}, {178, -20}}}}},
		// A cap round the North Pole: the ring goes once round it.
		{ID: "cap", Polygons: [][][][2]float64{{{{-180, 85}, {-90, 85}, {0, 85}, {90, 85}, {180, 85}}}}},
		// A small closed area inside the box: both contain its points.
		{ID: "inner", Polygons: [][][][2]float64{{areaCircle(35.5, -5.5, 2000, 24)}}},
		// Large, spanning many cells, with a sliver of a hole.
		{ID: "large", Polygons: [][][][2]float64{{areaBox(-40, -10, -20, 10), areaBox(-30.001, -5, -29.999, 5)}}},
	}
}

func TestAreasAt(t *testing.T) {
	a := NewAreas(areaTestSet())
	id := func(ids ...string) []string { return ids }
	tests := []struct {
		name     string
		lat, lon float64
		want     []string
	}{
		{"inside a box", 35.2, -5.8, id("box")},
		{"outside, east of the box", 35.5, -4.99, nil},
		{"outside, north of the box", 36.01, -5.5, nil},
		{"in a small area inside the box: both, in order", 35.5, -5.5, id("box", "inner")},
		{"box, just outside the small area", 35.5, -5.5 + 2100/(111320*math.Cos(rad(35.5))), id("box")},
		{"in the polygon, not in its hole", 40.2, 10.2, id("holed")},
		{"in the hole", 41, 11, nil},
		{"hole's edge, inside", 40.51, 10.51, nil},
		{"polygon's edge, inside", 40.49, 10.49, id("holed")},
		{"first part of a multipolygon", 10.5, 20.5, id("multi")},
		{"second part", 10.5, 22.5, id("multi")},
		{"between the parts", 10.5, 21.5, nil},
		{"jump: west of 180°", -16.5, 179.5, id("jump")},
		{"jump: east of 180°", -16.5, -179.5, id("jump")},
		{"jump: on 180°", -16.5, 180, id("jump")},
		{"jump: on -180°", -16.5, -180, id("jump")},
		{"jump: longitude given as 540°", -16.5, 539.5, id("jump")},
		{"jump: not the rest of the parallel", -16.5, 0, nil},
		{"past: west of 180°", -20.5, 178.5, id("past")},
		{"past: east of 180°", -20.5, -178.5, id("past")},
		{"past: beyond its east side", -20.5, -177.5, nil},
		{"cap: at the pole", 90, 0, id("cap")},
		{"cap: near 180°", 87, 179.99, id("cap")},
		{"cap: south of it", 84.9, 45, nil},
		{"large: middle of a cell far from edges", 3.1, -35.1, id("large")},
		{"large: in the sliver hole", 0, -30, nil},
		{"large: beside the sliver", 0, -30.002, id("large")},
		{"NaN", math.NaN(), 0, nil},
		{"open sea", 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, i := range a.At(tt.lat, tt.lon, nil) {
				got = append(got, a.Area(i).ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("At(%g, %g) = %q, want %q", tt.lat, tt.lon, got, tt.want)
			}
			for i := range a.Len() {
				if in := a.Contains(i, tt.lat, tt.lon); in != slices.Contains(tt.want, a.Area(i).ID) {
					t.Errorf("Contains(%s) = %v", a.Area(i).ID, in)
				}
			}
		})
	}
	if i, ok := a.Lookup("inner"); !ok || i != 6 {
		t.Errorf("Lookup(inner) = %d, %v", i, ok)
	}
	if _, ok := a.Lookup("nope"); ok {
		t.Error("Lookup(nope) found something")
	}
	if len(a.List()) != a.Len() || a.List()[0].ID != "box" {
		t.Errorf("List() = %d areas", len(a.List()))
	}
	kinds := []Area{
		{ID: "s", Kind: KindBorderSection, Polygons: [][][][2]float64{{areaBox(0, 0, 2, 2)}}},
		{ID: "c", Kind: KindClosedArea, Polygons: [][][][2]float64{{areaBox(1, 1, 3, 3)}}},
	}
	k := NewAreas(kinds)
	if i, ok := k.InKind(1.5, 1.5, KindClosedArea); !ok || i != 1 {
		t.Errorf("InKind(closed) = %d, %v", i, ok)
	}
	if _, ok := k.InKind(2.5, 2.5, KindBorderSection); ok {
		t.Error("InKind(section) outside the section")
	}
}

func TestCutRing(t *testing.T) {
	tests := []struct {
		name  string
		ring  [][2]float64
		parts int
		minLo float64 // every part within [minLo, maxHi]
		maxHi float64
	}{
		{"plain", areaBox(1, 1, 2, 2), 1, 1, 2},
		{"jump across 180°", [][2]float64{{179, 0}, {-179, 0}, {-179, 1}, {179, 1}}, 2, -180, 180},
		{"past 180°", [][2]float64{{170, 0}, {190, 0}, {190, 1}, {170, 1}}, 2, -180, 180},
		{"past -180°", [][2]float64{{-190, 0}, {-170, 0}, {-170, 1}, {-190, 1}}, 2, -180, 180},
		{"round the South Pole, closed through it and cut at 180°", [][2]float64{{0, -70}, {120, -70}, {-120, -70}, {0, -70}}, 2, -180, 180},
		{"round the North Pole from -180° to 180°", [][2]float64{{-180, 80}, {0, 80}, {180, 80}}, 1, -180, 180},
		{"two vertices", [][2]float64{{0, 0}, {1, 1}, {0, 0}}, 0, 0, 0},
		{"repeated vertices", [][2]float64{{0, 0}, {0, 0}, {1, 0}, {1, 0}, {1, 1}}, 1, 0, 1},
		{"NaN", [][2]float64{{0, 0}, {math.NaN(), 0}, {1, 1}}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := cutRing(tt.ring)
			if len(parts) != tt.parts {
				t.Fatalf("%d parts, want %d: %v", len(parts), tt.parts, parts)
			}
			for _, p := range parts {
				for _, v := range p {
					if v.lon < tt.minLo || v.lon > tt.maxHi {
						t.Errorf("vertex %v outside [%g, %g]", v, tt.minLo, tt.maxHi)
					}
				}
				if p[0] == p[len(p)-1] {
					t.Errorf("part %v repeats its first vertex", p)
				}
			}
		})
	}
}

// areaBrute is the even-odd rule over every ring of area i, no index.
func areaBrute(a *Areas, i int, lat, lon float64) bool {
	x, y := areaPoint(lat, lon)
	in := false
	for r := a.areaRings[i]; r < a.areaRings[i+1]; r++ {
		pts := a.pts[a.ringStart[r]:a.ringStart[r+1]]
		for k := 0; k+1 < len(pts); k++ {
			p, q := pts[k], pts[k+1]
			if (p.lat > y) != (q.lat > y) && x < p.lon+(y-p.lat)*(q.lon-p.lon)/(q.lat-p.lat) {
				in = !in
			}
		}
	}
	return in
}

// areaRandomSet is n random star-shaped areas (some with a hole) in a
// region round the western Mediterranean, radii 1–40 km.
func areaRandomSet(n int, seed uint64) []Area {
	rng := rand.New(rand.NewPCG(seed, 1))
	list := make([]Area, n)
	for i := range list {
		lat, lon := 34+rng.Float64()*10, -8+rng.Float64()*20
		r := 1e3 + rng.Float64()*39e3
		k := 5 + rng.IntN(40)
		ring := make([][2]float64, k)
		for j := range ring {
			la, lo := Destination(lat, lon, float64(j)*360/float64(k), r*(0.5+0.5*rng.Float64()))
			ring[j] = [2]float64{lo, la}
		}
		poly := [][][2]float64{ring}
		if i%4 == 0 {
			poly = append(poly, areaCircle(lat, lon, r/5, 8))
		}
		list[i] = Area{ID: "A" + strconv.Itoa(i), Kind: KindClosedArea, Polygons: [][][][2]float64{poly}}
	}
	return list
}

func TestAreasAtMatchesBruteForce(t *testing.T) {
	sets := map[string]*Areas{"random": NewAreas(areaRandomSet(1000, 7))}
	if tw, err := LoadTerritorialWaters(); err != nil {
		t.Fatal(err)
	} else {
		sets["territorial"] = tw
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for name, a := range sets {
		t.Run(name, func(t *testing.T) {
			var buf []int
			for n := range 4000 {
				var lat, lon float64
				if name == "random" || n%2 == 0 {
					lat, lon = 33+rng.Float64()*12, -9+rng.Float64()*22 // dense coasts
				} else {
					lat, lon = -85+rng.Float64()*170, -180+rng.Float64()*360
				}
				buf = a.At(lat, lon, buf[:0])
				var want []int
				for i := range a.Len() {
					if areaBrute(a, i, lat, lon) {
						want = append(want, i)
					}
				}
				if !slices.Equal(buf, want) {
					t.Fatalf("At(%g, %g) = %v, brute force %v", lat, lon, buf, want)
				}
			}
		})
	}
}

func TestTerritorialWaters(t *testing.T) {
	tw, err := LoadTerritorialWaters()
	if err != nil {
		t.Fatal(err)
	}
	land, err := LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	if tw.Len() != 249 {
		t.Errorf("%d areas, want 249", tw.Len())
	}
	i, ok := tw.Lookup("TW-ESP")
	if !ok {
		t.Fatal("no TW-ESP")
	}
	if es := tw.Area(i); es.Name != "Spain territorial waters" || es.Kind != KindTerritorialWaters || es.ISOA2 != "ES" || es.ISOA3 != "ESP" {
		t.Errorf("TW-ESP = %+v", *es)
	}
	if j, ok := tw.Lookup("TW-CUW"); !ok || tw.Area(j).ISOA2 != "CW" {
		t.Errorf("Curaçao's alpha-2 not filled in")
	}
	tests := []struct {
		name     string
		lat, lon float64
		at       []string
		sea      string // InTerritorialSea's answer, "" for none
	}{
		{"Madrid: Spanish land", 40.4, -3.7, []string{"TW-ESP"}, ""},
		{"9 km off Málaga", 36.64, -4.40, []string{"TW-ESP"}, "TW-ESP"},
		{"50 km off Marseille, beyond 12 nm", 42.84, 5.36, nil, ""},
		{"middle of the Strait of Gibraltar, Moroccan side", 35.97, -5.5, []string{"TW-MAR"}, "TW-MAR"},
		{"off Lampedusa", 35.42, 12.6, []string{"TW-ITA"}, "TW-ITA"},
		{"mid-Atlantic", 40, -30, nil, ""},
		{"Fiji west of 180°, Koro Sea", -17.05, 179.7, []string{"TW-FJI"}, "TW-FJI"},
		{"Fiji west of 180°, Vanua Levu", -16.8, 179.5, []string{"TW-FJI"}, ""},
		{"Fiji east of 180°", -16.5, -179.9, []string{"TW-FJI"}, "TW-FJI"},
		{"Chukotka east of 180°, land", 65.5, -178.5, []string{"TW-RUS"}, ""},
		{"Black Sea, high seas", 43, 34, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, i := range tw.At(tt.lat, tt.lon, nil) {
				got = append(got, tw.Area(i).ID)
			}
			if !slices.Equal(got, tt.at) {
				t.Errorf("At = %q, want %q", got, tt.at)
			}
			sea := ""
			if i, ok := tw.InTerritorialSea(land, tt.lat, tt.lon); ok {
				sea = tw.Area(i).ID
			}
			if sea != tt.sea {
				t.Errorf("InTerritorialSea = %q, want %q", sea, tt.sea)
			}
		})
	}
}

// TestTerritorialWatersMatchSource checks the embedded file against the
// copy of the npm package in shared/data: same countries, same vertices to
// within the grid step.
func TestTerritorialWatersMatchSource(t *testing.T) {
	path := shareddata.Path("geo", "osm_borders", "maritime_1000m.geo.json")
	data, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data absent: %v", err)
		}
		t.Skipf("shared data absent (%v)", err)
	}
	var doc struct {
		Features []struct {
			Properties struct{ ISOA3 string } `json:"properties"`
			Geometry   struct {
				Geometries []struct {
					Type        string          `json:"type"`
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometries"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	tw, err := LoadTerritorialWaters()
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Features) != tw.Len() {
		t.Fatalf("%d features, %d areas", len(doc.Features), tw.Len())
	}
	for _, f := range doc.Features {
		i, ok := tw.Lookup("TW-" + f.Properties.ISOA3)
		if !ok {
			t.Errorf("no area for %s", f.Properties.ISOA3)
			continue
		}
		var src [][][][2]float64
		for _, g := range f.Geometry.Geometries {
			var polys [][][][2]float64
			if g.Type == "Polygon" {
				var p [][][2]float64
				if err := json.Unmarshal(g.Coordinates, &p); err != nil {
					t.Fatal(err)
				}
				polys = append(polys, p)
			} else if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
				t.Fatal(err)
			}
			src = append(src, polys...)
		}
		got := tw.Area(i).Polygons
		if len(got) != len(src) {
			t.Errorf("%s: %d polygons, source %d", f.Properties.ISOA3, len(got), len(src))
			continue
		}
		for p := range src {
			for r := range src[p] {
				s, g := src[p][r], got[p][r]
				if len(s) != len(g)+1 { // the source repeats the first vertex
					t.Errorf("%s polygon %d ring %d: %d vertices, source %d", f.Properties.ISOA3, p, r, len(g), len(s))
					continue
				}
				for k := range g {
					if math.Abs(g[k][0]-s[k][0]) > 6e-6 || math.Abs(g[k][1]-s[k][1]) > 6e-6 {
						t.Errorf("%s: vertex %v, source %v", f.Properties.ISOA3, g[k], s[k])
						break
					}
				}
			}
		}
	}
}

func TestDecodeAreasRejectsGarbage(t *testing.T) {
	good, err := areaFS.ReadFile("areadata/territorial.bin.gz")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if _, err := raw.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	gz := func(b []byte) []byte {
		var out bytes.Buffer
		zw := gzip.NewWriter(&out)
		zw.Write(b)
		zw.Close()
		return out.Bytes()
	}
	body := raw.Bytes()
	tests := map[string][]byte{
		"not gzip":      []byte("PHAREA1\n"),
		"bad magic":     gz(append([]byte("PHLAND1\n"), body[8:]...)),
		"truncated":     gz(body[:len(body)/2]),
		"trailing byte": gz(append(slices.Clone(body), 0)),
		"header only":   gz(body[:16]),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeAreas(bytes.NewReader(in)); !errors.Is(err, ErrAreaData) {
				t.Errorf("err = %v, want ErrAreaData", err)
			}
		})
	}
}
