// Command landgen converts the land polygons of an npm package into the
// compact file that package geo embeds (landdata/land.bin.gz), so that a
// node knows where the coast is without a network.
//
// It installs the package with the machine's npm into a temporary
// directory, reads TopoJSON (world-atlas) or GeoJSON (@geo-maps), cuts the
// rings that cross the antimeridian so that every ring lies within
// [-180°, 180°], closes rings that go round a pole through that pole, and
// writes the rings as delta-encoded varints on the source's own integer grid,
// gzip'd. The output is a function of the input bytes only, so running it
// twice gives the same file byte for byte.
//
// Usage (from internal/geo, as go generate runs it):
//
//	go run ./internal/landgen -npm world-atlas@2.0.2 -file world-atlas/land-10m.json -o landdata/land.bin.gz
//
// With -in the input is read from a local file instead of npm, for checking
// other sources against the committed one.
package main

import (
	"pharos/internal/geo/internal/npmdata"

	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "landgen:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("landgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	npmSpec := fs.String("npm", "", "npm package to install, name@version")
	file := fs.String("file", "", "file inside node_modules to read, e.g. world-atlas/land-10m.json")
	in := fs.String("in", "", "read this local file instead of installing from npm (.json, .geo.json, .gz)")
	object := fs.String("object", "land", "TopoJSON object holding the land polygons")
	scale := fs.Float64("scale", 1e-6, "grid step in degrees for GeoJSON input")
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

	var g grid
	var rings [][]pt
	if isTopoJSON(data) {
		g, rings, err = decodeTopoJSON(data, *object)
	} else {
		g, rings, err = decodeGeoJSON(data, *scale)
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}

	var cut [][]pt
	crossing, polar, dropped := 0, 0, 0
	for _, r := range rings {
		parts, w, crossed := g.cutAntimeridian(r)
		if len(parts) == 0 {
			dropped++ // quantisation left fewer than three distinct vertices
		}
		if crossed {
			crossing++
		}
		if w != 0 {
			polar++
		}
		cut = append(cut, parts...)
	}
	npts := 0
	for _, r := range cut {
		npts += len(r)
	}

	blob, err := encode(g, cut)
	if err != nil {
		return err
	}
	if err := npmdata.WriteFile(*out, blob); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "landgen: %d rings in (%d cross the antimeridian, %d round a pole, %d degenerate dropped) → %d rings, %d points, %d bytes in %s\n",
		len(rings), crossing, polar, dropped, len(cut), npts, len(blob), *out)
	return nil
}

// pt is a vertex on the source's integer grid.
type pt struct{ x, y int64 }

// grid maps integer coordinates to degrees: lon = x*sx + tx, lat = y*sy + ty.
// turn is the number of x steps in 360°; it must be a whole number so that
// shifting a ring by a full turn keeps it on the grid.
type grid struct {
	sx, sy, tx, ty float64
	turn           int64
}

func newGrid(sx, sy, tx, ty float64) (grid, error) {
	turn := math.Round(360 / sx)
	if sx <= 0 || sy <= 0 || math.Abs(turn*sx-360) > 1e-9 {
		return grid{}, fmt.Errorf("grid step %g° does not divide 360°", sx)
	}
	return grid{sx: sx, sy: sy, tx: tx, ty: ty, turn: int64(turn)}, nil
}

// cutAntimeridian returns the ring as one or more rings whose longitudes lie
// within [-180°, 180°]. A ring that crosses the antimeridian is unwrapped
// (consecutive vertices never more than half a turn apart) and clipped to
// each 360° window it overlaps; the pieces are joined along ±180° by edges
// that are not coast, which package geo recognises and skips. A ring that
// goes round a pole (Antarctica, stitched by world-atlas) is first closed
// through the pole along the meridian where it starts and the pole's
// parallel. w is the number of turns the ring makes round the pole.
func (g grid) cutAntimeridian(ring []pt) (parts [][]pt, w int64, crossed bool) {
	ring = npmdata.Dedupe(ring)
	if len(ring) < 3 {
		return nil, 0, false
	}
	x0 := int64(math.Round((-180 - g.tx) / g.sx)) // the x of -180°
	u := make([]pt, len(ring), len(ring)+3)
	u[0] = ring[0]
	var off int64
	for i := 1; i < len(ring); i++ {
		off += g.unwrap(ring[i].x - ring[i-1].x)
		if off != 0 {
			crossed = true
		}
		u[i] = pt{ring[i].x + off, ring[i].y}
	}
	off += g.unwrap(ring[0].x - ring[len(ring)-1].x)
	w = off / g.turn
	if w != 0 {
		crossed = true
		lat0 := float64(ring[0].y)*g.sy + g.ty
		for _, p := range ring[1:] {
			lat0 += float64(p.y)*g.sy + g.ty
		}
		var pole int64
		if lat0 < 0 { // the mean latitude says which pole the ring encloses
			pole = int64(math.Floor((-90 - g.ty) / g.sy))
		} else {
			pole = int64(math.Ceil((90 - g.ty) / g.sy))
		}
		end := u[0].x + off
		u = append(u, pt{end, ring[0].y}, pt{end, pole}, pt{u[0].x, pole})
	}
	umin, umax := u[0].x, u[0].x
	for _, p := range u {
		umin, umax = min(umin, p.x), max(umax, p.x)
	}
	if !crossed && umin >= x0 && umax <= x0+g.turn {
		return [][]pt{ring}, 0, false
	}
	kmin := floorDiv(umin-x0, g.turn)
	for k := kmin; x0+k*g.turn < umax; k++ {
		lo, hi := x0+k*g.turn, x0+(k+1)*g.turn
		if hi <= umin {
			continue
		}
		c := clipX(u, lo, true)
		c = clipX(c, hi, false)
		for i := range c {
			c[i].x -= k * g.turn
		}
		if c = npmdata.Dedupe(c); len(c) >= 3 {
			parts = append(parts, c)
		}
	}
	return parts, w, true
}

// unwrap returns the shift, a multiple of a turn, that brings a step of dx
// grid units within half a turn.
func (g grid) unwrap(dx int64) int64 {
	switch {
	case 2*dx > g.turn:
		return -g.turn
	case 2*dx < -g.turn:
		return g.turn
	}
	return 0
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// clipX is one Sutherland–Hodgman step: the part of the closed ring on one
// side of the vertical line x = at (keep x >= at when keepAbove, else x <= at).
// New vertices lie exactly on the line; their y is rounded to the grid.
func clipX(ring []pt, at int64, keepAbove bool) []pt {
	in := func(p pt) bool {
		if keepAbove {
			return p.x >= at
		}
		return p.x <= at
	}
	var out []pt
	for i := range ring {
		p, q := ring[i], ring[(i+1)%len(ring)]
		pin, qin := in(p), in(q)
		if pin {
			out = append(out, p)
		}
		if pin != qin && p.x != at && q.x != at {
			t := float64(at-p.x) / float64(q.x-p.x)
			y := float64(p.y) + t*float64(q.y-p.y)
			out = append(out, pt{at, int64(math.Round(y))})
		}
	}
	return out
}

// The file format, read by geo.LoadLand (land.go):
//
//	gzip(
//	  "PHLAND1\n"
//	  float64 sx, sy, tx, ty     little-endian; lon = x*sx + tx, lat = y*sy + ty
//	  uvarint nRings, nPoints
//	  nRings × ( uvarint n; n × (varint dx, varint dy) )
//	)
//
// Rings are open (the closing vertex is implied); dx, dy are zig-zag
// varints relative to the previous vertex, across rings, starting at (0, 0).
const magic = "PHLAND1\n"

func encode(g grid, rings [][]pt) ([]byte, error) {
	var raw bytes.Buffer
	raw.WriteString(magic)
	for _, f := range []float64{g.sx, g.sy, g.tx, g.ty} {
		raw.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(f)))
	}
	n := 0
	for _, r := range rings {
		n += len(r)
	}
	var b []byte
	b = binary.AppendUvarint(b, uint64(len(rings)))
	b = binary.AppendUvarint(b, uint64(n))
	var prev pt
	for _, r := range rings {
		b = binary.AppendUvarint(b, uint64(len(r)))
		for _, p := range r {
			b = binary.AppendVarint(b, p.x-prev.x)
			b = binary.AppendVarint(b, p.y-prev.y)
			prev = p
		}
	}
	raw.Write(b)

	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	// A zero header (no name, no time) keeps the output reproducible.
	bw := bufio.NewWriter(zw)
	if _, err := bw.Write(raw.Bytes()); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// isTopoJSON peeks at the "type" member without decoding the whole file.
func isTopoJSON(data []byte) bool {
	var head struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(data, &head)
	return head.Type == "Topology"
}

type topology struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]int64            `json:"arcs"`
	Objects map[string]topoGeometry `json:"objects"`
}

type topoGeometry struct {
	Type       string          `json:"type"`
	Arcs       json.RawMessage `json:"arcs"`
	Geometries []topoGeometry  `json:"geometries"`
}

// decodeTopoJSON returns the rings of a quantised topology's object on the
// topology's own grid (lossless), decoding the delta-encoded arcs.
func decodeTopoJSON(data []byte, object string) (grid, [][]pt, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return grid{}, nil, err
	}
	if t.Transform == nil {
		return grid{}, nil, errors.New("topology is not quantised (no transform)")
	}
	g, err := newGrid(t.Transform.Scale[0], t.Transform.Scale[1], t.Transform.Translate[0], t.Transform.Translate[1])
	if err != nil {
		return grid{}, nil, err
	}
	arcs := make([][]pt, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y int64
		arcs[i] = make([]pt, len(a))
		for j, d := range a {
			x, y = x+d[0], y+d[1]
			arcs[i][j] = pt{x, y}
		}
	}
	obj, ok := t.Objects[object]
	if !ok {
		return grid{}, nil, fmt.Errorf("no object %q", object)
	}
	var rings [][]pt
	ring := func(idx []int) ([]pt, error) {
		var r []pt
		for _, i := range idx {
			j := i
			if i < 0 {
				j = ^i
			}
			if j >= len(arcs) {
				return nil, fmt.Errorf("arc %d out of range", i)
			}
			a := arcs[j]
			if i < 0 {
				a = reversed(a)
			}
			if len(r) > 0 {
				a = a[1:] // an arc starts where the previous one ended
			}
			r = append(r, a...)
		}
		return r, nil
	}
	var walk func(g topoGeometry) error
	walk = func(g topoGeometry) error {
		var polys [][][]int
		switch g.Type {
		case "GeometryCollection":
			for _, c := range g.Geometries {
				if err := walk(c); err != nil {
					return err
				}
			}
			return nil
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return err
			}
			polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected geometry %q", g.Type)
		}
		for _, p := range polys {
			for _, idx := range p {
				r, err := ring(idx)
				if err != nil {
					return err
				}
				rings = append(rings, r)
			}
		}
		return nil
	}
	if err := walk(obj); err != nil {
		return grid{}, nil, err
	}
	return g, rings, nil
}

func reversed(a []pt) []pt {
	r := make([]pt, len(a))
	for i, p := range a {
		r[len(a)-1-i] = p
	}
	return r
}

type geoJSON struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Geometry    *geoJSON        `json:"geometry"`
	Features    []geoJSON       `json:"features"`
	Geometries  []geoJSON       `json:"geometries"`
}

// decodeGeoJSON returns the polygon rings of a GeoJSON document quantised
// to a grid of the given step, with x = 0 at -180° and y = 0 at -90°.
func decodeGeoJSON(data []byte, step float64) (grid, [][]pt, error) {
	var doc geoJSON
	if err := json.Unmarshal(data, &doc); err != nil {
		return grid{}, nil, err
	}
	g, err := newGrid(step, step, -180, -90)
	if err != nil {
		return grid{}, nil, err
	}
	var rings [][]pt
	var walk func(d geoJSON) error
	walk = func(d geoJSON) error {
		var polys [][][][2]float64
		switch d.Type {
		case "FeatureCollection":
			for _, f := range d.Features {
				if err := walk(f); err != nil {
					return err
				}
			}
			return nil
		case "Feature":
			if d.Geometry != nil {
				return walk(*d.Geometry)
			}
			return nil
		case "GeometryCollection":
			for _, c := range d.Geometries {
				if err := walk(c); err != nil {
					return err
				}
			}
			return nil
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(d.Coordinates, &p); err != nil {
				return err
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(d.Coordinates, &polys); err != nil {
				return err
			}
		default:
			return nil // points and lines carry no land
		}
		for _, p := range polys {
			for _, r := range p {
				q := make([]pt, len(r))
				for i, c := range r {
					q[i] = pt{int64(math.Round((c[0] - g.tx) / g.sx)), int64(math.Round((c[1] - g.ty) / g.sy))}
				}
				rings = append(rings, q)
			}
		}
		return nil
	}
	if err := walk(doc); err != nil {
		return grid{}, nil, err
	}
	return g, rings, nil
}
