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

// AISGap finds gaps in a vessel's AIS reports. A gap is a stretch of
// silence between two reports of one MMSI; most are the receivers', not
// the vessel's, so only those that point to a transponder switched off are
// events. Two kinds qualify:
//
//   - Suspected disabling, as Global Fishing Watch defines it (Welch et
//     al. 2022, "Hotspots of unseen fishing vessels", Science Advances;
//     GFW technical documentation, "Gaps"): a silence of at least MinGap
//     (12 h, about the time a sun-synchronous AIS satellite takes to see
//     the same place again) that starts and ends more than
//     MinShoreDistance (50 nm) from shore, where terrestrial receivers
//     lose vessels and crowding blinds satellites, in a cell with good
//     reception. Reception is measured from the data itself: a grid of
//     ReceptionCell degrees counts the reports received and the
//     vessel-hours spent in each cell (the time from each report to the
//     vessel's next), and a cell is good when the first over the second,
//     pooled with its eight neighbours, exceeds MinReception (GFW: more
//     than five positions per vessel-day). Inside a border section
//     (Sections), where the node's own receivers cover the sea, a silence
//     of ShortGap already counts, wherever the shore is.
//   - Going dark in sight: the AIS falls silent while a radar or satellite
//     keeps seeing the vessel, for at least DarkWhileSeen (Details
//     "in_sight": true). The vessel is plainly still there, so the silence
//     is its own doing or a failed transponder. Both deserve a look. The
//     sightings must be continuous from the last AIS report on, none more
//     than MaxSightGap after the one before: a silent AIS track that a
//     sensor picks up again later may have been taken over by another
//     target, and a lone satellite detection shows no continuity.
//
// An event starts at the last report before the silence and ends at the
// next report; a gap in sight whose track is dropped first ends when the
// vessel was last seen. A long gap is opened as soon as the silence
// reaches its threshold (as GFW's "AIS off" events are) and discarded if
// the vessel reappears within MinShoreDistance of shore. Class A
// transponders report every 2–10 s under way and every 3 min at anchor,
// class B every 30 s to 3 min, so every threshold here is many reporting
// intervals long.
//
// State is kept by MMSI, not by track, since the tracker drops a silent
// AIS track after an hour while a gap may last days; an MMSI silent for
// Forget is forgotten.
type AISGap struct {
	// MinGap is the silence that makes a gap away from border sections;
	// default 12 h (GFW).
	MinGap time.Duration
	// ShortGap is the silence that makes a gap inside a border section;
	// default 10 min. It applies only where Sections says so.
	ShortGap time.Duration
	// Sections reports whether a point lies in a border section, where
	// ShortGap applies. nil: no sections (the node has none yet); a
	// section layer plugs in here.
	Sections func(lat, lon float64) bool
	// MinShoreDistance is how far from shore, metres, both ends of a long
	// gap must lie; default 50 nm (GFW). Not checked inside sections, nor
	// without Land.
	MinShoreDistance float64
	// DarkWhileSeen is how long the AIS must be silent while another
	// sensor still sees the vessel; default 10 min.
	DarkWhileSeen time.Duration
	// MaxSightGap is the longest time between two sightings of a vessel
	// going dark in sight; default 3 min, the time the tracker keeps a
	// dark track unseen.
	MaxSightGap time.Duration
	// ReceptionCell is the side of a reception cell, degrees; default 0.5.
	ReceptionCell float64
	// MinReception is the least reports per vessel-hour of a cell with
	// good reception; default 5/24 (GFW: five positions per vessel-day).
	MinReception float64
	// MinReceptionHours is the least vessel-hours around a cell for its
	// reception to be known; unknown reception is not good. Default 1.
	MinReceptionHours float64
	// ReceptionMemory is the time constant over which reception counts
	// fade; default 30 days (GFW measures reception month by month).
	ReceptionMemory time.Duration
	// Forget is how long an MMSI may be silent before it is forgotten (an
	// open gap then ends); default 7 days.
	Forget time.Duration
	Land   *geo.Land // nil: shore distance is not checked

	vessels  map[uint32]*gapVessel
	cells    map[[2]int32]*receptionCell
	nextScan time.Time
}

// gapVessel is what the detector remembers of an MMSI: its last report.
type gapVessel struct {
	last     time.Time // last AIS report
	lat, lon float64   // the track's position then
	sog, cog float64
	track    uint64
	// sightLast is the last sighting since the last report (the report
	// itself to start with); sightBroken is set once two sightings were
	// more than MaxSightGap apart.
	sightLast   time.Time
	sightBroken bool
	ev          *model.Event // the open gap, or nil
	inSight     bool         // the open gap is one seen going dark
	// checked is how far the scan has judged the current silence: 0 not
	// yet, 1 as a short gap, 2 as a long one.
	checked  uint8
	reported time.Time // start of the last gap reported: one gap, one event
}

// receptionCell counts what was received in one cell, both fading with
// ReceptionMemory from the time at.
type receptionCell struct {
	reports, hours float64
	at             time.Time
}

// gapScanEvery is how often, in event time, silent MMSIs are looked over.
const gapScanEvery = time.Minute

func (d *AISGap) defaults() {
	if d.MinGap == 0 {
		d.MinGap = 12 * time.Hour
	}
	if d.ShortGap == 0 {
		d.ShortGap = 10 * time.Minute
	}
	if d.MinShoreDistance == 0 {
		d.MinShoreDistance = 50 * geo.NauticalMile
	}
	if d.DarkWhileSeen == 0 {
		d.DarkWhileSeen = 10 * time.Minute
	}
	if d.MaxSightGap == 0 {
		d.MaxSightGap = 3 * time.Minute
	}
	if d.ReceptionCell == 0 {
		d.ReceptionCell = 0.5
	}
	if d.MinReception == 0 {
		d.MinReception = 5.0 / 24
	}
	if d.MinReceptionHours == 0 {
		d.MinReceptionHours = 1
	}
	if d.ReceptionMemory == 0 {
		d.ReceptionMemory = 30 * 24 * time.Hour
	}
	if d.Forget == 0 {
		d.Forget = 7 * 24 * time.Hour
	}
	if d.vessels == nil {
		d.vessels = map[uint32]*gapVessel{}
		d.cells = map[[2]int32]*receptionCell{}
	}
}

// Type implements Detector.
func (d *AISGap) Type() string { return "ais_gap" }

func gapKey(mmsi uint32) string { return fmt.Sprint("ais_gap/", mmsi) }

// Observe implements Detector.
func (d *AISGap) Observe(t *track.Track, r *Recorder) {
	d.defaults()
	if t.OwnAsset || t.Identity == nil || t.Identity.MMSI == 0 {
		return
	}
	mmsi := t.Identity.MMSI
	seen := t.Seen[model.SensorAIS]
	s := d.vessels[mmsi]
	if s == nil {
		if seen.IsZero() || t.Status == track.Dropped {
			return
		}
		s = &gapVessel{track: t.ID}
		d.vessels[mmsi] = s
		lat, lon := t.Position()
		d.remember(s, t, seen, lat, lon)
		d.cell(s.lat, s.lon, seen).reports++
		return
	}
	if seen.After(s.last) {
		d.report(mmsi, s, t, seen, r)
	}
	if t.Status == track.Dropped {
		if s.ev != nil && s.inSight && s.track == t.ID {
			// Lost to sight before its AIS came back: the gap seen ends
			// when it was last seen (the drop itself waits for the
			// tracker's sweep).
			d.finish(s, t.Updated, r, mmsi)
		}
		return
	}
	s.track = t.ID
	other := t.Seen[model.SensorRadar]
	if sat := t.Seen[model.SensorSatellite]; sat.After(other) {
		other = sat
	}
	if other.After(s.sightLast) {
		if other.Sub(s.sightLast) > d.MaxSightGap {
			s.sightBroken = true
		}
		s.sightLast = other
	}
	if s.ev == nil && !s.sightBroken && t.Dark() && !s.reported.Equal(s.last) {
		if other.Sub(s.last) >= d.DarkWhileSeen {
			if rec, ok := d.reception(s.lat, s.lon, s.last); ok && rec > d.MinReception {
				d.open(mmsi, s, true, rec, r)
			}
		}
	}
	if s.ev != nil && s.inSight && t.Updated.After(s.last) && addEvidenceSpaced(s.ev, t, 30*time.Second) {
		s.ev.Details["gap_min"] = round1(t.Updated.Sub(s.last).Minutes())
		s.ev.Details["seen_by"] = gapOtherSensors(t)
	}
}

// addEvidenceSpaced adds the track's state to the event's evidence when
// the last evidence of that track is at least every old, so that a target
// updated every radar scan does not spend the event's evidence slots (and
// an allocation a scan) on near-identical states. It reports whether it
// added.
func addEvidenceSpaced(ev *model.Event, t *track.Track, every time.Duration) bool {
	for i := len(ev.Evidence) - 1; i >= 0; i-- {
		if e := &ev.Evidence[i]; e.TrackID == t.ID {
			if t.Updated.Sub(e.Time) < every {
				return false
			}
			break
		}
	}
	addEvidence(ev, t)
	return true
}

// gapOtherSensors names the sensors other than AIS that support the track.
func gapOtherSensors(t *track.Track) []string {
	names := t.Sensors.Names()
	return slices.DeleteFunc(names, func(n string) bool { return n == model.SensorAIS.String() })
}

// remember takes the track's state at an AIS report, at (lat, lon), as
// the MMSI's last.
func (d *AISGap) remember(s *gapVessel, t *track.Track, seen time.Time, lat, lon float64) {
	s.last = seen
	s.lat, s.lon = lat, lon
	s.sog, s.cog = t.Velocity()
	s.track = t.ID
	s.checked = 0
	s.sightLast, s.sightBroken = seen, false
}

// report handles a new AIS report after the last one: it ends an open gap
// or judges the silence just over, and counts the report for reception.
func (d *AISGap) report(mmsi uint32, s *gapVessel, t *track.Track, seen time.Time, r *Recorder) {
	gap := seen.Sub(s.last)
	lat, lon := t.Position()
	switch {
	case s.ev != nil && s.inSight:
		d.finishAt(s, t, lat, lon, seen, r, mmsi)
	case s.ev != nil:
		if d.section(s.lat, s.lon) || d.offshore(lat, lon) {
			d.finishAt(s, t, lat, lon, seen, r, mmsi)
		} else {
			// It came back near the coast: a vessel returning into
			// terrestrial cover, not a suspected disabling.
			r.Discard(gapKey(mmsi))
			s.ev = nil
		}
	case gap >= min(d.ShortGap, d.MinGap) && !s.reported.Equal(s.last):
		if rec, ok := d.qualifies(s, gap, lat, lon); ok {
			d.open(mmsi, s, false, rec, r)
			d.finishAt(s, t, lat, lon, seen, r, mmsi)
		}
	}
	// The silence was time spent in the cell of the last report.
	c := d.cell(s.lat, s.lon, seen)
	c.hours += gap.Hours()
	k := d.cellOf(s.lat, s.lon)
	d.remember(s, t, seen, lat, lon)
	if d.cellOf(s.lat, s.lon) != k {
		c = d.cell(s.lat, s.lon, seen)
	}
	c.reports++
}

// qualifies judges a silence from its start and its end.
func (d *AISGap) qualifies(s *gapVessel, gap time.Duration, lat, lon float64) (float64, bool) {
	rec, ok := d.reception(s.lat, s.lon, s.last)
	if !ok || rec <= d.MinReception {
		return rec, false
	}
	if gap >= d.ShortGap && (d.section(s.lat, s.lon) || d.section(lat, lon)) {
		return rec, true
	}
	return rec, gap >= d.MinGap && d.offshore(s.lat, s.lon) && d.offshore(lat, lon)
}

func (d *AISGap) section(lat, lon float64) bool { return d.Sections != nil && d.Sections(lat, lon) }

// offshore reports whether a point is beyond MinShoreDistance from shore.
func (d *AISGap) offshore(lat, lon float64) bool {
	return d.Land == nil || offshore(d.Land, lat, lon, d.MinShoreDistance) >= d.MinShoreDistance
}

// open starts the event of the MMSI's current silence.
func (d *AISGap) open(mmsi uint32, s *gapVessel, inSight bool, rec float64, r *Recorder) {
	inSection := d.section(s.lat, s.lon)
	impact, conf := model.ImpactMedium, 0.6
	if inSight {
		conf = 0.8 // a sensor saw the vessel there all along
	}
	if inSection {
		impact = model.ImpactHigh
	}
	ev := r.Open(gapKey(mmsi), model.Event{
		Type: "ais_gap", Category: model.CategoryOther, Start: s.last, Lat: s.lat, Lon: s.lon,
		MMSI: []uint32{mmsi}, TrackIDs: []uint64{s.track}, Confidence: conf, Impact: impact,
		Params: map[string]float64{"min_gap_h": d.MinGap.Hours(), "short_gap_min": d.ShortGap.Minutes(),
			"dark_while_seen_min": d.DarkWhileSeen.Minutes(), "max_sight_gap_s": d.MaxSightGap.Seconds(),
			"min_shore_nm":               d.MinShoreDistance / geo.NauticalMile,
			"min_reception_per_vessel_h": d.MinReception},
		Details: map[string]any{"in_sight": inSight, "in_section": inSection,
			"reception_per_vessel_h": round1(rec)},
	})
	if d.Land != nil {
		ev.Details["start_shore_nm"] = round1(d.Land.DistanceToShore(s.lat, s.lon) / geo.NauticalMile)
	}
	if len(ev.Evidence) == 0 {
		ev.Evidence = append(ev.Evidence, model.Evidence{Time: s.last, TrackID: s.track, Lat: s.lat, Lon: s.lon,
			SOG: s.sog, COG: s.cog, Sensors: []string{model.SensorAIS.String()}})
	}
	s.ev, s.inSight, s.reported = ev, inSight, s.last
}

// finishAt closes the open gap at the report that ends it.
func (d *AISGap) finishAt(s *gapVessel, t *track.Track, lat, lon float64, end time.Time, r *Recorder, mmsi uint32) {
	ev := s.ev
	dist := geo.Distance(s.lat, s.lon, lat, lon)
	gap := end.Sub(s.last)
	ev.Details["end_lat"], ev.Details["end_lon"] = round5(lat), round5(lon)
	ev.Details["distance_km"] = round1(dist / 1000)
	if gap > 0 {
		ev.Details["implied_speed_kn"] = round1(dist / gap.Seconds() / geo.Knot)
	}
	if d.Land != nil && !s.inSight {
		ev.Details["end_shore_nm"] = round1(d.Land.DistanceToShore(lat, lon) / geo.NauticalMile)
	}
	if !slices.Contains(ev.TrackIDs, t.ID) {
		ev.TrackIDs = append(ev.TrackIDs, t.ID)
	}
	addEvidence(ev, t)
	d.finish(s, end, r, mmsi)
}

// finish closes the open gap at end.
func (d *AISGap) finish(s *gapVessel, end time.Time, r *Recorder, mmsi uint32) {
	ev := s.ev
	gap := end.Sub(s.last)
	ev.Details["gap_min"] = round1(gap.Minutes())
	ev.Details["gap_h"] = round1(gap.Hours())
	if !s.inSight {
		ev.Confidence = max(ev.Confidence, min1(0.5+0.25*gap.Hours()/d.MinGap.Hours()))
	}
	r.Close(gapKey(mmsi), end)
	s.ev = nil
}

// Tick implements Detector: it opens the long gaps whose silence has
// reached its threshold and forgets MMSIs silent for Forget.
func (d *AISGap) Tick(now time.Time, r *Recorder) {
	d.defaults()
	if now.Before(d.nextScan) {
		return
	}
	d.nextScan = now.Add(gapScanEvery)
	first := d.MinGap
	if d.Sections != nil {
		first = min(d.ShortGap, d.MinGap)
	}
	var due []uint32
	for m, s := range d.vessels {
		silent := now.Sub(s.last)
		judge := s.checked == 0 && silent >= first || s.checked == 1 && silent >= d.MinGap
		if silent > d.Forget || (s.ev == nil && judge && !s.reported.Equal(s.last)) {
			due = append(due, m)
		}
	}
	slices.Sort(due)
	for _, m := range due {
		s := d.vessels[m]
		silent := now.Sub(s.last)
		if silent > d.Forget {
			if s.ev != nil {
				s.ev.Details["still_silent"] = true
				d.finish(s, now, r, m)
			}
			delete(d.vessels, m)
			continue
		}
		rec, ok := d.reception(s.lat, s.lon, s.last)
		good := ok && rec > d.MinReception
		switch {
		case d.section(s.lat, s.lon):
			s.checked = 2
			if good && silent >= d.ShortGap {
				d.open(m, s, false, rec, r)
			}
		case silent >= d.MinGap:
			s.checked = 2
			if good && d.offshore(s.lat, s.lon) {
				d.open(m, s, false, rec, r)
			}
		default:
			s.checked = 1
		}
	}
}

// cellOf is the reception cell holding a point.
func (d *AISGap) cellOf(lat, lon float64) [2]int32 {
	return [2]int32{int32(math.Floor((lat + 90) / d.ReceptionCell)), int32(math.Floor((geo.NormLon(lon) + 180) / d.ReceptionCell))}
}

// cell returns a point's reception cell, its counts faded to now.
func (d *AISGap) cell(lat, lon float64, now time.Time) *receptionCell {
	k := d.cellOf(lat, lon)
	c := d.cells[k]
	if c == nil {
		c = &receptionCell{at: now}
		d.cells[k] = c
	}
	if now.Sub(c.at) >= time.Hour { // fading by the hour is plenty over a month
		f := math.Exp(-now.Sub(c.at).Hours() / d.ReceptionMemory.Hours())
		c.reports *= f
		c.hours *= f
		c.at = now
	}
	return c
}

// reception is the reports per vessel-hour around a point, pooled over its
// cell and the eight around it; ok is false while too few vessel-hours
// were spent there to say.
func (d *AISGap) reception(lat, lon float64, now time.Time) (float64, bool) {
	k := d.cellOf(lat, lon)
	cols := int32(math.Round(360 / d.ReceptionCell))
	var reports, hours float64
	for dr := int32(-1); dr <= 1; dr++ {
		for dc := int32(-1); dc <= 1; dc++ {
			c := d.cells[[2]int32{k[0] + dr, (k[1] + dc + cols) % cols}]
			if c == nil {
				continue
			}
			f := 1.0
			if now.After(c.at) {
				f = math.Exp(-now.Sub(c.at).Hours() / d.ReceptionMemory.Hours())
			}
			reports += c.reports * f
			hours += c.hours * f
		}
	}
	if hours < d.MinReceptionHours {
		return 0, false
	}
	return reports / hours, true
}
