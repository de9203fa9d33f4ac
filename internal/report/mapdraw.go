package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"pharos/internal/geo"
)

// landRings traces the coastline inside a box from the embedded land data
// (geo.Land), by marching squares on a grid of step degrees, each crossing
// placed by bisection to a fiftieth of a step. The grid is padded by one
// row of sea all round, so every ring closes; filled by the even-odd
// rule the rings are the land (lakes stay open). Rings are [lon, lat].
func landRings(land *geo.Land, b Box, step float64) [][][2]float64 {
	nx := int(math.Ceil((b.East-b.West)/step)) + 1
	ny := int(math.Ceil((b.North-b.South)/step)) + 1
	// Nodes -1 … n (padding included) by column then row.
	w, h := nx+2, ny+2
	lon := func(i int) float64 { return b.West + float64(i)*step }
	lat := func(j int) float64 { return b.South + float64(j)*step }
	in := make([]bool, w*h)
	at := func(i, j int) bool { return in[(j+1)*w+i+1] }
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			in[(j+1)*w+i+1] = land.Contains(lat(j), lon(i))
		}
	}
	// A crossing on an edge: horizontal edges from node (i, j) east,
	// vertical ones from (i, j) north; ids keep them apart.
	type edge struct {
		i, j int
		vert bool
	}
	point := func(e edge) [2]float64 {
		x0, y0 := lon(e.i), lat(e.j)
		x1, y1 := x0, y0
		if e.vert {
			y1 += step
		} else {
			x1 += step
		}
		inner := e.i >= 0 && e.j >= 0 && e.i < nx && e.j < ny
		if e.vert {
			inner = inner && e.j+1 < ny
		} else {
			inner = inner && e.i+1 < nx
		}
		if !inner { // beside the padding: the middle will do
			return [2]float64{(x0 + x1) / 2, (y0 + y1) / 2}
		}
		a := land.Contains(y0, x0)
		lo, hi := 0.0, 1.0
		for range 6 {
			m := (lo + hi) / 2
			if land.Contains(y0+(y1-y0)*m, x0+(x1-x0)*m) == a {
				lo = m
			} else {
				hi = m
			}
		}
		m := (lo + hi) / 2
		return [2]float64{x0 + (x1-x0)*m, y0 + (y1-y0)*m}
	}
	next := map[edge]edge{}
	for j := -1; j < ny; j++ {
		for i := -1; i < nx; i++ {
			bl, br, tr, tl := at(i, j), at(i+1, j), at(i+1, j+1), at(i, j+1)
			k := 0
			if bl {
				k |= 1
			}
			if br {
				k |= 2
			}
			if tr {
				k |= 4
			}
			if tl {
				k |= 8
			}
			B, R, T, L := edge{i, j, false}, edge{i + 1, j, true}, edge{i, j + 1, false}, edge{i, j, true}
			// Segments with the land on their left.
			seg := func(a, b edge) { next[a] = b }
			switch k {
			case 1:
				seg(B, L)
			case 2:
				seg(R, B)
			case 4:
				seg(T, R)
			case 8:
				seg(L, T)
			case 3:
				seg(R, L)
			case 6:
				seg(T, B)
			case 12:
				seg(L, R)
			case 9:
				seg(B, T)
			case 7:
				seg(T, L)
			case 11:
				seg(R, T)
			case 13:
				seg(B, R)
			case 14:
				seg(L, B)
			case 5, 10:
				centre := i >= 0 && j >= 0 && i < nx && j < ny && land.Contains(lat(j)+step/2, lon(i)+step/2)
				switch {
				case k == 5 && centre:
					seg(B, R)
					seg(T, L)
				case k == 5:
					seg(B, L)
					seg(T, R)
				case centre:
					seg(L, B)
					seg(R, T)
				default:
					seg(R, B)
					seg(L, T)
				}
			}
		}
	}
	starts := make([]edge, 0, len(next))
	for e := range next {
		starts = append(starts, e)
	}
	slices.SortFunc(starts, func(a, b edge) int {
		return cmp.Or(cmp.Compare(a.j, b.j), cmp.Compare(a.i, b.i), cmp.Compare(b2i(a.vert), b2i(b.vert)))
	})
	var rings [][][2]float64
	for _, s := range starts {
		if _, ok := next[s]; !ok {
			continue
		}
		var ring [][2]float64
		for e := s; ; {
			ring = append(ring, point(e))
			n, ok := next[e]
			delete(next, e)
			if !ok || n == s {
				break
			}
			e = n
		}
		if len(ring) >= 3 {
			rings = append(rings, ring)
		}
	}
	return rings
}

// mapView projects a box onto a graphic: equirectangular, longitudes
// shrunk by the cosine of the middle latitude, which keeps shapes true
// over the few degrees a report's maps cover.
type mapView struct {
	box    Box
	x0, y0 float64 // top-left of the map on the graphic
	scale  float64 // units a degree of latitude
	kx     float64 // cos(mid latitude)
	w, h   float64
	land   [][][2]float64
}

func newMapView(b Box, x0, y0, w float64, land [][][2]float64) *mapView {
	kx := math.Cos((b.South + b.North) / 2 * math.Pi / 180)
	scale := w / ((b.East - b.West) * kx)
	return &mapView{box: b, x0: x0, y0: y0, scale: scale, kx: kx, w: w, h: (b.North - b.South) * scale, land: land}
}

func (m *mapView) xy(lat, lon float64) (float64, float64) {
	return m.x0 + (lon-m.box.West)*m.kx*m.scale, m.y0 + (m.box.North-lat)*m.scale
}

func (m *mapView) ring(r [][2]float64) [][2]float64 {
	out := make([][2]float64, len(r))
	for i, p := range r {
		out[i][0], out[i][1] = m.xy(p[1], p[0])
	}
	return out
}

// base draws the sea, the border sections (filled by fill, which may
// give "" for none), the land and the frame with its graticule.
func (m *mapView) base(c canvas, sections []Section, fill func(*Section) string) {
	c.Rect(m.x0, m.y0, m.w, m.h, style{Fill: "#eef4fa"})
	c.Clip(m.x0, m.y0, m.w, m.h)
	for i := range sections {
		s := &sections[i]
		var rings [][][2]float64
		for _, p := range s.Polygons {
			if len(p) > 0 {
				rings = append(rings, m.ring(p[0]))
			}
		}
		if f := fill(s); f != "" {
			c.Path(rings, style{Fill: f, Opacity: 0.35})
		}
		c.Path(rings, style{Stroke: "#6b7f99", Width: 0.8, Dash: true})
	}
	if len(m.land) > 0 {
		rings := make([][][2]float64, len(m.land))
		for i, r := range m.land {
			rings[i] = m.ring(r)
		}
		c.Path(rings, style{Fill: "#e8e2d0", Stroke: "#9a9280", Width: 0.6})
	}
	c.Unclip()
	// Graticule ticks on the frame.
	step := niceDegrees((m.box.East - m.box.West) / 7)
	for lon := math.Ceil(m.box.West/step) * step; lon <= m.box.East; lon += step {
		x, _ := m.xy(m.box.South, lon)
		c.Line(x, m.y0+m.h, x, m.y0+m.h+4, style{Stroke: "#444444", Width: 0.8})
		c.Text(x, m.y0+m.h+14, degName(lon, "E", "W"), textStyle{Size: 9, Anchor: anchorMiddle, Color: "#444444"})
	}
	for lat := math.Ceil(m.box.South/step) * step; lat <= m.box.North; lat += step {
		_, y := m.xy(lat, m.box.West)
		c.Line(m.x0-4, y, m.x0, y, style{Stroke: "#444444", Width: 0.8})
		c.Text(m.x0-6, y+3, degName(lat, "N", "S"), textStyle{Size: 9, Anchor: anchorEnd, Color: "#444444"})
	}
}

// labels names the sections at the middle of their largest polygon.
func (m *mapView) labels(c canvas, sections []Section, text func(*Section) string) {
	for i := range sections {
		s := &sections[i]
		lat, lon, ok := middle(s.Polygons, m.box)
		if !ok {
			continue
		}
		x, y := m.xy(lat, lon)
		c.Text(x, y, text(s), textStyle{Size: 9, Bold: true, Anchor: anchorMiddle, Color: "#1f3350"})
	}
}

// frame draws the frame and the attribution.
func (m *mapView) frame(c canvas) {
	c.Rect(m.x0, m.y0, m.w, m.h, style{Stroke: "#444444", Width: 1})
	c.Text(m.x0+m.w-4, m.y0+m.h-5, "Land: Natural Earth. Sections: OpenStreetMap contributors (ODbL) or the node's own.",
		textStyle{Size: 7.5, Anchor: anchorEnd, Color: "#666666"})
	// A scale bar of a round number of kilometres.
	km := niceDegrees((m.box.East - m.box.West) * m.kx * 111.2 / 5)
	px := km / 111.2 * m.scale
	x, y := m.x0+10, m.y0+m.h-12
	c.Rect(x, y, px, 4, style{Fill: "#333333"})
	c.Text(x+px+5, y+5, fmt.Sprintf("%g km", km), textStyle{Size: 9, Color: "#333333"})
}

// middle is a point inside the largest polygon's box, near its middle,
// inside the view.
func middle(polys [][][][2]float64, view Box) (lat, lon float64, ok bool) {
	best := -1.0
	for _, p := range polys {
		if len(p) == 0 {
			continue
		}
		b := Box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, pt := range p[0] {
			b = Box{min(b.South, pt[1]), min(b.West, pt[0]), max(b.North, pt[1]), max(b.East, pt[0])}
		}
		b = Box{max(b.South, view.South), max(b.West, view.West), min(b.North, view.North), min(b.East, view.East)}
		if b.South >= b.North || b.West >= b.East {
			continue
		}
		if a := (b.North - b.South) * (b.East - b.West); a > best {
			best, lat, lon, ok = a, (b.South+b.North)/2, (b.West+b.East)/2, true
		}
	}
	return lat, lon, ok
}

func niceDegrees(v float64) float64 {
	for _, s := range []float64{0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 25, 50, 100, 200, 500} {
		if s >= v {
			return s
		}
	}
	return 1000
}

func degName(v float64, pos, neg string) string {
	h := pos
	if v < 0 {
		h, v = neg, -v
	}
	return fmt.Sprintf("%g°%s", math.Round(v*100)/100, h)
}

// cells draws grid cells coloured by count on a ramp from light to the
// colour given, the highest count darkest.
func (m *mapView) cells(c canvas, counts map[[2]int32]int, grid float64, color string) {
	top := 0
	for _, n := range counts {
		top = max(top, n)
	}
	if top == 0 {
		return
	}
	keys := make([][2]int32, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, cmpCell)
	c.Clip(m.x0, m.y0, m.w, m.h)
	for _, k := range keys {
		n := counts[k]
		if n == 0 {
			continue
		}
		x0, y0 := m.xy(float64(k[0]+1)*grid, float64(k[1])*grid)
		x1, y1 := m.xy(float64(k[0])*grid, float64(k[1]+1)*grid)
		// Square root, so that a few busy cells do not wash out the rest.
		f := 0.15 + 0.85*math.Sqrt(float64(n)/float64(top))
		c.Rect(x0, y0, x1-x0, y1-y0, style{Fill: color, Opacity: f})
	}
	c.Unclip()
}

// outline draws the boundary of a group of cells.
func (m *mapView) outline(c canvas, cells [][2]int32, grid float64, color string, width float64) {
	ring := cellOutline(cells, grid)
	if len(ring) < 3 {
		return
	}
	c.Clip(m.x0, m.y0, m.w, m.h)
	c.Path([][][2]float64{m.ring(ring)}, style{Stroke: color, Width: width})
	c.Unclip()
}

// arrow draws a route from one place to another, width by weight.
func (m *mapView) arrow(c canvas, from, to [2]float64, width float64, color string) {
	x1, y1 := m.xy(from[0], from[1])
	x2, y2 := m.xy(to[0], to[1])
	c.Clip(m.x0, m.y0, m.w, m.h)
	c.Line(x1, y1, x2, y2, style{Stroke: color, Width: width})
	a := math.Atan2(y2-y1, x2-x1)
	l := 6 + width*1.5
	pts := [][2]float64{{x2, y2},
		{x2 - l*math.Cos(a-0.45), y2 - l*math.Sin(a-0.45)},
		{x2 - l*math.Cos(a+0.45), y2 - l*math.Sin(a+0.45)}}
	c.Path([][][2]float64{pts}, style{Fill: color})
	c.Circle(x1, y1, 2+width/2, style{Fill: "#ffffff", Stroke: color, Width: 1})
	c.Unclip()
}

// legendBox draws a legend of coloured swatches at the top-left of the
// map.
func (m *mapView) legendBox(c canvas, items [][2]string) {
	if len(items) == 0 {
		return
	}
	w := 0.0
	for _, it := range items {
		w = max(w, float64(len([]rune(it[1])))*5.2+26)
	}
	h := float64(len(items))*14 + 8
	c.Rect(m.x0+6, m.y0+6, w, h, style{Fill: "#ffffff", Opacity: 0.85, Stroke: "#999999", Width: 0.6})
	for i, it := range items {
		y := m.y0 + 10 + float64(i)*14
		c.Rect(m.x0+12, y, 10, 10, style{Fill: it[0]})
		c.Text(m.x0+27, y+9, it[1], textStyle{Size: 9.5})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
