package detect

import (
	"fmt"
	"math"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// Distress finds a boat that may be in distress on an irregular crossing:
// EUROSUR's unauthorised border crossing with risk to life. The pattern is
// that of the overcrowded boats that leave the Libyan, Tunisian or
// Moroccan coast, make way at 4–8 kn for hours and then, their engine
// failed or their fuel gone, stop or drift with wind and current:
//
//   - a small target (length at most MaxLength, 20 m, or unknown: rubber
//     and wooden boats of 7–20 m) with no AIS (Track.Dark), not an own
//     asset;
//   - that has made way: its speed, the least-squares fit of its positions
//     over Window (10 min), reached TransitSpeed (3 kn) at some time, so it
//     was on passage, not lying off a beach or fishing at rest; but never
//     more than MaxTransitSpeed (10 kn): an overloaded boat makes 4–8 kn,
//     a craft that has run faster is a go-fast, a tender (see go_fast and
//     encounter) or a ship whose AIS is not heard;
//   - that then stops or drifts: the same speed falls below MaxSpeed
//     (2 kn) and stays there for MinDuration (10 min), leaving it only for
//     excursions shorter than Tolerance (2 min) that never reach
//     TransitSpeed. As the fit looks back a Window, it shows the boat slow
//     some minutes after it stopped and shows it under way again some
//     minutes after it restarts; counting MinDuration from the first slow
//     fit keeps pauses of ten minutes or so from counting. A boat that
//     turns back on its track also shows a fitted speed near zero for a
//     few minutes; it is told apart by the run after the break (below),
//     which is as fast as the one before;
//   - at sea, at least MinShore (2 km) from the shore, and alone: no other
//     track slower than TransitSpeed within CompanyRange (1 km) at any
//     time of the spell before the event opens, since a boat lying beside
//     another vessel is meeting it (see encounter) or being helped; ships
//     passing by do not count.
//
// The speed is fitted to positions rather than taken from the track's
// estimate because a radar track of a small boat tens of kilometres out
// has an estimated speed that swings by several knots from scan to scan;
// a fit over ten minutes of positions is good to a few tenths of a knot.
//
// The event starts when the engine failed: the fit needs most of a Window
// to see the change, so when it first shows the boat slow the failure lies
// within the window, and the break that best splits the window's positions
// into two straight runs dates it (one Window back when no break fits).
// The event opens MinDuration after the first slow fit, some 15 minutes
// after the failure, and ends when the boat makes way again (rescued or
// under way) or is lost. Where the boat was first seen within
// DepartureRange (20 km) of a coast, the track saw it leave, which raises
// the confidence; a boat first seen further out (picked up by radar mid-
// crossing) still counts. Without Land the shore conditions are skipped.
type Distress struct {
	MaxLength       float64       // metres; default 20
	TransitSpeed    float64       // knots; default 3
	MaxTransitSpeed float64       // knots; default 10
	MaxSpeed        float64       // knots; default 2
	Window          time.Duration // default 10 min
	MinDuration     time.Duration // default 10 min
	Tolerance       time.Duration // default 2 min
	MinShore        float64       // metres; default 2000
	DepartureRange  float64       // metres; default 20000
	CompanyRange    float64       // metres; default 1000
	Land            *geo.Land     // nil: no shore conditions

	state     map[uint64]*distressState
	others    map[uint64]distressFix // every live track's recent state, for company
	nextSweep time.Time
}

// distressSampleEvery is how often a candidate's position is sampled for
// the speed fit: often enough that ten minutes hold 60 positions.
const distressSampleEvery = 10 * time.Second

// distressOthersEvery is how often every other track's position is noted
// for the company check, which looks at the last minute.
const distressOthersEvery = 20 * time.Second

type distressFix struct {
	t        time.Time
	lat, lon float64
	sog      float64 // knots; only for others
}

type distressState struct {
	samples  []distressFix // the last Window of positions
	lastSeen time.Time

	first      distressFix // where the track was first seen
	firstShore float64     // its distance to shore there; NaN unknown

	madeWay      bool
	transitSpeed float64 // the highest speed it made way at, knots

	// The current slow spell: since when the boat is taken to be slow,
	// when the fit first showed it, the last slow fit, and the start of an
	// excursion above MaxSpeed.
	start, slowAt, lastSlow, fastSince time.Time
	met                                bool // another vessel lay beside it in the spell
}

func (d *Distress) defaults() {
	if d.MaxLength == 0 {
		d.MaxLength = 20
	}
	if d.TransitSpeed == 0 {
		d.TransitSpeed = 3
	}
	if d.MaxTransitSpeed == 0 {
		d.MaxTransitSpeed = 10
	}
	if d.MaxSpeed == 0 {
		d.MaxSpeed = 2
	}
	if d.Window == 0 {
		d.Window = 10 * time.Minute
	}
	if d.MinDuration == 0 {
		d.MinDuration = 10 * time.Minute
	}
	if d.Tolerance == 0 {
		d.Tolerance = 2 * time.Minute
	}
	if d.MinShore == 0 {
		d.MinShore = 2000
	}
	if d.DepartureRange == 0 {
		d.DepartureRange = 20000
	}
	if d.CompanyRange == 0 {
		d.CompanyRange = 1000
	}
	if d.state == nil {
		d.state = map[uint64]*distressState{}
		d.others = map[uint64]distressFix{}
	}
}

// Type implements Detector.
func (d *Distress) Type() string { return "distress" }

// Observe implements Detector.
func (d *Distress) Observe(t *track.Track, r *Recorder) {
	d.defaults()
	s := d.state[t.ID]
	if t.Status == track.Dropped {
		delete(d.others, t.ID)
		if s != nil {
			d.end(distressKey(t.ID), s, r)
			delete(d.state, t.ID)
		}
		return
	}
	if t.Status != track.Confirmed {
		return // coasting: no new position; tentative: maybe clutter
	}
	// Every slow track's position, now and then, to tell whether a
	// stopped boat has company; a fast one is recorded as such, without
	// the cost of its position.
	if p, ok := d.others[t.ID]; !ok || t.Updated.Sub(p.t) >= distressOthersEvery {
		f := distressFix{t: t.Updated}
		if f.sog, _ = t.Velocity(); f.sog < d.TransitSpeed {
			f.lat, f.lon = t.Position()
		}
		d.others[t.ID] = f
	}
	if t.OwnAsset || !t.Dark() || t.BestLength() > d.MaxLength {
		if s != nil { // it turned out to have AIS, or to be large
			d.end(distressKey(t.ID), s, r)
			delete(d.state, t.ID)
		}
		return
	}
	lat, lon := t.Position()
	if s == nil {
		s = &distressState{first: distressFix{t: t.Updated, lat: lat, lon: lon}, firstShore: math.NaN()}
		if d.Land != nil {
			s.firstShore = d.Land.DistanceToShoreWithin(lat, lon, 100e3)
		}
		d.state[t.ID] = s
	}
	s.lastSeen = t.Updated
	if n := len(s.samples); n > 0 && t.Updated.Sub(s.samples[n-1].t) < distressSampleEvery {
		return
	}
	key := distressKey(t.ID)
	s.samples = append(s.samples, distressFix{t: t.Updated, lat: lat, lon: lon})
	if i := d.firstInWindow(s.samples, t.Updated); i > 0 {
		s.samples = append(s.samples[:0], s.samples[i:]...)
	}
	speed, course, ok := d.fit(s.samples)
	if !ok {
		return
	}
	now := t.Updated
	switch {
	case speed >= d.TransitSpeed:
		s.madeWay, s.transitSpeed = true, max(s.transitSpeed, speed)
		d.end(key, s, r)
		return
	case speed < d.MaxSpeed:
		if s.slowAt.IsZero() {
			if !s.madeWay || s.transitSpeed > d.MaxTransitSpeed {
				return
			}
			start, after, ok := distressBreak(s.samples)
			switch {
			case !ok:
				start = now.Add(-d.Window)
			case after >= d.MaxSpeed:
				return // it turned back on its track, it did not stop
			}
			s.slowAt, s.start = now, start
		}
		s.lastSlow, s.fastSince = now, time.Time{}
	case s.slowAt.IsZero():
		return
	case s.fastSince.IsZero():
		s.fastSince = now
		return
	case now.Sub(s.fastSince) > d.Tolerance:
		d.end(key, s, r)
		return
	default:
		return // a short excursion above MaxSpeed
	}
	ev := r.Get(key)
	if ev == nil && !s.met {
		s.met = d.company(t.ID, now, lat, lon)
	}
	if now.Sub(s.slowAt) < d.MinDuration {
		return
	}
	if ev == nil {
		if s.met {
			return
		}
		if d.Land != nil && offshore(d.Land, lat, lon, d.MinShore) < d.MinShore {
			return // beached, or lying off a beach
		}
		ev = r.Open(key, model.Event{
			Type: "distress", Category: model.CategoryUnauthorisedCrossing, Start: s.start,
			TrackIDs: []uint64{t.ID}, Impact: model.ImpactVeryHigh,
			Params: map[string]float64{"max_length_m": d.MaxLength, "transit_speed_kn": d.TransitSpeed,
				"max_transit_speed_kn": d.MaxTransitSpeed, "max_speed_kn": d.MaxSpeed,
				"window_s": d.Window.Seconds(), "min_duration_s": d.MinDuration.Seconds(),
				"tolerance_s": d.Tolerance.Seconds(), "min_shore_m": d.MinShore,
				"departure_range_m": d.DepartureRange, "company_range_m": d.CompanyRange},
		})
	}
	ev.Lat, ev.Lon = lat, lon
	departed := s.firstShore < d.DepartureRange
	ev.Confidence = distressConfidence(now.Sub(s.slowAt), d.MinDuration, departed)
	ev.Details = map[string]any{"speed_kn": round1(speed), "drift_course": round1(course),
		"transit_speed_kn": round1(s.transitSpeed), "slow_s": now.Sub(s.start).Seconds(),
		"length_m": t.BestLength(), "first_seen_lat": round5(s.first.lat), "first_seen_lon": round5(s.first.lon)}
	if d.Land != nil {
		ev.Details["left_coast"] = departed
		ev.Details["first_seen_shore_km"] = round1(s.firstShore / 1000)
		ev.Details["shore_km"] = round1(d.Land.DistanceToShoreWithin(lat, lon, 100e3) / 1000)
	}
	addEvidence(ev, t)
}

// firstInWindow is the index of the oldest sample inside the fit's window.
func (d *Distress) firstInWindow(samples []distressFix, now time.Time) int {
	for i, p := range samples {
		if now.Sub(p.t) <= d.Window {
			return i
		}
	}
	return len(samples)
}

// fit is the least-squares velocity of the samples, in knots and degrees
// true; not ok until they span most of the window.
func (d *Distress) fit(samples []distressFix) (speed, course float64, ok bool) {
	n := len(samples)
	if n < 6 || samples[n-1].t.Sub(samples[0].t) < d.Window*4/5 {
		return 0, 0, false
	}
	last := samples[n-1]
	plane := geo.NewPlane(last.lat, last.lon)
	var st, sx, sy float64
	for _, p := range samples {
		x, y := plane.Project(p.lat, p.lon)
		st += p.t.Sub(last.t).Seconds()
		sx += x
		sy += y
	}
	mt, mx, my := st/float64(n), sx/float64(n), sy/float64(n)
	var stt, stx, sty float64
	for _, p := range samples {
		x, y := plane.Project(p.lat, p.lon)
		dt := p.t.Sub(last.t).Seconds() - mt
		stt += dt * dt
		stx += dt * (x - mx)
		sty += dt * (y - my)
	}
	vx, vy := stx/stt, sty/stt
	course = math.Mod(math.Atan2(vx, vy)*180/math.Pi+360, 360)
	return math.Hypot(vx, vy) / geo.Knot, course, true
}

// distressBreak dates the change from making way to lying still: the
// sample at which two straight runs, joined there, fit the positions
// best. It also returns the speed of the run after the break, knots. The
// runs need three positions each.
func distressBreak(samples []distressFix) (at time.Time, after float64, ok bool) {
	n := len(samples)
	if n < 8 {
		return time.Time{}, 0, false
	}
	last := samples[n-1]
	plane := geo.NewPlane(last.lat, last.lon)
	ts := make([]float64, n)
	xs, ys := make([]float64, n), make([]float64, n)
	for i, p := range samples {
		ts[i] = p.t.Sub(last.t).Seconds()
		xs[i], ys[i] = plane.Project(p.lat, p.lon)
	}
	best, bestK, bestAfter := math.Inf(1), -1, 0.0
	for k := 2; k < n-3; k++ {
		// Columns 1, min(τ, 0), max(τ, 0) with τ the time from the break:
		// the normal equations, one matrix for both axes.
		var m [3][3]float64
		var bx, by [3]float64
		for i := range n {
			tau := ts[i] - ts[k]
			row := [3]float64{1, min(tau, 0), max(tau, 0)}
			for a := range 3 {
				for b := range 3 {
					m[a][b] += row[a] * row[b]
				}
				bx[a] += row[a] * xs[i]
				by[a] += row[a] * ys[i]
			}
		}
		cx, okx := distressSolve3(m, bx)
		cy, oky := distressSolve3(m, by)
		if !okx || !oky {
			continue
		}
		var res float64
		for i := range n {
			tau := ts[i] - ts[k]
			fx := cx[0] + cx[1]*min(tau, 0) + cx[2]*max(tau, 0)
			fy := cy[0] + cy[1]*min(tau, 0) + cy[2]*max(tau, 0)
			res += (xs[i]-fx)*(xs[i]-fx) + (ys[i]-fy)*(ys[i]-fy)
		}
		if res < best {
			best, bestK, bestAfter = res, k, math.Hypot(cx[2], cy[2])/geo.Knot
		}
	}
	if bestK < 0 {
		return time.Time{}, 0, false
	}
	return samples[bestK].t, bestAfter, true
}

// distressSolve3 solves a 3×3 linear system by Cramer's rule.
func distressSolve3(m [3][3]float64, b [3]float64) ([3]float64, bool) {
	det := func(m [3][3]float64) float64 {
		return m[0][0]*(m[1][1]*m[2][2]-m[1][2]*m[2][1]) -
			m[0][1]*(m[1][0]*m[2][2]-m[1][2]*m[2][0]) +
			m[0][2]*(m[1][0]*m[2][1]-m[1][1]*m[2][0])
	}
	d := det(m)
	if math.Abs(d) < 1e-9 {
		return [3]float64{}, false
	}
	var x [3]float64
	for c := range 3 {
		mc := m
		for r := range 3 {
			mc[r][c] = b[r]
		}
		x[c] = det(mc) / d
	}
	return x, true
}

// company reports whether another track slower than TransitSpeed, seen in
// the last minute, lies within CompanyRange. The answer does not depend on
// the order of the visit, so the map is ranged over directly.
func (d *Distress) company(id uint64, now time.Time, lat, lon float64) bool {
	for other, p := range d.others {
		if other != id && now.Sub(p.t) <= time.Minute && p.sog < d.TransitSpeed &&
			geo.Distance(lat, lon, p.lat, p.lon) <= d.CompanyRange {
			return true
		}
	}
	return false
}

// end closes the event, if any, at the last slow fit and ends the spell.
func (d *Distress) end(key string, s *distressState, r *Recorder) {
	if r.Get(key) != nil {
		r.Close(key, s.lastSlow)
	}
	s.start, s.slowAt, s.lastSlow, s.fastSince = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	s.met = false
}

// Tick implements Detector: a boat no sensor reports any more is lost, and
// its event ends where it was last seen slow.
func (d *Distress) Tick(now time.Time, r *Recorder) {
	d.defaults()
	for _, id := range sortedKeys(d.state) {
		if s := d.state[id]; now.Sub(s.lastSeen) > 10*time.Minute {
			d.end(distressKey(id), s, r)
			delete(d.state, id)
		}
	}
	if now.Before(d.nextSweep) {
		return
	}
	d.nextSweep = now.Add(10 * time.Minute)
	for _, id := range sortedKeys(d.others) {
		if now.Sub(d.others[id].t) > 10*time.Minute {
			delete(d.others, id)
		}
	}
}

func distressKey(id uint64) string { return fmt.Sprint("distress/", id) }

// distressConfidence is 0.6 at the start, growing to 0.8 as the boat stays
// still for three times the minimum; a boat seen leaving a coast adds 0.2.
func distressConfidence(slow, minDur time.Duration, departed bool) float64 {
	c := 0.6 + 0.2*min1(float64(slow-minDur)/float64(2*minDur))
	if departed {
		c += 0.2
	}
	return min1(c)
}
