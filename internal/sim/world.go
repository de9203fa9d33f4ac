package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"pharos/internal/eval"
	"pharos/internal/geo"
)

// Land is what the simulator needs of the embedded land data: no vessel's
// route may cross it (see geo.Land).
type Land interface {
	Contains(lat, lon float64) bool
	CrossesLand(lat1, lon1, lat2, lon2 float64) bool
}

// actor is a vessel with its laid-out trajectory.
type actor struct {
	Vessel
	path path
}

// transmits reports whether the actor's AIS is on at t.
func (a *actor) transmits(t time.Time, start time.Time) bool {
	if a.MMSI == 0 && a.AIS.CloneOf == 0 {
		return false
	}
	if a.AIS.Mode == "off" {
		return false
	}
	off := t.Sub(start)
	for _, w := range a.AIS.Off {
		if off >= w.From.D() && off < w.To.D() {
			return false
		}
	}
	return true
}

// aisMMSI is the MMSI the actor's AIS sends.
func (a *actor) aisMMSI() uint32 {
	if a.AIS.Mode == "clone" {
		return a.AIS.CloneOf
	}
	return a.MMSI
}

// world is a scenario expanded: every vessel with its path, and the true
// events.
type world struct {
	sc         *Scenario
	start, end time.Time
	actors     []*actor
	events     []eval.Event
}

// expand lays out the scenario's vessels, traffic and threats. Routes that
// cross land are an error naming the vessel and leg.
func expand(sc *Scenario, seed uint64, land Land) (*world, error) {
	w := &world{sc: sc, start: sc.Start, end: sc.Start.Add(sc.Duration.D())}
	rng := rand.New(rand.NewPCG(seed, 0x7a3f))
	vessels := slices.Clone(sc.Vessels)
	for i := range sc.Traffic {
		vessels = append(vessels, w.traffic(&sc.Traffic[i], i, rng, land)...)
	}
	for i := range sc.Threats {
		vs, err := w.threat(&sc.Threats[i], vessels)
		if err != nil {
			return nil, err
		}
		vessels = append(vessels, vs...)
	}
	ids := map[string]bool{}
	for i := range vessels {
		v := &vessels[i]
		if v.ID == "" || ids[v.ID] {
			return nil, fmt.Errorf("%w %s: vessel %d has no id or a repeated one (%q)", ErrScenario, sc.Name, i, v.ID)
		}
		ids[v.ID] = true
		if len(v.Route) == 0 {
			return nil, fmt.Errorf("%w %s: vessel %s has no route", ErrScenario, sc.Name, v.ID)
		}
		if err := checkRoute(v, land); err != nil {
			return nil, fmt.Errorf("%w %s: %w", ErrScenario, sc.Name, err)
		}
		a := &actor{Vessel: *v}
		a.path = buildPath(v, w.start, w.end)
		a.path.clip(land)
		w.actors = append(w.actors, a)
	}
	return w, nil
}

// checkRoute refuses a route that puts a vessel on land.
func checkRoute(v *Vessel, land Land) error {
	if land == nil {
		return nil
	}
	for i, p := range v.Route {
		if land.Contains(p.lat(), p.lon()) {
			return fmt.Errorf("vessel %s: waypoint %d (%.4f, %.4f) is on land", v.ID, i, p.lat(), p.lon())
		}
		if i > 0 && land.CrossesLand(v.Route[i-1].lat(), v.Route[i-1].lon(), p.lat(), p.lon()) {
			return fmt.Errorf("vessel %s: leg %d→%d crosses land", v.ID, i-1, i)
		}
	}
	return nil
}

// traffic draws background vessels along the lanes, spread along them so
// that the area is busy from the first minute.
func (w *world) traffic(t *Traffic, n int, rng *rand.Rand, land Land) []Vessel {
	var out []Vessel
	for k := 0; k < t.Count; k++ {
		lane := t.Lanes[rng.IntN(len(t.Lanes))]
		if rng.IntN(2) == 0 {
			lane = reversed(lane)
		}
		route := make([]Point, len(lane))
		// A lateral offset, the same along the lane, keeps vessels apart.
		off := (rng.Float64()*2 - 1) * t.Spread
		for i, p := range lane {
			j := min(i+1, len(lane)-1)
			if j == i {
				j = i - 1
			}
			course := geo.Bearing(lane[min(i, j)].lat(), lane[min(i, j)].lon(), lane[max(i, j)].lat(), lane[max(i, j)].lon())
			lat, lon := geo.Destination(p.lat(), p.lon(), course+90, off)
			route[i] = Point{lat, lon}
		}
		v := Vessel{
			ID:       fmt.Sprintf("%s%d-%03d", t.Kind, n, k),
			Kind:     t.Kind,
			Length:   draw(rng, t.Length),
			ShipType: t.ShipType,
			Class:    t.Class,
			Route:    route,
			Speed:    draw(rng, t.Speed),
			Loop:     t.Loop,
			Leave:    !t.Loop,
		}
		if checkRoute(&v, land) != nil {
			v.Route = slices.Clone(lane) // the offset put it ashore: keep to the centre line
		}
		v.Beam = v.Length / 6
		// Start somewhere along the lane: up to its whole length early.
		laneTime := routeLength(v.Route) / (v.Speed * geo.Knot)
		v.Begin = Duration(-time.Duration(rng.Float64() * laneTime * float64(time.Second)))
		if rng.Float64() >= t.NoAIS {
			mid := 224
			if len(t.MIDs) > 0 {
				mid = t.MIDs[rng.IntN(len(t.MIDs))]
			}
			v.MMSI = uint32(mid*1000000 + 1000 + rng.IntN(998000))
			v.Name = fmt.Sprintf("%s %d", nameWords[rng.IntN(len(nameWords))], 1+rng.IntN(99))
			v.CallSign = fmt.Sprintf("%c%c%d", 'A'+rune(rng.IntN(26)), 'A'+rune(rng.IntN(26)), 1000+rng.IntN(9000))
			if v.Length > 50 {
				v.IMO = uint32(9000000 + rng.IntN(999999))
			}
		} else {
			v.AIS.Mode = "off"
		}
		out = append(out, v)
	}
	return out
}

var nameWords = []string{"NORDIC", "SEA", "AURORA", "ATLANTIC", "MARE", "STELLA", "OCEAN", "BALTIC", "CAPE", "MISTRAL", "LEVANTE", "PONIENTE"}

func draw(rng *rand.Rand, r Range) float64 {
	if r[1] <= r[0] {
		return r[0]
	}
	return r[0] + rng.Float64()*(r[1]-r[0])
}

func routeLength(r []Point) float64 {
	d := 0.0
	for i := 1; i < len(r); i++ {
		d += geo.Distance(r[i-1].lat(), r[i-1].lon(), r[i].lat(), r[i].lon())
	}
	return d
}

// threat expands a threat pattern into vessels and true events. Events
// that depend on a path are completed once paths exist (see events).
func (w *world) threat(t *Threat, vessels []Vessel) ([]Vessel, error) {
	at := func(d Duration) time.Time { return w.start.Add(d.D()) }
	switch t.Type {
	case "go_fast":
		n := max(t.Count, 1)
		var out []Vessel
		for k := 0; k < n; k++ {
			// The run out, five minutes on the beach to unload, the run
			// back the same way.
			// Boats of one run leave and land side by side, 300 m apart,
			// not on top of one another.
			last := t.From
			if len(t.Via) > 0 {
				last = t.Via[len(t.Via)-1]
			}
			side := geo.Bearing(last.lat(), last.lon(), t.To.lat(), t.To.lon()) + 90
			to := geoPoint(geo.Destination(t.To.lat(), t.To.lon(), side, 300*float64(k)))
			first := t.To
			if len(t.Via) > 0 {
				first = t.Via[0]
			}
			from := geoPoint(geo.Destination(t.From.lat(), t.From.lon(),
				geo.Bearing(t.From.lat(), t.From.lon(), first.lat(), first.lon())+90, 300*float64(k)))
			there := append(append([]Point{from}, t.Via...), to)
			route := append(slices.Clone(there), reversed(there)[1:]...)
			v := Vessel{
				ID: fmt.Sprintf("%s-%d", t.ID, k+1), Kind: "go_fast", Length: orDefault(t.Length, 14),
				Route: route, Speed: orDefault(t.Speed, 50), Waits: []Wait{{At: len(there) - 1, For: Duration(5 * time.Minute)}},
				Begin: t.Begin + Duration(time.Duration(k)*t.Gap.D()), AIS: AIS{Mode: "off"},
			}
			out = append(out, v)
			leave := at(v.Begin)
			arrive := leave.Add(runTime(routeLength(there), v.Speed))
			back := arrive.Add(5 * time.Minute)
			w.events = append(w.events,
				eval.Event{Type: "go_fast", Vessels: []string{v.ID}, Start: leave, End: arrive, Lat: to.lat(), Lon: to.lon()},
				eval.Event{Type: "go_fast", Vessels: []string{v.ID}, Start: back, End: back.Add(arrive.Sub(leave)),
					Lat: from.lat(), Lon: from.lon()})
		}
		return out, nil
	case "rendezvous":
		if t.Mother == nil {
			return nil, fmt.Errorf("%w: rendezvous %s needs a mother vessel", ErrScenario, t.ID)
		}
		mother := *t.Mother
		mother.Route = append(slices.Clone(mother.Route), t.At)
		mother.Waits = append(mother.Waits, Wait{At: len(mother.Route) - 1, For: t.For})
		arrive := runTime(routeLength(mother.Route), mother.Speed)
		// The dark boat lies 250 m off — within the 500 m of an encounter,
		// resolvable by a coastal radar — from five minutes after the
		// mother stops, and leaves five minutes before she goes on.
		speed := orDefault(t.Speed, 25)
		side := geoPoint(geo.Destination(t.At.lat(), t.At.lon(), 90, 250))
		run := time.Duration(geo.Distance(t.From.lat(), t.From.lon(), side.lat(), side.lon()) / (speed * geo.Knot) * float64(time.Second))
		boat := Vessel{
			ID: t.ID + "-boat", Kind: "rendezvous_boat", Length: orDefault(t.Length, 12),
			Route: []Point{t.From, side, t.From}, Speed: speed, AIS: AIS{Mode: "off"},
			Begin: mother.Begin + Duration(arrive+5*time.Minute-run),
			Waits: []Wait{{At: 1, For: t.For - Duration(10*time.Minute)}},
		}
		meet := at(mother.Begin).Add(arrive + 5*time.Minute)
		w.events = append(w.events, eval.Event{Type: "encounter", Vessels: []string{mother.ID, boat.ID},
			Start: meet, End: meet.Add(t.For.D() - 10*time.Minute), Lat: t.At.lat(), Lon: t.At.lon()})
		return []Vessel{mother, boat}, nil
	case "distress":
		if t.Drift == nil {
			return nil, fmt.Errorf("%w: distress %s needs a drift", ErrScenario, t.ID)
		}
		v := Vessel{
			ID: t.ID, Kind: "migrant_boat", Length: orDefault(t.Length, 10),
			Route: append(append([]Point{t.From}, t.Via...), t.To), Speed: orDefault(t.Speed, 6),
			Begin: t.Begin, AIS: AIS{Mode: "off"}, Drift: t.Drift,
		}
		w.events = append(w.events, eval.Event{Type: "distress", Vessels: []string{v.ID}, Start: at(t.Drift.After)})
		return []Vessel{v}, nil
	case "ais_off":
		for i := range vessels {
			if vessels[i].ID == t.Vessel {
				vessels[i].AIS.Off = append(vessels[i].AIS.Off, t.Window)
				w.events = append(w.events, eval.Event{Type: "ais_gap", Vessels: []string{t.Vessel},
					Start: at(t.Window.From), End: at(t.Window.To)})
				return nil, nil
			}
		}
		return nil, fmt.Errorf("%w: ais_off %s names no vessel %q", ErrScenario, t.ID, t.Vessel)
	case "clone":
		v := Vessel{
			ID: t.ID, Kind: "clone", Length: orDefault(t.Length, 30), Route: t.Route, Speed: orDefault(t.Speed, 10),
			Begin: t.Begin, AIS: AIS{Mode: "clone", CloneOf: t.Of},
		}
		w.events = append(w.events, eval.Event{Type: "identity_spoof", Vessels: []string{v.ID}})
		return []Vessel{v}, nil
	}
	return nil, fmt.Errorf("%w: threat %s has unknown type %q", ErrScenario, t.ID, t.Type)
}

func geoPoint(lat, lon float64) Point { return Point{lat, lon} }

// runTime is how long a run of dist metres at knots takes, ending with the
// slow approach of pathBuilder.approach.
func runTime(dist, knots float64) time.Duration {
	secs := dist / (knots * geo.Knot)
	if knots > approachSpeed && dist > 2*approachRun {
		secs = (dist-approachRun)/(knots*geo.Knot) + approachRun/(approachSpeed*geo.Knot)
	}
	return time.Duration(secs * float64(time.Second))
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// completeEvents fills what events take from the laid-out paths: the
// window of a go-fast run, the end of a distress, the place of an event.
func (w *world) completeEvents() {
	byID := map[string]*actor{}
	for _, a := range w.actors {
		byID[a.ID] = a
	}
	for i := range w.events {
		e := &w.events[i]
		a := byID[e.Vessels[0]]
		if a == nil || len(a.path.legs) == 0 {
			continue
		}
		if e.Start.IsZero() {
			e.Start = maxTime(a.path.begin(), w.start)
		}
		if e.End.IsZero() {
			e.End = minTime(a.path.end(), w.end)
		}
		if e.Lat == 0 && e.Lon == 0 && a.path.present(e.Start) {
			e.Lat, e.Lon, _, _ = a.path.at(e.Start)
		}
	}
	// What happens after the scenario ends is not in its truth.
	w.events = slices.DeleteFunc(w.events, func(e eval.Event) bool { return !e.Start.Before(w.end) })
	for i := range w.events {
		w.events[i].End = minTime(w.events[i].End, w.end)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
