package tak

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"pharos/internal/model"
	"pharos/internal/source"
)

// CoT types of what the node sends; doc.go says why these.
const (
	TypeTrack     = "a-u-S"     // surface contact of unknown affiliation: a vessel with AIS
	TypeDarkTrack = "a-s-S"     // surface contact, suspect: a vessel seen without AIS
	TypeEvent     = "b-m-p-s-m" // a spot map marker: a detection
)

// How long what is sent stays on a TAK map without an update, when the
// stale passed in (or Options) is zero.
const (
	// DefaultTrackStale is twice and more the interval at which a busy
	// picture updates a track, so a track drops off the map soon after
	// the node stops seeing it, not before.
	DefaultTrackStale = 2 * time.Minute
	// DefaultEventStale keeps a detection on the map long enough for an
	// operator to act on it.
	DefaultEventStale = time.Hour
)

const (
	trackUID = "pharos-track-"
	eventUID = "pharos-event-"

	// cotTime is CoT's time with milliseconds, as TAK clients write it;
	// some parsers take no more digits than that.
	cotTime = "2006-01-02T15:04:05.000Z"

	msPerKnot = 1852.0 / 3600 // CoT speeds are in metres per second

	// maxRemarks caps an event's remarks, in bytes before escaping: TAK
	// clients show them in a small panel, and a datagram must hold them.
	maxRemarks = 2000
)

// AppendTrack appends st as one CoT event and returns the extended slice:
// uid "pharos-track-<id>", type [TypeTrack] or, for a dark track,
// [TypeDarkTrack], time and start the state's time, stale that plus stale
// (DefaultTrackStale when stale ≤ 0), the position, a <contact> whose
// callsign is the name, else the MMSI, else "TRACK <id>", a <track> with
// course and speed (m/s), and <remarks> with the track id, the MMSI, the
// sensors and whether it is dark. A state without a valid position or
// time appends nothing. With room in dst it allocates nothing.
func AppendTrack(dst []byte, st model.TrackState, stale time.Duration) []byte {
	if !validTrack(st) {
		return dst
	}
	typ := TypeTrack
	if st.Dark {
		typ = TypeDarkTrack
	}
	dst = append(dst, `<event version="2.0" uid="`+trackUID...)
	dst = strconv.AppendUint(dst, st.TrackID, 10)
	dst = append(dst, `" type="`...)
	dst = append(dst, typ...)
	dst = append(dst, `" how="m-g"`...)
	dst = appendTimes(dst, st.Time, st.Time, orDefault(stale, DefaultTrackStale))
	dst = appendPoint(dst, st.Lat, st.Lon)

	dst = append(dst, `<detail><contact callsign="`...)
	switch {
	case st.Name != "":
		dst = source.AppendXMLEscaped(dst, st.Name)
	case st.MMSI != 0:
		dst = strconv.AppendUint(dst, uint64(st.MMSI), 10)
	default:
		dst = append(dst, "TRACK "...)
		dst = strconv.AppendUint(dst, st.TrackID, 10)
	}
	dst = append(dst, `"/>`...)
	dst = appendTrack(dst, st.COG, st.SOG)

	dst = append(dst, "<remarks>track "...)
	dst = strconv.AppendUint(dst, st.TrackID, 10)
	if st.MMSI != 0 {
		dst = append(dst, ", MMSI "...)
		dst = strconv.AppendUint(dst, uint64(st.MMSI), 10)
	}
	for i, s := range st.Sensors {
		if i == 0 {
			dst = append(dst, ", sensors "...)
		} else {
			dst = append(dst, '+')
		}
		dst = source.AppendXMLEscaped(dst, s)
	}
	if st.Dark {
		dst = append(dst, ", dark: no AIS"...)
	}
	return append(dst, "</remarks></detail></event>"...)
}

// AppendEvent appends ev as one CoT event, a spot marker ([TypeEvent]) at
// the event's place coloured by its impact, and returns the extended
// slice: uid "pharos-event-<id>", start the event's start, time its end
// when it has ended, else its start (what the node last knew of it),
// stale that time plus stale (DefaultEventStale when stale ≤ 0); callsign
// the event type and its first vessel; remarks with type, category,
// impact, confidence, MMSIs, tracks, risk, details and the time window.
// An event without an ID, a valid position or a start appends nothing.
func AppendEvent(dst []byte, ev model.Event, stale time.Duration) []byte {
	if !validEvent(ev) {
		return dst
	}
	t := ev.Start
	if ev.End.After(t) {
		t = ev.End
	}
	argb := strconv.Itoa(impactARGB(ev.Impact))
	dst = append(dst, `<event version="2.0" uid="`+eventUID...)
	dst = source.AppendXMLEscaped(dst, ev.ID)
	dst = append(dst, `" type="`+TypeEvent+`" how="m-f"`...)
	dst = appendTimes(dst, t, ev.Start, orDefault(stale, DefaultEventStale))
	dst = appendPoint(dst, ev.Lat, ev.Lon)

	dst = append(dst, `<detail><contact callsign="`...)
	dst = source.AppendXMLEscaped(dst, eventCallsign(ev))
	dst = append(dst, `"/><color argb="`...)
	dst = append(dst, argb...)
	// The icon path is how TAK clients pick the marker's colour.
	dst = append(dst, `"/><usericon iconsetpath="COT_MAPPING_SPOTMAP/`+TypeEvent+`/`...)
	dst = append(dst, argb...)
	dst = append(dst, `"/><remarks>`...)
	dst = source.AppendXMLEscaped(dst, string(eventRemarks(nil, ev)))
	return append(dst, "</remarks></detail></event>"...)
}

// impactARGB is the marker colour of an impact level, as the signed 32-bit
// ARGB TAK clients write: yellow, orange, red, magenta from low to very
// high, white for a level this package does not know.
func impactARGB(l model.ImpactLevel) int {
	c := uint32(0xFFFFFFFF)
	switch l {
	case model.ImpactLow:
		c = 0xFFFFFF00
	case model.ImpactMedium:
		c = 0xFFFF8000
	case model.ImpactHigh:
		c = 0xFFFF0000
	case model.ImpactVeryHigh:
		c = 0xFFFF00FF
	}
	return int(int32(c))
}

// eventCallsign is the marker's label: the event type and who it is
// about, "go_fast 224123456 +1" for two vessels.
func eventCallsign(ev model.Event) string {
	s := ev.Type
	n := len(ev.MMSI)
	switch {
	case n > 0:
		s += " " + strconv.FormatUint(uint64(ev.MMSI[0]), 10)
	case len(ev.TrackIDs) > 0:
		n = len(ev.TrackIDs)
		s += " track " + strconv.FormatUint(ev.TrackIDs[0], 10)
	}
	if n > 1 {
		s += " +" + strconv.Itoa(n-1)
	}
	return s
}

// eventRemarks appends the remarks of ev, unescaped, one line per topic,
// cut at maxRemarks.
func eventRemarks(b []byte, ev model.Event) []byte {
	b = append(b, ev.Type...)
	if ev.Category != "" {
		b = append(b, " ("...)
		b = append(b, ev.Category...)
		b = append(b, ')')
	}
	b = append(b, ", impact "...)
	b = append(b, ev.Impact.String()...)
	b = append(b, ", confidence "...)
	b = strconv.AppendFloat(b, ev.Confidence, 'f', 2, 64)
	if len(ev.MMSI) > 0 {
		b = append(b, "\nMMSI"...)
		for _, m := range ev.MMSI {
			b = append(b, ' ')
			b = strconv.AppendUint(b, uint64(m), 10)
		}
	}
	if len(ev.TrackIDs) > 0 {
		b = append(b, "\ntracks"...)
		for _, id := range ev.TrackIDs {
			b = append(b, ' ')
			b = strconv.AppendUint(b, id, 10)
		}
	}
	if r := ev.Risk; r != nil {
		b = append(b, "\nrisk "...)
		b = strconv.AppendFloat(b, r.Score, 'f', 2, 64)
		if r.Explanation != "" {
			b = append(b, ": "...)
			b = append(b, r.Explanation...)
		}
	}
	if len(ev.Details) > 0 {
		b = append(b, '\n')
		for i, k := range slices.Sorted(maps.Keys(ev.Details)) {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = fmt.Appendf(b, "%s=%v", k, ev.Details[k])
		}
	}
	b = append(b, "\nfrom "...)
	b = ev.Start.UTC().AppendFormat(b, time.RFC3339)
	if ev.End.IsZero() {
		b = append(b, ", open"...)
	} else {
		b = append(b, " to "...)
		b = ev.End.UTC().AppendFormat(b, time.RFC3339)
	}
	if len(b) > maxRemarks {
		n := maxRemarks - len("…")
		for n > 0 && !utf8.RuneStart(b[n]) {
			n--
		}
		b = append(b[:n], "…"...)
	}
	return b
}

func appendTimes(dst []byte, t, start time.Time, stale time.Duration) []byte {
	t, start = t.UTC(), start.UTC()
	dst = append(dst, ` time="`...)
	dst = t.AppendFormat(dst, cotTime)
	dst = append(dst, `" start="`...)
	dst = start.AppendFormat(dst, cotTime)
	dst = append(dst, `" stale="`...)
	dst = t.Add(stale).AppendFormat(dst, cotTime)
	return append(dst, `">`...)
}

// appendPoint writes the position to 7 decimals, about a centimetre;
// height and errors are CoT's "unknown", but for a height at sea level.
func appendPoint(dst []byte, lat, lon float64) []byte {
	dst = append(dst, `<point lat="`...)
	dst = appendFixed(dst, lat, 7)
	dst = append(dst, `" lon="`...)
	dst = appendFixed(dst, lon, 7)
	return append(dst, `" hae="0" ce="9999999" le="9999999"/>`...)
}

// appendTrack writes course (0–360) and speed, leaving out what is not a
// number.
func appendTrack(dst []byte, cog, sog float64) []byte {
	okC, okS := finite(cog), finite(sog) && sog >= 0
	if !okC && !okS {
		return dst
	}
	dst = append(dst, "<track"...)
	if okC {
		c := math.Mod(cog, 360)
		if c < 0 {
			c += 360
		}
		if c >= 360 { // a tiny negative course rounds up to 360
			c = 0
		}
		dst = append(dst, ` course="`...)
		dst = appendFixed(dst, c, 1)
		dst = append(dst, '"')
	}
	if okS {
		dst = append(dst, ` speed="`...)
		dst = appendFixed(dst, sog*msPerKnot, 2)
		dst = append(dst, '"')
	}
	return append(dst, "/>"...)
}

// appendFixed writes v with at most prec decimals and no trailing zeros,
// keeping events short: thousands of tracks a second go out.
func appendFixed(dst []byte, v float64, prec int) []byte {
	n := len(dst)
	dst = strconv.AppendFloat(dst, v, 'f', prec, 64)
	for len(dst) > n && dst[len(dst)-1] == '0' {
		dst = dst[:len(dst)-1]
	}
	if dst[len(dst)-1] == '.' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

func validTrack(st model.TrackState) bool {
	return validPosition(st.Lat, st.Lon) && !st.Time.IsZero()
}

// validEvent also wants an ID: without a stable uid a TAK client would
// add a marker for every update instead of moving one.
func validEvent(ev model.Event) bool {
	return ev.ID != "" && validPosition(ev.Lat, ev.Lon) && !ev.Start.IsZero()
}

func validPosition(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 // false for NaN
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
