package report

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
)

// Box is a rectangle of latitude and longitude, degrees.
type Box struct{ South, West, North, East float64 }

// Contains reports whether the point is in the box.
func (b Box) Contains(lat, lon float64) bool {
	return lat >= b.South && lat <= b.North && lon >= b.West && lon <= b.East
}

// String writes the box as south,west,north,east.
func (b Box) String() string {
	return fmt.Sprintf("%g,%g,%g,%g", b.South, b.West, b.North, b.East)
}

// ParseBox reads south,west,north,east in degrees.
func ParseBox(s string) (Box, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return Box{}, fmt.Errorf("box %q: want south,west,north,east", s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return Box{}, fmt.Errorf("box %q: %w", s, err)
		}
		v[i] = f
	}
	b := Box{v[0], v[1], v[2], v[3]}
	if !(b.South < b.North && b.West < b.East && b.South >= -90 && b.North <= 90 && b.West >= -180 && b.East <= 180) { // NaN too
		return Box{}, fmt.Errorf("box %q: want south < north and west < east, in degrees", s)
	}
	return b, nil
}

// Options say what data to load and how to look at it.
type Options struct {
	// From and To bound the records loaded, [From, To): the period
	// reported on and those it is compared with.
	From, To time.Time
	// Area, when set, keeps only the records inside it.
	Area *Box
	// Sections are the border sections (areas of kind border_section;
	// others are ignored), with their geometry.
	Sections []geo.Area
	// Waters are the territorial waters, which name the states routes
	// leave from and land in (geo.LoadTerritorialWaters).
	Waters *geo.Areas
	// Land is the coastline the maps draw; nil draws none.
	Land *geo.Land
	// Grid is the side of the hotspot grid's cells in degrees; default
	// DefaultGrid.
	Grid float64
	// Levels are the rule for suggesting sections' impact levels.
	Levels Levels
	// Node names the node the report comes from (its originator).
	Node string
}

// DefaultGrid is the hotspot grid's cell, in degrees (about 11 km).
const DefaultGrid = 0.1

// RouteGrid is the cell, in degrees, to which the ends of routes are
// rounded: craft leaving from beaches 10 km apart take one route.
const RouteGrid = 0.2

// rec is a record (an incident or a detection) with what figures count
// it by.
type rec struct {
	t        int64 // Unix nanoseconds of detection or start
	hour     int8
	crime    Crime
	serious  bool
	section  int16 // index into Data.Sections; -1 outside them all
	row, col int32 // hotspot cell
	typ      int32 // index into Data.types
	route    int32 // index into Data.Routes; -1 none
	lat, lon float64
	idx      int32 // index into Data.incidents (incidents only)
}

// Data is what a report stands on: the records of a span of time with
// what they are counted by, the border sections, and the figures made so
// far.
type Data struct {
	Options
	// Sections are the border sections, by ID, with their levels.
	Sections []Section
	// Routes are the routes incidents took, by key.
	Routes []Route
	// Extent is the box the maps show.
	Extent Box
	// Latest is the time of the latest record loaded.
	Latest time.Time

	inc, det  []rec
	incidents []picture.Incident
	types     []string
	typeIdx   map[string]int32
	routeIdx  map[string]int32
	pairs     []string
	pairIdx   map[string]int32
	routePair []int32 // route index → pair index
	routeN    []int   // incidents by route, while loading
	secAreas  *geo.Areas
	study     map[[2]int32]bool // the cells Gi* compares with
	land      [][][2]float64    // the coastline of the maps, traced once

	figs Figures
}

// Section is a border section as the report sees it: its geometry and
// its impact level at the end of the span loaded.
type Section struct {
	geo.Area
	Level   geo.AreaImpact
	History []picture.SectionChange
}

// Load reads the records of [opt.From, opt.To) from a source and works
// out what each is counted by: its crime type, border section, hotspot
// cell, hour and, for incidents, route.
func Load(ctx context.Context, src Source, opt Options) (*Data, error) {
	if !opt.From.Before(opt.To) {
		return nil, fmt.Errorf("%w: empty period %s to %s", ErrOptions, opt.From.Format(time.RFC3339), opt.To.Format(time.RFC3339))
	}
	if opt.Grid <= 0 {
		opt.Grid = DefaultGrid
	}
	if opt.Levels == (Levels{}) {
		opt.Levels = DefaultLevels
	}
	d := &Data{Options: opt, typeIdx: map[string]int32{}, routeIdx: map[string]int32{}, pairIdx: map[string]int32{}}
	if err := d.loadSections(ctx, src); err != nil {
		return nil, err
	}
	// The two reads are independent: a store decodes each on a core.
	var (
		incidents []picture.Incident
		incErr    error
		wg        sync.WaitGroup
	)
	wg.Go(func() { incidents, incErr = src.Incidents(ctx) })
	dets, err := src.Detections(ctx, opt.From)
	wg.Wait()
	if incErr != nil {
		return nil, fmt.Errorf("read incidents: %w", incErr)
	}
	if err != nil {
		return nil, fmt.Errorf("read detections: %w", err)
	}
	from, to := opt.From.UnixNano(), opt.To.UnixNano()
	keep := func(t time.Time, lat, lon float64) bool {
		ns := t.UnixNano()
		return ns >= from && ns < to && (opt.Area == nil || opt.Area.Contains(lat, lon))
	}
	for i := range incidents {
		in := &incidents[i]
		if keep(in.Detected, in.Lat, in.Lon) {
			d.incidents = append(d.incidents, *in)
		}
	}
	slices.SortStableFunc(d.incidents, func(a, b picture.Incident) int {
		return cmp.Or(a.Detected.Compare(b.Detected), cmp.Compare(a.ID, b.ID))
	})
	byID := map[string]*model.Event{}
	for i := range dets {
		ev := &dets[i]
		byID[ev.ID] = ev
		if !keep(ev.Start, ev.Lat, ev.Lon) {
			continue
		}
		d.det = append(d.det, d.record(ev.Start, ev.Lat, ev.Lon, DetectionCrime(ev), ev.Impact, ev.Type))
	}
	slices.SortStableFunc(d.det, func(a, b rec) int { return cmp.Compare(a.t, b.t) })
	routes, err := d.routesOf(ctx, src, byID)
	if err != nil {
		return nil, err
	}
	d.inc = make([]rec, len(d.incidents))
	for i := range d.incidents {
		in := &d.incidents[i]
		r := d.record(in.Detected, in.Lat, in.Lon, CrimeOf(in.Category, in.Title), in.Impact, in.Title)
		r.idx = int32(i)
		r.route = -1
		if rt, ok := routes[i]; ok {
			r.route = d.addRoute(rt)
		}
		d.inc[i] = r
	}
	for _, list := range [][]rec{d.inc, d.det} {
		if n := len(list); n > 0 {
			if t := time.Unix(0, list[n-1].t).UTC(); t.After(d.Latest) {
				d.Latest = t
			}
		}
	}
	d.sortRoutes()
	d.Extent = d.extent()
	return d, nil
}

// record works out what a record is counted by.
func (d *Data) record(t time.Time, lat, lon float64, c Crime, impact model.ImpactLevel, typ string) rec {
	r := rec{t: t.UnixNano(), hour: int8(t.UTC().Hour()), crime: c, serious: impact >= model.ImpactHigh,
		section: -1, lat: lat, lon: lon}
	r.row, r.col = CellOf(lat, lon, d.Grid)
	if i, ok := d.secAreas.InKind(lat, lon, geo.KindBorderSection); ok {
		r.section = int16(i)
	}
	ti, ok := d.typeIdx[typ]
	if !ok {
		ti = int32(len(d.types))
		d.types = append(d.types, typ)
		d.typeIdx[typ] = ti
	}
	r.typ = ti
	return r
}

// CellOf returns the hotspot cell of a point on a grid of side grid
// degrees: row floor(lat/grid + 1e-9), column floor(lon/grid + 1e-9).
// The 1e-9 keeps a point on a line of the grid, such as 36.4° on a grid
// of 0.2° (36.4/0.2 = 181.99999999999997 in floating point), in the cell
// that begins there.
func CellOf(lat, lon, grid float64) (row, col int32) {
	return int32(gridFloor(lat, grid)), int32(gridFloor(lon, grid))
}

func gridFloor(v, grid float64) float64 { return math.Floor(v/grid + 1e-9) }

// CellKey names a cell in a Query.
func CellKey(row, col int32) string { return fmt.Sprintf("%d:%d", row, col) }

// loadSections keeps the border sections of the options, by ID, with
// their level at the end of the span: the store's when it has the
// section, else the areas'.
func (d *Data) loadSections(ctx context.Context, src Source) error {
	kept, err := src.Sections(ctx)
	if err != nil {
		return fmt.Errorf("read sections: %w", err)
	}
	byID := map[string]picture.Section{}
	for _, s := range kept {
		byID[s.ID] = s
	}
	var areas []geo.Area
	for _, a := range d.Options.Sections {
		if a.Kind != geo.KindBorderSection {
			continue
		}
		s := Section{Area: a, Level: a.Impact}
		if k, ok := byID[a.ID]; ok {
			s.History = k.History
			s.Level = LevelAt(k, d.To)
		}
		d.Sections = append(d.Sections, s)
	}
	slices.SortFunc(d.Sections, func(a, b Section) int { return cmp.Compare(a.ID, b.ID) })
	for _, s := range d.Sections {
		areas = append(areas, s.Area)
	}
	d.secAreas = geo.NewAreas(areas)
	return nil
}

// LevelAt is a section's impact level just before at, from its history.
func LevelAt(s picture.Section, at time.Time) geo.AreaImpact {
	level := s.Level
	for i := len(s.History) - 1; i >= 0; i-- {
		if !s.History[i].Time.Before(at) {
			level = s.History[i].From
		}
	}
	return level
}

// SectionOf returns the ID of the border section that holds a point (the
// first by ID where sections overlap), or NoSection.
func (d *Data) SectionOf(lat, lon float64) string {
	if i, ok := d.secAreas.InKind(lat, lon, geo.KindBorderSection); ok {
		return d.Sections[i].ID
	}
	return NoSection
}

// routesOf finds the route of every incident loaded, from the track
// history of its first detection's first track, on all cores.
func (d *Data) routesOf(ctx context.Context, src Source, byID map[string]*model.Event) (map[int]Route, error) {
	type job struct {
		i  int
		ev *model.Event
	}
	var jobs []job
	for i := range d.incidents {
		in := &d.incidents[i]
		if len(in.Events) == 0 {
			continue
		}
		if ev := byID[in.Events[0]]; ev != nil {
			jobs = append(jobs, job{i, ev})
		}
	}
	out := make([]Route, len(jobs))
	found := make([]bool, len(jobs))
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  int
	)
	workers := min(runtime.GOMAXPROCS(0), max(len(jobs), 1))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				k := next
				next++
				stop := first != nil
				mu.Unlock()
				if k >= len(jobs) || stop {
					return
				}
				ev := jobs[k].ev
				var hist []model.TrackState
				if len(ev.TrackIDs) > 0 {
					end := ev.End
					if end.IsZero() {
						end = ev.Start
					}
					h, err := src.TrackHistory(ctx, ev.TrackIDs[0], ev.Start.Add(-RouteWindow), end.Add(RouteWindow))
					if err != nil {
						mu.Lock()
						first = cmp.Or(first, fmt.Errorf("track history of %s: %w", ev.ID, err))
						mu.Unlock()
						return
					}
					hist = h
				}
				out[k], found[k] = RouteOf(hist, ev, d.Waters)
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	routes := map[int]Route{}
	for k, j := range jobs {
		if found[k] {
			routes[j.i] = out[k]
		}
	}
	return routes, nil
}

func (d *Data) addRoute(r Route) int32 {
	if i, ok := d.routeIdx[r.Key]; ok {
		// Sum the ends; sortRoutes makes them means.
		rt := &d.Routes[i]
		rt.Start = [2]float64{rt.Start[0] + r.Start[0], rt.Start[1] + r.Start[1]}
		rt.End = [2]float64{rt.End[0] + r.End[0], rt.End[1] + r.End[1]}
		d.routeN[i]++
		return i
	}
	i := int32(len(d.Routes))
	d.Routes = append(d.Routes, r)
	d.routeN = append(d.routeN, 1)
	d.routeIdx[r.Key] = i
	p, ok := d.pairIdx[r.Pair]
	if !ok {
		p = int32(len(d.pairs))
		d.pairs = append(d.pairs, r.Pair)
		d.pairIdx[r.Pair] = p
	}
	d.routePair = append(d.routePair, p)
	return i
}

// sortRoutes orders the routes by key, for output that does not depend
// on the order incidents came in.
func (d *Data) sortRoutes() {
	order := make([]int32, len(d.Routes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(d.Routes[a].Key, d.Routes[b].Key) })
	newIdx := make([]int32, len(order))
	routes := make([]Route, len(order))
	pair := make([]int32, len(order))
	for n, o := range order {
		newIdx[o] = int32(n)
		routes[n] = d.Routes[o]
		k := float64(d.routeN[o])
		routes[n].Start = [2]float64{routes[n].Start[0] / k, routes[n].Start[1] / k}
		routes[n].End = [2]float64{routes[n].End[0] / k, routes[n].End[1] / k}
		pair[n] = d.routePair[o]
		d.routeIdx[d.Routes[o].Key] = int32(n)
	}
	d.Routes, d.routePair, d.routeN = routes, pair, nil
	for i := range d.inc {
		if d.inc[i].route >= 0 {
			d.inc[i].route = newIdx[d.inc[i].route]
		}
	}
}

// extent is the box the maps show: the border sections and the middle
// 98 % of the incidents, with a margin.
func (d *Data) extent() Box {
	if d.Area != nil {
		return *d.Area
	}
	b := Box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	grow := func(lat, lon float64) {
		b = Box{min(b.South, lat), min(b.West, lon), max(b.North, lat), max(b.East, lon)}
	}
	var lats, lons []float64
	for _, r := range d.inc {
		lats, lons = append(lats, r.lat), append(lons, r.lon)
		if r.route >= 0 {
			rt := &d.Routes[r.route]
			lats, lons = append(lats, rt.Start[0], rt.End[0]), append(lons, rt.Start[1], rt.End[1])
		}
	}
	if len(lats) == 0 {
		for _, r := range d.det {
			lats, lons = append(lats, r.lat), append(lons, r.lon)
		}
	}
	if n := len(lats); n > 0 {
		slices.Sort(lats)
		slices.Sort(lons)
		lo, hi := n/100, n-1-n/100
		grow(lats[lo], lons[lo])
		grow(lats[hi], lons[hi])
	}
	if math.IsInf(b.South, 1) {
		for _, s := range d.Sections {
			for _, p := range s.Polygons {
				for _, pt := range p[0] {
					grow(pt[1], pt[0])
				}
			}
		}
	}
	if math.IsInf(b.South, 1) {
		return Box{-1, -1, 1, 1}
	}
	// A margin of a tenth, at least 0.2°, and the shape of a page.
	mlat := max((b.North-b.South)*0.1, 0.2)
	mlon := max((b.East-b.West)*0.1, 0.2)
	b = Box{b.South - mlat, b.West - mlon, b.North + mlat, b.East + mlon}
	k := math.Cos((b.South + b.North) / 2 * math.Pi / 180)
	w, h := (b.East-b.West)*k, b.North-b.South
	if w < 1.4*h { // widen to at least 1.4:1
		extra := (1.4*h - w) / k / 2
		b.West, b.East = b.West-extra, b.East+extra
	} else if w > 2.2*h {
		extra := (w/2.2 - h) / 2
		b.South, b.North = b.South-extra, b.North+extra
	}
	return b
}

// Dim is a dimension a count is broken down by.
type Dim uint8

// Dimensions of a breakdown.
const (
	DimCrime Dim = iota
	DimType
	DimSection
	DimMonth
	DimDay
	DimHour
	DimCell
	DimRoute
	DimPair
)

// matcher is a Query compiled against the data.
type matcher struct {
	from, to int64
	crime    int // -1 any, -2 the three of the report
	typ      int32
	serious  bool
	section  int // -2 any, -1 outside
	hours    *[24]bool
	cells    map[[2]int32]bool
	route    int32  // -1 any
	pair     int32  // -1 any
	dep      []bool // by route: left from the state asked for; nil any
	none     bool   // a condition nothing can meet
}

func (d *Data) compile(q Query) matcher {
	m := matcher{from: q.From.UnixNano(), to: q.To.UnixNano(), crime: -1, typ: -1, section: -2, route: -1, pair: -1}
	if q.Crime != "" {
		if q.Crime == ThreeCrimes {
			m.crime = -2
		} else if c, err := ParseCrime(q.Crime); err == nil {
			m.crime = int(c)
		} else {
			m.none = true
		}
	}
	if q.Type != "" {
		if i, ok := d.typeIdx[q.Type]; ok {
			m.typ = i
		} else {
			m.none = true
		}
	}
	m.serious = q.Serious == "yes"
	if q.Section != "" {
		m.section = -1
		if q.Section != NoSection {
			m.section = slices.IndexFunc(d.Sections, func(s Section) bool { return s.ID == q.Section })
			if m.section < 0 {
				m.none = true
			}
		}
	}
	if q.Hours != "" {
		var h [24]bool
		for i := range h {
			h[i] = HourIn(i, q.Hours)
		}
		m.hours = &h
	}
	if q.Cells != "" {
		if q.Grid != d.Grid {
			m.none = true
		}
		m.cells = map[[2]int32]bool{}
		for _, c := range strings.Fields(q.Cells) {
			a, b, _ := strings.Cut(c, ":")
			r, _ := strconv.Atoi(a)
			k, _ := strconv.Atoi(b)
			m.cells[[2]int32{int32(r), int32(k)}] = true
		}
	}
	if q.Route != "" {
		if q.RoutePair {
			if i, ok := d.pairIdx[q.Route]; ok {
				m.pair = i
			} else {
				m.none = true
			}
		} else if i, ok := d.routeIdx[q.Route]; ok {
			m.route = i
		} else {
			m.none = true
		}
	}
	if q.Departure != "" {
		m.dep = make([]bool, len(d.Routes))
		for i, r := range d.Routes {
			m.dep[i] = r.From.State == q.Departure
		}
	}
	return m
}

func (d *Data) match(m *matcher, r *rec) bool {
	switch {
	case m.crime == -2 && (r.crime < HumanTrafficking || r.crime > IllicitGoods):
		return false
	case m.crime >= 0 && int(r.crime) != m.crime:
		return false
	case m.typ >= 0 && r.typ != m.typ:
		return false
	case m.serious && !r.serious:
		return false
	case m.section >= -1 && int(r.section) != m.section:
		return false
	case m.hours != nil && !m.hours[r.hour]:
		return false
	case m.cells != nil && !m.cells[[2]int32{r.row, r.col}]:
		return false
	case m.route >= 0 && r.route != m.route:
		return false
	case m.pair >= 0 && (r.route < 0 || d.routePair[r.route] != m.pair):
		return false
	case m.dep != nil && (r.route < 0 || !m.dep[r.route]):
		return false
	}
	return true
}

// records returns the layer's records in [from, to).
func (d *Data) records(layer Layer, from, to int64) []rec {
	list := d.inc
	if layer == LayerDetections {
		list = d.det
	}
	i := sort.Search(len(list), func(i int) bool { return list[i].t >= from })
	j := sort.Search(len(list), func(i int) bool { return list[i].t >= to })
	return list[i:max(i, j)]
}

// Count makes the figure of a query.
func (d *Data) Count(q Query) *Figure {
	m := d.compile(q)
	n := 0
	if !m.none {
		for i, recs := 0, d.records(q.Layer, m.from, m.to); i < len(recs); i++ {
			if d.match(&m, &recs[i]) {
				n++
			}
		}
	}
	return d.figs.add(q, describe(q), n)
}

// By breaks a query's count down by a dimension and makes a figure of
// each value: of the values given (zeros included), or of every value
// met when values is nil. Month and day values are "2006-01" and
// "2006-01-02" and must lie in the query's period.
func (d *Data) By(q Query, dim Dim, values []string) map[string]*Figure {
	m := d.compile(q)
	counts := map[string]int{}
	if !m.none {
		recs := d.records(q.Layer, m.from, m.to)
		var buf []byte
		for i := range recs {
			r := &recs[i]
			if !d.match(&m, r) {
				continue
			}
			var k string
			switch dim {
			case DimCrime:
				k = r.crime.String()
			case DimType:
				k = d.types[r.typ]
			case DimSection:
				k = NoSection
				if r.section >= 0 {
					k = d.Sections[r.section].ID
				}
			case DimMonth:
				buf = time.Unix(0, r.t).UTC().AppendFormat(buf[:0], "2006-01")
				k = string(buf)
			case DimDay:
				buf = time.Unix(0, r.t).UTC().AppendFormat(buf[:0], "2006-01-02")
				k = string(buf)
			case DimHour:
				k = fmt.Sprintf("%02d", r.hour)
			case DimCell:
				k = CellKey(r.row, r.col)
			case DimRoute:
				if r.route < 0 {
					continue
				}
				k = d.Routes[r.route].Key
			case DimPair:
				if r.route < 0 {
					continue
				}
				k = d.pairs[d.routePair[r.route]]
			}
			counts[k]++
		}
	}
	if values == nil {
		for k := range counts {
			values = append(values, k)
		}
		slices.Sort(values)
	}
	out := make(map[string]*Figure, len(values))
	for _, v := range values {
		sub := q
		switch dim {
		case DimCrime:
			sub.Crime = v
		case DimType:
			sub.Type = v
		case DimSection:
			sub.Section = v
		case DimMonth:
			t, err := time.Parse("2006-01", v)
			if err != nil {
				panic(fmt.Sprintf("report: month %q: %v", v, err))
			}
			sub.From, sub.To = t, t.AddDate(0, 1, 0)
		case DimDay:
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				panic(fmt.Sprintf("report: day %q: %v", v, err))
			}
			sub.From, sub.To = t, t.AddDate(0, 0, 1)
		case DimHour:
			sub.Hours = v
		case DimCell:
			sub.Cells, sub.Grid = v, d.Grid
		case DimRoute:
			sub.Route = v
		case DimPair:
			sub.Route, sub.RoutePair = v, true
		}
		out[v] = d.figs.add(sub, describe(sub), counts[v])
	}
	return out
}

// Incidents is the number of incidents loaded.
func (d *Data) Incidents() int { return len(d.inc) }

// Detections is the number of detections loaded.
func (d *Data) Detections() int { return len(d.det) }

// Figures returns every figure made from the data so far.
func (d *Data) Figures() *Figures { return &d.figs }

// incident returns the incident a record stands for.
func (d *Data) incident(r *rec) *picture.Incident { return &d.incidents[r.idx] }

// describe writes a query for people, as the annex's label.
func describe(q Query) string {
	var parts []string
	parts = append(parts, string(q.Layer))
	parts = append(parts, periodName(q.From, q.To))
	if q.Crime == ThreeCrimes {
		parts = append(parts, "trafficking, smuggling and illicit goods")
	} else if q.Crime != "" {
		if c, err := ParseCrime(q.Crime); err == nil {
			parts = append(parts, strings.ToLower(c.Label()))
		}
	}
	if q.Type != "" {
		parts = append(parts, "type "+q.Type)
	}
	if q.Serious == "yes" {
		parts = append(parts, "impact high or very high")
	}
	if q.Section != "" {
		if q.Section == NoSection {
			parts = append(parts, "outside the border sections")
		} else {
			parts = append(parts, "section "+q.Section)
		}
	}
	if q.Hours != "" {
		parts = append(parts, "hours "+q.Hours+" UTC")
	}
	if q.Cells != "" {
		n := len(strings.Fields(q.Cells))
		if n == 1 {
			parts = append(parts, "cell "+q.Cells)
		} else {
			parts = append(parts, fmt.Sprintf("%d cells", n))
		}
	}
	if q.Route != "" {
		parts = append(parts, "route "+q.Route)
	}
	if q.Departure != "" {
		parts = append(parts, "routes from "+q.Departure)
	}
	return strings.Join(parts, ", ")
}

// periodName names [from, to) as a year, a month, a day or a span.
func periodName(from, to time.Time) string {
	from, to = from.UTC(), to.UTC()
	switch {
	case from.AddDate(1, 0, 0).Equal(to) && from.YearDay() == 1 && from.Hour() == 0:
		return from.Format("2006")
	case from.AddDate(0, 1, 0).Equal(to) && from.Day() == 1 && from.Hour() == 0:
		return from.Format("2006-01")
	case from.AddDate(0, 0, 1).Equal(to) && from.Hour() == 0:
		return from.Format("2006-01-02")
	}
	return from.Format("2006-01-02") + " to " + to.Add(-time.Nanosecond).Format("2006-01-02")
}
