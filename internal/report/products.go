package report

import (
	"fmt"
	"math"
	"strings"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
)

// Products turns an analysis into risk-analysis products for the
// analysis layer (picture.RiskProduct; PUT /api/risk-products/{id}):
//
//   - each incident hotspot (up to five a crime type) and each hotspot of
//     suspicious behaviour (up to three), its cells' outline as the area;
//   - each common area of interest;
//   - the five busiest routes, a corridor 5 km wide as the area;
//   - each border section whose level the figures suggest changing;
//   - each crime type's time of day and season, over the maps' extent.
//
// Every summary carries its evidence: the figures and where they come
// from. IDs are "risk-" and the period, then what the product is.
func Products(a *Analysis) []picture.RiskProduct {
	d, p := a.Data, a.Period
	id := func(format string, a ...any) string {
		s := []byte("risk-" + p.Name + "-" + fmt.Sprintf(format, a...))
		for i, c := range s { // what picture.RiskProduct's IDs allow
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
				s[i] = '_'
			}
		}
		return string(s)
	}
	base := func(title string, threats ...string) picture.RiskProduct {
		return picture.RiskProduct{Title: title, From: p.From, To: p.To, Threats: threats}
	}
	var out []picture.RiskProduct
	for _, layer := range []Layer{LayerIncidents, LayerDetections} {
		spots, n, what := a.Hotspots, 5, "incidents"
		if layer == LayerDetections {
			spots, n, what = a.Behaviour, 3, "suspicious behaviour"
		}
		for _, c := range Crimes {
			for i, h := range spots[c][:min(n, len(spots[c]))] {
				pr := base(fmt.Sprintf("Hotspot of %s (%s) around %s", what, strings.ToLower(c.Label()), cellName(h.Peak, d.Grid)), c.Threat())
				pr.ID = id("%s-hotspot-%s-%d", layer, c, i+1)
				pr.Area = picture.Polygon(cellOutline(h.Cells, d.Grid))
				pr.Level = shareLevel(h.Count.Value, h.Total.Value)
				pr.Summary = fmt.Sprintf("%s %s in %s of %g° in %s (figure %s), %s of the %s in the area (%s); %s there in %s (%s, %s); "+
					"busiest cell %s with %s (%s); highest Gi* z-score %.1f.",
					Num(h.Count.Value), what, plural(len(h.Cells), "cell"), d.Grid, p.Name, h.Count.ID, Share(h.Count.Value, h.Total.Value),
					strings.ToLower(c.Label()), Num(h.Total.Value), Num(h.Before.Value), p.PrevName, h.Before.ID,
					Change(h.Count.Value, h.Before.Value), cellName(h.Peak, d.Grid), Num(h.PeakFig.Value), h.PeakFig.ID, h.Z)
				out = append(out, pr)
			}
		}
	}
	for i, c := range a.Common {
		var threats, parts []string
		for _, cr := range c.Crimes {
			threats = append(threats, cr.Threat())
			parts = append(parts, fmt.Sprintf("%s %s (%s)", strings.ToLower(cr.Label()), Num(c.Counts[cr].Value), c.Counts[cr].ID))
		}
		pr := base(fmt.Sprintf("Common area of interest around %s", cellName(c.Cells[0], d.Grid)), threats...)
		pr.ID = id("common-%d", i+1)
		pr.Area = picture.Polygon(cellOutline(c.Cells, d.Grid))
		pr.Level = model.ImpactHigh
		pr.Summary = fmt.Sprintf("Hotspots of %d crime types in the same %s in %s: %s. Authorities fighting each have a common area of interest here.",
			len(c.Crimes), plural(len(c.Cells), "cell"), p.Name, strings.Join(parts, ", "))
		out = append(out, pr)
	}
	for i, r := range a.routes[:min(5, len(a.routes))] {
		var threats []string
		for _, c := range Crimes {
			if r.byCrime[c].Value > 0 {
				threats = append(threats, c.Threat())
			}
		}
		if len(threats) == 0 {
			threats = []string{r.main.Threat()}
		}
		pr := base("Route "+strings.ReplaceAll(r.route.Key, " > ", " → "), threats...)
		pr.ID = id("route-%d", i+1)
		pr.Area = corridor(r.route.From, r.route.To, 2500)
		total := 0
		for _, rr := range a.routes {
			total += rr.now.Value
		}
		pr.Level = shareLevel(r.now.Value, total)
		var mix []string
		for _, c := range AllCrimes {
			if n := r.byCrime[c].Value; n > 0 {
				mix = append(mix, fmt.Sprintf("%s %s", strings.ToLower(c.Label()), Num(n)))
			}
		}
		pr.Summary = fmt.Sprintf("%s craft in incidents took this route in %s (figure %s; %s in %s, %s), %s of the incidents with a route: %s.",
			Num(r.now.Value), p.Name, r.now.ID, Num(r.was.Value), p.PrevName, Change(r.now.Value, r.was.Value), Share(r.now.Value, total),
			strings.Join(mix, ", "))
		out = append(out, pr)
	}
	for i := range a.Sections {
		s := &a.Sections[i]
		if !s.Change {
			continue
		}
		var threats []string
		for _, c := range Crimes {
			if s.ByCrime[c].Value > 0 {
				threats = append(threats, c.Threat())
			}
		}
		if len(threats) == 0 {
			threats = []string{OtherCrime.Threat()}
		}
		verb := "Raise"
		if s.Suggested < s.Section.Level {
			verb = "Lower"
		}
		pr := base(fmt.Sprintf("%s the impact level of border section %s to %s", verb, s.Section.ID, s.Suggested), threats...)
		pr.ID = id("section-%s", s.Section.ID)
		pr.Area = largestRing(s.Section.Polygons)
		pr.Level = sectionToIncident(s.Suggested)
		pr.Summary = levelLine(s, p) + fmt.Sprintf(" Figures %s, %s, %s.", s.Serious.ID, s.SeriousBefore.ID, s.Incidents.ID)
		out = append(out, pr)
	}
	box := picture.Polygon{{d.Extent.West, d.Extent.South}, {d.Extent.East, d.Extent.South}, {d.Extent.East, d.Extent.North}, {d.Extent.West, d.Extent.North}}
	for _, c := range Crimes {
		q := Query{Layer: LayerIncidents, From: p.From, To: p.To, Crime: c.String()}
		total := d.Count(q)
		if total.Value == 0 {
			continue
		}
		nq := q
		nq.Hours = "20-05"
		night := d.Count(nq)
		byHour := d.By(q, DimHour, hours())
		byMonth := d.By(q, DimMonth, months(p.From, p.To))
		pr := base(fmt.Sprintf("Time pattern of %s", strings.ToLower(c.Label())), c.Threat())
		pr.ID = id("time-%s", c)
		pr.Area = box
		pr.Level = model.ImpactLow
		pr.Summary = fmt.Sprintf("%s of %s incidents of %s (figure %s) were detected at night, 20:00–05:59 UTC (figure %s); busiest hour %s, busiest month %s.",
			Share(night.Value, total.Value), Num(total.Value), p.Name, total.ID, night.ID,
			busiest(byHour, hours(), func(s string) string { return s + ":00 UTC" }),
			busiest(byMonth, months(p.From, p.To), func(s string) string { return monthAbbr[monthIndex(s)] }))
		out = append(out, pr)
	}
	return out
}

// shareLevel grades a part of a whole: a quarter or more very high, a
// tenth high, a twentieth medium, less low.
func shareLevel(part, whole int) model.ImpactLevel {
	if whole == 0 {
		return model.ImpactLow
	}
	switch s := float64(part) / float64(whole); {
	case s >= 0.25:
		return model.ImpactVeryHigh
	case s >= 0.1:
		return model.ImpactHigh
	case s >= 0.05:
		return model.ImpactMedium
	}
	return model.ImpactLow
}

func sectionToIncident(l geo.AreaImpact) model.ImpactLevel {
	switch l {
	case geo.AreaImpactCritical:
		return model.ImpactVeryHigh
	case geo.AreaImpactHigh:
		return model.ImpactHigh
	case geo.AreaImpactMedium:
		return model.ImpactMedium
	}
	return model.ImpactLow
}

// corridor is a rectangle half metres either side of the line from one
// place to the other.
func corridor(a, b Place, half float64) picture.Polygon {
	brg := geo.Bearing(a.Lat, a.Lon, b.Lat, b.Lon)
	var out picture.Polygon
	for _, pt := range [][3]float64{{a.Lat, a.Lon, -90}, {b.Lat, b.Lon, -90}, {b.Lat, b.Lon, 90}, {a.Lat, a.Lon, 90}} {
		lat, lon := geo.Destination(pt[0], pt[1], brg+pt[2], half)
		out = append(out, [2]float64{math.Round(lon*1e5) / 1e5, math.Round(lat*1e5) / 1e5})
	}
	return out
}

// largestRing is the outer ring of a section's largest polygon.
func largestRing(polys [][][][2]float64) picture.Polygon {
	var best [][2]float64
	bestA := -1.0
	for _, p := range polys {
		if len(p) == 0 {
			continue
		}
		var s float64
		r := p[0]
		for i := range r {
			j := (i + 1) % len(r)
			s += r[i][0]*r[j][1] - r[j][0]*r[i][1]
		}
		if a := math.Abs(s); a > bestA {
			best, bestA = r, a
		}
	}
	return picture.Polygon(best)
}
