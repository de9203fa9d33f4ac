// Command areagen converts the maritime borders of an npm package into the
// compact file that package geo embeds (areadata/territorial.bin.gz): every
// country's land with its territorial sea, so that a node knows whose
// waters a target is in without a network.
//
// It installs the package with the machine's npm into a temporary
// directory, reads its GeoJSON (one feature per country, properties isoA3
// and isoA2, a Polygon or MultiPolygon possibly wrapped in a
// GeometryCollection), snaps every vertex to a grid of -step degrees, drops
// the repeated vertices and the rings that snapping leaves with fewer than
// three, and writes the areas, sorted by ID, as delta-encoded varints,
// gzip'd. The output is a function of the input bytes only, so running it
// twice gives the same file byte for byte.
//
// Map data © OpenStreetMap contributors (ODbL), via github.com/itisem/osm_borders.
//
// Usage (from internal/geo, as go generate runs it):
//
//	go run ./internal/areagen -npm @osm_borders/maritime_1000m@1.1.0 -file @osm_borders/maritime_1000m/borders.geo.json -o areadata/territorial.bin.gz
//
// With -in the input is read from a local file instead of npm, for checking
// other sources against the committed one.
package main

import (
	"pharos/internal/geo/internal/npmdata"

	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "areagen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("areagen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	npmSpec := fs.String("npm", "", "npm package to install, name@version")
	file := fs.String("file", "", "file inside node_modules to read")
	in := fs.String("in", "", "read this local GeoJSON file instead of installing from npm (.gz allowed)")
	step := fs.Float64("step", 1e-5, "grid step in degrees the vertices are snapped to")
	prefix := fs.String("prefix", "TW-", "area ID prefix, followed by the ISO 3166-1 alpha-3 code")
	kind := fs.String("kind", "territorial_waters", "area kind")
	suffix := fs.String("name", " territorial waters", "appended to the country's name")
	out := fs.String("o", "", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || (*in == "") == (*npmSpec == "" || *file == "") {
		return errors.New("need -o and either -in or both -npm and -file")
	}
	data, path, err := npmdata.Read(*npmSpec, *file, *in, stderr)
	if err != nil {
		return err
	}
	g, err := newGrid(*step)
	if err != nil {
		return err
	}
	areas, err := decode(data, g, *prefix, *kind, *suffix)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	blob, err := encode(g, areas)
	if err != nil {
		return err
	}
	if err := npmdata.WriteFile(*out, blob); err != nil {
		return err
	}
	var rings, pts, dropped int
	for _, a := range areas {
		dropped += a.dropped
		for _, p := range a.polys {
			rings += len(p)
			for _, r := range p {
				pts += len(r)
			}
		}
	}
	fmt.Fprintf(stderr, "areagen: %d areas, %d rings, %d points (%d degenerate rings dropped), %d bytes in %s\n",
		len(areas), rings, pts, dropped, len(blob), *out)
	return nil
}

// pt is a vertex on the grid: x = 0 at 180° W, y = 0 at 90° S.
type pt struct{ x, y int64 }

type grid struct{ step float64 }

func newGrid(step float64) (grid, error) {
	turn := math.Round(360 / step)
	if !(step > 0) || step > 1 || math.Abs(turn*step-360) > 1e-9 {
		return grid{}, fmt.Errorf("grid step %g° does not divide 360°", step)
	}
	return grid{step}, nil
}

func (g grid) snap(lon, lat float64) pt {
	return pt{int64(math.Round((lon + 180) / g.step)), int64(math.Round((lat + 90) / g.step))}
}

// area is one country's polygons: rings of grid vertices, open (the
// closing vertex implied), the first of each polygon its outer ring.
type area struct {
	id, name, kind, a2, a3 string
	polys                  [][][]pt
	dropped                int
}

type feature struct {
	Type       string `json:"type"`
	Properties struct {
		ISOA3 string `json:"isoA3"`
		ISOA2 string `json:"isoA2"`
	} `json:"properties"`
	Geometry *geometry `json:"geometry"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometries  []geometry      `json:"geometries"`
}

func decode(data []byte, g grid, prefix, kind, suffix string) ([]area, error) {
	var doc struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Type != "FeatureCollection" {
		return nil, fmt.Errorf("GeoJSON type %q, want FeatureCollection", doc.Type)
	}
	var areas []area
	seen := map[string]bool{}
	for i, f := range doc.Features {
		a3 := f.Properties.ISOA3
		c, ok := countries[a3]
		if !ok {
			return nil, fmt.Errorf("feature %d: no country named %q in the table", i, a3)
		}
		if f.Properties.ISOA2 != "" && f.Properties.ISOA2 != c.alpha2 {
			return nil, fmt.Errorf("feature %d: isoA2 %q, the table says %q", i, f.Properties.ISOA2, c.alpha2)
		}
		if seen[a3] {
			return nil, fmt.Errorf("feature %d: %s twice", i, a3)
		}
		seen[a3] = true
		if f.Geometry == nil {
			return nil, fmt.Errorf("feature %d (%s): no geometry", i, a3)
		}
		polys, err := polygons(*f.Geometry)
		if err != nil {
			return nil, fmt.Errorf("feature %d (%s): %w", i, a3, err)
		}
		a := area{id: prefix + a3, name: c.name + suffix, kind: kind, a2: c.alpha2, a3: a3}
		for _, p := range polys {
			var rings [][]pt
			for j, r := range p {
				q := make([]pt, 0, len(r))
				for _, c := range r {
					if len(c) < 2 || math.IsNaN(c[0]) || math.IsNaN(c[1]) || math.Abs(c[0]) > 180 || math.Abs(c[1]) > 90 {
						return nil, fmt.Errorf("feature %d (%s): bad position %v", i, a3, c)
					}
					q = append(q, g.snap(c[0], c[1]))
				}
				q = npmdata.Dedupe(q)
				if len(q) < 3 {
					a.dropped++
					if j == 0 {
						a.dropped += len(p) - 1 // its holes go with it
						break
					}
					continue
				}
				rings = append(rings, q)
			}
			if len(rings) > 0 {
				a.polys = append(a.polys, rings)
			}
		}
		if len(a.polys) == 0 {
			return nil, fmt.Errorf("feature %d (%s): no polygon left", i, a3)
		}
		areas = append(areas, a)
	}
	slices.SortFunc(areas, func(a, b area) int { return cmp.Compare(a.id, b.id) })
	return areas, nil
}

// polygons flattens a geometry into polygons of rings of [lon, lat].
func polygons(g geometry) ([][][][]float64, error) {
	switch g.Type {
	case "GeometryCollection":
		var out [][][][]float64
		for _, c := range g.Geometries {
			p, err := polygons(c)
			if err != nil {
				return nil, err
			}
			out = append(out, p...)
		}
		return out, nil
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, err
		}
		return [][][][]float64{p}, nil
	case "MultiPolygon":
		var mp [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &mp); err != nil {
			return nil, err
		}
		return mp, nil
	}
	return nil, fmt.Errorf("geometry %q, want Polygon or MultiPolygon", g.Type)
}

// The file format, read by geo.LoadTerritorialWaters (area_data.go):
//
//	gzip(
//	  "PHAREA1\n"
//	  float64 step                   little-endian; lon = x*step - 180, lat = y*step - 90
//	  uvarint nAreas, nPoints
//	  nAreas × (
//	    5 × (uvarint len; bytes)     id, name, kind, ISO alpha-2, ISO alpha-3
//	    byte impact                  0: none given
//	    uvarint nPolygons
//	    nPolygons × ( uvarint nRings; nRings × ( uvarint n; n × (varint dx, varint dy) ) )
//	  )
//	)
//
// Rings are open (the closing vertex is implied), the first of a polygon
// its outer ring, the others holes; dx, dy are zig-zag varints relative to
// the previous vertex, across rings and areas, starting at (0, 0).
const magic = "PHAREA1\n"

func encode(g grid, areas []area) ([]byte, error) {
	var b []byte
	b = append(b, magic...)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(g.step))
	n := 0
	for _, a := range areas {
		for _, p := range a.polys {
			for _, r := range p {
				n += len(r)
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(len(areas)))
	b = binary.AppendUvarint(b, uint64(n))
	var prev pt
	for _, a := range areas {
		for _, s := range []string{a.id, a.name, a.kind, a.a2, a.a3} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = append(b, 0)
		b = binary.AppendUvarint(b, uint64(len(a.polys)))
		for _, p := range a.polys {
			b = binary.AppendUvarint(b, uint64(len(p)))
			for _, r := range p {
				b = binary.AppendUvarint(b, uint64(len(r)))
				for _, q := range r {
					b = binary.AppendVarint(b, q.x-prev.x)
					b = binary.AppendVarint(b, q.y-prev.y)
					prev = q
				}
			}
		}
	}
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	// A zero header (no name, no time) keeps the output reproducible.
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
