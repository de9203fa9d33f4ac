package report

import (
	"fmt"
	"math"
	"strings"
)

// landOnMap returns the coastline of the maps' extent, traced once.
func (d *Data) landOnMap() [][][2]float64 {
	if d.land == nil && d.Land != nil {
		step := (d.Extent.East - d.Extent.West) / 320
		d.land = landRings(d.Land, d.Extent, step)
	}
	return d.land
}

// mapGraphic is a map of the data's extent across the page, with a title,
// the sections and the land, and what draw puts on it.
func (d *Data) mapGraphic(title string, fill func(*Section) string, draw func(c canvas, m *mapView)) *Graphic {
	const left, top, right, bottom = 48.0, 26.0, 8.0, 22.0
	m := newMapView(d.Extent, left, top, 720-left-right, d.landOnMap())
	return &Graphic{W: 720, H: top + m.h + bottom, Draw: func(c canvas) {
		c.Text(left, 16, title, textStyle{Size: 13, Bold: true})
		if fill == nil {
			fill = func(*Section) string { return "" }
		}
		m.base(c, d.Sections, fill)
		draw(c, m)
		m.frame(c)
	}}
}

// hotspotMap draws a layer's density of a crime type and its hotspots.
func (d *Data) hotspotMap(title string, cells map[[2]int32]*Figure, spots []Hotspot, c Crime) *Graphic {
	counts := map[[2]int32]int{}
	for k, f := range cells {
		counts[k] = f.Value
	}
	return d.mapGraphic(title, nil, func(cv canvas, m *mapView) {
		m.cells(cv, counts, d.Grid, crimeColors[c])
		for i, h := range spots {
			m.outline(cv, h.Cells, d.Grid, "#111111", 1.6)
			lat, lon := cellCentre(h.Peak, d.Grid)
			x, y := m.xy(lat, lon)
			if x > m.x0 && x < m.x0+m.w && y > m.y0 && y < m.y0+m.h {
				cv.Text(x+6, y-6, fmt.Sprintf("H%d", i+1), textStyle{Size: 10, Bold: true, Color: "#111111"})
			}
		}
		m.labels(cv, d.Sections, func(s *Section) string { return s.ID })
		m.legendBox(cv, [][2]string{{crimeColors[c], "incidents per cell (darker: more)"}, {"#111111", "hotspot (Gi* ≥ 1.96)"}})
	})
}

func cellCentre(k [2]int32, grid float64) (lat, lon float64) {
	return (float64(k[0]) + 0.5) * grid, (float64(k[1]) + 0.5) * grid
}

// cellName is a cell's centre for people.
func cellName(k [2]int32, grid float64) string {
	lat, lon := cellCentre(k, grid)
	return latLonName2(lat, lon)
}

func latLonName2(lat, lon float64) string {
	ns, ew := "N", "E"
	if lat < 0 {
		ns, lat = "S", -lat
	}
	if lon < 0 {
		ew, lon = "W", -lon
	}
	return fmt.Sprintf("%.2f°%s %.2f°%s", lat, ns, lon, ew)
}

// routeMap draws the busiest routes, arrows as wide as their counts.
func (d *Data) routeMap(title string, routes []routeRow) *Graphic {
	top := 1
	for _, r := range routes {
		top = max(top, r.now.Value)
	}
	return d.mapGraphic(title, nil, func(c canvas, m *mapView) {
		for i := len(routes) - 1; i >= 0; i-- {
			r := routes[i]
			w := 1 + 7*math.Sqrt(float64(r.now.Value)/float64(top))
			m.arrow(c, r.route.Start, r.route.End, w, crimeColors[r.main])
		}
		m.labels(c, d.Sections, func(s *Section) string { return s.ID })
		var legend [][2]string
		for _, cr := range Crimes {
			legend = append(legend, [2]string{crimeColors[cr], "mostly " + strings.ToLower(cr.Label())})
		}
		m.legendBox(c, legend)
	})
}

// sectionMap colours the sections by the level the figures suggest and
// writes their incidents.
func (d *Data) sectionMap(title string, secs []SectionFigures) *Graphic {
	by := map[string]*SectionFigures{}
	for i := range secs {
		by[secs[i].Section.ID] = &secs[i]
	}
	return d.mapGraphic(title, func(s *Section) string {
		if sf := by[s.ID]; sf != nil {
			return levelColors[sf.Suggested]
		}
		return ""
	}, func(c canvas, m *mapView) {
		m.labels(c, d.Sections, func(s *Section) string {
			if sf := by[s.ID]; sf != nil {
				return fmt.Sprintf("%s: %s", s.ID, Num(sf.Incidents.Value))
			}
			return s.ID
		})
		m.legendBox(c, [][2]string{{levelColors[1], "low"}, {levelColors[2], "medium"}, {levelColors[3], "high"}, {levelColors[4], "critical"}})
	})
}

// commonMap outlines the common areas of interest over the density of the
// three crime types together.
func (d *Data) commonMap(title string, cells map[[2]int32]*Figure, areas []CommonArea) *Graphic {
	counts := map[[2]int32]int{}
	for k, f := range cells {
		counts[k] = f.Value
	}
	return d.mapGraphic(title, nil, func(c canvas, m *mapView) {
		m.cells(c, counts, d.Grid, "#555555")
		for i, a := range areas {
			color := "#111111"
			if len(a.Crimes) > 0 {
				color = crimeColors[a.Crimes[len(a.Crimes)-1]]
			}
			m.outline(c, a.Cells, d.Grid, color, 2.2)
			lat, lon := cellCentre(a.Cells[0], d.Grid)
			x, y := m.xy(lat, lon)
			c.Text(x-8, y+12, fmt.Sprintf("A%d", i+1), textStyle{Size: 10, Bold: true})
		}
		m.labels(c, d.Sections, func(s *Section) string { return s.ID })
		m.legendBox(c, [][2]string{{"#555555", "incidents of the three crime types per cell"}, {"#111111", "common area of interest"}})
	})
}
