package track

import (
	"math"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// Status is where a track is in its life cycle.
type Status uint8

// Track life cycle: tentative until enough plots confirm it (M of N scans;
// AIS tracks on their second report), coasting while no sensor updates it,
// dropped when it has coasted too long.
const (
	Tentative Status = iota
	Confirmed
	Coasting
	Dropped
)

var statusNames = [...]string{"tentative", "confirmed", "coasting", "dropped"}

func (s Status) String() string { return statusNames[s] }

// Sensors is a set of model.Sensor values.
type Sensors uint8

// Has reports whether s holds the sensor.
func (s Sensors) Has(k model.Sensor) bool { return s&(1<<k) != 0 }

func (s *Sensors) add(k model.Sensor) { *s |= 1 << k }

// Names lists the sensors in a fixed order.
func (s Sensors) Names() []string {
	var out []string
	for k := model.SensorAIS; k <= model.SensorAsset; k++ {
		if s.Has(k) {
			out = append(out, k.String())
		}
	}
	return out
}

// Identity is what AIS (or an own asset's report) says a target is.
type Identity struct {
	MMSI     uint32
	IMO      uint32
	Name     string
	CallSign string
	Flag     string // ISO 3166 alpha-2 from the MMSI's MID
	ShipType uint8
	Length   int // metres, from the reference-point offsets
	Beam     int
}

// AISReport is what a vessel's last AIS position report said.
type AISReport struct {
	Time      time.Time
	SOG, COG  float64 // knots, degrees; NaN when not available
	Heading   float64 // degrees; NaN when not available
	NavStatus int8    // -1 when not available
}

// ping is one past state in the track's plane, kept to place the track
// at a satellite scene's time. Plane coordinates, not degrees, so that
// remembering costs no trigonometry on the hot path.
type ping struct {
	t      int64   // unix nanoseconds
	x, y   float64 // metres in the track's plane
	vx, vy float32 // metres per second
}

const historyLen = 8

// Track is one target as the node believes it to be. The tracker owns
// tracks; read them from its callback or its Tracks method, and do not
// keep them past the next call that changes the tracker.
type Track struct {
	ID      uint64
	Status  Status
	Sensors Sensors                          // every sensor that ever supported the track
	Seen    [model.SensorAsset + 1]time.Time // when each sensor last supported it

	// Identity is nil for a dark track: one no AIS report has claimed.
	Identity *Identity
	OwnAsset bool   // a patrol vessel or aircraft of this node
	AssetUID string // Cursor-on-Target uid of an own asset
	// Unconfirmed marks an AIS track that a radar covering its position
	// should see but has not: a possible spoofed or false report.
	Unconfirmed bool
	Length      float64 // metres: from AIS dimensions, else radar or satellite estimates; 0 unknown

	Created, Updated time.Time
	Ended            time.Time // when the track was dropped; zero while it lives

	// AIS is the last AIS position report applied to the track, as sent:
	// what detectors defined on AIS (AisAbnormal's) read.
	AIS AISReport

	plane   geo.Plane
	f       filter
	q       float64 // process noise of this kind of target
	hits    uint16  // one bit per scan, newest lowest: did a plot update it
	rejects uint8   // consecutive AIS reports rejected by the kinematic check
	// twin is the other track of an MMSI heard in two places at once.
	twin *Track

	// Position and velocity derived from f, valid while derivedVer is f.ver.
	lat, lon, sog, cog float64
	derivedVer         uint32
	derived            bool
	// Dark's answer, for the update and AIS time it was computed at.
	dark             bool
	darkFor, darkAIS int64
	// shadowed counts scans in which the track got no plot while a track
	// close to it did (see Tracker.seenApart).
	shadowed uint8
	// aisInterval is a running mean of the time between AIS reports,
	// seconds: 2 s for a fast class A, 3 min for one at anchor.
	aisInterval float32
	// history is kept apart from the track, so that copying a track (to
	// hand it to another goroutine) does not copy it.
	history *[historyLen]ping
	nhist   uint8
}

// Dark reports whether the target is not transmitting AIS: no AIS report
// ever claimed the track, or its AIS has been silent, while other sensors
// still see it, for several of its usual reporting intervals (at least
// minDarkSilence). Own assets are never dark.
func (t *Track) Dark() bool {
	if t.OwnAsset {
		return false
	}
	ais := t.Seen[model.SensorAIS]
	if t.Identity == nil || ais.IsZero() {
		return true
	}
	// Detectors ask many times per update: keep the answer for the
	// update it was computed for.
	if t.darkFor == t.Updated.UnixNano() && t.darkAIS == ais.UnixNano() {
		return t.dark
	}
	silence := max(minDarkSilence, time.Duration(4*t.aisInterval)*time.Second)
	t.dark = t.Updated.Sub(ais) > silence
	t.darkFor, t.darkAIS = t.Updated.UnixNano(), ais.UnixNano()
	return t.dark
}

// minDarkSilence is the shortest AIS silence that makes a seen target dark:
// longer than a few lost reports of a vessel under way.
const minDarkSilence = 2 * time.Minute

// aisCurrent reports whether the track's AIS reported within aisFresh of
// ts, so that its AIS, not a radar plot, sets its position.
func (t *Track) aisCurrent(ts time.Time) bool {
	return !t.Seen[model.SensorAIS].IsZero() && ts.Sub(t.Seen[model.SensorAIS]) < aisFresh
}

// aisFresh is how long an AIS position stays better than a radar plot.
const aisFresh = 30 * time.Second

// Position returns the estimated position in degrees.
func (t *Track) Position() (lat, lon float64) {
	t.derive()
	return t.lat, t.lon
}

// Velocity returns the estimated speed over ground (knots) and course
// (degrees true).
func (t *Track) Velocity() (sog, cog float64) {
	t.derive()
	return t.sog, t.cog
}

// derive computes position and velocity from the filter state once per
// change of it: detectors ask for them many times per update.
func (t *Track) derive() {
	if t.derived && t.derivedVer == t.f.ver {
		return
	}
	t.lat, t.lon = t.plane.Unproject(t.f.x[0], t.f.x[1])
	s, c := t.f.speed()
	t.sog, t.cog = s/geo.Knot, c
	t.derived, t.derivedVer = true, t.f.ver
}

// PositionSigma returns the 1-sigma position uncertainty, metres.
func (t *Track) PositionSigma() float64 {
	return math.Sqrt((t.f.P[0][0] + t.f.P[1][1]) / 2)
}

// remember adds the current estimate to the history ring.
func (t *Track) remember() {
	if t.history == nil {
		t.history = new([historyLen]ping)
	}
	copy(t.history[1:], t.history[:historyLen-1])
	t.history[0] = ping{t: t.Updated.UnixNano(), x: t.f.x[0], y: t.f.x[1], vx: float32(t.f.x[2]), vy: float32(t.f.x[3])}
	if t.nhist < historyLen {
		t.nhist++
	}
}

// recentre moves the track's plane under it when it has travelled far from
// the plane's origin, where the plane's distortion would grow.
func (t *Track) recentre() {
	const far = 20e3 // metres
	if math.Abs(t.f.x[0]) < far && math.Abs(t.f.x[1]) < far {
		return
	}
	lat, lon := t.Position()
	old := t.plane
	t.plane = geo.NewPlane(lat, lon)
	t.f.x[0], t.f.x[1] = 0, 0
	t.f.ver++
	for i := range t.nhist {
		h := &t.history[i]
		h.x, h.y = t.plane.Project(old.Unproject(h.x, h.y))
	}
}

// at estimates the track's position at time ts from its history: between
// the pings around ts, or dead reckoned from the nearest. It also returns
// the speed there (m/s) and the time to the nearest ping, which sets the
// estimate's uncertainty.
func (t *Track) at(ts time.Time) (lat, lon float64, speed float64, gap time.Duration, ok bool) {
	if t.nhist == 0 {
		return 0, 0, 0, 0, false
	}
	n := ts.UnixNano()
	h := t.history[:t.nhist] // newest first
	reckon := func(p ping) (float64, float64, float64, time.Duration, bool) {
		dt := float64(n-p.t) / 1e9
		lat, lon := t.plane.Unproject(p.x+float64(p.vx)*dt, p.y+float64(p.vy)*dt)
		gap := time.Duration(n - p.t)
		return lat, lon, math.Hypot(float64(p.vx), float64(p.vy)), max(gap, -gap), true
	}
	for i := range h {
		if h[i].t > n {
			continue
		}
		if i == 0 {
			return reckon(h[0]) // after the newest ping
		}
		before, after := h[i], h[i-1]
		f := float64(n-before.t) / float64(after.t-before.t)
		lat, lon = t.plane.Unproject(before.x+f*(after.x-before.x), before.y+f*(after.y-before.y))
		speed = math.Hypot(float64(before.vx), float64(before.vy))
		return lat, lon, speed, time.Duration(min(n-before.t, after.t-n)), true
	}
	return reckon(h[len(h)-1]) // before the oldest ping kept
}
