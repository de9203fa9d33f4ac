package detect

import (
	"fmt"
	"math"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// Drift finds a ship adrift: one that has lost way and is set sideways by
// wind and current. The definition is the Danish Maritime Authority's
// AisAbnormal analyser (github.com/dma-ais/AisAbnormal, ais-ab-analyzer,
// DriftAnalysis and its configuration keys):
//
//   - an AIS report shows drift when its speed over ground lies between
//     analysis.drift.sog.min (1 kn) and analysis.drift.sog.max (5 kn) and
//     its course over ground differs by more than analysis.drift.coghdg
//     (45°) from the true heading and from the heading's reverse: the ship
//     moves neither ahead nor astern but sideways;
//   - the event is raised when the track has been followed for longer than
//     analysis.drift.period (10 min), every report of that last period shows
//     drift, and the unbroken run of drift reports has carried the ship
//     more than analysis.drift.distance (500 m); it ends with the first
//     report without drift;
//   - only ships are analysed: AIS ship type and length known, length at
//     least analysis.drift.loa.min (50 m), not class B (types 36–37), towing
//     (31–32) or special craft (50–55), and either very long (75 m and
//     more) or a tanker, cargo ship or passenger ship. Fishing vessels are
//     analysed (the analyser's latest version dropped their exclusion).
//
// The event starts where the run of drift reports began (AisAbnormal
// stamps it with the report that raised it).
//
// Heading. AisAbnormal compares course with the heading the ship reports;
// so does Drift, with the heading of the track's last AIS report
// (Track.AIS). When that report gave no heading (511), the heading is
// approximated by the course the ship last made good at more than the
// upper speed (within HeadingAge): a ship that loses way keeps, at first,
// the heading it steered, and wind and current then set it off that line.
// This proxy cannot tell a ship slowly turning on purpose from one adrift,
// so events from it carry a lower confidence and say so in
// Details["heading_source"]; see driftHeading.
type Drift struct {
	MinSpeed     float64       // knots; default 1
	MaxSpeed     float64       // knots; default 5
	MinDeviation float64       // degrees between course and heading; default 45
	Period       time.Duration // default 10 min
	MinDistance  float64       // metres; default 500
	MinLength    float64       // metres; default 50
	// HeadingAge is how long the course made good before slowing stands in
	// for the heading; default 1 h.
	HeadingAge time.Duration

	state     map[uint64]*driftState
	nextSweep time.Time
}

type driftState struct {
	lastSeen time.Time
	// The course last made good above MaxSpeed: the heading proxy.
	refCourse float64
	refAt     time.Time
	// The current run of drift reports.
	since, last      time.Time
	fromLat, fromLon float64
}

func (d *Drift) defaults() {
	if d.MinSpeed == 0 {
		d.MinSpeed = 1
	}
	if d.MaxSpeed == 0 {
		d.MaxSpeed = 5
	}
	if d.MinDeviation == 0 {
		d.MinDeviation = 45
	}
	if d.Period == 0 {
		d.Period = 10 * time.Minute
	}
	if d.MinDistance == 0 {
		d.MinDistance = 500
	}
	if d.MinLength == 0 {
		d.MinLength = 50
	}
	if d.HeadingAge == 0 {
		d.HeadingAge = time.Hour
	}
	if d.state == nil {
		d.state = map[uint64]*driftState{}
	}
}

// Type implements Detector.
func (d *Drift) Type() string { return "drift" }

// Observe implements Detector.
func (d *Drift) Observe(t *track.Track, r *Recorder) {
	d.defaults()
	s := d.state[t.ID]
	if t.Status == track.Dropped {
		if s != nil {
			d.end(driftKey(t.ID), s, r)
			delete(d.state, t.ID)
		}
		return
	}
	if t.Status != track.Confirmed || !aisAbnormalReport(t) || !aisAbnormalShip(t, d.MinLength, true) {
		return
	}
	if s == nil {
		s = &driftState{}
		d.state[t.ID] = s
	}
	s.lastSeen = t.Updated
	sog, cog, motion := driftMotion(t)
	if sog > d.MaxSpeed {
		s.refCourse, s.refAt = cog, t.Updated
	}
	hdg, source, ok := driftHeading(t, s, d.HeadingAge)
	drifting := ok && sog >= d.MinSpeed && sog <= d.MaxSpeed &&
		driftAngle(cog, hdg) > d.MinDeviation && driftAngle(cog+180, hdg) > d.MinDeviation
	if !drifting {
		if !s.since.IsZero() {
			d.end(driftKey(t.ID), s, r)
		}
		return
	}
	lat, lon := t.Position()
	if s.since.IsZero() {
		s.since, s.fromLat, s.fromLon = t.Updated, lat, lon
	}
	s.last = t.Updated
	drifted := geo.Distance(s.fromLat, s.fromLon, lat, lon)
	if t.Updated.Sub(t.Created) <= d.Period || t.Updated.Sub(s.since) < d.Period || drifted <= d.MinDistance {
		return
	}
	ev := r.Open(driftKey(t.ID), model.Event{
		Type: "drift", Category: model.CategoryOther, Start: s.since, TrackIDs: []uint64{t.ID},
		Impact: model.ImpactMedium,
		Params: map[string]float64{"min_speed_kn": d.MinSpeed, "max_speed_kn": d.MaxSpeed,
			"min_deviation_deg": d.MinDeviation, "period_s": d.Period.Seconds(), "min_distance_m": d.MinDistance,
			"min_length_m": d.MinLength, "heading_age_s": d.HeadingAge.Seconds()},
	})
	if m := MMSIOf(t); m != 0 && len(ev.MMSI) == 0 {
		ev.MMSI = []uint32{m}
	}
	ev.Lat, ev.Lon = lat, lon
	ev.Confidence = driftConfidence(drifted, d.MinDistance, source)
	ev.Details = map[string]any{"speed_kn": round1(sog), "course": round1(cog), "heading": round1(hdg),
		"heading_source": source, "motion_source": motion, "deviation_deg": round1(driftAngle(cog, hdg)), "drifted_m": math.Round(drifted),
		"duration_s": t.Updated.Sub(s.since).Seconds()}
	addEvidence(ev, t)
}

// end closes the drift event, if any, at the last report of the run.
func (d *Drift) end(key string, s *driftState, r *Recorder) {
	if r.Get(key) != nil {
		r.Close(key, s.last)
	}
	s.since, s.last = time.Time{}, time.Time{}
}

// Tick implements Detector: a ship not heard for an hour, which the
// tracker drops in any case, ends its drift.
func (d *Drift) Tick(now time.Time, r *Recorder) {
	d.defaults()
	if now.Before(d.nextSweep) {
		return
	}
	d.nextSweep = now.Add(time.Minute)
	for _, id := range sortedKeys(d.state) {
		if s := d.state[id]; now.Sub(s.lastSeen) > time.Hour {
			d.end(driftKey(id), s, r)
			delete(d.state, id)
		}
	}
}

func driftKey(id uint64) string { return fmt.Sprint("drift/", id) }

// driftMotion is the speed and course a drift is judged on, and where
// they come from: the ones the AIS report just received carries, as
// AisAbnormal reads them, or the track's estimate where the report has
// none.
func driftMotion(t *track.Track) (sog, cog float64, source string) {
	if t.AIS.Time.Equal(t.Updated) && !math.IsNaN(t.AIS.SOG) && !math.IsNaN(t.AIS.COG) {
		return t.AIS.SOG, t.AIS.COG, "ais"
	}
	sog, cog = t.Velocity()
	return sog, cog, "track"
}

// driftHeading is the heading to compare the course with, and where it
// came from. It is the one place to change when the Track keeps the AIS
// true heading: return that (source "ais") when the last report had one,
// and fall back to the proxy only when it did not.
func driftHeading(t *track.Track, s *driftState, maxAge time.Duration) (hdg float64, source string, ok bool) {
	if t.AIS.Time.Equal(t.Updated) && !math.IsNaN(t.AIS.Heading) {
		return t.AIS.Heading, "ais", true
	}
	if s.refAt.IsZero() || t.Updated.Sub(s.refAt) > maxAge {
		return 0, "", false
	}
	return s.refCourse, "course_before_slowing", true
}

// driftConfidence grows from 0.5 at the minimum distance to 1 at four
// times it, and is cut by a third when the heading is the proxy.
func driftConfidence(drifted, minDist float64, source string) float64 {
	c := min1(0.5 + 0.5*(drifted-minDist)/(3*minDist))
	if source != "ais" {
		c *= 2.0 / 3
	}
	return c
}

// driftAngle is the absolute difference between two directions, 0–180°.
func driftAngle(a, b float64) float64 {
	d := math.Mod(math.Abs(a-b), 360)
	if d > 180 {
		d = 360 - d
	}
	return d
}
