package report

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"pharos/internal/geo"
	"pharos/internal/picture"
)

// Period is a span of time a report covers, [From, To), and the span it
// is compared with.
type Period struct {
	From, To         time.Time
	PrevFrom, PrevTo time.Time
	Name, PrevName   string // "2025", "2024"
	// YearAgoFrom and YearAgoTo are the same period a year before, when
	// it is not the one before (monthly reports).
	YearAgoFrom, YearAgoTo time.Time
	YearAgoName            string
}

// Earliest is the first instant the period and those it is compared with
// cover: what a report must load.
func (p Period) Earliest() time.Time {
	t := p.From
	if p.PrevFrom.Before(t) {
		t = p.PrevFrom
	}
	if !p.YearAgoFrom.IsZero() && p.YearAgoFrom.Before(t) {
		t = p.YearAgoFrom
	}
	return t
}

// Month is a calendar month (UTC) compared with the one before and with
// the same month a year before.
func Month(y int, m time.Month) Period {
	from := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return Period{From: from, To: from.AddDate(0, 1, 0), PrevFrom: from.AddDate(0, -1, 0), PrevTo: from,
		Name: from.Format("2006-01"), PrevName: from.AddDate(0, -1, 0).Format("2006-01"),
		YearAgoFrom: from.AddDate(-1, 0, 0), YearAgoTo: from.AddDate(-1, 1, 0), YearAgoName: from.AddDate(-1, 0, 0).Format("2006-01")}
}

// Span is [from, to) compared with as long a span just before; a span of
// a calendar year or month is named as Year and Month name them.
func Span(from, to time.Time) Period {
	from, to = from.UTC(), to.UTC()
	if from.Month() == 1 && from.Day() == 1 && from.AddDate(1, 0, 0).Equal(to) && from.Equal(from.Truncate(24*time.Hour)) {
		return Year(from.Year())
	}
	d := to.Sub(from)
	return Period{From: from, To: to, PrevFrom: from.Add(-d), PrevTo: from,
		Name: periodName(from, to), PrevName: periodName(from.Add(-d), from)}
}

// Year is a calendar year (UTC) compared with the one before.
func Year(y int) Period {
	from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return Period{From: from, To: from.AddDate(1, 0, 0), PrevFrom: from.AddDate(-1, 0, 0), PrevTo: from,
		Name: fmt.Sprint(y), PrevName: fmt.Sprint(y - 1)}
}

// months returns the months of [from, to) as "2006-01".
func months(from, to time.Time) []string {
	var out []string
	for t := from; t.Before(to); t = t.AddDate(0, 1, 0) {
		out = append(out, t.Format("2006-01"))
	}
	return out
}

var monthAbbr = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

func hours() []string {
	out := make([]string, 24)
	for h := range out {
		out[h] = fmt.Sprintf("%02d", h)
	}
	return out
}

// routeRow is a route's figures in a period and the one before.
type routeRow struct {
	route    Route
	now, was *Figure
	byCrime  map[Crime]*Figure
	main     Crime
}

// Analysis is the risk analysis of a period: what the annual report,
// the monthly one and the risk products are made of.
type Analysis struct {
	Data   *Data
	Period Period
	// Hotspots of incidents and of detections (suspicious behaviour), by
	// crime type.
	Hotspots, Behaviour map[Crime][]Hotspot
	// Cells are the incidents a cell, by crime type.
	Cells map[Crime]map[[2]int32]*Figure
	// Common are the common areas of interest.
	Common []CommonArea
	// Sections are the border sections' figures and suggested levels;
	// Joint where joint operations look needed.
	Sections []SectionFigures
	Joint    []Joint
	routes   []routeRow
	pairs    []routeRow
}

// Analyse works out the risk analysis of a period over data that holds
// it and the period it is compared with.
func Analyse(d *Data, p Period) *Analysis {
	a := &Analysis{Data: d, Period: p, Hotspots: map[Crime][]Hotspot{}, Behaviour: map[Crime][]Hotspot{},
		Cells: map[Crime]map[[2]int32]*Figure{}}
	for _, c := range Crimes {
		a.Cells[c] = d.CellCounts(LayerIncidents, p.From, p.To, c)
		a.Hotspots[c] = d.Hotspots(LayerIncidents, p.From, p.To, p.PrevFrom, p.PrevTo, c)
		a.Behaviour[c] = d.Hotspots(LayerDetections, p.From, p.To, p.PrevFrom, p.PrevTo, c)
	}
	a.Common = d.CommonAreas(p.From, p.To)
	a.Sections = d.SectionsOver(p.From, p.To, p.PrevFrom, p.PrevTo)
	a.Joint = JointOps(a.Sections)
	a.routes = a.routeRows(DimRoute)
	a.pairs = a.routeRows(DimPair)
	return a
}

// routeRows are the routes (or pairs of states) of the period, busiest
// first, with the period before.
func (a *Analysis) routeRows(dim Dim) []routeRow {
	d, p := a.Data, a.Period
	now := d.By(Query{Layer: LayerIncidents, From: p.From, To: p.To}, dim, nil)
	keys := slices.Sorted(maps.Keys(now))
	was := d.By(Query{Layer: LayerIncidents, From: p.PrevFrom, To: p.PrevTo}, dim, keys)
	var rows []routeRow
	for _, k := range keys {
		r := routeRow{now: now[k], was: was[k], byCrime: map[Crime]*Figure{}}
		q := now[k].Query
		for name, f := range d.By(q, DimCrime, crimeNames[:]) {
			c, _ := ParseCrime(name)
			r.byCrime[c] = f
		}
		best := -1
		for _, c := range AllCrimes {
			if n := r.byCrime[c].Value; n > best {
				best, r.main = n, c
			}
		}
		if dim == DimRoute {
			r.route = d.Routes[d.routeIdx[k]]
		} else {
			r.route = Route{Pair: k, Key: k}
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(x, y routeRow) int {
		return cmp.Or(cmp.Compare(y.now.Value, x.now.Value), cmp.Compare(x.route.Key, y.route.Key))
	})
	return rows
}

// Annual makes the annual report on cross-border crime of a year: counts
// and trends by crime type, border section, month and route against the
// year before, the hotspots, the top indicators, the sections whose
// impact level the figures suggest changing and those where joint
// operations look needed, and how it was all counted.
func Annual(a *Analysis, source string) *Doc {
	d, p := a.Data, a.Period
	node := cmp.Or(d.Node, "pharos")
	doc := &Doc{
		Title:    fmt.Sprintf("Cross-border crime at sea: annual report %s", p.Name),
		Subtitle: fmt.Sprintf("Human trafficking, human smuggling and illicit goods in the waters watched by %s, compared with %s", node, p.PrevName),
		Time:     p.To,
		Figures:  d.Figures(),
	}
	doc.Meta = meta(d, p, node, source)

	inc := func(from, to time.Time) Query { return Query{Layer: LayerIncidents, From: from, To: to} }
	det := func(from, to time.Time) Query { return Query{Layer: LayerDetections, From: from, To: to} }
	Y, P := inc(p.From, p.To), inc(p.PrevFrom, p.PrevTo)

	// Key figures.
	total, totalP := d.Count(Y), d.Count(P)
	byCrime, byCrimeP := d.By(Y, DimCrime, crimeNames[:]), d.By(P, DimCrime, crimeNames[:])
	three, threeP := withCrime(Y, ThreeCrimes), withCrime(P, ThreeCrimes)
	threeN, threePN := d.Count(three), d.Count(threeP)
	ser, serP := Y, P
	ser.Serious, serP.Serious = "yes", "yes"
	night, nightP := three, threeP
	night.Hours, nightP.Hours = "20-05", "20-05"
	dets, detsP := d.Count(det(p.From, p.To)), d.Count(det(p.PrevFrom, p.PrevTo))
	detThree, detThreeP := d.Count(withCrime(det(p.From, p.To), ThreeCrimes)), d.Count(withCrime(det(p.PrevFrom, p.PrevTo), ThreeCrimes))
	key := &Table{Head: []string{"Indicator", p.Name, p.PrevName, "Change"}, Widths: []float64{4, 1, 1, 1},
		Numeric: []bool{false, true, true, true}}
	row := func(label string, now, was *Figure) {
		key.Rows = append(key.Rows, []Cell{text(label), fig(now), fig(was), change(now, was)})
	}
	row("Incidents", total, totalP)
	row("Incidents of the three crime types", threeN, threePN)
	for _, c := range AllCrimes {
		row("  "+c.Label(), byCrime[c.String()], byCrimeP[c.String()])
	}
	row("Incidents of impact high or very high", d.Count(ser), d.Count(serP))
	row("Incidents of the three crime types at night (20:00–05:59 UTC)", d.Count(night), d.Count(nightP))
	row("Detections in the events layer", dets, detsP)
	row("Detections scored for one of the three crime types", detThree, detThreeP)

	doc.h1("Summary")
	doc.para("%s incidents of human trafficking, human smuggling and illicit goods were recorded in %s (%s in %s, %s), "+
		"out of %s incidents in all; the events layer holds %s detections.",
		Num(threeN.Value), p.Name, Num(threePN.Value), p.PrevName, Change(threeN.Value, threePN.Value),
		Num(total.Value), Num(dets.Value))
	doc.table(key, "Key figures. Every number is a count of records for a query the annex lists; changes are computed from the two counts beside them.")
	doc.h2("Top indicators")
	doc.list(a.topLines(byCrime, byCrimeP))
	doc.table(a.topChanges(), "The largest changes on "+p.PrevName+" among crime types by section, routes between states and detection types (at least 10 records in one of the years).")

	// By crime type and month.
	doc.h1("By crime type and month")
	ms, msP := months(p.From, p.To), months(p.PrevFrom, p.PrevTo)
	perMonth := map[Crime]map[string]*Figure{}
	for _, c := range Crimes {
		perMonth[c] = d.By(withCrime(Y, c.String()), DimMonth, ms)
	}
	threeMonth, threeMonthP := d.By(three, DimMonth, ms), d.By(threeP, DimMonth, msP)
	labels := monthLabels(ms)
	chart := barChart{Title: "Incidents per month, " + p.Name + ", and the three together in " + p.PrevName, Categories: labels, Stacked: true}
	for _, c := range Crimes {
		chart.Series = append(chart.Series, series{Name: c.Label(), Color: crimeColors[c], Values: values(perMonth[c], ms)})
	}
	chart.Line = &series{Name: "all three, " + p.PrevName, Color: "#333333", Values: values(threeMonthP, msP)}
	doc.graphic(chart.graphic(), "Incidents of each crime type by month of detection (UTC), stacked; the line is the three together the year before.")
	mt := &Table{Head: []string{"Month", "Trafficking", "Smuggling", "Illicit goods", "All three", "All three " + p.PrevName, "Change"},
		Widths: []float64{1.4, 1, 1, 1, 1, 1.2, 1}, Numeric: []bool{false, true, true, true, true, true, true}}
	for i, m := range ms {
		mt.Rows = append(mt.Rows, []Cell{text(labels[i] + " " + m[:4]), fig(perMonth[HumanTrafficking][m]), fig(perMonth[HumanSmuggling][m]),
			fig(perMonth[IllicitGoods][m]), fig(threeMonth[m]), fig(threeMonthP[msP[i]]), change(threeMonth[m], threeMonthP[msP[i]])})
	}
	doc.table(mt, "")

	// By border section.
	doc.h1("By border section")
	doc.para("Each incident counts in the border section that holds its position (the first by ID where sections overlap); "+
		"%s incidents lay outside every section, in the pre-frontier area.", Num(d.Count(withSection(Y, NoSection)).Value))
	doc.table(sectionTable(a.Sections, p), "Incidents by border section; serious: impact high or very high; per month: serious incidents per 30 days; "+
		"level: the section's impact level at the end of the year, and the one the figures suggest (see Impact levels).")
	doc.graphic(d.sectionMap("Border sections: incidents in "+p.Name+", coloured by the level the figures suggest", a.Sections), "")

	// Routes.
	doc.h1("Routes")
	doc.para("A route runs from where a craft's track begins (the first state of its history around the detection) to where it landed " +
		"(a go-fast's computed landfall) or was last seen, each end rounded to a cell of 0.2° and named by the state whose territorial " +
		"waters, land included, hold it.")
	doc.table(a.routeTable(a.routes, 15), "The busiest routes of "+p.Name+".")
	doc.graphic(d.routeMap("The busiest routes of "+p.Name, a.routes[:min(15, len(a.routes))]), "Arrows from first to last position, as wide as their counts, coloured by their main crime type.")
	doc.table(a.routeTable(a.pairs, 12), "Routes by the states they leave from and reach.")

	// Hotspots.
	doc.pageBreak()
	doc.h1("Hotspots")
	doc.para("The area is cut into cells of %g° (about %.0f km). A cell is a hotspot of a crime type when its Getis–Ord Gi* z-score — "+
		"its count and its eight neighbours' against the whole area's — is at least %.2f and it holds at least %d incidents; "+
		"neighbouring hotspot cells make one hotspot.", d.Grid, d.Grid*111.2, HotZ, HotMin)
	for _, c := range Crimes {
		doc.graphic(d.hotspotMap(fmt.Sprintf("%s: incidents per cell and hotspots, %s", c.Label(), p.Name), a.Cells[c], a.Hotspots[c], c), "")
	}
	doc.table(hotspotTable(a.Hotspots, d.Grid, p, 5), "Incident hotspots, the five largest of each crime type; share: of the crime type's incidents in the area.")
	doc.h2("Suspicious behaviour")
	doc.para("Detections count for the threat their risk assessment scored highest (at least %.1f), or else by their type as incidents do.", MinThreat)
	doc.table(hotspotTable(a.Behaviour, d.Grid, p, 3), "Hotspots of detections (suspicious behaviour) by threat, the three largest of each.")
	doc.h2("Common areas of interest")
	doc.para("Cells that are hotspots of two or more crime types at once: where the authorities fighting drugs and those fighting " +
		"the smuggling of people share an area of interest.")
	doc.graphic(d.commonMap("Common areas of interest, "+p.Name, a.threeCells(), a.Common), "")
	doc.table(commonTable(a.Common, d.Grid), "")

	// Time.
	doc.h1("Time of day and season")
	hs := hours()
	hc := barChart{Title: "Incidents by hour of detection (UTC), " + p.Name, Categories: hs, Stacked: true, LabelEvery: 2}
	tt := &Table{Head: []string{"Crime type", p.Name, "At night", "Share", "Busiest hour", "Busiest month", "Q1", "Q2", "Q3", "Q4"},
		Widths: []float64{1.8, 1, 1, 0.8, 1, 1.1, 0.8, 0.8, 0.8, 0.8}, Numeric: []bool{false, true, true, true, false, false, true, true, true, true}}
	for _, c := range Crimes {
		q := withCrime(Y, c.String())
		byHour := d.By(q, DimHour, hs)
		hc.Series = append(hc.Series, series{Name: c.Label(), Color: crimeColors[c], Values: values(byHour, hs)})
		n := byCrime[c.String()]
		nq := q
		nq.Hours = "20-05"
		nn := d.Count(nq)
		row := []Cell{text(c.Label()), fig(n), fig(nn), text(Share(nn.Value, n.Value)),
			text(busiest(byHour, hs, func(s string) string { return s + ":00" })),
			text(busiest(perMonth[c], ms, func(s string) string { return monthAbbr[monthIndex(s)] }))}
		for qi := range 4 {
			qq := q
			qq.From, qq.To = p.From.AddDate(0, 3*qi, 0), p.From.AddDate(0, 3*qi+3, 0)
			row = append(row, fig(d.Count(qq)))
		}
		tt.Rows = append(tt.Rows, row)
	}
	doc.graphic(hc.graphic(), "")
	doc.table(tt, "At night: 20:00–05:59 UTC. Quarters of "+p.Name+".")
	for _, c := range Crimes {
		prev := d.By(withCrime(P, c.String()), DimMonth, msP)
		sc := barChart{Title: c.Label() + ": " + p.Name + " against " + p.PrevName + ", by month", Categories: labels, W: 720, H: 200,
			Series: []series{{Name: p.PrevName, Color: "#bbbbbb", Values: values(prev, msP)},
				{Name: p.Name, Color: crimeColors[c], Values: values(perMonth[c], ms)}}}
		doc.graphic(sc.graphic(), "")
	}

	// Impact levels.
	doc.h1("Impact levels of the border sections")
	doc.para("The figures suggest a level from the serious incidents (impact high or very high) a section had per 30 days: medium from %g, "+
		"high from %g, critical from %g. A lower level than the section's is suggested only when the year before was below the "+
		"section's level too.", d.Levels.Medium, d.Levels.High, d.Levels.Critical)
	var changes []string
	for i := range a.Sections {
		if s := &a.Sections[i]; s.Change {
			changes = append(changes, levelLine(s, p))
		}
	}
	if len(changes) == 0 {
		changes = []string{"The figures suggest no change of level."}
	}
	doc.list(changes)

	// Joint operations.
	doc.h1("Where joint operations look needed")
	doc.para("A section is listed when the figures give at least one reason below, and a joint operation looks needed when they give two: " +
		"two or more crime types in the same waters (each a tenth or more of the section's crime incidents, five or more); a quarter or more " +
		"of the craft with a known route coming from another state's coast; a suggested level of high or critical; serious incidents up " +
		"by a quarter or more.")
	var joint []string
	for _, j := range a.Joint {
		verdict := "worth watching"
		if j.Needed() {
			verdict = "joint operation looks needed"
		}
		joint = append(joint, fmt.Sprintf("%s (%s) — %s: %s.", j.Section.Section.ID, j.Section.Section.Name, verdict, strings.Join(j.Reasons, "; ")))
	}
	if len(joint) == 0 {
		joint = []string{"No section gives a reason."}
	}
	doc.list(joint)

	// Products.
	doc.h1("Risk-analysis products")
	prods := Products(a)
	doc.para("The analysis makes %d products for the analysis layer of the picture (PUT /api/risk-products/{id}; pharos report risk sends them):", len(prods))
	var pl []string
	for _, pr := range prods {
		pl = append(pl, fmt.Sprintf("%s — %s (%s)", pr.ID, pr.Title, pr.Level))
	}
	doc.list(pl[:min(len(pl), 30)])
	if len(pl) > 30 {
		doc.para("… and %d more.", len(pl)-30)
	}

	method(doc, d)
	doc.Meta = meta(d, p, node, source) // now that every figure is made
	return doc
}

// plural writes a count of things.
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return Num(n) + " " + thing + "s"
}

func withCrime(q Query, c string) Query   { q.Crime = c; return q }
func withSection(q Query, s string) Query { q.Section = s; return q }
func monthIndex(m string) int             { t, _ := time.Parse("2006-01", m); return int(t.Month()) - 1 }
func values(f map[string]*Figure, keys []string) []float64 {
	out := make([]float64, len(keys))
	for i, k := range keys {
		out[i] = float64(f[k].Value)
	}
	return out
}

func monthLabels(ms []string) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = monthAbbr[monthIndex(m)]
	}
	return out
}

// busiest names the key of the largest figure, or "–".
func busiest(f map[string]*Figure, keys []string, name func(string) string) string {
	best, bk := 0, ""
	for _, k := range keys {
		if f[k].Value > best {
			best, bk = f[k].Value, k
		}
	}
	if bk == "" {
		return "–"
	}
	return name(bk)
}

// threeCells are the incidents a cell of the three crime types together.
func (a *Analysis) threeCells() map[[2]int32]*Figure {
	out := map[[2]int32]*Figure{}
	q := Query{Layer: LayerIncidents, From: a.Period.From, To: a.Period.To, Crime: ThreeCrimes}
	for k, f := range a.Data.By(q, DimCell, nil) {
		out[parseCell(k)] = f
	}
	return out
}

func meta(d *Data, p Period, node, source string) [][2]string {
	m := [][2]string{
		{"Originator and owner", node},
		{"Period", fmt.Sprintf("%s to %s (UTC), compared with %s to %s", p.From.Format("2 January 2006"),
			p.To.Add(-time.Second).Format("2 January 2006"), p.PrevFrom.Format("2 January 2006"), p.PrevTo.Add(-time.Second).Format("2 January 2006"))},
		{"Data", fmt.Sprintf("%s; latest record %s", source, d.Latest.Format("2006-01-02 15:04 UTC"))},
		{"Area", areaName(d)},
		{"Confidence", "Counts of the incidents and detections the node recorded, open, validated and closed alike; " +
			"crime types from categories and titles (see Method)."},
		{"Figures", fmt.Sprintf("%s, every one in the annex CSV with the query that counts it", Num(d.figs.Len()))},
	}
	return m
}

func areaName(d *Data) string {
	b := d.Extent
	s := fmt.Sprintf("%s to %s", latLonName2(b.South, b.West), latLonName2(b.North, b.East))
	if d.Area == nil {
		s += " (the maps' extent; all records counted)"
	}
	if n := len(d.Sections); n > 0 {
		ids := make([]string, n)
		for i, sec := range d.Sections {
			ids[i] = sec.ID
		}
		s += fmt.Sprintf("; %d border sections: %s", n, strings.Join(ids, ", "))
	}
	return s
}

// topLines says the year's main facts in words.
func (a *Analysis) topLines(byCrime, byCrimeP map[string]*Figure) []string {
	d, p := a.Data, a.Period
	var out []string
	for _, c := range Crimes {
		n, w := byCrime[c.String()], byCrimeP[c.String()]
		out = append(out, fmt.Sprintf("%s: %s incidents (%s in %s, %s).", c.Label(), Num(n.Value), Num(w.Value), p.PrevName, Change(n.Value, w.Value)))
	}
	if len(a.Sections) > 0 {
		best := &a.Sections[0]
		for i := range a.Sections {
			if a.Sections[i].Incidents.Value > best.Incidents.Value {
				best = &a.Sections[i]
			}
		}
		out = append(out, fmt.Sprintf("Busiest border section: %s (%s), %s incidents, %s serious (%s).", best.Section.ID, best.Section.Name,
			Num(best.Incidents.Value), Num(best.Serious.Value), Change(best.Serious.Value, best.SeriousBefore.Value)))
	}
	if len(a.pairs) > 0 {
		r := a.pairs[0]
		out = append(out, fmt.Sprintf("Main route: %s, %s craft (%s).", strings.ReplaceAll(r.route.Pair, " > ", " → "), Num(r.now.Value), Change(r.now.Value, r.was.Value)))
	}
	for _, c := range Crimes {
		if hs := a.Hotspots[c]; len(hs) > 0 {
			h := hs[0]
			out = append(out, fmt.Sprintf("Largest %s hotspot: around %s, %s incidents in %s (%s of the type).",
				strings.ToLower(c.Label()), cellName(h.Peak, d.Grid), Num(h.Count.Value), plural(len(h.Cells), "cell"), Share(h.Count.Value, h.Total.Value)))
		}
	}
	if n := len(a.Common); n > 0 {
		out = append(out, fmt.Sprintf("%s of interest, where two crime types or more have hotspots at once.", plural(n, "common area")))
	}
	needed := 0
	for _, j := range a.Joint {
		if j.Needed() {
			needed++
		}
	}
	out = append(out, fmt.Sprintf("Joint operations look needed in %s.", plural(needed, "border section")))
	return out
}

// topChanges are the largest changes on the year before.
func (a *Analysis) topChanges() *Table {
	d, p := a.Data, a.Period
	type cand struct {
		label    string
		now, was *Figure
	}
	var cands []cand
	for i := range a.Sections {
		s := &a.Sections[i]
		for _, c := range Crimes {
			cands = append(cands, cand{fmt.Sprintf("%s in %s", c.Label(), s.Section.ID), s.ByCrime[c], s.ByCrimeBefore[c]})
		}
	}
	for _, r := range a.pairs {
		cands = append(cands, cand{"Route " + strings.ReplaceAll(r.route.Pair, " > ", " → "), r.now, r.was})
	}
	now := d.By(Query{Layer: LayerDetections, From: p.From, To: p.To}, DimType, nil)
	types := slices.Sorted(maps.Keys(now))
	was := d.By(Query{Layer: LayerDetections, From: p.PrevFrom, To: p.PrevTo}, DimType, types)
	for _, t := range types {
		cands = append(cands, cand{"Detections " + t, now[t], was[t]})
	}
	cands = slices.DeleteFunc(cands, func(c cand) bool { return max(c.now.Value, c.was.Value) < 10 })
	slices.SortStableFunc(cands, func(x, y cand) int {
		dx, dy := math.Abs(float64(x.now.Value-x.was.Value)), math.Abs(float64(y.now.Value-y.was.Value))
		return cmp.Or(cmp.Compare(dy, dx), cmp.Compare(x.label, y.label))
	})
	t := &Table{Head: []string{"Indicator", p.Name, p.PrevName, "Change"}, Widths: []float64{4, 1, 1, 1}, Numeric: []bool{false, true, true, true}}
	for _, c := range cands[:min(10, len(cands))] {
		t.Rows = append(t.Rows, []Cell{text(c.label), fig(c.now), fig(c.was), change(c.now, c.was)})
	}
	return t
}

func sectionTable(secs []SectionFigures, p Period) *Table {
	t := &Table{Head: []string{"Section", "Incidents", p.PrevName, "Change", "Traffick.", "Smuggling", "Goods", "Serious", "Per month", "Level", "Suggested"},
		Widths:  []float64{1.5, 1, 0.9, 0.9, 0.9, 1, 0.8, 0.9, 0.9, 0.9, 1},
		Numeric: []bool{false, true, true, true, true, true, true, true, true, false, false}}
	for i := range secs {
		s := &secs[i]
		sug := text(s.Suggested.String())
		if s.Change {
			sug = bold(s.Suggested.String())
		}
		t.Rows = append(t.Rows, []Cell{text(s.Section.ID), fig(s.Incidents), fig(s.IncidentsBefore), change(s.Incidents, s.IncidentsBefore),
			fig(s.ByCrime[HumanTrafficking]), fig(s.ByCrime[HumanSmuggling]), fig(s.ByCrime[IllicitGoods]), fig(s.Serious),
			text(fmt.Sprintf("%.1f", s.Rate)), text(levelName(s.Section.Level)), sug})
	}
	return t
}

func levelName(l geo.AreaImpact) string {
	if l == geo.AreaImpactNone {
		return "none"
	}
	return l.String()
}

func (a *Analysis) routeTable(rows []routeRow, n int) *Table {
	p := a.Period
	t := &Table{Head: []string{"Route", p.Name, p.PrevName, "Change", "Traffick.", "Smuggling", "Goods"},
		Widths: []float64{4.2, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9}, Numeric: []bool{false, true, true, true, true, true, true}}
	for _, r := range rows[:min(n, len(rows))] {
		t.Rows = append(t.Rows, []Cell{text(strings.ReplaceAll(r.route.Key, " > ", " → ")), fig(r.now), fig(r.was), change(r.now, r.was),
			fig(r.byCrime[HumanTrafficking]), fig(r.byCrime[HumanSmuggling]), fig(r.byCrime[IllicitGoods])})
	}
	if len(rows) == 0 {
		t.Rows = append(t.Rows, []Cell{text("no incident with a track history or evidence")})
	}
	return t
}

func hotspotTable(spots map[Crime][]Hotspot, grid float64, p Period, n int) *Table {
	t := &Table{Head: []string{"", "Crime type", "Around", "Cells", p.Name, "Share", p.PrevName + " there", "Change", "Gi* max"},
		Widths:  []float64{0.5, 1.6, 2, 0.6, 0.9, 0.8, 1.1, 0.9, 0.8},
		Numeric: []bool{false, false, false, true, true, true, true, true, true}}
	for _, c := range Crimes {
		for i, h := range spots[c][:min(n, len(spots[c]))] {
			t.Rows = append(t.Rows, []Cell{text(fmt.Sprintf("H%d", i+1)), text(c.Label()), text(cellName(h.Peak, grid)), text(fmt.Sprint(len(h.Cells))),
				fig(h.Count), text(Share(h.Count.Value, h.Total.Value)), fig(h.Before), change(h.Count, h.Before), text(fmt.Sprintf("%.1f", h.Z))})
		}
	}
	if len(t.Rows) == 0 {
		t.Rows = append(t.Rows, []Cell{text(""), text("no hotspot")})
	}
	return t
}

func commonTable(areas []CommonArea, grid float64) *Table {
	t := &Table{Head: []string{"", "Around", "Cells", "Traffick.", "Smuggling", "Goods"},
		Widths: []float64{0.5, 2.5, 0.8, 1, 1, 1}, Numeric: []bool{false, false, true, true, true, true}}
	for i, a := range areas {
		row := []Cell{text(fmt.Sprintf("A%d", i+1)), text(cellName(a.Cells[0], grid)), text(fmt.Sprint(len(a.Cells)))}
		for _, c := range Crimes {
			if f := a.Counts[c]; f != nil {
				row = append(row, fig(f))
			} else {
				row = append(row, text("–"))
			}
		}
		t.Rows = append(t.Rows, row)
	}
	if len(areas) == 0 {
		t.Rows = append(t.Rows, []Cell{text(""), text("no cell is a hotspot of two crime types")})
	}
	return t
}

// levelLine gives a suggested change of level with its evidence.
func levelLine(s *SectionFigures, p Period) string {
	verb := "raise"
	if s.Suggested < s.Section.Level {
		verb = "lower"
	}
	var mix []string
	for _, c := range Crimes {
		if n := s.ByCrime[c].Value; n > 0 {
			mix = append(mix, fmt.Sprintf("%s %s", strings.ToLower(c.Label()), Num(n)))
		}
	}
	line := fmt.Sprintf("%s (%s): %s from %s to %s — %s serious incidents in %s, %.1f per month (%.1f in %s); %s incidents in all (%s)",
		s.Section.ID, s.Section.Name, verb, levelName(s.Section.Level), s.Suggested, Num(s.Serious.Value), p.Name, s.Rate, s.RateBefore, p.PrevName,
		Num(s.Incidents.Value), Change(s.Incidents.Value, s.IncidentsBefore.Value))
	if len(mix) > 0 {
		line += "; " + strings.Join(mix, ", ")
	}
	if len(s.Worst) > 0 {
		line += "; e.g. " + strings.Join(s.Worst, ", ")
	}
	return line + ". Reaction at " + s.Suggested.String() + ": " + picture.Reaction(s.Suggested) + "."
}

// method says how everything was counted.
func method(doc *Doc, d *Data) {
	doc.h1("Method")
	doc.list([]string{
		"Incidents are counted by the time they were detected, detections by the time they started, in UTC; a period runs from its first instant to its last.",
		"Crime types come from an incident's EUROSUR category and title (a detection's type when it opened the incident): a title naming trafficking " +
			"in human beings makes human trafficking; one naming drugs, hashish, cocaine, tobacco, cigarettes, fuel smuggling, weapons or contraband " +
			"makes illicit goods; one naming migrants or people smuggling makes human smuggling; then go-fast runs and transhipments at sea count as " +
			"illicit goods, boats in distress and unauthorised border crossings as human smuggling, other cross-border crime (illegal fishing, " +
			"pollution) as other, and the rest as no cross-border crime.",
		"Border sections: the node's sections with their geometry; an incident counts in the first section, by ID, that holds its position.",
		fmt.Sprintf("Hotspots: cells of %g°; Getis–Ord Gi* with the cell and its eight neighbours, against every sea cell of the maps' extent; "+
			"hot at z ≥ %.2f with %d incidents or more.", d.Grid, HotZ, HotMin),
		"Routes: from the first state of the track history of an incident's first detection (12 hours either side) to a go-fast's landfall or the " +
			"last state; ends rounded to 0.2° and named by the state whose territorial waters (OpenStreetMap) hold them.",
		"Changes are (this period − the one before) / the one before; \"new\" when there was none before.",
		"Maps: land from Natural Earth (1:10 million, embedded); territorial waters © OpenStreetMap contributors (ODbL).",
	})
}
