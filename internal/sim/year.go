package sim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// YearOptions say which years Year simulates and how busy they are.
type YearOptions struct {
	// Year is the last calendar year simulated (UTC).
	Year int
	// Years is how many years end with Year; default 1. The annual
	// report compares a year with the one before, so two give it
	// something to compare with.
	Years int
	// Seed draws everything; default the scenario's.
	Seed uint64
	// Scale multiplies every rate; default 1 (a plausible year: about a
	// thousand incidents in the Strait of Gibraltar). A benchmark asks
	// for 100 to reach a hundred thousand.
	Scale float64
	// Land keeps departures, landings and routes off land; nil skips
	// those checks.
	Land Land
}

// YearEvent is one detection of a simulated year: what the detectors
// would have reported, the track of the craft as the node's history
// would hold it, and, when the detection became an incident, what the
// people of the coordination centre did with it.
type YearEvent struct {
	Detection model.Event
	// Track is the craft's track from where it was first seen to where it
	// landed, stopped or was lost: two to six states evenly spaced, at
	// most ten minutes apart or a fifth of a longer run — what a node's
	// history keeps, thinned.
	Track []model.TrackState
	// Incident is nil for a detection nobody opened an incident for.
	Incident *YearIncident
}

// YearIncident is what happened to a detection that became an incident.
type YearIncident struct {
	// Manual is set when an operator opened the incident (a detection
	// below high impact does not open one by itself); Category and Title
	// are then the operator's.
	Manual   bool
	Category string
	Title    string
	Impact   model.ImpactLevel
	// ReportAfter is how long after the detection the first report came
	// (EUROSUR asks within 24 hours for high and very high incidents; a
	// few are late); zero: none.
	ReportAfter time.Duration
	// Validated says an operator confirmed the incident.
	Validated bool
	// CloseAfter is how long after the detection the owner closed it;
	// zero: still open.
	CloseAfter time.Duration
}

// YearSummary counts what Year emitted.
type YearSummary struct {
	Detections, Incidents, TrackStates int
	ByType                             map[string]int
}

// pattern is a threat of the scenario as the year repeats it: where
// craft leave from, where they go, how often and when.
type pattern struct {
	kind   string // go_fast, crossing, rendezvous, ais_off, clone, loiter
	id     string
	route  []Point // departure … landing (go_fast, crossing); the path (ais_off, clone, loiter)
	alt    Point   // go_fast: a second landing the runs move to over the years
	hasAlt bool
	at     Point // rendezvous: the meeting point
	speed  float64
	length float64
	boats  int     // go_fast: most boats in one run
	rate   float64 // instances a night at scale 1
	share  float64 // crossing: share that end in distress
	mmsi   uint32  // rendezvous: the mother's; ais_off, clone: the vessel's
	name   string
	drift  *Drift
}

// Rates of each pattern, per night at scale 1, and the months they peak
// in. Migrant crossings follow the weather (calm summers); hashish runs
// use the long nights; the rest is steady. The figures are this
// simulator's, meant to make a plausible year, not measured ones.
var (
	seasonCrossing = [12]float64{0.4, 0.4, 0.6, 0.8, 1.1, 1.4, 1.7, 1.8, 1.5, 1.1, 0.7, 0.5}
	seasonGoFast   = [12]float64{1.3, 1.2, 1.0, 0.9, 0.8, 0.7, 0.7, 0.8, 0.9, 1.1, 1.3, 1.3}
	seasonSteady   = [12]float64{1.1, 1.0, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.1, 1.1, 1.2}
	seasonFishing  = [12]float64{0.8, 0.8, 1.0, 1.1, 1.2, 1.2, 1.1, 1.0, 1.0, 1.0, 0.9, 0.8}
	// roughSea is the chance, by month, that a day's sea keeps small
	// boats ashore.
	roughSea = [12]float64{0.35, 0.35, 0.3, 0.2, 0.1, 0.05, 0.03, 0.05, 0.1, 0.2, 0.3, 0.35}
)

// patterns turns the scenario's threats, its migrant boats and its
// fishing fleets into the patterns a year repeats.
func patterns(sc *Scenario, land Land) []pattern {
	var out []pattern
	for _, t := range sc.Threats {
		switch t.Type {
		case "go_fast":
			route := append(append([]Point{t.From}, t.Via...), t.To)
			p := pattern{kind: "go_fast", id: t.ID, route: route, speed: orDefault(t.Speed, 50),
				length: orDefault(t.Length, 14), boats: max(t.Count, 1), rate: 0.45}
			p.alt, p.hasAlt = altLanding(route, land)
			out = append(out, p)
		case "distress":
			route := append(append([]Point{t.From}, t.Via...), t.To)
			out = append(out, pattern{kind: "crossing", id: t.ID, route: route, speed: orDefault(t.Speed, 6),
				length: orDefault(t.Length, 10), rate: 1.2, share: 0.12, drift: t.Drift})
		case "rendezvous":
			p := pattern{kind: "rendezvous", id: t.ID, route: []Point{t.From, t.At}, at: t.At,
				speed: orDefault(t.Speed, 25), length: orDefault(t.Length, 12), rate: 0.25}
			if t.Mother != nil {
				p.mmsi, p.name = t.Mother.MMSI, t.Mother.Name
			}
			out = append(out, p)
		case "ais_off":
			for _, v := range sc.Vessels {
				if v.ID == t.Vessel && len(v.Route) > 0 {
					out = append(out, pattern{kind: "ais_off", id: t.ID, route: v.Route, speed: orDefault(v.Speed, 6),
						length: orDefault(v.Length, 24), rate: 0.5, mmsi: v.MMSI, name: v.Name})
				}
			}
		case "clone":
			if len(t.Route) > 0 {
				out = append(out, pattern{kind: "clone", id: t.ID, route: t.Route, speed: orDefault(t.Speed, 10),
					length: orDefault(t.Length, 30), rate: 0.1, mmsi: t.Of})
			}
		}
	}
	for _, v := range sc.Vessels {
		if v.Kind == "migrant_boat" && len(v.Route) > 1 {
			out = append(out, pattern{kind: "crossing", id: v.ID, route: v.Route, speed: orDefault(v.Speed, 5),
				length: orDefault(v.Length, 10), rate: 0.8, share: 0.08})
		}
	}
	for i, t := range sc.Traffic {
		if t.Kind == "fishing" {
			for j, lane := range t.Lanes {
				out = append(out, pattern{kind: "loiter", id: fmt.Sprintf("fishing-%d-%d", i, j), route: lane,
					speed: t.Speed[0], length: t.Length[0], rate: 0.6})
			}
		}
	}
	return out
}

// altLanding finds a second landing for a go-fast route 15–30 km along
// the coast from the first, reachable from the last waypoint by sea.
func altLanding(route []Point, land Land) (Point, bool) {
	if len(route) < 2 {
		return Point{}, false
	}
	last, to := route[len(route)-2], route[len(route)-1]
	run := geo.Bearing(last.lat(), last.lon(), to.lat(), to.lon())
	for _, d := range []float64{20e3, 15e3, 25e3, 30e3} {
		for _, side := range []float64{90, -90, 60, -60, 120, -120} {
			p := geoPoint(geo.Destination(to.lat(), to.lon(), run+side, d))
			if land == nil || (!land.Contains(p.lat(), p.lon()) && !land.CrossesLand(last.lat(), last.lon(), p.lat(), p.lon())) {
				return p, true
			}
		}
	}
	return Point{}, false
}

// Year simulates opt.Years years of the scenario's threats ending with
// opt.Year and calls emit with each detection, by start time. The same
// scenario and options give the same years.
func Year(sc *Scenario, opt YearOptions, emit func(*YearEvent) error) (YearSummary, error) {
	if opt.Year < 1970 || opt.Year > 2200 {
		return YearSummary{}, fmt.Errorf("%w: year %d out of range", ErrScenario, opt.Year)
	}
	opt.Years = max(opt.Years, 1)
	if opt.Scale <= 0 {
		opt.Scale = 1
	}
	if opt.Seed == 0 {
		opt.Seed = sc.Seed
	}
	pats := patterns(sc, opt.Land)
	if len(pats) == 0 {
		return YearSummary{}, fmt.Errorf("%w %s: no threat a year could repeat", ErrScenario, sc.Name)
	}
	g := &yearGen{opt: opt, land: opt.Land, sum: YearSummary{ByType: map[string]int{}}, seq: map[string]int{}, track: 1_000_000}
	first := opt.Year - opt.Years + 1
	for y := first; y <= opt.Year; y++ {
		rng := rand.New(rand.NewPCG(opt.Seed, uint64(y)))
		// Each pattern grows or shrinks from year to year.
		trend := make([]float64, len(pats))
		for i := range pats {
			trend[i] = 1
			for range y - first {
				trend[i] *= math.Exp(0.12 + 0.25*rng.NormFloat64())
			}
		}
		// The share of go-fast runs that use the second landing grows.
		altShare := 0.1 + 0.25*float64(y-first)/float64(max(opt.Years-1, 1))
		if opt.Years == 1 {
			altShare = 0.2
		}
		start := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(1, 0, 0)
		for day := start; day.Before(end); day = day.AddDate(0, 0, 1) {
			m := int(day.Month()) - 1
			rough := rng.Float64() < roughSea[m]
			var evs []*YearEvent
			for i := range pats {
				p := &pats[i]
				mean := p.rate * opt.Scale * trend[i] * season(p.kind, m)
				if rough {
					mean *= roughFactor(p.kind)
				}
				for range poisson(rng, mean) {
					evs = append(evs, g.instance(rng, p, day, altShare)...)
				}
			}
			evs = slices.DeleteFunc(evs, func(e *YearEvent) bool { return !e.Detection.Start.Before(end) })
			slices.SortStableFunc(evs, func(a, b *YearEvent) int { return a.Detection.Start.Compare(b.Detection.Start) })
			for _, e := range evs {
				e.Detection.ID = fmt.Sprintf("%s-%07d", e.Detection.Type, g.next(e.Detection.Type))
				g.sum.Detections++
				g.sum.ByType[e.Detection.Type]++
				g.sum.TrackStates += len(e.Track)
				if e.Incident != nil {
					g.sum.Incidents++
				}
				if err := emit(e); err != nil {
					return g.sum, err
				}
			}
		}
	}
	return g.sum, nil
}

func season(kind string, m int) float64 {
	switch kind {
	case "crossing":
		return seasonCrossing[m]
	case "go_fast":
		return seasonGoFast[m]
	case "ais_off", "loiter":
		return seasonFishing[m]
	}
	return seasonSteady[m]
}

func roughFactor(kind string) float64 {
	switch kind {
	case "crossing":
		return 0.1
	case "go_fast":
		return 0.5
	case "rendezvous":
		return 0.3
	}
	return 0.8
}

// yearGen holds what runs on across the days: numbering and totals.
type yearGen struct {
	opt   YearOptions
	land  Land
	sum   YearSummary
	seq   map[string]int
	track uint64
}

func (g *yearGen) next(typ string) int { g.seq[typ]++; return g.seq[typ] }

// hourOf draws a departure time of day for a kind of pattern, in hours
// after the day's midnight (UTC; more than 24 runs into the next day).
func hourOf(rng *rand.Rand, kind string) float64 {
	switch kind {
	case "go_fast": // the dark hours, most around 01:00
		return 25 + 2.5*rng.NormFloat64()
	case "crossing": // leave at night to land by dawn
		return 23 + 2*rng.NormFloat64()
	case "rendezvous":
		return 22 + 3*rng.NormFloat64()
	}
	return 24 * rng.Float64()
}

// jitter moves a point up to r metres, keeping it at sea and its legs to
// the neighbours off land; it gives the point back unmoved when ten tries
// fail.
func (g *yearGen) jitter(rng *rand.Rand, p Point, r float64, prev, next *Point) Point {
	for range 10 {
		q := geoPoint(geo.Destination(p.lat(), p.lon(), 360*rng.Float64(), r*math.Sqrt(rng.Float64())))
		if g.land == nil {
			return q
		}
		if g.land.Contains(q.lat(), q.lon()) {
			continue
		}
		if prev != nil && g.land.CrossesLand(prev.lat(), prev.lon(), q.lat(), q.lon()) {
			continue
		}
		if next != nil && g.land.CrossesLand(q.lat(), q.lon(), next.lat(), next.lon()) {
			continue
		}
		return q
	}
	return p
}

// jitterRoute moves the departure and landing by up to r metres and the
// waypoints between by a third of that.
func (g *yearGen) jitterRoute(rng *rand.Rand, route []Point, r float64) []Point {
	out := slices.Clone(route)
	for i := range out {
		var prev, next *Point
		if i > 0 {
			prev = &out[i-1]
		}
		if i+1 < len(route) {
			next = &route[i+1]
		}
		rad := r
		if i > 0 && i+1 < len(out) {
			rad = r / 3
		}
		out[i] = g.jitter(rng, out[i], rad, prev, next)
	}
	return out
}

// sample lays a track along a route at a speed from t0: two to six
// states evenly spaced, at most ten minutes apart or a fifth of a longer
// run, the first where the route begins and the last where it ends. It returns the states and the
// time the route ends.
func (g *yearGen) sample(route []Point, knots float64, t0 time.Time, dark bool, mmsi uint32) ([]model.TrackState, time.Time) {
	g.track++
	id := g.track
	dist := routeLength(route)
	total := time.Duration(dist / (knots * geo.Knot) * float64(time.Second))
	steps := max(1, min(5, int(math.Ceil(float64(total)/float64(10*time.Minute)))))
	sensors := []string{"radar"}
	if !dark {
		sensors = []string{"ais", "radar"}
	}
	out := make([]model.TrackState, 0, steps+1)
	for i := range steps + 1 {
		at := time.Duration(float64(total) * float64(i) / float64(steps))
		lat, lon, cog := along(route, float64(i)/float64(steps))
		out = append(out, model.TrackState{Time: t0.Add(at).Truncate(time.Second), TrackID: id, Lat: round6(lat), Lon: round6(lon),
			SOG: knots, COG: math.Round(cog*10) / 10, MMSI: mmsi, Dark: dark, Sensors: sensors})
	}
	out[len(out)-1].SOG = 0
	return out, t0.Add(total)
}

// along returns the point a fraction f of the way along a route, and the
// course there.
func along(route []Point, f float64) (lat, lon, cog float64) {
	if len(route) == 1 {
		return route[0].lat(), route[0].lon(), 0
	}
	want := f * routeLength(route)
	for i := 1; i < len(route); i++ {
		a, b := route[i-1], route[i]
		d := geo.Distance(a.lat(), a.lon(), b.lat(), b.lon())
		brg := geo.Bearing(a.lat(), a.lon(), b.lat(), b.lon())
		if want <= d || i == len(route)-1 {
			lat, lon := geo.Destination(a.lat(), a.lon(), brg, min(want, d))
			return lat, lon, brg
		}
		want -= d
	}
	return route[len(route)-1].lat(), route[len(route)-1].lon(), 0
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// evidence is the first and last states of a stretch of track.
func evidence(states []model.TrackState) []model.Evidence {
	var out []model.Evidence
	for _, s := range []model.TrackState{states[0], states[len(states)-1]} {
		out = append(out, model.Evidence{Time: s.Time, TrackID: s.TrackID, Lat: s.Lat, Lon: s.Lon, SOG: s.SOG, COG: s.COG, Sensors: s.Sensors})
	}
	return out
}

// instance draws one occurrence of a pattern on a day: one detection or
// several (the boats of one go-fast run).
func (g *yearGen) instance(rng *rand.Rand, p *pattern, day time.Time, altShare float64) []*YearEvent {
	t0 := day.Add(time.Duration(hourOf(rng, p.kind) * float64(time.Hour))).Truncate(time.Second)
	switch p.kind {
	case "go_fast":
		route := slices.Clone(p.route)
		if p.hasAlt && rng.Float64() < altShare {
			route[len(route)-1] = p.alt
		}
		route = g.jitterRoute(rng, route, 6000)
		var out []*YearEvent
		for k := range 1 + rng.IntN(p.boats) {
			speed := p.speed * (0.85 + 0.3*rng.Float64())
			track, end := g.sample(route, speed, t0.Add(time.Duration(k)*3*time.Minute), true, 0)
			seen := track[0].Time.Add(time.Duration(2+rng.IntN(8)) * time.Minute)
			land := route[len(route)-1]
			near := track[max(len(track)-2, 0)]
			ev := model.Event{Type: "go_fast", Category: model.CategoryCrossBorderCrime, Start: seen, End: end.Truncate(time.Second),
				Lat: near.Lat, Lon: near.Lon, TrackIDs: []uint64{track[0].TrackID}, Confidence: 0.9, Impact: model.ImpactHigh,
				Details: map[string]any{"speed_kn": math.Round(speed*10) / 10, "heading": near.COG,
					"landfall_lat": round6(land.lat()), "landfall_lon": round6(land.lon())},
				Evidence: evidence(track),
				Risk: &model.Risk{Score: 0.85, Threats: map[string]float64{"drugs": 0.85, "people_smuggling": 0.3},
					Reasons: []string{"go-fast run", "dark (no AIS)", "small craft running fast at night"}}}
			out = append(out, &YearEvent{Detection: ev, Track: track, Incident: g.lifecycle(rng, &ev, false, "", "")})
		}
		return out
	case "crossing":
		route := g.jitterRoute(rng, p.route, 8000)
		speed := p.speed * (0.8 + 0.4*rng.Float64())
		if rng.Float64() < p.share {
			// The engine fails part of the way; the boat drifts.
			f := 0.3 + 0.5*rng.Float64()
			lat, lon, _ := along(route, f)
			cut := append(slices.Clone(route[:1]), geoPoint(lat, lon))
			track, stop := g.sample(cut, speed, t0, true, 0)
			drift := track[len(track)-1]
			ev := model.Event{Type: "distress", Category: model.CategoryUnauthorisedCrossing, Start: stop.Add(10 * time.Minute).Truncate(time.Second),
				End: stop.Add(time.Duration(1+rng.IntN(5)) * time.Hour).Truncate(time.Second), Lat: drift.Lat, Lon: drift.Lon,
				TrackIDs: []uint64{drift.TrackID}, Confidence: 0.8, Impact: model.ImpactVeryHigh,
				Details:  map[string]any{"left_coast": true},
				Evidence: evidence(track),
				Risk: &model.Risk{Score: 0.8, Threats: map[string]float64{"people_smuggling": 0.8},
					Reasons: []string{"small dark boat stopped at sea", "dark (no AIS)"}}}
			return []*YearEvent{{Detection: ev, Track: track, Incident: g.lifecycle(rng, &ev, false, "", "")}}
		}
		track, end := g.sample(route, speed, t0, true, 0)
		seen := track[len(track)/3]
		ev := model.Event{Type: "dark_target", Category: model.CategoryOther, Start: seen.Time, End: end.Truncate(time.Second),
			Lat: seen.Lat, Lon: seen.Lon, TrackIDs: []uint64{seen.TrackID}, Confidence: 0.7, Impact: model.ImpactMedium,
			Evidence: evidence(track),
			Risk: &model.Risk{Score: 0.7, Threats: map[string]float64{"people_smuggling": 0.7},
				Reasons: []string{"dark (no AIS)", "small craft heading for the coast at night"}}}
		cat, title := model.CategoryUnauthorisedCrossing, crossingTitles[rng.IntN(len(crossingTitles))]
		if rng.Float64() < 0.03 {
			cat, title = model.CategoryCrossBorderCrime, "Suspected trafficking in human beings on a migrant boat"
		}
		return []*YearEvent{{Detection: ev, Track: track, Incident: g.lifecycle(rng, &ev, true, cat, title)}}
	case "rendezvous":
		from := g.jitter(rng, p.route[0], 8000, nil, &p.at)
		at := g.jitter(rng, p.at, 10000, &from, nil)
		back := g.jitter(rng, p.route[0], 15000, &at, nil)
		track, _ := g.sample([]Point{from, at, back}, p.speed, t0, true, 0)
		meet := t0.Add(time.Duration(geo.Distance(from.lat(), from.lon(), at.lat(), at.lon()) / (p.speed * geo.Knot) * float64(time.Second)))
		mmsi := p.mmsi
		if rng.Float64() < 0.5 || mmsi == 0 {
			mmsi = uint32(200_000_000 + rng.IntN(500_000_000))
		}
		ev := model.Event{Type: "encounter", Category: model.CategoryCrossBorderCrime, Start: meet.Truncate(time.Second),
			End: meet.Add(time.Duration(20+rng.IntN(40)) * time.Minute).Truncate(time.Second), Lat: round6(at.lat()), Lon: round6(at.lon()),
			MMSI: []uint32{mmsi}, TrackIDs: []uint64{track[0].TrackID}, Confidence: 0.6, Impact: model.ImpactMedium,
			Evidence: evidence(track),
			Risk: &model.Risk{Score: 0.7, Threats: map[string]float64{"drugs": 0.7},
				Reasons: []string{"encounter with a dark boat at sea"}}}
		return []*YearEvent{{Detection: ev, Track: track, Incident: g.lifecycle(rng, &ev, true, model.CategoryCrossBorderCrime, pick(rng, transhipTitles))}}
	case "ais_off", "clone", "loiter":
		route := g.jitterRoute(rng, p.route, 3000)
		typ, impact, threat := "ais_gap", model.ImpactMedium, "illegal_fishing"
		cat, title, open := model.CategoryCrossBorderCrime, "AIS switched off on the fishing grounds: suspected illegal fishing", 0.3
		switch p.kind {
		case "clone":
			typ, threat, cat, title, open = "identity_spoof", "", model.CategoryOther, "identity_spoof", 0.4
		case "loiter":
			typ, impact, threat, open = "loitering", model.ImpactLow, "illegal_fishing", 0
		}
		track, end := g.sample(route, p.speed, t0, p.kind != "clone", p.mmsi)
		mid := track[len(track)/2]
		ev := model.Event{Type: typ, Category: model.CategoryOther, Start: track[0].Time, End: end.Truncate(time.Second),
			Lat: mid.Lat, Lon: mid.Lon, TrackIDs: []uint64{mid.TrackID}, Confidence: 0.6, Impact: impact,
			Evidence: evidence(track), Risk: &model.Risk{Score: 0.3}}
		if p.mmsi != 0 {
			ev.MMSI = []uint32{p.mmsi}
		}
		if threat != "" {
			ev.Risk.Threats = map[string]float64{threat: 0.3}
		}
		var inc *YearIncident
		if rng.Float64() < open {
			inc = g.lifecycle(rng, &ev, true, cat, title)
		}
		return []*YearEvent{{Detection: ev, Track: track, Incident: inc}}
	}
	return nil
}

var (
	crossingTitles = []string{"Migrant boat crossing", "Small boat with migrants heading for the coast", "Irregular crossing: boat with migrants"}
	transhipTitles = []string{"Suspected transhipment of drugs at sea", "Suspected transhipment of drugs at sea",
		"Suspected transhipment of hashish at sea", "Suspected cigarette smuggling: transhipment at sea", "Suspected fuel smuggling: transhipment at sea"}
)

func pick(rng *rand.Rand, list []string) string { return list[rng.IntN(len(list))] }

// lifecycle decides what the centre does with a detection: high and very
// high ones open an incident by themselves; an operator opens one for
// the others given a category and title. Most first reports come within
// the 24 hours, a few late; most incidents are validated and closed
// within weeks.
func (g *yearGen) lifecycle(rng *rand.Rand, ev *model.Event, manual bool, cat, title string) *YearIncident {
	in := &YearIncident{Manual: manual, Category: cat, Title: title, Impact: ev.Impact}
	if !manual {
		in.Category, in.Title = ev.Category, ev.Type
	}
	in.ReportAfter = time.Duration((0.5 + 20*rng.Float64()) * float64(time.Hour)).Truncate(time.Second)
	if rng.Float64() < 0.06 {
		in.ReportAfter += 24 * time.Hour
	}
	in.Validated = rng.Float64() < 0.85
	if rng.Float64() < 0.9 {
		in.CloseAfter = in.ReportAfter + time.Duration(2+rng.IntN(30))*24*time.Hour
	}
	return in
}
