package detect

import (
	"fmt"
	"math"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// SpeedChange finds a ship that stops dead: a fall in speed so abrupt that
// it points to a grounding or a collision. The definition is the Danish
// Maritime Authority's AisAbnormal analyser (github.com/dma-ais/AisAbnormal,
// ais-ab-analyzer, SuddenSpeedChangeAnalysis and its configuration keys):
//
//   - the speed falls from at least analysis.suddenspeedchange.sog.highmark
//     (7 kn) to at most analysis.suddenspeedchange.sog.lowmark (1 kn) within
//     analysis.suddenspeedchange.drop.decay (30 s);
//   - it then stays at or below the low mark for
//     analysis.suddenspeedchange.drop.sustain (60 s): no report in that
//     time above it;
//   - only ships are analysed: AIS ship type and length known, length at
//     least analysis.suddenspeedchange.loa.min (50 m), not class B
//     (AisAbnormal takes AIS types 36–37, sailing and pleasure, for class B),
//     not fishing (30), towing (31–32) or special craft (50–55), and either
//     very long (75 m and more) or a tanker, cargo ship or passenger ship.
//
// The event runs from the last report above the high mark to the first at
// or below the low mark, and is reported once the low speed has lasted.
//
// Speed. Like AisAbnormal, SpeedChange reads the speed over ground each
// AIS report carries (Track.AIS, the report that made the update): a
// report whose speed rises above the low mark while the drop waits to be
// sustained ends it, as it takes the ship off AisAbnormal's observation
// list. A report without a speed (102.3, "not available"), which
// AisAbnormal skips, is judged by the tracker's estimate instead. The
// estimate follows the reported speed but takes about two reports (20 s at
// the usual 10 s) to follow a step, and rings a little after one, so a
// drop that involves an estimate gets Lag more than DecayTime, its low
// speed is judged only at the end of SustainTime, and the displacement
// over SustainTime must also be slow.
type SpeedChange struct {
	HighMark  float64       // knots; default 7
	LowMark   float64       // knots; default 1
	DecayTime time.Duration // default 30 s
	// Lag is how much longer than the reported speed the track's estimate
	// takes to fall, allowed when a report lacks a speed; default 20 s.
	Lag         time.Duration
	SustainTime time.Duration // default 60 s
	MinLength   float64       // metres; default 50

	state     map[uint64]*speedChangeState
	nextSweep time.Time
}

type speedChangeState struct {
	lastSeen time.Time
	// The last AIS update at or above the high mark.
	high    speedChangeFix
	hasHigh bool
	// The first update at or below the low mark after it, while the drop
	// waits to be sustained.
	low     speedChangeFix
	pending bool
	// estimated: an update of the drop was judged by the estimate.
	estimated bool
}

// speedChangeFix is a track's state at one update, kept without the
// allocation of a model.Evidence on the hot path.
type speedChangeFix struct {
	t                  time.Time
	lat, lon, sog, cog float64
	reported           bool // sog and cog are the AIS report's
}

// speedChangeMaxSOG is the highest reported speed AisAbnormal takes as
// valid (102.2 kn: "102.2 knots or higher"; 102.3 is "not available").
const speedChangeMaxSOG = 102.2

// speedChangeFixOf is the track at its update, with the speed and course
// of the AIS report that made it, or the estimate's when the report gave
// no speed.
func speedChangeFixOf(t *track.Track) speedChangeFix {
	lat, lon := t.Position()
	if r := t.AIS; r.Time.Equal(t.Updated) && r.SOG >= 0 && r.SOG <= speedChangeMaxSOG {
		cog := r.COG
		if math.IsNaN(cog) {
			_, cog = t.Velocity()
		}
		return speedChangeFix{t.Updated, lat, lon, r.SOG, cog, true}
	}
	sog, cog := t.Velocity()
	return speedChangeFix{t.Updated, lat, lon, sog, cog, false}
}

func (f speedChangeFix) evidence(id uint64) model.Evidence {
	return model.Evidence{Time: f.t, TrackID: id, Lat: f.lat, Lon: f.lon, SOG: f.sog, COG: f.cog, Sensors: []string{"ais"}}
}

func (d *SpeedChange) defaults() {
	if d.HighMark == 0 {
		d.HighMark = 7
	}
	if d.LowMark == 0 {
		d.LowMark = 1
	}
	if d.DecayTime == 0 {
		d.DecayTime = 30 * time.Second
	}
	if d.Lag == 0 {
		d.Lag = 20 * time.Second
	}
	if d.SustainTime == 0 {
		d.SustainTime = 60 * time.Second
	}
	if d.MinLength == 0 {
		d.MinLength = 50
	}
	if d.state == nil {
		d.state = map[uint64]*speedChangeState{}
	}
}

// Type implements Detector.
func (d *SpeedChange) Type() string { return "speed_change" }

// Observe implements Detector.
func (d *SpeedChange) Observe(t *track.Track, r *Recorder) {
	d.defaults()
	if t.Status == track.Dropped {
		delete(d.state, t.ID)
		return
	}
	// An AIS analysis: judge the track on its own AIS reports only.
	if t.Status != track.Confirmed || !aisAbnormalReport(t) ||
		!aisAbnormalShip(t, d.MinLength, false) {
		return
	}
	s := d.state[t.ID]
	f := speedChangeFixOf(t)
	if s == nil {
		if f.sog < d.HighMark {
			return // nothing to fall from
		}
		s = &speedChangeState{}
		d.state[t.ID] = s
	}
	s.lastSeen = t.Updated
	switch {
	case f.sog >= d.HighMark:
		s.high, s.hasHigh, s.pending = f, true, false
	case s.pending:
		if f.reported && f.sog > d.LowMark {
			s.pending = false // off the observation list; the high report stays
			return
		}
		s.estimated = s.estimated || !f.reported
		if t.Updated.Sub(s.low.t) >= d.SustainTime {
			d.decide(t, f, s, r)
		}
	case s.hasHigh && f.sog <= d.LowMark:
		decay := d.DecayTime
		if !s.high.reported || !f.reported {
			decay += d.Lag
		}
		if f.t.Sub(s.high.t) <= decay {
			s.low, s.pending, s.estimated = f, true, !s.high.reported || !f.reported
		} else {
			s.hasHigh = false // slowed, but not suddenly
		}
	}
}

// decide reports the drop if the low speed held: the speed is still at or
// below the low mark, every report since the drop said so (Observe ends
// the drop at one that did not) and, when an estimate had a part in it,
// the positions moved no faster since it fell.
func (d *SpeedChange) decide(t *track.Track, f speedChangeFix, s *speedChangeState, r *Recorder) {
	s.pending, s.hasHigh = false, false
	held := t.Updated.Sub(s.low.t)
	implied := geo.Distance(s.low.lat, s.low.lon, f.lat, f.lon) / held.Seconds() / geo.Knot
	if f.sog > d.LowMark || (s.estimated && implied > d.LowMark) {
		return
	}
	key := fmt.Sprint("speed_change/", t.ID)
	drop := s.low.t.Sub(s.high.t)
	source := "ais"
	if s.estimated {
		source = "estimate"
	}
	ev := r.Open(key, model.Event{
		Type: "speed_change", Category: model.CategoryOther, Start: s.high.t, Lat: s.low.lat, Lon: s.low.lon,
		TrackIDs: []uint64{t.ID}, Confidence: speedChangeConfidence(s.high.sog, d.HighMark), Impact: model.ImpactMedium,
		Params: map[string]float64{"high_mark_kn": d.HighMark, "low_mark_kn": d.LowMark,
			"decay_s": d.DecayTime.Seconds(), "lag_s": d.Lag.Seconds(), "sustain_s": d.SustainTime.Seconds(),
			"min_length_m": d.MinLength},
	})
	if m := MMSIOf(t); m != 0 {
		ev.MMSI = []uint32{m}
	}
	ev.Details = map[string]any{"speed_before_kn": round1(s.high.sog), "speed_after_kn": round1(s.low.sog),
		"course_before": round1(s.high.cog), "drop_s": round1(drop.Seconds()), "held_s": round1(held.Seconds()),
		"implied_speed_kn": round1(implied), "speed_source": source}
	ev.Evidence = append(ev.Evidence, s.high.evidence(t.ID), s.low.evidence(t.ID))
	addEvidence(ev, t)
	r.Close(key, s.low.t)
}

// Tick implements Detector: it forgets ships not heard for a long while,
// which the tracker drops in any case.
func (d *SpeedChange) Tick(now time.Time, r *Recorder) {
	d.defaults()
	if now.Before(d.nextSweep) {
		return
	}
	d.nextSweep = now.Add(10 * time.Minute)
	for _, id := range sortedKeys(d.state) {
		if now.Sub(d.state[id].lastSeen) > time.Hour {
			delete(d.state, id)
		}
	}
}

// speedChangeConfidence grows from 0.5 for a fall from the high mark to 1
// for a fall from twice it.
func speedChangeConfidence(before, high float64) float64 {
	return max(0.5, min1(0.5+0.5*(before-high)/high))
}

// aisAbnormalReport reports whether the track's latest change is one of its
// own AIS reports, as AisAbnormal's analyses see only those.
func aisAbnormalReport(t *track.Track) bool {
	return t.Identity != nil && !t.OwnAsset && t.Seen[model.SensorAIS].Equal(t.Updated)
}

// aisAbnormalShip is the set of vessels AisAbnormal's drift and sudden
// speed change analyses look at: AIS type and length known, at least
// minLength long, not class B (types 36–37 in its categories), towing
// (31–32), special craft (50–55) or, unless fishing is allowed, fishing
// (30); and either very long (75 m and more) or a tanker (80–89), cargo
// ship (70–79) or passenger ship (40–49, 60–69).
func aisAbnormalShip(t *track.Track, minLength float64, fishing bool) bool {
	id := t.Identity
	if id == nil || id.ShipType == 0 || id.Length <= 0 || float64(id.Length) < minLength {
		return false
	}
	st := id.ShipType
	switch {
	case st == 36 || st == 37, st == 31 || st == 32, st >= 50 && st <= 55, st == 30 && !fishing:
		return false
	}
	return id.Length >= 75 || (st >= 70 && st <= 89) || (st >= 40 && st <= 49) || (st >= 60 && st <= 69)
}
