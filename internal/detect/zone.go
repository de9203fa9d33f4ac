package detect

import (
	"fmt"
	"math"
	"slices"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// Zones reports tracks entering, leaving and lingering in areas: the
// territorial waters embedded in package geo, border sections, closed
// areas and areas operators draw. One detector reports three event types:
//
//   - zone_entry: a confirmed track passes from outside an area to inside
//     it. An instant event (Start = End) at the crossing, placed on the
//     straight line between the last fix outside and the first inside
//     (found by bisection) and timed by interpolation between them;
//   - zone_exit: the same, from inside to outside;
//   - zone_loiter: a track stays in an area slowly: its speed below
//     MaxLoiterSpeed (2 kn, the slow speed Global Fishing Watch's
//     loitering uses) for at least MinLoiter (30 min), the stretch ending
//     when it speeds up past LoiterEndSpeed (3 kn; the gap between the two
//     keeps the tracker's speed noise from cutting a stretch), leaves the
//     area or is lost. It opens when the stretch has lasted MinLoiter with
//     a time-weighted average speed under MaxLoiterSpeed, and closes at the
//     stretch's last slow fix.
//
// A change of side counts once the track has stayed on the new side for
// Settle (1 min) from its first fix there, so that a target whose position
// wanders across a boundary it lies on, or that cuts a corner, makes no
// pair of events; the event still carries the crossing's own time. A track first seen inside an area has
// not entered it (it may have been there before any sensor saw it). A
// track that passes right through an area between two fixes is not seen
// in it. Own assets are left out; so are tentative and coasting tracks,
// whose positions are guesses.
//
// Which areas fire is set by kind: Kinds (empty: all), and DarkOnly, the
// kinds whose events fire only for dark tracks (none by default, so every
// ship crossing the 12 nm line is reported; a node that only wants the
// dark ones sets DarkOnly to territorial_waters). zone_loiter does not
// fire in the kinds of NoLoiter, by default the territorial waters: every
// ship at anchor or moored lies in some state's waters (the Solent
// capture gives 65 such events for 91 vessels in 84 minutes), and slow
// vessels far out are the loitering detector's. The impact is the
// area's (a border section's low, medium, high, critical → the incident
// levels low, medium, high, very high), low when the area has none.
type Zones struct {
	Areas          *geo.Areas    // nil: no events
	Kinds          []string      // area kinds watched; empty: all
	DarkOnly       []string      // kinds whose events only dark tracks fire
	Settle         time.Duration // default 1 min
	MaxLoiterSpeed float64       // knots; default 2
	LoiterEndSpeed float64       // knots; default MaxLoiterSpeed + 1
	MinLoiter      time.Duration // default 30 min
	// NoLoiter lists kinds where zone_loiter does not fire; nil means
	// territorial_waters (set an empty slice to loiter there too).
	NoLoiter []string
	// Forget is how long a track may go unseen before its areas are
	// forgotten (and its loiter closed); default 30 min. The tracker
	// normally drops it sooner.
	Forget time.Duration

	state map[uint64]*zoneTrack
	watch []uint8 // per area: zoneOn, zoneDarkOnly, zoneLoiter
	// darkOnly is true when every watched area reports dark tracks only.
	darkOnly bool
	built    *geo.Areas // what watch was built for
	buf      []int
	next     []zoneMember
}

// Per-area watch flags.
const (
	zoneOn       = 1 << iota // watched
	zoneDarkOnly             // events only for dark tracks
	zoneLoiter               // zone_loiter fires
)

type zoneTrack struct {
	mmsi     uint32
	lat, lon float64 // the last fix
	at       time.Time
	members  []zoneMember // by area
}

// zoneMember is a track's relation to one area it is in, or is about to
// enter or leave.
type zoneMember struct {
	area int32
	in   bool // the settled side

	// A change of side waiting to settle: since is the first fix on the
	// new side, crossT and crossLat, crossLon where the track crossed.
	pending            bool
	since, crossT      time.Time
	crossLat, crossLon float64
	before             model.Evidence // the last fix on the old side

	// The slow stretch in progress, if slowSince is set.
	slowSince, slowLast time.Time
	slowKnotSecs        float64 // speed × seconds, for the average
	loiterOpen          bool
	refreshed           time.Time // when the open loiter event was last brought up to date
}

// zoneRefresh is how often an open zone_loiter event takes the track's
// latest state (see darkRefresh).
const zoneRefresh = time.Minute

func (d *Zones) defaults() {
	if d.Settle == 0 {
		d.Settle = time.Minute
	}
	if d.MaxLoiterSpeed == 0 {
		d.MaxLoiterSpeed = 2
	}
	if d.LoiterEndSpeed == 0 {
		d.LoiterEndSpeed = d.MaxLoiterSpeed + 1
	}
	if d.MinLoiter == 0 {
		d.MinLoiter = 30 * time.Minute
	}
	if d.Forget == 0 {
		d.Forget = 30 * time.Minute
	}
	if d.state == nil {
		d.state = map[uint64]*zoneTrack{}
	}
	if d.NoLoiter == nil {
		d.NoLoiter = []string{geo.KindTerritorialWaters}
	}
	if d.built != d.Areas {
		// A new set of areas numbers them anew: what was known of the
		// old one no longer applies. Set Areas before the first track.
		if d.built != nil {
			clear(d.state)
		}
		d.built = d.Areas
		d.watch = zoneWatch(d.Areas, d.Kinds, d.DarkOnly, d.NoLoiter)
		d.darkOnly = true
		for _, w := range d.watch {
			if w&zoneOn != 0 && w&zoneDarkOnly == 0 {
				d.darkOnly = false
			}
		}
	}
}

// zoneWatch flags every area by the kind filters.
func zoneWatch(a *geo.Areas, kinds, darkOnly, noLoiter []string) []uint8 {
	if a == nil {
		return nil
	}
	w := make([]uint8, a.Len())
	for i := range w {
		k := a.Area(i).Kind
		if len(kinds) > 0 && !slices.Contains(kinds, k) {
			continue
		}
		w[i] = zoneOn
		if slices.Contains(darkOnly, k) {
			w[i] |= zoneDarkOnly
		}
		if !slices.Contains(noLoiter, k) {
			w[i] |= zoneLoiter
		}
	}
	return w
}

// Type implements Detector with the first of the types Zones reports.
func (d *Zones) Type() string { return "zone_entry" }

// Types are the event types Zones reports.
func (d *Zones) Types() []string { return []string{"zone_entry", "zone_exit", "zone_loiter"} }

// Observe implements Detector.
func (d *Zones) Observe(t *track.Track, r *Recorder) {
	if d.Areas == nil {
		return
	}
	d.defaults()
	s := d.state[t.ID]
	if t.Status == track.Dropped {
		if s != nil {
			d.forget(t.ID, s, r)
		}
		return
	}
	if t.Status != track.Confirmed || t.OwnAsset {
		return
	}
	if s == nil && d.darkOnly && !t.Dark() {
		// Every watched area reports dark tracks only: a track with AIS
		// needs no state until it goes dark, and is then first seen where
		// it is, as any track.
		return
	}
	lat, lon := t.Position()
	d.buf = d.Areas.At(lat, lon, d.buf[:0])
	cur := d.buf[:0]
	for _, i := range d.buf {
		if d.watch[i]&zoneOn != 0 {
			cur = append(cur, i)
		}
	}
	now := t.Updated
	if s == nil {
		// First seen: it is where it is, having entered nothing.
		s = &zoneTrack{}
		d.state[t.ID] = s
		for _, i := range cur {
			s.members = append(s.members, zoneMember{area: int32(i), in: true})
		}
		s.mmsi, s.lat, s.lon, s.at = MMSIOf(t), lat, lon, now
		for k := range s.members {
			d.loiter(t, s, &s.members[k], r)
		}
		return
	}
	if m := MMSIOf(t); m != 0 {
		s.mmsi = m
	}
	if len(s.members) == 0 && len(cur) == 0 {
		s.lat, s.lon, s.at = lat, lon, now // the usual case: in no area
		return
	}
	dark := t.Dark()
	sog, _ := t.Velocity()
	prev := model.Evidence{Time: s.at, TrackID: t.ID, Lat: s.lat, Lon: s.lon}

	// Walk the members and the areas the track is in now, both by area.
	next := d.next[:0]
	j := 0
	step := func(m zoneMember, inside bool) {
		switch {
		case inside == m.in:
			m.pending = false
		case !m.pending:
			m.pending, m.since, m.before = true, now, prev
			m.crossT, m.crossLat, m.crossLon = d.crossing(int(m.area), prev, lat, lon, now, inside)
		}
		if m.pending && now.Sub(m.since) >= d.Settle {
			m.in, m.pending = inside, false
			if inside {
				d.report("zone_entry", t, s, &m, dark, sog, r)
			} else {
				d.report("zone_exit", t, s, &m, dark, sog, r)
				d.endLoiter(t.ID, &m, r)
			}
		}
		if m.in && inside {
			d.loiter(t, s, &m, r)
		}
		if m.in || m.pending {
			next = append(next, m)
		}
	}
	for _, m := range s.members {
		for j < len(cur) && int32(cur[j]) < m.area {
			step(zoneMember{area: int32(cur[j])}, true)
			j++
		}
		inside := j < len(cur) && int32(cur[j]) == m.area
		if inside {
			j++
		}
		step(m, inside)
	}
	for ; j < len(cur); j++ {
		step(zoneMember{area: int32(cur[j])}, true)
	}
	s.members = append(s.members[:0], next...)
	d.next = next[:0]
	s.lat, s.lon, s.at = lat, lon, now
}

// crossing finds where the straight line from the last fix to (lat, lon)
// crosses the area's boundary, by bisection, and when, by interpolation.
// inside says which side the new fix is on.
func (d *Zones) crossing(area int, prev model.Evidence, lat, lon float64, now time.Time, inside bool) (time.Time, float64, float64) {
	dlon := geo.NormLon(lon - prev.Lon)
	at := func(f float64) (float64, float64) { return prev.Lat + f*(lat-prev.Lat), geo.NormLon(prev.Lon + f*dlon) }
	lo, hi := 0.0, 1.0 // lo on the old side, hi on the new
	for range 24 {
		mid := (lo + hi) / 2
		if la, lo2 := at(mid); d.Areas.Contains(area, la, lo2) == inside {
			hi = mid
		} else {
			lo = mid
		}
	}
	la, lo2 := at(hi)
	dt := now.Sub(prev.Time)
	return prev.Time.Add(time.Duration(math.Round(hi * float64(dt)))), la, lo2
}

// report hands out an entry or exit, an instant event at the crossing.
func (d *Zones) report(typ string, t *track.Track, s *zoneTrack, m *zoneMember, dark bool, sog float64, r *Recorder) {
	if d.watch[m.area]&zoneDarkOnly != 0 && !dark {
		return
	}
	ar := d.Areas.Area(int(m.area))
	key := fmt.Sprint(typ, "/", t.ID, "/", ar.ID)
	ev := r.Open(key, model.Event{
		Type: typ, Category: model.CategoryOther, Start: m.crossT, Lat: round5(m.crossLat), Lon: round5(m.crossLon),
		TrackIDs: []uint64{t.ID}, Confidence: zoneConfidence(t.PositionSigma()), Impact: zoneImpact(ar.Impact, model.ImpactLow),
		Params:  map[string]float64{"settle_s": d.Settle.Seconds()},
		Details: zoneDetails(ar, dark, sog),
	})
	if s.mmsi != 0 {
		ev.MMSI = []uint32{s.mmsi}
	}
	ev.Evidence = append(ev.Evidence, m.before)
	addEvidence(ev, t)
	r.Close(key, m.crossT)
}

// loiter follows the slow stretch of a track inside area m.
func (d *Zones) loiter(t *track.Track, s *zoneTrack, m *zoneMember, r *Recorder) {
	if d.watch[m.area]&zoneLoiter == 0 {
		return
	}
	sog, _ := t.Velocity()
	now := t.Updated
	switch {
	case m.slowSince.IsZero():
		if sog < d.MaxLoiterSpeed {
			m.slowSince, m.slowLast, m.slowKnotSecs = now, now, 0
		}
		return
	case sog >= d.LoiterEndSpeed:
		d.endLoiter(t.ID, m, r)
		return
	}
	m.slowKnotSecs += sog * now.Sub(m.slowLast).Seconds()
	m.slowLast = now
	dur := now.Sub(m.slowSince)
	avg := m.slowKnotSecs / max(dur.Seconds(), 1)
	if dur < d.MinLoiter || (!m.loiterOpen && avg >= d.MaxLoiterSpeed) {
		return
	}
	if d.watch[m.area]&zoneDarkOnly != 0 && !t.Dark() && !m.loiterOpen {
		return
	}
	if m.loiterOpen && now.Sub(m.refreshed) < zoneRefresh {
		return
	}
	ar := d.Areas.Area(int(m.area))
	lat, lon := t.Position()
	ev := r.Open(zoneLoiterKey(t.ID, ar.ID), model.Event{
		Type: "zone_loiter", Category: model.CategoryOther, Start: m.slowSince,
		TrackIDs: []uint64{t.ID}, Impact: zoneImpact(ar.Impact, model.ImpactLow),
		Params: map[string]float64{"max_loiter_speed_kn": d.MaxLoiterSpeed, "loiter_end_speed_kn": d.LoiterEndSpeed,
			"min_loiter_s": d.MinLoiter.Seconds()},
	})
	m.loiterOpen, m.refreshed = true, now
	if s.mmsi != 0 && len(ev.MMSI) == 0 {
		ev.MMSI = []uint32{s.mmsi}
	}
	ev.Lat, ev.Lon = round5(lat), round5(lon)
	// Confidence grows from 0.5 at MinLoiter to 1 at twice it.
	ev.Confidence = max(0.5, min1(0.5+0.5*float64(dur-d.MinLoiter)/float64(d.MinLoiter)))
	ev.Details = zoneDetails(ar, t.Dark(), sog)
	ev.Details["duration_min"] = round1(dur.Minutes())
	ev.Details["avg_speed_kn"] = round1(avg)
	addEvidence(ev, t)
}

// endLoiter ends the slow stretch, closing its event if it became one.
func (d *Zones) endLoiter(id uint64, m *zoneMember, r *Recorder) {
	if m.loiterOpen {
		key := zoneLoiterKey(id, d.Areas.Area(int(m.area)).ID)
		if ev := r.Get(key); ev != nil {
			dur := m.slowLast.Sub(m.slowSince)
			ev.Details["duration_min"] = round1(dur.Minutes())
			ev.Details["avg_speed_kn"] = round1(m.slowKnotSecs / max(dur.Seconds(), 1))
		}
		r.Close(key, m.slowLast)
	}
	m.slowSince, m.loiterOpen = time.Time{}, false
}

// forget drops a lost track, ending its stretches. Changes of side still
// waiting are dropped: the track was not seen to settle.
func (d *Zones) forget(id uint64, s *zoneTrack, r *Recorder) {
	for k := range s.members {
		d.endLoiter(id, &s.members[k], r)
	}
	delete(d.state, id)
}

// Tick implements Detector: it forgets tracks unseen for Forget.
func (d *Zones) Tick(now time.Time, r *Recorder) {
	if d.Areas == nil {
		return
	}
	d.defaults()
	for _, id := range sortedKeys(d.state) {
		if s := d.state[id]; now.Sub(s.at) > d.Forget {
			d.forget(id, s, r)
		}
	}
}

func zoneLoiterKey(id uint64, area string) string { return fmt.Sprint("zone_loiter/", id, "/", area) }

func zoneDetails(ar *geo.Area, dark bool, sog float64) map[string]any {
	det := map[string]any{"area_id": ar.ID, "area_name": ar.Name, "area_kind": ar.Kind, "dark": dark, "speed_kn": round1(sog)}
	if ar.ISOA3 != "" {
		det["country"] = ar.ISOA3
	}
	if ar.Impact != geo.AreaImpactNone {
		det["area_impact"] = ar.Impact.String()
	}
	return det
}

// zoneImpact maps a border section's impact level onto an incident's:
// critical, the section level that calls for escalation, is very high.
func zoneImpact(l geo.AreaImpact, none model.ImpactLevel) model.ImpactLevel {
	switch l {
	case geo.AreaImpactLow:
		return model.ImpactLow
	case geo.AreaImpactMedium:
		return model.ImpactMedium
	case geo.AreaImpactHigh:
		return model.ImpactHigh
	case geo.AreaImpactCritical:
		return model.ImpactVeryHigh
	}
	return none
}

// zoneConfidence is how sure a crossing is, from the track's position
// error: 0.95 for AIS-grade positions, falling to 0.5 at 1 km.
func zoneConfidence(sigma float64) float64 {
	return max(0.5, min(0.95, 1-sigma/2000))
}
