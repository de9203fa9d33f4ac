package ais

import "math"

// Raw values the standard reserves for "not available".
const (
	LatNotAvailable     = 91 * 600000  // 91° in 1/10000 minute
	LonNotAvailable     = 181 * 600000 // 181° in 1/10000 minute
	SOGNotAvailable     = 1023         // 102.3 kn in 1/10 knot
	COGNotAvailable     = 3600         // 360° in 1/10 degree
	HeadingNotAvailable = 511
	ROTNotAvailable     = -128
	SecondNotAvailable  = 60
)

// latLon scales a position in 1/10000 minute; ok is false for the
// not-available values and for anything off the globe.
func latLon(lat, lon int32) (float64, float64, bool) {
	if lat == LatNotAvailable || lon == LonNotAvailable ||
		lat < -90*600000 || lat > 90*600000 || lon < -180*600000 || lon > 180*600000 {
		return math.NaN(), math.NaN(), false
	}
	return float64(lat) / 600000, float64(lon) / 600000, true
}

// sogKnots scales a speed in 1/10 knot.
func sogKnots(raw uint16) (float64, bool) {
	if raw >= SOGNotAvailable {
		return math.NaN(), false
	}
	return float64(raw) / 10, true
}

// cogDegrees scales a course in 1/10 degree.
func cogDegrees(raw uint16) (float64, bool) {
	if raw >= COGNotAvailable {
		return math.NaN(), false
	}
	return float64(raw) / 10, true
}

// headingDegrees checks a true heading in whole degrees.
func headingDegrees(raw uint16) (float64, bool) {
	if raw > 359 {
		return math.NaN(), false
	}
	return float64(raw), true
}

// Radio is the communication state that ends most position reports: the
// SOTDMA or ITDMA state of the transmitter's slot reservations (M.1371 §3.3.7).
type Radio struct {
	ITDMA bool   // the 19 bits are an ITDMA state; otherwise SOTDMA
	State uint32 // the 19 raw bits
}

func (r Radio) appendJSON(w jsonw) jsonw {
	w = w.uint("sync_state", uint64(r.State>>17))
	if r.ITDMA {
		w = w.uint("slot_increment", uint64(r.State>>4&0x1FFF))
		w = w.uint("slots_to_allocate", uint64(r.State>>1&7))
		return w.bool("keep_flag", r.State&1 == 1)
	}
	timeout := r.State >> 14 & 7
	sub := uint64(r.State & 0x3FFF)
	w = w.uint("slot_timeout", uint64(timeout))
	switch timeout {
	case 0:
		w = w.uint("slot_offset", sub)
	case 1:
		w = w.uint("utc_hour", sub>>9&0x1F)
		w = w.uint("utc_min", sub>>2&0x3F)
	case 2, 4, 6:
		w = w.uint("slot_number", sub)
	default:
		w = w.uint("received_stations", sub)
	}
	return w
}

// appendPosition writes lat and lon, or nothing when not available.
func appendPosition(w jsonw, lat, lon int32) jsonw {
	if la, lo, ok := latLon(lat, lon); ok {
		w = w.float("lat", la, 7)
		w = w.float("lon", lo, 7)
	}
	return w
}

func appendMotion(w jsonw, sog, cog, heading uint16) jsonw {
	if v, ok := sogKnots(sog); ok {
		w = w.float("sog", v, 1)
	}
	if v, ok := cogDegrees(cog); ok {
		w = w.float("cog", v, 1)
	}
	if v, ok := headingDegrees(heading); ok {
		w = w.uint("heading", uint64(v))
	}
	return w
}

// Dimensions are the distances in metres from the position reference point
// to the bow, stern, port and starboard (type 5, 19, 21, 24B).
type Dimensions struct {
	ToBow, ToStern, ToPort, ToStarboard uint16
}

func (d *Dimensions) decode(b *bits, off int) {
	d.ToBow = uint16(b.u(off, 9))
	d.ToStern = uint16(b.u(off+9, 9))
	d.ToPort = uint16(b.u(off+18, 6))
	d.ToStarboard = uint16(b.u(off+24, 6))
}

func (d *Dimensions) appendJSON(w jsonw) jsonw {
	w = w.uint("to_bow", uint64(d.ToBow))
	w = w.uint("to_stern", uint64(d.ToStern))
	w = w.uint("to_port", uint64(d.ToPort))
	return w.uint("to_starboard", uint64(d.ToStarboard))
}

// Length and Beam in metres; 0 when unknown.
func (d *Dimensions) Length() int { return int(d.ToBow) + int(d.ToStern) }
func (d *Dimensions) Beam() int   { return int(d.ToPort) + int(d.ToStarboard) }
