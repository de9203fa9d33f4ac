package detect

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"pharos/internal/ais"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// IdentitySpoof finds AIS identities that cannot be what they claim
// (Details "kind"):
//
//   - "invalid_mmsi": an MMSI that is not nine digits of a known ITU-R
//     M.585 format with an allocated MID (ais.ValidMMSI), on a vessel
//     moving faster than MovingSpeed for MinMoving;
//   - "non_vessel_moving": the MMSI of a station that is not a ship (a
//     coast station 00MID, a group call 0MID, an aid to navigation 99MID,
//     a SART 970, MOB device 972 or EPIRB 974) moving like a vessel, faster
//     than MovingSpeed for MinMoving. A SAR aircraft (111MID) counts only
//     at vessel speeds, under MaxVesselSpeed: flying, it is what it says;
//   - "two_places": one MMSI reported in two places at once, the sign of
//     a cloned identity: consecutive positions implying more than
//     MaxImpliedSpeed (issue 4: 50 kn) over more than MinJump, and more
//     than SpeedMargin times what the vessel itself reports (a go-fast
//     with AIS at 55 kn is fast, not cloned), seen MinConflicts times
//     within Quiet. The tracker refuses reports beyond its kinematic
//     check (80 kn) without passing them on; what reaches the tracks is a
//     jump when a track is restarted on the other position, or when the
//     MMSI comes back far away on a new track. The refused reports
//     themselves reach the detector through ObserveRejected (see
//     RejectedObserver);
//   - "identity_change": the name or ship type an MMSI sends changes after
//     it has been stable for StableFor: a renamed vessel, or two vessels
//     sharing one MMSI.
//
// Events are kept by MMSI and kind. They end when the condition has not
// been seen for Quiet, those about moving when the station has not moved
// for MinMoving or its track is dropped.
type IdentitySpoof struct {
	// MovingSpeed is the speed above which a station moves like a vessel,
	// knots; default 3 (faster than an aid to navigation or a survival
	// craft drifts).
	MovingSpeed float64
	// MinMoving is how long it must keep moving; default 5 min.
	MinMoving time.Duration
	// MaxVesselSpeed is the top of a vessel's speeds, knots, for SAR
	// aircraft; default 40.
	MaxVesselSpeed float64
	// MaxImpliedSpeed is the speed between two reports of one MMSI above
	// which they are two places at once, knots; default 50 (issue 4).
	MaxImpliedSpeed float64
	// MinJump is the least distance between the two places, metres, so
	// that GNSS noise between close reports is no jump; default 1000.
	MinJump float64
	// SpeedMargin: the implied speed must also exceed this many times the
	// speed the vessel reports; default 1.5.
	SpeedMargin float64
	// MinConflicts is how many jumps or refused reports, each within
	// Quiet of the last, make a "two_places" event; default 2, so that a
	// single wild GNSS fix is not one.
	MinConflicts int
	// StableFor is how long a name or ship type must have held before a
	// change counts; default 1 h.
	StableFor time.Duration
	// Quiet ends an event when its condition has not been seen for this
	// long, and is the window in which conflicts are counted; default 2 h,
	// to bridge the hour or so between the jumps that the tracks show of
	// a clone whose own reports the tracker refuses.
	Quiet time.Duration
	// Forget is how long an MMSI may be silent before it is forgotten;
	// default 24 h.
	Forget time.Duration

	vessels  map[uint32]*spoofVessel
	nextScan time.Time
}

// RejectedObserver is a detector that also wants the AIS position reports
// the tracker refused (its kinematic check), with the track they were
// refused for: the tracker's Rejected callback, wired to
// Engine.ObserveRejected, hands them on.
type RejectedObserver interface {
	ObserveRejected(o *model.Observation, t *track.Track, r *Recorder)
}

// Kinds of identity spoofing, the index of a spoofVessel's events.
const (
	spoofInvalid = iota
	spoofNonVessel
	spoofTwoPlaces
	spoofIdentity
	spoofKinds
)

var spoofKindNames = [spoofKinds]string{"invalid_mmsi", "non_vessel_moving", "two_places", "identity_change"}

type spoofVessel struct {
	track    uint64
	lastSeen time.Time
	// The last AIS-updated state.
	last     time.Time
	lat, lon float64
	sog      float64

	movingSince time.Time // zero while not moving

	name, normName     string // name as sent, and normalised
	nameSince          time.Time
	shipType           uint8
	typeSince          time.Time
	conflicts          int               // jumps or refused reports, each within Quiet of the last
	firstConflict      time.Time         // of the conflicts counted
	firstPlaces        [2]model.Evidence // the two places of the first
	lastConflict       time.Time
	ev                 [spoofKinds]*model.Event
	evLast             [spoofKinds]time.Time // the condition last seen
	maxImplied, maxJmp float64
}

func (d *IdentitySpoof) defaults() {
	if d.MovingSpeed == 0 {
		d.MovingSpeed = 3
	}
	if d.MinMoving == 0 {
		d.MinMoving = 5 * time.Minute
	}
	if d.MaxVesselSpeed == 0 {
		d.MaxVesselSpeed = 40
	}
	if d.MaxImpliedSpeed == 0 {
		d.MaxImpliedSpeed = 50
	}
	if d.MinJump == 0 {
		d.MinJump = 1000
	}
	if d.SpeedMargin == 0 {
		d.SpeedMargin = 1.5
	}
	if d.MinConflicts == 0 {
		d.MinConflicts = 2
	}
	if d.StableFor == 0 {
		d.StableFor = time.Hour
	}
	if d.Quiet == 0 {
		d.Quiet = 2 * time.Hour
	}
	if d.Forget == 0 {
		d.Forget = 24 * time.Hour
	}
	if d.vessels == nil {
		d.vessels = map[uint32]*spoofVessel{}
	}
}

// Type implements Detector.
func (d *IdentitySpoof) Type() string { return "identity_spoof" }

func spoofKey(mmsi uint32, kind int) string {
	return fmt.Sprintf("identity_spoof/%d/%s", mmsi, spoofKindNames[kind])
}

// Observe implements Detector.
func (d *IdentitySpoof) Observe(t *track.Track, r *Recorder) {
	d.defaults()
	if t.OwnAsset || t.Identity == nil || t.Identity.MMSI == 0 {
		return
	}
	mmsi := t.Identity.MMSI
	s := d.vessels[mmsi]
	seen := t.Seen[model.SensorAIS]
	if s == nil {
		if t.Status == track.Dropped || seen.IsZero() {
			return
		}
		s = &spoofVessel{track: t.ID}
		d.vessels[mmsi] = s
	}
	if t.Status == track.Dropped {
		if s.track == t.ID {
			s.movingSince = time.Time{}
			for _, k := range []int{spoofInvalid, spoofNonVessel} {
				d.end(mmsi, s, k, r)
			}
		}
		return
	}
	s.track, s.lastSeen = t.ID, t.Updated
	sog, _ := t.Velocity()

	if seen.After(s.last) {
		lat, lon := t.Position()
		if !s.last.IsZero() {
			d.jump(mmsi, s, t, lat, lon, seen, sog, r)
		}
		s.last, s.lat, s.lon, s.sog = seen, lat, lon, sog
	}
	d.moving(mmsi, s, t, sog, r)
	d.identity(mmsi, s, t, r)
}

// moving handles the kinds that are about a station moving like a vessel.
func (d *IdentitySpoof) moving(mmsi uint32, s *spoofVessel, t *track.Track, sog float64, r *Recorder) {
	kind := -1
	switch k := ais.Classify(mmsi); {
	case !ais.ValidMMSI(mmsi):
		kind = spoofInvalid
	case k == ais.KindSARAircraft:
		if sog > d.MaxVesselSpeed {
			s.movingSince = time.Time{}
			return
		}
		kind = spoofNonVessel
	case k == ais.KindCoastStation || k == ais.KindGroup || k == ais.KindAidToNavigation ||
		k == ais.KindSART || k == ais.KindMOB || k == ais.KindEPIRB:
		kind = spoofNonVessel
	}
	if kind < 0 {
		return
	}
	if sog <= d.MovingSpeed || t.Status != track.Confirmed {
		s.movingSince = time.Time{}
		return
	}
	if s.movingSince.IsZero() {
		s.movingSince = t.Updated
	}
	if t.Updated.Sub(s.movingSince) < d.MinMoving {
		return
	}
	st := ais.Classify(mmsi)
	ev := d.open(mmsi, s, kind, s.movingSince, model.ImpactMedium, 0.7, t, r)
	ev.Details["station_kind"] = st.String()
	ev.Details["speed_kn"] = round1(sog)
	if mid, ok := ais.MID(mmsi); mid != 0 {
		ev.Details["mid"] = int(mid)
		ev.Details["mid_allocated"] = ok
	}
	s.evLast[kind] = t.Updated
	addEvidenceSpaced(ev, t, time.Minute)
}

// jump judges the move from the MMSI's last AIS position to a new one.
func (d *IdentitySpoof) jump(mmsi uint32, s *spoofVessel, t *track.Track, lat, lon float64, at time.Time, sog float64, r *Recorder) {
	// Most moves are a few metres: a bound that overestimates the distance
	// (a degree of longitude taken as long as one of latitude) spares them
	// the great circle.
	const mPerDeg = geo.EarthRadius * math.Pi / 180
	if math.Hypot((lat-s.lat)*mPerDeg, geo.NormLon(lon-s.lon)*mPerDeg) <= d.MinJump {
		return
	}
	dist := geo.Distance(s.lat, s.lon, lat, lon)
	if dist <= d.MinJump {
		return
	}
	here := model.Evidence{Time: s.last, TrackID: s.track, Lat: s.lat, Lon: s.lon, SOG: s.sog,
		Sensors: []string{model.SensorAIS.String()}}
	d.conflict(mmsi, s, t, here, EvidenceOf(t), dist, at.Sub(s.last), max(s.sog, sog), r)
}

// ObserveRejected implements RejectedObserver: a report the tracker
// refused for the track, being too far from it to be the same vessel.
func (d *IdentitySpoof) ObserveRejected(o *model.Observation, t *track.Track, r *Recorder) {
	d.defaults()
	if t == nil || t.OwnAsset || o.Sensor != model.SensorAIS || !o.HasPosition() || !o.Time.After(t.Updated) {
		return // a late report, out of order, is no second place
	}
	s := d.vessels[o.MMSI]
	if s == nil {
		s = &spoofVessel{track: t.ID, lastSeen: t.Updated}
		d.vessels[o.MMSI] = s
	}
	here := EvidenceOf(t)
	dist := geo.Distance(here.Lat, here.Lon, o.Lat, o.Lon)
	if dist <= d.MinJump {
		return
	}
	sog := here.SOG
	if !math.IsNaN(o.SOG) {
		sog = max(sog, o.SOG)
	}
	there := model.Evidence{Time: o.Time, TrackID: t.ID, Lat: o.Lat, Lon: o.Lon, SOG: o.SOG, COG: o.COG,
		Sensors: []string{model.SensorAIS.String()}}
	d.conflict(o.MMSI, s, t, here, there, dist, o.Time.Sub(t.Updated), sog, r)
}

// conflict counts one sign of an MMSI in two places, here and there, dist
// metres apart in dt, for a vessel reporting sog knots. The first
// conflict of a window is kept, so that the event, once it opens, shows
// where it began.
func (d *IdentitySpoof) conflict(mmsi uint32, s *spoofVessel, t *track.Track, here, there model.Evidence, dist float64, dt time.Duration, sog float64, r *Recorder) {
	if ais.Classify(mmsi) == ais.KindSARAircraft {
		return // aircraft fly faster than any vessel
	}
	implied := dist / max(dt.Seconds(), 1) / geo.Knot
	if implied <= d.MaxImpliedSpeed || implied <= d.SpeedMargin*sog {
		return
	}
	now := there.Time
	if s.lastConflict.IsZero() || now.Sub(s.lastConflict) > d.Quiet {
		s.conflicts, s.firstConflict = 0, now
		s.maxImplied, s.maxJmp = 0, 0
		s.firstPlaces = [2]model.Evidence{here, there}
	}
	s.conflicts++
	s.lastConflict = now
	s.maxImplied, s.maxJmp = max(s.maxImplied, implied), max(s.maxJmp, dist)
	if s.conflicts < d.MinConflicts && s.ev[spoofTwoPlaces] == nil {
		return
	}
	ev := s.ev[spoofTwoPlaces]
	if ev == nil {
		ev = d.open(mmsi, s, spoofTwoPlaces, s.firstConflict, model.ImpactHigh, 0.7, t, r)
		if s.conflicts > 1 {
			spoofEvidence(ev, s.firstPlaces[0])
			spoofEvidence(ev, s.firstPlaces[1])
		}
	}
	ev.Lat, ev.Lon = there.Lat, there.Lon
	ev.Details["other_lat"], ev.Details["other_lon"] = round5(here.Lat), round5(here.Lon)
	ev.Details["distance_km"] = round1(s.maxJmp / 1000)
	ev.Details["implied_speed_kn"] = math.Round(s.maxImplied)
	ev.Details["conflicts"] = s.conflicts
	ev.Confidence = max(ev.Confidence, min1(0.6+0.1*float64(s.conflicts)))
	s.evLast[spoofTwoPlaces] = now
	if n := len(ev.Evidence); n == 0 || now.Sub(ev.Evidence[n-1].Time) >= time.Minute {
		spoofEvidence(ev, here)
		spoofEvidence(ev, there)
	}
}

// spoofEvidence adds one state to an event's evidence as addEvidence does:
// the first half of the slots kept, the rest sliding.
func spoofEvidence(ev *model.Event, e model.Evidence) {
	if len(ev.Evidence) < maxEvidence {
		ev.Evidence = append(ev.Evidence, e)
		return
	}
	keep := maxEvidence / 2
	copy(ev.Evidence[keep:], ev.Evidence[keep+1:])
	ev.Evidence[len(ev.Evidence)-1] = e
}

// identity handles changes of the name and ship type an MMSI sends.
func (d *IdentitySpoof) identity(mmsi uint32, s *spoofVessel, t *track.Track, r *Recorder) {
	id := t.Identity
	now := t.Updated
	if id.Name != s.name {
		norm := normalIdent(id.Name)
		switch {
		case norm == "":
		case s.normName == "" || norm == s.normName:
			if s.normName == "" {
				s.nameSince = now
			}
			s.name, s.normName = id.Name, norm
		default:
			if now.Sub(s.nameSince) >= d.StableFor || s.ev[spoofIdentity] != nil {
				ev := d.changed(mmsi, s, t, r)
				ev.Details["old_name"], ev.Details["new_name"] = s.name, id.Name
			}
			s.name, s.normName, s.nameSince = id.Name, norm, now
		}
	}
	if id.ShipType != s.shipType && id.ShipType != 0 {
		if s.shipType != 0 && (now.Sub(s.typeSince) >= d.StableFor || s.ev[spoofIdentity] != nil) {
			ev := d.changed(mmsi, s, t, r)
			ev.Details["old_ship_type"], ev.Details["new_ship_type"] = int(s.shipType), int(id.ShipType)
		}
		s.shipType, s.typeSince = id.ShipType, now
	}
}

func (d *IdentitySpoof) changed(mmsi uint32, s *spoofVessel, t *track.Track, r *Recorder) *model.Event {
	ev := d.open(mmsi, s, spoofIdentity, t.Updated, model.ImpactMedium, 0.6, t, r)
	n, _ := ev.Details["changes"].(int)
	ev.Details["changes"] = n + 1
	s.evLast[spoofIdentity] = t.Updated
	addEvidence(ev, t)
	return ev
}

// open returns the MMSI's open event of a kind, opening it at start.
func (d *IdentitySpoof) open(mmsi uint32, s *spoofVessel, kind int, start time.Time, impact model.ImpactLevel, conf float64, t *track.Track, r *Recorder) *model.Event {
	if ev := s.ev[kind]; ev != nil {
		if !slices.Contains(ev.TrackIDs, t.ID) {
			ev.TrackIDs = append(ev.TrackIDs, t.ID)
		}
		return ev
	}
	lat, lon := t.Position()
	ev := r.Open(spoofKey(mmsi, kind), model.Event{
		Type: "identity_spoof", Category: model.CategoryOther, Start: start, Lat: lat, Lon: lon,
		MMSI: []uint32{mmsi}, TrackIDs: []uint64{t.ID}, Confidence: conf, Impact: impact,
		Params: map[string]float64{"moving_speed_kn": d.MovingSpeed, "min_moving_s": d.MinMoving.Seconds(),
			"max_implied_speed_kn": d.MaxImpliedSpeed, "min_jump_m": d.MinJump, "min_conflicts": float64(d.MinConflicts),
			"stable_for_s": d.StableFor.Seconds()},
		Details: map[string]any{"kind": spoofKindNames[kind]},
	})
	s.ev[kind] = ev
	return ev
}

// end closes the MMSI's event of a kind at the last time its condition
// was seen.
func (d *IdentitySpoof) end(mmsi uint32, s *spoofVessel, kind int, r *Recorder) {
	if s.ev[kind] == nil {
		return
	}
	r.Close(spoofKey(mmsi, kind), s.evLast[kind])
	s.ev[kind] = nil
}

// Tick implements Detector: events whose condition has been quiet end,
// and MMSIs silent for Forget are forgotten.
func (d *IdentitySpoof) Tick(now time.Time, r *Recorder) {
	d.defaults()
	if now.Before(d.nextScan) {
		return
	}
	d.nextScan = now.Add(time.Minute)
	var due []uint32
	for m, s := range d.vessels {
		if now.Sub(s.lastSeen) > d.Forget || slices.ContainsFunc(s.ev[:], func(e *model.Event) bool { return e != nil }) {
			due = append(due, m)
		}
	}
	slices.Sort(due)
	for _, m := range due {
		s := d.vessels[m]
		forget := now.Sub(s.lastSeen) > d.Forget
		for k := range spoofKinds {
			quiet := d.Quiet
			if k == spoofInvalid || k == spoofNonVessel {
				quiet = d.MinMoving
			}
			if s.ev[k] != nil && (forget || now.Sub(s.evLast[k]) > quiet) {
				d.end(m, s, k, r)
			}
		}
		if forget {
			delete(d.vessels, m)
		}
	}
}

// normalIdent is a name as names are compared: upper case, letters and
// digits only.
func normalIdent(s string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}
