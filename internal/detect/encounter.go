package detect

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// Encounter finds two vessels that stay close together, slowly, away from
// port: a transfer of catch, fuel, crew or cargo at sea. The thresholds are
// Global Fishing Watch's (technical documentation, "Encounters"; Miller et
// al. 2018, "Identifying global patterns of transshipment behavior",
// Frontiers in Marine Science; the pipe-encounters parameters
// max_encounter_dist_km 0.5, min_encounter_time_minutes 120 and
// min_hours_between_encounters 4): within 500 m of each other for at least
// 2 h, at a median speed under 2 kn, at least 10 km from a coastal
// anchorage; meetings of the same two less than 4 h apart are one. Here
// the speed is the mean of the two, its median taken over the encounter
// sampled once a minute, and a moment close together counts only when the
// slower of the two is under MaxSpeed: two vessels passing at speed, or a
// ship and its own radar echo under way, are not meeting.
//
// Unlike GFW, which pairs AIS vessels, one side may be dark: a track that
// radar or satellite sees and no AIS claims. An AIS vessel lying still
// while a dark boat comes alongside is the suspected transhipment of drugs
// or people the node exists to see (Details "dark": true). A dark boat has
// no identity, and radar, confused by the large echo beside it, often
// loses it and picks it up again under a new track id, so the dark side
// is "a dark target" and not one track: the AIS vessel's meeting with
// whatever dark tracks come alongside it is one encounter, whose TrackIDs
// list them all. Two dark tracks are not paired: side by side, they are as
// often one object tracked twice. Own assets are never paired, since a
// patrol boat alongside a suspect is an interdiction, not an encounter.
// The AIS side is its MMSI, so that a vessel whose track is dropped and
// started again stays the same side.
//
// Away from port. GFW measures the 10 km from its own anchorages: the
// places along every coast where AIS shows vessels stopping. The node
// carries sea-ports' 1,610 trading ports instead (geo.LoadPorts), and
// both vessels must be at least MinPortDistance (10 km, GFW's figure) from
// the nearest of them. That table lacks most small harbours and every
// anchorage that is not a port's: of the 596 vessels reporting "at
// anchor" in the MarineCadastre day of US traffic in shared/data, only
// 27 % lie within 10 km of one of its ports, while 73 % lie within 10 km
// of the shore (geo's TestPortsAnchoredVessels). So MinShoreDistance
// (10 km from the coastline) stays beside it as the stand-in for the
// anchorages the table lacks: the ports alone would let 73 % of those
// anchored vessels through, the two together 27 %, as the shore alone
// does in those waters. The port check is what GFW's definition asks for,
// and it catches offshore terminals and anchorages the coastline does not
// explain (Taboneo, 18 km out; ports on islets the coastline leaves out);
// an operator who knows the anchorages of the coast can lower
// MinShoreDistance and rely on the ports.
//
// Candidate pairs come from a spatial hash of the tracks' current
// positions (encounterCell degrees a cell), updated on every track change,
// so a track is only compared with those in the cells around it. The
// detector runs on event time, with no day windows: an encounter across
// midnight is one event. It ends at the last time the two were seen
// together, once MaxGap has passed without their meeting again.
type Encounter struct {
	// MaxDistance is how close, metres, the two must be; default 500.
	MaxDistance float64
	// MinDuration is how long they must stay close, from the first time
	// they were seen close to the last; default 2 h (GFW).
	MinDuration time.Duration
	// MaxSpeed is the median of the two vessels' mean speed over the
	// encounter below which it counts, knots; default 2.
	MaxSpeed float64
	// MinPortDistance is how far, metres, both must be from the nearest
	// port of Ports; default 10 km (GFW's distance from an anchorage).
	MinPortDistance float64
	// MinShoreDistance is how far from shore, metres, both must be;
	// default 10 km, the stand-in for the anchorages Ports lacks (see
	// above).
	MinShoreDistance float64
	// MaxGap is the longest time the two may be apart, or unseen, and
	// their meeting still be one encounter; default 4 h (GFW).
	MaxGap time.Duration
	Land   *geo.Land  // nil: shore distance is not checked
	Ports  *geo.Ports // nil: port distance is not checked

	tracks map[uint64]*encTrack
	cells  map[int64][]*encTrack
	pairs  map[encPairKey]*encPair
}

// encounterCell is the side of a spatial hash cell, degrees: about 1 km,
// twice the default MaxDistance, so that the circle of MaxDistance round
// a track overlaps two cells by two, mostly, and a handful of vessels.
const encounterCell = 0.01

// encSampleEvery spaces the speed samples of a pair, so that the median is
// over time, not over updates (radar tracks update every scan, AIS ones as
// often as they report).
const encSampleEvery = time.Minute

// encSpeedBins holds a pair's mean speed samples in 0.1 kn bins; the last
// bin takes all faster.
const encSpeedBins = 200

// encMaxTrackIDs bounds the track ids an encounter lists.
const encMaxTrackIDs = 16

type encTrack struct {
	id       uint64
	side     uint64 // its MMSI, or encDark
	dark     bool   // no AIS now
	lat, lon float64
	sog      float64
	t        time.Time
	row, col int32 // spatial hash cell
	hashed   bool
	// The port and shore checks are redone only after the track has
	// moved about a kilometre: a distance to shore costs a search of the
	// coastline.
	placeLat, placeLon float64
	placeAt            bool // placeLat/Lon hold a checked point
	nearPort           bool // within MinPortDistance of a port
	nearShore          bool // within MinShoreDistance of the coast
}

// encDark is the side of every track no MMSI claims.
const encDark = 0

// encPairKey is a pair of sides, the lower first.
type encPairKey struct{ a, b uint64 }

func encPairOf(x, y uint64) encPairKey {
	if x > y {
		x, y = y, x
	}
	return encPairKey{x, y}
}

type encPair struct {
	first, last  time.Time // first and last seen close together
	lastSample   time.Time
	minDist, sum float64
	n            int
	latSum       float64
	lonSum       float64
	speeds       [encSpeedBins]uint32
	samples      int
	dark         bool
	tracks       []uint64
	key          string
	ev           *model.Event
}

func (d *Encounter) defaults() {
	if d.MaxDistance == 0 {
		d.MaxDistance = 500
	}
	if d.MinDuration == 0 {
		d.MinDuration = 2 * time.Hour
	}
	if d.MaxSpeed == 0 {
		d.MaxSpeed = 2
	}
	if d.MinPortDistance == 0 {
		d.MinPortDistance = 10e3
	}
	if d.MinShoreDistance == 0 {
		d.MinShoreDistance = 10e3
	}
	if d.MaxGap == 0 {
		d.MaxGap = 4 * time.Hour
	}
	if d.tracks == nil {
		d.tracks = map[uint64]*encTrack{}
		d.cells = map[int64][]*encTrack{}
		d.pairs = map[encPairKey]*encPair{}
	}
}

// Type implements Detector.
func (d *Encounter) Type() string { return "encounter" }

// Observe implements Detector.
func (d *Encounter) Observe(t *track.Track, r *Recorder) {
	d.defaults()
	s := d.tracks[t.ID]
	if t.Status == track.Dropped || t.OwnAsset {
		if s != nil {
			d.unhash(s)
			delete(d.tracks, s.id)
		}
		return
	}
	if t.Status != track.Confirmed {
		return // tentative, or coasting on a prediction
	}
	if s == nil {
		s = &encTrack{id: t.ID}
		d.tracks[t.ID] = s
	}
	s.lat, s.lon = t.Position()
	s.sog, _ = t.Velocity()
	s.t = t.Updated
	s.side = uint64(MMSIOf(t))
	s.dark = t.Dark()
	if (d.Land != nil || d.Ports != nil) &&
		(!s.placeAt || math.Abs(s.lat-s.placeLat) > 0.01 || math.Abs(geo.NormLon(s.lon-s.placeLon)) > 0.01) {
		s.placeLat, s.placeLon, s.placeAt = s.lat, s.lon, true
		// The port lookup is the cheaper: the coast is searched only when
		// no port is near.
		s.nearPort = d.Ports != nil && d.Ports.DistanceWithin(s.lat, s.lon, d.MinPortDistance) < d.MinPortDistance
		s.nearShore = !s.nearPort && d.Land != nil && offshore(d.Land, s.lat, s.lon, d.MinShoreDistance) < d.MinShoreDistance
	}
	if s.nearPort || s.nearShore {
		d.unhash(s)
		return
	}
	d.hash(s)
	if s.sog >= d.MaxSpeed {
		// A moment close together counts only when the slower of the two
		// is slow: this track's slow neighbours, searching, will find it.
		return
	}
	const mPerDeg = geo.EarthRadius * math.Pi / 180
	maxDLat := d.MaxDistance / mPerDeg
	cosLat := max(math.Cos(s.lat*math.Pi/180), 0.01)
	maxDLon := maxDLat / cosLat
	// The cells the circle of MaxDistance round the track overlaps: two
	// by two, mostly.
	r0, r1 := int32(math.Floor((s.lat-maxDLat+90)/encounterCell)), int32(math.Floor((s.lat+maxDLat+90)/encounterCell))
	lon := geo.NormLon(s.lon) + 180
	c0, c1 := int32(math.Floor((lon-maxDLon)/encounterCell)), int32(math.Floor((lon+maxDLon)/encounterCell))
	c1 = min(c1, c0+encCells-1)
	for row := r0; row <= r1; row++ {
		for col := c0; col <= c1; col++ {
			for _, o := range d.cells[encCellKey(row, col)] {
				if o == s || s.side == o.side {
					continue // itself, two dark tracks, or one MMSI twice
				}
				if dlat := s.lat - o.lat; dlat > maxDLat || dlat < -maxDLat || !d.fresh(s, o) {
					continue
				}
				if dlon := geo.NormLon(s.lon - o.lon); dlon > maxDLon*1.01 || dlon < -maxDLon*1.01 {
					continue
				}
				if dist := geo.Distance(s.lat, s.lon, o.lat, o.lon); dist <= d.MaxDistance {
					d.close(s, o, dist, t, r)
				}
			}
		}
	}
}

// encCells is the number of spatial hash columns round the globe.
const encCells = int32(360 / encounterCell)

// encCellKey is the key of a spatial hash cell; columns wrap round the
// antimeridian.
func encCellKey(row, col int32) int64 {
	return int64(row)<<32 | int64(uint32((col%encCells+encCells)%encCells))
}

// fresh reports whether two tracks' last states are close enough in time
// to be compared: each may have moved 100 m since, at most 10 min apart
// (an AIS vessel at anchor reports every 3 min).
func (d *Encounter) fresh(s, o *encTrack) bool {
	dt := s.t.Sub(o.t)
	if dt < 0 {
		dt = -dt
	}
	v := max(s.sog, o.sog) * geo.Knot
	limit := 10 * time.Minute
	if v > 0 {
		limit = min(limit, max(30*time.Second, time.Duration(100/v*float64(time.Second))))
	}
	return dt <= limit
}

// close records two tracks seen close together at s's time, and opens or
// updates the event of their sides once it has lasted.
func (d *Encounter) close(s, o *encTrack, dist float64, t *track.Track, r *Recorder) {
	k := encPairOf(s.side, o.side)
	p := d.pairs[k]
	if p == nil {
		p = &encPair{first: s.t, minDist: math.Inf(1)}
		d.pairs[k] = p
	}
	p.last = s.t
	p.minDist = min(p.minDist, dist)
	p.sum += dist
	p.n++
	p.latSum += (s.lat + o.lat) / 2
	p.lonSum += (s.lon + o.lon) / 2
	for _, id := range []uint64{s.id, o.id} {
		if len(p.tracks) < encMaxTrackIDs && !slices.Contains(p.tracks, id) {
			p.tracks = append(p.tracks, id)
		}
	}
	sampled := false
	if p.lastSample.IsZero() || s.t.Sub(p.lastSample) >= encSampleEvery {
		p.lastSample, sampled = s.t, true
		v := (s.sog + o.sog) / 2
		p.speeds[min(int(math.Max(v, 0)*10), encSpeedBins-1)]++
		p.samples++
		p.dark = p.dark || s.dark || o.dark
	}
	if p.ev == nil {
		if p.last.Sub(p.first) < d.MinDuration || p.median() >= d.MaxSpeed {
			return
		}
		p.key = fmt.Sprintf("encounter/%d/%d", k.a, k.b)
		var mmsi []uint32
		for _, side := range []uint64{k.a, k.b} {
			if side != encDark {
				mmsi = append(mmsi, uint32(side))
			}
		}
		p.ev = r.Open(p.key, model.Event{
			Type: "encounter", Category: model.CategoryCrossBorderCrime, Start: p.first,
			MMSI: mmsi, Confidence: 0.6, Impact: model.ImpactMedium,
			Params: map[string]float64{"max_distance_m": d.MaxDistance, "min_duration_s": d.MinDuration.Seconds(),
				"max_speed_kn": d.MaxSpeed, "min_port_distance_m": d.MinPortDistance,
				"min_shore_distance_m": d.MinShoreDistance, "max_gap_s": d.MaxGap.Seconds()},
		})
		sampled = true
	}
	ev := p.ev
	if p.dark {
		ev.Impact = model.ImpactHigh // a dark boat alongside: a suspected transhipment
	}
	ev.TrackIDs = append(ev.TrackIDs[:0], p.tracks...)
	ev.Lat, ev.Lon = round5(p.latSum/float64(p.n)), round5(p.lonSum/float64(p.n))
	// Confidence grows with the time together, from 0.6 at MinDuration.
	ev.Confidence = max(ev.Confidence, min1(0.6+0.2*(p.last.Sub(p.first).Hours()/d.MinDuration.Hours()-1)))
	if sampled {
		ev.Details = map[string]any{"median_speed_kn": round1(p.median()), "min_distance_m": math.Round(p.minDist),
			"mean_distance_m": math.Round(p.sum / float64(p.n)), "dark": p.dark,
			"duration_min": round1(p.last.Sub(p.first).Minutes())}
		addNearestPort(ev.Details, d.Ports, ev.Lat, ev.Lon)
		addEvidenceSpaced(ev, t, encSampleEvery)
	}
}

// median is the median of the pair's mean speed samples, knots, to the
// middle of its 0.1 kn bin.
func (p *encPair) median() float64 {
	half := (p.samples + 1) / 2
	n := 0
	for i, c := range p.speeds {
		if n += int(c); n >= half {
			return (float64(i) + 0.5) / 10
		}
	}
	return math.Inf(1)
}

// hash puts the track in the cell of its position.
func (d *Encounter) hash(s *encTrack) {
	row, col := int32(math.Floor((s.lat+90)/encounterCell)), int32(math.Floor((geo.NormLon(s.lon)+180)/encounterCell))
	if s.hashed && row == s.row && col == s.col {
		return
	}
	d.unhash(s)
	s.row, s.col, s.hashed = row, col, true
	k := encCellKey(row, col)
	d.cells[k] = append(d.cells[k], s)
}

// unhash takes the track out of its cell.
func (d *Encounter) unhash(s *encTrack) {
	if !s.hashed {
		return
	}
	k := encCellKey(s.row, s.col)
	in := d.cells[k]
	if i := slices.Index(in, s); i >= 0 {
		in = slices.Delete(in, i, i+1)
	}
	if len(in) == 0 {
		delete(d.cells, k)
	} else {
		d.cells[k] = in
	}
	s.hashed = false
}

// Tick implements Detector: pairs not seen together for MaxGap end, their
// events at the last time the two were seen together.
func (d *Encounter) Tick(now time.Time, r *Recorder) {
	d.defaults()
	var keys []encPairKey
	for k, p := range d.pairs {
		if now.Sub(p.last) > d.MaxGap {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y encPairKey) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b))
	})
	for _, k := range keys {
		if p := d.pairs[k]; p.ev != nil {
			p.ev.Details["median_speed_kn"] = round1(p.median())
			p.ev.Details["duration_min"] = round1(p.last.Sub(p.first).Minutes())
			r.Close(p.key, p.last)
		}
		delete(d.pairs, k)
	}
}
