package nmea

import (
	"bytes"
	"math"
	"strings"
	"time"
)

// RadarKind says which sentence a [RadarTarget] came from.
type RadarKind uint8

// Radar target sentences.
const (
	RadarTTM RadarKind = iota + 1 // tracked target message: range and bearing from the radar
	RadarTLL                      // target latitude and longitude
)

func (k RadarKind) String() string {
	switch k {
	case RadarTTM:
		return "TTM"
	case RadarTLL:
		return "TLL"
	}
	return "unknown"
}

// RadarTarget is one target that a radar's tracker (ARPA) reports in a TTM
// or TLL sentence, from any talker ($RATTM, $ARTLL, …). Values are in SI
// units whatever units the sentence used; a field the sentence left empty is
// NaN (numbers), 0 (flags and letters) or -1 (Number), never a made-up
// zero. Its byte slices alias the parsed line.
type RadarTarget struct {
	Talker [2]byte
	Kind   RadarKind
	Number int // target number (00–99 in IEC 61162-1; some radars go to 999); -1 when empty

	// TTM only (NaN / 0 for TLL).
	Range       float64 // distance from the radar, metres
	Bearing     float64 // degrees [0, 360), from the radar
	BearingRef  byte    // 'T' true, 'R' relative to the radar's heading, 0 when empty
	Speed       float64 // metres per second
	Course      float64 // degrees [0, 360)
	CourseRef   byte    // 'T' true, 'R' relative (speed and course then form a relative-motion vector), 0 when empty
	CPA         float64 // distance at the closest point of approach, metres
	TCPA        float64 // time to CPA, seconds; negative when the CPA is past (range increasing)
	Units       byte    // 'N' nautical miles and knots, 'K' km and km/h, 'S' statute miles and mph; 0 when empty (read as 'N')
	Acquisition byte    // 'A' automatic, 'M' manual, 'R' reported; 0 when empty (before NMEA 3.0)

	// TLL only (NaN for TTM).
	Lat, Lon float64 // degrees WGS 84

	Name      []byte  // target label; empty when none
	Status    byte    // 'L' lost, 'Q' query (being acquired), 'T' tracking; 0 when empty
	Reference bool    // a reference target, used by the radar for its own position or speed
	UTC       float64 // time of data, seconds since midnight UTC; NaN when empty (before NMEA 3.0 for TTM)

	Time   time.Time // event time from the line's tag block, leading or trailing unix time, or a $PGHP line; zero when none
	Source []byte    // station from a tag block (s:) or a USCG suffix; empty when unknown
}

// Field counts: TTM has 13 fields up to NMEA 2.3 and 15 since 3.0 (UTC of
// data and type of acquisition added); 14, with UTC but no type, is taken
// too. TLL has the same 9 fields in every version.
const (
	ttmMinFields = 13
	ttmMaxFields = 15
	tllFields    = 9
)

// Distance units in metres; speeds are the same units per hour.
const (
	metresPerKm           = 1000.0
	metresPerNauticalMile = 1852.0
	metresPerStatuteMile  = 1609.344

	maxTargetNumber  = 999
	maxDecimalDigits = 18
)

// ParseRadar reads one line (with or without its line ending) as a radar
// target. Like [Parser.Parse] it returns true when t now holds a target;
// false with a nil error when the line was metadata for the next sentence (a
// tag block alone, a $PGHP time); or a [Reason]: ReasonUnsupported for a
// valid sentence other than TTM or TLL, ReasonBadFields for a TTM or TLL
// whose fields are missing, extra, malformed or out of range. It shares the
// Parser's state with Parse, so one Parser can read a feed mixing both.
func (p *Parser) ParseRadar(line []byte, t *RadarTarget) (bool, error) {
	t.reset()
	var s Sentence // carries time and source through the framing
	body, err := p.frame(line, &s)
	if err != nil || body == nil {
		return false, err
	}
	switch {
	case isFormat(body, 'T', 'T', 'M'):
		t.Kind = RadarTTM
		err = parseTTM(fieldsOf(body), t)
	case isFormat(body, 'T', 'L', 'L'):
		t.Kind = RadarTLL
		err = parseTLL(fieldsOf(body), t)
	default:
		return false, p.other(body)
	}
	if err != nil {
		t.reset()
		return false, err
	}
	t.Talker = [2]byte{body[0], body[1]}
	p.applyPending(&s)
	t.Time, t.Source = s.Time, s.Source
	return true, nil
}

// fieldsOf returns what follows "ttFFF,", or nil for a sentence without
// fields, which the field parsers reject as too short.
func fieldsOf(body []byte) []byte {
	if len(body) == 5 {
		return nil
	}
	return body[6:]
}

func (t *RadarTarget) reset() {
	nan := math.NaN()
	*t = RadarTarget{Number: -1, Range: nan, Bearing: nan, Speed: nan, Course: nan, CPA: nan, TCPA: nan,
		Lat: nan, Lon: nan, UTC: nan}
}

// splitFields cuts the comma-separated fields of b into dst and returns how
// many there were, or -1 when there were more than len(dst).
func splitFields(b []byte, dst [][]byte) int {
	n := 0
	for {
		if n == len(dst) {
			return -1
		}
		j := bytes.IndexByte(b, ',')
		if j < 0 {
			dst[n] = b
			return n + 1
		}
		dst[n], b = b[:j], b[j+1:]
		n++
	}
}

// parseTTM reads the fields after "ttTTM,":
//
//	xx,x.x,x.x,a,x.x,x.x,a,x.x,x.x,a,c--c,a,a[,hhmmss.ss[,a]]
//
// target number, distance, bearing and its reference, speed, course and
// its reference, CPA distance, time to CPA (minutes), units, name, status,
// reference target, UTC of data, type of acquisition.
func parseTTM(b []byte, t *RadarTarget) error {
	var f [ttmMaxFields][]byte
	n := splitFields(b, f[:])
	if n < ttmMinFields {
		return ReasonBadFields
	}
	var ok bool
	if t.Number, ok = targetNumber(f[0]); !ok {
		return ReasonBadFields
	}
	if t.Units, ok = oneOf(f[9], "KNS"); !ok {
		return ReasonBadFields
	}
	dist, speed := unitScale(t.Units)

	// Each value with the range it must fall in, in sentence units.
	if t.Range, ok = optFloat(f[1], 0, math.MaxFloat64); !ok {
		return ReasonBadFields
	}
	if t.Bearing, ok = optAngle(f[2]); !ok {
		return ReasonBadFields
	}
	if t.BearingRef, ok = oneOf(f[3], "TR"); !ok {
		return ReasonBadFields
	}
	if t.Speed, ok = optFloat(f[4], 0, math.MaxFloat64); !ok {
		return ReasonBadFields
	}
	if t.Course, ok = optAngle(f[5]); !ok {
		return ReasonBadFields
	}
	if t.CourseRef, ok = oneOf(f[6], "TR"); !ok {
		return ReasonBadFields
	}
	if t.CPA, ok = optFloat(f[7], 0, math.MaxFloat64); !ok {
		return ReasonBadFields
	}
	if t.TCPA, ok = optFloat(f[8], -math.MaxFloat64, math.MaxFloat64); !ok {
		return ReasonBadFields
	}
	t.Range *= dist
	t.CPA *= dist
	t.Speed *= speed
	t.TCPA *= 60

	t.Name = f[10]
	if t.Status, ok = oneOf(f[11], "LQT"); !ok {
		return ReasonBadFields
	}
	if t.Reference, ok = referenceTarget(f[12]); !ok {
		return ReasonBadFields
	}
	if n > 13 {
		if t.UTC, ok = timeOfDay(f[13]); !ok {
			return ReasonBadFields
		}
	}
	if n > 14 {
		if t.Acquisition, ok = oneOf(f[14], "AMR"); !ok {
			return ReasonBadFields
		}
	}
	return nil
}

// parseTLL reads the fields after "ttTLL,":
//
//	xx,llll.ll,a,yyyyy.yy,a,c--c,hhmmss.ss,a,a
//
// target number, latitude and N/S, longitude and E/W, name, UTC of data,
// status, reference target.
func parseTLL(b []byte, t *RadarTarget) error {
	var f [tllFields][]byte
	if splitFields(b, f[:]) != tllFields {
		return ReasonBadFields
	}
	var ok bool
	if t.Number, ok = targetNumber(f[0]); !ok {
		return ReasonBadFields
	}
	if t.Lat, ok = coordinate(f[1], f[2], 'N', 'S', 90); !ok {
		return ReasonBadFields
	}
	if t.Lon, ok = coordinate(f[3], f[4], 'E', 'W', 180); !ok {
		return ReasonBadFields
	}
	if math.IsNaN(t.Lat) != math.IsNaN(t.Lon) {
		return ReasonBadFields // half a position is no position, and a sign of a broken sentence
	}
	t.Name = f[5]
	if t.UTC, ok = timeOfDay(f[6]); !ok {
		return ReasonBadFields
	}
	if t.Status, ok = oneOf(f[7], "LQT"); !ok {
		return ReasonBadFields
	}
	if t.Reference, ok = referenceTarget(f[8]); !ok {
		return ReasonBadFields
	}
	return nil
}

// unitScale gives metres per distance unit and metres per second per speed
// unit; an empty units field is read as nautical miles, the unit of marine
// radars and of the talkers seen leaving it empty.
func unitScale(u byte) (dist, speed float64) {
	switch u {
	case 'K':
		return metresPerKm, metresPerKm / 3600
	case 'S':
		return metresPerStatuteMile, metresPerStatuteMile / 3600
	}
	return metresPerNauticalMile, metresPerNauticalMile / 3600
}

func targetNumber(b []byte) (int, bool) {
	if len(b) == 0 {
		return -1, true
	}
	n, ok := atoi(b)
	if !ok || n > maxTargetNumber {
		return 0, false
	}
	return n, true
}

// oneOf reads a one-letter field that must be one of allowed, or empty (0).
func oneOf(b []byte, allowed string) (byte, bool) {
	switch len(b) {
	case 0:
		return 0, true
	case 1:
		if strings.IndexByte(allowed, b[0]) >= 0 {
			return b[0], true
		}
	}
	return 0, false
}

func referenceTarget(b []byte) (bool, bool) {
	c, ok := oneOf(b, "R")
	return c == 'R', ok
}

// optAngle reads an optional angle in degrees into [0, 360).
func optAngle(b []byte) (float64, bool) {
	v, ok := optFloat(b, 0, 360)
	if v == 360 {
		v = 0
	}
	return v, ok
}

// optFloat reads an optional decimal number ("12", "-0.5", "3.") that must
// lie in [lo, hi]: NaN when the field is empty. Exponents, NaN and Inf,
// which strconv would take, are not NMEA.
func optFloat(b []byte, lo, hi float64) (float64, bool) {
	if len(b) == 0 {
		return math.NaN(), true
	}
	v, ok := decimal(b)
	if !ok || v < lo || v > hi {
		return 0, false
	}
	return v, true
}

// pow10 holds the exact powers of ten a float64 can divide by.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18}

// decimal reads [+-]digits[.digits] with at least one digit. Up to 15
// digits the result is correctly rounded (an exact mantissa divided by an
// exact power of ten); up to 18 it is within an ulp, and more is no NMEA
// field.
func decimal(b []byte) (float64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	var m uint64
	digits, frac := 0, 0
	dot := false
	for _, c := range b {
		switch {
		case isDigit(c):
			digits++
			if digits > maxDecimalDigits {
				return 0, false
			}
			m = m*10 + uint64(c-'0')
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	v := float64(m) / pow10[frac]
	if neg {
		v = -v
	}
	return v, true
}

// coordinate reads a latitude "ddmm.mmmm" or longitude "dddmm.mmmm" and its
// hemisphere letter (pos or neg) as signed degrees; NaN when both fields
// are empty.
func coordinate(v, hemi []byte, pos, neg byte, max float64) (float64, bool) {
	if len(v) == 0 && len(hemi) == 0 {
		return math.NaN(), true
	}
	if len(v) == 0 || len(hemi) != 1 || (hemi[0] != pos && hemi[0] != neg) || v[0] == '-' || v[0] == '+' {
		return 0, false
	}
	x, ok := decimal(v)
	if !ok {
		return 0, false
	}
	d := math.Floor(x / 100)
	m := x - d*100
	deg := d + m/60
	if m >= 60 || deg > max {
		return 0, false
	}
	if hemi[0] == neg {
		deg = -deg
	}
	return deg, true
}

// timeOfDay reads "hhmmss" or "hhmmss.ss" as seconds since midnight; NaN
// when empty.
func timeOfDay(b []byte) (float64, bool) {
	if len(b) == 0 {
		return math.NaN(), true
	}
	if len(b) < len("hhmmss") {
		return 0, false
	}
	var v [3]int
	for i := range v {
		d0, d1 := b[2*i], b[2*i+1]
		if !isDigit(d0) || !isDigit(d1) {
			return 0, false
		}
		v[i] = int(d0-'0')*10 + int(d1-'0')
	}
	h, m, s := v[0], v[1], v[2]
	if h > 23 || m > 59 || s > 60 { // 60 in a leap second
		return 0, false
	}
	sec := float64(h*3600 + m*60 + s)
	if rest := b[len("hhmmss"):]; len(rest) > 0 {
		if rest[0] != '.' {
			return 0, false
		}
		if len(rest) > 1 {
			f, ok := decimal(rest)
			if !ok {
				return 0, false
			}
			sec += f
		}
	}
	return sec, true
}
