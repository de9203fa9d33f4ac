package report

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Monthly makes the monthly indicators report, EUROSUR's monthly cadence:
// the month's indicators against the month before and the same month a
// year before, by crime type, detection type and border section; the
// incidents day by day; the map of the month's incidents and hotspots;
// and the busiest routes.
func Monthly(a *Analysis, source string) *Doc {
	d, p := a.Data, a.Period
	node := cmp.Or(d.Node, "pharos")
	title := p.From.Format("January 2006")
	doc := &Doc{
		Title:    "Monthly indicators: " + title,
		Subtitle: fmt.Sprintf("Cross-border crime at sea in the waters watched by %s, against %s and %s", node, p.PrevName, p.YearAgoName),
		Time:     p.To,
		Figures:  d.Figures(),
	}
	q := func(l Layer, from, to time.Time) Query { return Query{Layer: l, From: from, To: to} }
	M, P, Y := q(LayerIncidents, p.From, p.To), q(LayerIncidents, p.PrevFrom, p.PrevTo), q(LayerIncidents, p.YearAgoFrom, p.YearAgoTo)
	t := &Table{Head: []string{"Indicator", p.Name, p.PrevName, "Change", p.YearAgoName, "Change"},
		Widths: []float64{3.6, 1, 1, 0.9, 1, 0.9}, Numeric: []bool{false, true, true, true, true, true}}
	row := func(label string, qm Query, bold bool) {
		qp, qy := qm, qm
		qp.From, qp.To = P.From, P.To
		qy.From, qy.To = Y.From, Y.To
		m, pm, ym := d.Count(qm), d.Count(qp), d.Count(qy)
		l := text(label)
		if bold {
			l = Cell{Text: label, Bold: true}
		}
		t.Rows = append(t.Rows, []Cell{l, fig(m), fig(pm), change(m, pm), fig(ym), change(m, ym)})
	}
	row("Incidents", M, true)
	for _, c := range AllCrimes {
		row("  "+c.Label(), withCrime(M, c.String()), false)
	}
	ser := M
	ser.Serious = "yes"
	row("Incidents of impact high or very high", ser, true)
	night := withCrime(M, ThreeCrimes)
	night.Hours = "20-05"
	row("The three crime types at night (20:00–05:59 UTC)", night, false)
	D := q(LayerDetections, p.From, p.To)
	row("Detections", D, true)
	types := d.By(D, DimType, nil)
	keys := make([]string, 0, len(types))
	for k := range types {
		keys = append(keys, k)
	}
	slices.SortStableFunc(keys, func(x, y string) int { return cmp.Or(cmp.Compare(types[y].Value, types[x].Value), cmp.Compare(x, y)) })
	for _, k := range keys {
		row("  "+k, withType(D, k), false)
	}
	for i := range d.Sections {
		row("Incidents in "+d.Sections[i].ID, withSection(M, d.Sections[i].ID), false)
	}
	if len(d.Sections) > 0 {
		row("Incidents outside the border sections", withSection(M, NoSection), false)
	}
	doc.h1("Indicators")
	doc.table(t, "Counts of records; changes are computed from the counts beside them.")

	doc.h1("Day by day")
	var days []string
	for t := p.From; t.Before(p.To); t = t.AddDate(0, 0, 1) {
		days = append(days, t.Format("2006-01-02"))
	}
	labels := make([]string, len(days))
	for i, s := range days {
		labels[i] = s[8:]
	}
	chart := barChart{Title: "Incidents per day, " + title, Categories: labels, Stacked: true, LabelEvery: 2}
	for _, c := range Crimes {
		chart.Series = append(chart.Series, series{Name: c.Label(), Color: crimeColors[c], Values: values(d.By(withCrime(M, c.String()), DimDay, days), days)})
	}
	doc.graphic(chart.graphic(), "Incidents of each crime type by day of detection (UTC), stacked.")

	doc.h1("Where")
	cells := a.threeCells()
	var spots []Hotspot
	for _, c := range Crimes {
		spots = append(spots, a.Hotspots[c]...)
	}
	slices.SortStableFunc(spots, func(x, y Hotspot) int { return cmp.Compare(y.Count.Value, x.Count.Value) })
	doc.graphic(d.hotspotMap("Incidents of the three crime types per cell, and hotspots, "+title, cells, spots, HumanSmuggling), "")
	doc.table(hotspotTable(a.Hotspots, d.Grid, p, 3), "The month's incident hotspots; the previous column is the month before.")
	if len(a.Sections) > 0 {
		doc.table(sectionTable(a.Sections, p), "By border section; per month: serious incidents per 30 days.")
		var changes []string
		for i := range a.Sections {
			if s := &a.Sections[i]; s.Change {
				changes = append(changes, levelLine(s, p))
			}
		}
		if len(changes) > 0 {
			doc.h2("Levels the month's figures suggest")
			doc.list(changes)
		}
	}
	doc.h1("Routes")
	doc.table(a.routeTable(a.routes, 10), "The month's busiest routes.")
	method(doc, d)
	doc.Meta = meta(d, p, node, source) // now that every figure is made
	doc.Meta[1][1] += fmt.Sprintf(", and with %s to %s", p.YearAgoFrom.Format("2 January 2006"), p.YearAgoTo.Add(-time.Second).Format("2 January 2006"))
	return doc
}

func withType(q Query, t string) Query { q.Type = t; return q }
