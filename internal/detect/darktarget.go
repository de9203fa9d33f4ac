package detect

import (
	"fmt"
	"slices"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// DarkTarget reports a confirmed track that shows no AIS (track.Dark: no
// AIS report ever claimed it, or its AIS has fallen silent while radar or
// another sensor still sees it) inside a border section, for at least
// MinDuration (1 min, long enough for the tracker to have confirmed it
// over several radar scans and for a brief loss of AIS not to count).
// EUROSUR files it as "other: unidentified or suspect vessel".
//
// The sections are the areas whose kind is in Kinds (default
// border_section). When the areas hold none of those, as on a node that
// has configured no sections, the territorial waters stand in for them, so
// that a dark target in any state's 12 nm zone is reported.
//
// One event per track per visit to a section: it opens when the track has
// been dark inside for MinDuration (Start: when it was first dark there),
// and closes when the track leaves the section, shows AIS again (End: its
// last dark fix inside) or is lost. A visit ends when the track has been
// outside the section for Settle (1 min), so a target on the boundary makes
// one visit, not many; a track that turns its AIS back on and off within
// one visit is not reported twice. The impact is the section's (low,
// medium, high, critical → low, medium, high, very high), medium for a
// section with none.
type DarkTarget struct {
	Areas       *geo.Areas    // nil: no events
	Kinds       []string      // default border_section
	MinDuration time.Duration // default 1 min
	Settle      time.Duration // default 1 min
	Forget      time.Duration // forget a track unseen this long; default 30 min

	state    map[uint64]*darkTrack
	sections []bool // per area
	built    *geo.Areas
	buf      []int
	next     []darkVisit
}

type darkTrack struct {
	at     time.Time
	visits []darkVisit // by area
}

// darkVisit is a track's stay in one section.
type darkVisit struct {
	area                int32
	outSince            time.Time // first fix outside, while the visit may be ending
	darkSince, darkLast time.Time // the dark stretch inside, if darkSince is set
	open, done          bool      // its event is open; the visit's event was reported
	refreshed           time.Time // when its open event was last brought up to date
}

// darkRefresh is how often an open event takes the track's latest state:
// often enough for an operator, rarely enough that a dark target seen by
// radar every few seconds costs no allocation on most of its updates.
const darkRefresh = 30 * time.Second

func (d *DarkTarget) defaults() {
	if len(d.Kinds) == 0 {
		d.Kinds = []string{geo.KindBorderSection}
	}
	if d.MinDuration == 0 {
		d.MinDuration = time.Minute
	}
	if d.Settle == 0 {
		d.Settle = time.Minute
	}
	if d.Forget == 0 {
		d.Forget = 30 * time.Minute
	}
	if d.state == nil {
		d.state = map[uint64]*darkTrack{}
	}
	if d.built != d.Areas {
		// A new set of areas numbers them anew: what was known of the
		// old one no longer applies. Set Areas before the first track.
		if d.built != nil {
			clear(d.state)
		}
		d.built = d.Areas
		d.sections = darkSections(d.Areas, d.Kinds)
	}
}

// darkSections marks the areas of the given kinds, or the territorial
// waters when there are none.
func darkSections(a *geo.Areas, kinds []string) []bool {
	if a == nil {
		return nil
	}
	s := make([]bool, a.Len())
	found := false
	for i := range s {
		s[i] = slices.Contains(kinds, a.Area(i).Kind)
		found = found || s[i]
	}
	if !found {
		for i := range s {
			s[i] = a.Area(i).Kind == geo.KindTerritorialWaters
		}
	}
	return s
}

// Type implements Detector.
func (d *DarkTarget) Type() string { return "dark_target" }

// Observe implements Detector.
func (d *DarkTarget) Observe(t *track.Track, r *Recorder) {
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
	if s == nil && !t.Dark() {
		return // nothing to watch until it goes dark
	}
	lat, lon := t.Position()
	d.buf = d.Areas.At(lat, lon, d.buf[:0])
	cur := d.buf[:0]
	for _, i := range d.buf {
		if d.sections[i] {
			cur = append(cur, i)
		}
	}
	if s == nil {
		if len(cur) == 0 {
			return
		}
		s = &darkTrack{}
		d.state[t.ID] = s
	}
	now := t.Updated
	s.at = now
	dark := t.Dark()
	next := d.next[:0]
	step := func(v darkVisit, inside bool) {
		if !inside {
			if v.outSince.IsZero() {
				v.outSince = now
			}
			if now.Sub(v.outSince) >= d.Settle {
				d.end(t.ID, &v, r) // the visit is over
				return
			}
			next = append(next, v)
			return
		}
		v.outSince = time.Time{}
		switch {
		case !dark:
			d.end(t.ID, &v, r)
			v.darkSince = time.Time{}
		case v.done:
		case v.darkSince.IsZero():
			v.darkSince, v.darkLast = now, now
		default:
			v.darkLast = now
			if now.Sub(v.darkSince) >= d.MinDuration && (!v.open || now.Sub(v.refreshed) >= darkRefresh) {
				d.report(t, &v, r)
			}
		}
		next = append(next, v)
	}
	j := 0
	for _, v := range s.visits {
		for j < len(cur) && int32(cur[j]) < v.area {
			step(darkVisit{area: int32(cur[j])}, true)
			j++
		}
		inside := j < len(cur) && int32(cur[j]) == v.area
		if inside {
			j++
		}
		step(v, inside)
	}
	for ; j < len(cur); j++ {
		step(darkVisit{area: int32(cur[j])}, true)
	}
	s.visits = append(s.visits[:0], next...)
	d.next = next[:0]
	if len(s.visits) == 0 {
		delete(d.state, t.ID)
	}
}

// report opens or updates the visit's event.
func (d *DarkTarget) report(t *track.Track, v *darkVisit, r *Recorder) {
	ar := d.Areas.Area(int(v.area))
	lat, lon := t.Position()
	sog, cog := t.Velocity()
	ev := r.Open(darkKey(t.ID, ar.ID), model.Event{
		Type: "dark_target", Category: model.CategoryOther, Start: v.darkSince,
		TrackIDs: []uint64{t.ID}, Impact: zoneImpact(ar.Impact, model.ImpactMedium),
		Params: map[string]float64{"min_duration_s": d.MinDuration.Seconds(), "settle_s": d.Settle.Seconds()},
	})
	v.open, v.refreshed = true, t.Updated
	if m := MMSIOf(t); m != 0 && len(ev.MMSI) == 0 {
		ev.MMSI = []uint32{m} // its AIS fell silent
	}
	ev.Lat, ev.Lon = round5(lat), round5(lon)
	dur := v.darkLast.Sub(v.darkSince)
	// Confidence grows from 0.6 at MinDuration to 0.95 at ten times it.
	ev.Confidence = max(0.6, min(0.95, 0.6+0.35*float64(dur-d.MinDuration)/float64(9*d.MinDuration)))
	ev.Details = map[string]any{"area_id": ar.ID, "area_name": ar.Name, "area_kind": ar.Kind,
		"dark_min": round1(dur.Minutes()), "speed_kn": round1(sog), "heading": round1(cog),
		"sensors": t.Sensors.Names(), "ais_silent": t.Identity != nil}
	if ar.ISOA3 != "" {
		ev.Details["country"] = ar.ISOA3
	}
	if ar.Impact != geo.AreaImpactNone {
		ev.Details["area_impact"] = ar.Impact.String()
	}
	addEvidence(ev, t)
}

// end closes the visit's event, if open; the visit reports no other.
func (d *DarkTarget) end(id uint64, v *darkVisit, r *Recorder) {
	if v.open {
		key := darkKey(id, d.Areas.Area(int(v.area)).ID)
		if ev := r.Get(key); ev != nil {
			ev.Details["dark_min"] = round1(v.darkLast.Sub(v.darkSince).Minutes())
		}
		r.Close(key, v.darkLast)
		v.open, v.done = false, true
	}
}

func (d *DarkTarget) forget(id uint64, s *darkTrack, r *Recorder) {
	for k := range s.visits {
		d.end(id, &s.visits[k], r)
	}
	delete(d.state, id)
}

// Tick implements Detector: it forgets tracks unseen for Forget.
func (d *DarkTarget) Tick(now time.Time, r *Recorder) {
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

func darkKey(id uint64, area string) string { return fmt.Sprint("dark_target/", id, "/", area) }
