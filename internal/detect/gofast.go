package detect

import (
	"strconv"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// GoFast finds small craft running fast: the go-fasts that carry hashish
// across the Strait of Gibraltar at 40–60 kn in 12–16 m boats. The
// thresholds follow that pattern: a planing boat under 18 m (by its
// length from radar, satellite or AIS) sustaining more than 30 kn — the
// distance made good over the last MinDuration (5 min: over shorter spans
// the radar's noise makes a 28-kn boat read over 30), not an instant
// speed —; a
// target with no AIS and no known length counts as small, since hardly
// any ship that size runs at 30 kn without transmitting.
type GoFast struct {
	MinSpeed    float64       // knots; default 30
	EndSpeed    float64       // knots; the run ends below this; default 25
	MaxLength   float64       // metres; default 18
	MinDuration time.Duration // sustained for this long, measured over it; default 5 min
	// LandfallRange is how far ahead along its course the coast the boat
	// closes on is looked for; default 60 km.
	LandfallRange float64
	Land          *geo.Land // nil: no landfall estimate

	state map[uint64]*goFastState
}

type goFastState struct {
	fixes    []goFastFix // a position every goFastEvery, the last few minutes
	running  bool
	since    time.Time // start of the run
	lastFast time.Time
	lastSeen time.Time
}

type goFastFix struct {
	t        time.Time
	lat, lon float64
}

// goFastEvery spaces the positions a run is measured on: speed over a
// minute of positions, not the filter's instant estimate, which swings by
// several knots for a radar-only boat.
const goFastEvery = 10 * time.Second

func (d *GoFast) defaults() {
	if d.MinSpeed == 0 {
		d.MinSpeed = 30
	}
	if d.EndSpeed == 0 {
		d.EndSpeed = 25
	}
	if d.MaxLength == 0 {
		d.MaxLength = 18
	}
	if d.MinDuration == 0 {
		d.MinDuration = 5 * time.Minute
	}
	if d.LandfallRange == 0 {
		d.LandfallRange = 60e3
	}
	if d.state == nil {
		d.state = map[uint64]*goFastState{}
	}
}

// Type implements Detector.
func (d *GoFast) Type() string { return "go_fast" }

func (d *GoFast) small(t *track.Track) bool {
	if l := t.BestLength(); l > 0 {
		return l <= d.MaxLength
	}
	if t.Identity != nil && t.Identity.ShipType != 0 {
		// AIS ship types of small craft: fishing, towing, diving, military,
		// sailing, pleasure (30–37), pilot, SAR, tug, port tender,
		// anti-pollution, law enforcement (50–55).
		st := t.Identity.ShipType
		return (st >= 30 && st <= 37) || (st >= 50 && st <= 55)
	}
	return t.Dark()
}

// Observe implements Detector.
func (d *GoFast) Observe(t *track.Track, r *Recorder) {
	d.defaults()
	s := d.state[t.ID]
	if t.Status == track.Dropped || !d.small(t) || t.OwnAsset {
		if s != nil {
			d.end(goFastKey(t.ID), s, r)
			delete(d.state, t.ID)
		}
		return
	}
	if t.Status != track.Confirmed {
		return
	}
	if s == nil {
		s = &goFastState{}
		d.state[t.ID] = s
	}
	s.lastSeen = t.Updated
	lat, lon := t.Position()
	if n := len(s.fixes); n == 0 || t.Updated.Sub(s.fixes[n-1].t) >= goFastEvery {
		s.fixes = append(s.fixes, goFastFix{t.Updated, lat, lon})
	}
	// Keep one fix older than MinDuration, and the ones after it.
	for len(s.fixes) > 1 && t.Updated.Sub(s.fixes[1].t) >= d.MinDuration {
		s.fixes = s.fixes[1:]
	}
	from := s.fixes[0]
	span := t.Updated.Sub(from.t)
	if span < d.MinDuration {
		return
	}
	sog := geo.Distance(from.lat, from.lon, lat, lon) / span.Seconds() / geo.Knot
	switch {
	case !s.running && sog > d.MinSpeed:
		s.running, s.since = true, from.t
	case s.running && sog < d.EndSpeed:
		d.end(goFastKey(t.ID), s, r)
		s.running = false
		return
	case !s.running:
		return
	}
	if sog > d.MinSpeed {
		s.lastFast = t.Updated
	}
	cog := geo.Bearing(from.lat, from.lon, lat, lon)
	ev := r.Open(goFastKey(t.ID), model.Event{
		Type: "go_fast", Category: model.CategoryCrossBorderCrime, Start: s.since, Lat: lat, Lon: lon,
		TrackIDs: []uint64{t.ID}, Confidence: goFastConfidence(sog, d.MinSpeed), Impact: model.ImpactHigh,
		Params: map[string]float64{"min_speed_kn": d.MinSpeed, "end_speed_kn": d.EndSpeed,
			"max_length_m": d.MaxLength, "min_duration_s": d.MinDuration.Seconds()},
	})
	if m := MMSIOf(t); m != 0 && len(ev.MMSI) == 0 {
		ev.MMSI = []uint32{m}
	}
	ev.Lat, ev.Lon = lat, lon
	ev.Confidence = max(ev.Confidence, goFastConfidence(sog, d.MinSpeed))
	ev.Details = map[string]any{"speed_kn": round1(sog), "heading": round1(cog)}
	if d.Land != nil {
		if dist, llat, llon, ok := landfall(d.Land, lat, lon, cog, d.LandfallRange); ok {
			ev.Details["landfall_lat"], ev.Details["landfall_lon"] = round5(llat), round5(llon)
			ev.Details["landfall_km"] = round1(dist / 1000)
			ev.Details["time_to_landfall_min"] = round1(dist / (sog * geo.Knot) / 60)
		}
	}
	addEvidence(ev, t)
}

// Tick implements Detector: a boat no sensor reports any more ends its run.
func (d *GoFast) Tick(now time.Time, r *Recorder) {
	d.defaults()
	for _, id := range sortedKeys(d.state) {
		if s := d.state[id]; now.Sub(s.lastSeen) > 2*time.Minute {
			d.end(goFastKey(id), s, r)
			delete(d.state, id)
		}
	}
}

func goFastKey(id uint64) string { return "go_fast/" + strconv.FormatUint(id, 10) }

func (d *GoFast) end(key string, s *goFastState, r *Recorder) {
	if r.Get(key) != nil {
		r.Close(key, s.lastFast)
	}
	s.running = false
}

// goFastConfidence grows from 0.5 at the threshold to 1 at twice it.
func goFastConfidence(sog, min float64) float64 {
	return max(0.5, min1(0.5+0.5*(sog-min)/min))
}

// landfall marches along a course until it meets land; it returns the
// distance and the point reached.
func landfall(land *geo.Land, lat, lon, course, maxDist float64) (dist, llat, llon float64, ok bool) {
	const step = 250.0
	for d := step; d <= maxDist; d += step {
		la, lo := geo.Destination(lat, lon, course, d)
		if land.Contains(la, lo) {
			return d, la, lo, true
		}
	}
	return 0, 0, 0, false
}
