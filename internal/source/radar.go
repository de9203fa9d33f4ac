package source

import (
	"math"
	"strconv"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/nmea"
)

// Defaults used when the corresponding field of a [RadarSite] is zero:
// typical of an X-band coastal surveillance radar.
const (
	DefaultRadarRangeSigma   = 30.0 // metres
	DefaultRadarBearingSigma = 0.5  // degrees
)

// RadarSite describes a fixed coastal radar whose tracker reports targets as
// NMEA TTM (range and bearing from the site) or TLL (latitude and
// longitude) sentences.
type RadarSite struct {
	ID       string        // names the site in observations and target ids
	Lat, Lon float64       // antenna position, degrees WGS 84
	Range    float64       // instrumented range, metres; targets beyond it are rejected; 0 = no limit
	Period   time.Duration // antenna rotation, i.e. the update period of each target; for tracking

	RangeSigma   float64 // 1-sigma range error, metres; 0 takes DefaultRadarRangeSigma
	BearingSigma float64 // 1-sigma bearing error, degrees; 0 takes DefaultRadarBearingSigma
}

// PosError is the 1-sigma position error, in metres, of a target at dist
// metres from the site: the range error and the cross-range error that the
// bearing error makes at that distance, combined.
func (s *RadarSite) PosError(dist float64) float64 {
	sr, sb := s.RangeSigma, s.BearingSigma
	if sr <= 0 {
		sr = DefaultRadarRangeSigma
	}
	if sb <= 0 {
		sb = DefaultRadarBearingSigma
	}
	return math.Hypot(sr, dist*sb*math.Pi/180)
}

// RadarReject says why a radar target did not become an observation. It is
// an error, so a result can be checked with errors.Is, and its String is
// the name under which [RadarReader.Rejects] counts it.
type RadarReject uint8

// Reasons a well-formed radar target is rejected. A target that fails more
// than one check is counted once, under the first in this order.
const (
	RejectRadarLost            RadarReject = iota + 1 // status L: the radar lost the target; not a sighting
	RejectRadarNoPosition                             // a TTM without range or bearing, a TLL without position
	RejectRadarRelativeBearing                        // a TTM bearing not given as true: a fixed site cannot place it
	RejectRadarOutOfRange                             // farther from the site than its instrumented range
	RejectRadarNoTime                                 // no full time on the line, and no UTC or no Day to date it
	numRadarRejects
)

var radarRejectNames = [numRadarRejects]string{
	RejectRadarLost:            "radar_lost_target",
	RejectRadarNoPosition:      "radar_no_position",
	RejectRadarRelativeBearing: "radar_relative_bearing",
	RejectRadarOutOfRange:      "radar_out_of_range",
	RejectRadarNoTime:          "radar_no_time",
}

// String is the reject's name as it appears in statistics.
func (r RadarReject) String() string {
	if r < numRadarRejects && radarRejectNames[r] != "" {
		return radarRejectNames[r]
	}
	return "unknown"
}

func (r RadarReject) Error() string { return "source: " + r.String() }

// RadarReader turns the lines of one radar site's feed into observations
// (sensor radar, source Site.ID, target id "<site>/<number>"). A line that
// cannot be used is counted by reason and never stops the reader. Set Site
// and Day before the first line. A RadarReader is not safe for concurrent
// use; a network input's [LineFunc] calls it from one goroutine.
//
// Event time is the line's own full time (tag block, leading or trailing
// unix time, $PGHP) when it has one. Otherwise it is the sentence's UTC time
// of day on the date of Day, moved on a day each time the time of day falls
// back by more than 12 hours from the last one seen: a feed crossing
// midnight.
type RadarReader struct {
	Site RadarSite
	Day  time.Time // the date (taken in UTC) of the first UTC time of day; zero when lines carry full times

	parser  nmea.Parser
	target  nmea.RadarTarget
	ids     map[int]string // target id per target number, so steady state allocates nothing
	idsSite string         // the Site.ID that ids were made for

	lastTOD float64 // last UTC time of day seen, seconds
	haveTOD bool
	days    int // days after Day that lastTOD falls on

	lines        int
	observations int
	nmeaRejects  [nmea.NumReasons]int
	radarRejects [numRadarRejects]int
}

// Observe reads one line. It returns an observation and true; or false with
// a nil error for a line that only carries a time or source for the next
// one (a tag block alone, a $PGHP line); or false with the reason the line
// was rejected: an [nmea.Reason] (a malformed line, a sentence other than
// TTM or TLL) or a [RadarReject].
func (r *RadarReader) Observe(line []byte) (model.Observation, bool, error) {
	r.lines++
	ok, err := r.parser.ParseRadar(line, &r.target)
	if err != nil {
		if reason, named := err.(nmea.Reason); named && int(reason) < len(r.nmeaRejects) {
			r.nmeaRejects[reason]++
		}
		return model.Observation{}, false, err
	}
	if !ok {
		return model.Observation{}, false, nil
	}
	obs, why := r.convert(&r.target)
	if why != 0 {
		r.radarRejects[why]++
		return model.Observation{}, false, why
	}
	r.observations++
	return obs, true, nil
}

// LineFunc returns a [LineFunc] that hands each observation made from a
// line to emit; rejected lines are only counted, as by Observe.
func (r *RadarReader) LineFunc(emit func(model.Observation)) LineFunc {
	return func(line []byte) {
		if obs, ok, _ := r.Observe(line); ok {
			emit(obs)
		}
	}
}

func (r *RadarReader) convert(t *nmea.RadarTarget) (model.Observation, RadarReject) {
	// Every time of day moves the day tracker, also on lines rejected
	// below: a lost target after midnight still says that midnight passed.
	if !math.IsNaN(t.UTC) {
		if r.haveTOD && t.UTC < r.lastTOD-12*3600 {
			r.days++
		}
		r.lastTOD, r.haveTOD = t.UTC, true
	}

	if t.Status == 'L' {
		return model.Observation{}, RejectRadarLost
	}
	site := &r.Site
	var lat, lon, dist float64
	switch t.Kind {
	case nmea.RadarTTM:
		if math.IsNaN(t.Range) || math.IsNaN(t.Bearing) {
			return model.Observation{}, RejectRadarNoPosition
		}
		if t.BearingRef != 'T' {
			return model.Observation{}, RejectRadarRelativeBearing
		}
		dist = t.Range
		if site.Range > 0 && dist > site.Range {
			return model.Observation{}, RejectRadarOutOfRange
		}
		lat, lon = geo.Destination(site.Lat, site.Lon, t.Bearing, dist)
	default: // nmea.RadarTLL
		if math.IsNaN(t.Lat) || math.IsNaN(t.Lon) {
			return model.Observation{}, RejectRadarNoPosition
		}
		lat, lon = t.Lat, t.Lon
		dist = geo.Distance(site.Lat, site.Lon, lat, lon)
		if site.Range > 0 && dist > site.Range {
			return model.Observation{}, RejectRadarOutOfRange
		}
	}

	when := t.Time
	if when.IsZero() {
		if math.IsNaN(t.UTC) || r.Day.IsZero() {
			return model.Observation{}, RejectRadarNoTime
		}
		y, m, d := r.Day.UTC().Date()
		sec := math.Floor(t.UTC)
		midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() + int64(r.days)*86400
		when = time.Unix(midnight+int64(sec), int64(math.Round((t.UTC-sec)*1e9))).UTC()
	}

	obs := model.NewObservation(when, site.ID, model.SensorRadar)
	obs.Lat, obs.Lon = lat, lon
	obs.TargetID = r.targetID(t.Number)
	obs.PosError = site.PosError(dist)
	// Speed and course are one vector: relative motion (R) or an unstated
	// reference says nothing certain about motion over ground.
	if t.Kind == nmea.RadarTTM && t.CourseRef == 'T' {
		obs.SOG = t.Speed / geo.Knot
		obs.COG = t.Course
	}
	return obs, 0
}

// targetID is "<site>/<number>", made once per target number; "" when the
// sentence had no number.
func (r *RadarReader) targetID(n int) string {
	if n < 0 {
		return ""
	}
	if r.ids == nil || r.idsSite != r.Site.ID {
		r.ids = make(map[int]string)
		r.idsSite = r.Site.ID
	}
	id, ok := r.ids[n]
	if !ok {
		id = r.Site.ID + "/" + strconv.Itoa(n)
		r.ids[n] = id
	}
	return id
}

// Lines returns how many lines were read, rejected and metadata lines
// included.
func (r *RadarReader) Lines() int { return r.lines }

// Observations returns how many lines became observations.
func (r *RadarReader) Observations() int { return r.observations }

// Rejects returns how many lines were rejected, by reason: the names of
// [nmea.Reason] ("bad_checksum", "unsupported_sentence", …) and of
// [RadarReject] ("radar_lost_target", …). Reasons with no rejects are left
// out.
func (r *RadarReader) Rejects() map[string]int {
	m := make(map[string]int)
	for i, n := range r.nmeaRejects {
		if n > 0 {
			m[nmea.Reason(i).String()] = n
		}
	}
	for i, n := range r.radarRejects {
		if n > 0 {
			m[RadarReject(i).String()] = n
		}
	}
	return m
}
