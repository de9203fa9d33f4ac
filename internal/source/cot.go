package source

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"strconv"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"pharos/internal/model"
)

// Cursor-on-Target (CoT) is how own assets — patrol vessels, aircraft,
// coastal stations running a TAK client — report where they are: one XML
// <event> per report, e.g.
//
//	<event version="2.0" uid="PATROL-1" type="a-f-S-X-L" how="m-g"
//	       time="2026-11-27T03:15:12Z" start="2026-11-27T03:15:12Z" stale="2026-11-27T03:17:12Z">
//	  <point lat="36.0" lon="-5.6" hae="0" ce="10" le="9999999"/>
//	  <detail><contact callsign="GUARDAMAR TALIA"/><track course="270.5" speed="6.3"/></detail>
//	</event>
//
// Over UDP a datagram holds one event (sometimes several); over TCP events
// follow each other with nothing between them, or an XML declaration, or
// a newline. So the line inputs do not fit, and CoTDecoder cuts events out
// of bytes itself.

// DefaultMaxCoTEvent is the longest event a [CoTDecoder] buffers when its
// MaxEvent is zero. A position report is a few hundred bytes; TAK clients'
// details (groups, status, takv) add a few kilobytes at most.
const DefaultMaxCoTEvent = 64 << 10

// DefaultCoTStale is how long after its time an event written by
// [AppendCoT] stays valid.
const DefaultCoTStale = 2 * time.Minute

// cotUnknown is CoT's "unknown" for ce, le and hae.
const cotUnknown = 9999999

// knotsPerMS converts CoT's metres per second to knots.
const knotsPerMS = 3600.0 / 1852.0

// Reasons a CoT event is rejected, as counted in [CoTStats.Rejects].
const (
	RejectCoTBadXML      = "cot_bad_xml"      // not well-formed XML
	RejectCoTNotAtom     = "cot_not_atom"     // type is not "a-…" (a ping "t-x-c-t", a map point "b-…"): not a position report
	RejectCoTNoUID       = "cot_no_uid"       // uid missing: no target to put the position on
	RejectCoTBadTime     = "cot_bad_time"     // time (or, without it, start) missing or malformed
	RejectCoTStale       = "cot_stale"        // stale before time: dead on arrival
	RejectCoTBadPosition = "cot_bad_position" // no <point>, or lat/lon not numbers or out of range
	RejectCoTTooLarge    = "cot_too_large"    // longer than MaxEvent: dropped, and the input resyncs at the next <event
	RejectCoTTruncated   = "cot_truncated"    // cut short by the next <event or by the end of the datagram or stream
)

type cotReject uint8

const (
	cotRejBadXML cotReject = iota
	cotRejNotAtom
	cotRejNoUID
	cotRejBadTime
	cotRejStale
	cotRejBadPosition
	cotRejTooLarge
	cotRejTruncated
	cotNRejects
	cotRejNone cotReject = 255
)

var cotRejectNames = [cotNRejects]string{
	RejectCoTBadXML, RejectCoTNotAtom, RejectCoTNoUID, RejectCoTBadTime, RejectCoTStale,
	RejectCoTBadPosition, RejectCoTTooLarge, RejectCoTTruncated,
}

// CoTStats are the counters of a CoT input. Every event begun is either
// delivered or rejected: Events = Positions + the sum of Rejects.
type CoTStats struct {
	Datagrams uint64            // UDP datagrams received ([CoTListener] only)
	Events    uint64            // events seen, whole or not
	Positions uint64            // observations handed on
	Rejects   map[string]uint64 // rejected events by reason; reasons with none left out
}

// cotCounters are atomics so that Stats may be called while another
// goroutine feeds the decoder.
type cotCounters struct {
	events, positions, datagrams atomic.Uint64
	rejects                      [cotNRejects]atomic.Uint64
}

func (c *cotCounters) reject(r cotReject) {
	c.events.Add(1)
	c.rejects[r].Add(1)
}

func (c *cotCounters) stats() CoTStats {
	s := CoTStats{
		Datagrams: c.datagrams.Load(),
		Events:    c.events.Load(),
		Positions: c.positions.Load(),
		Rejects:   make(map[string]uint64),
	}
	for i := range c.rejects {
		if n := c.rejects[i].Load(); n > 0 {
			s.Rejects[cotRejectNames[i]] = n
		}
	}
	return s
}

// CoTDecoder cuts CoT events out of a byte stream and turns the position
// reports among them into observations (sensor asset): uid → TargetID,
// type → AssetType, time → Time, point lat/lon, ce → PosError (when below
// CoT's 9999999 "unknown"), track course → COG, track speed (m/s) → SOG in
// knots, contact callsign → Static.Name. Unknown elements and attributes
// are ignored, a missing detail is fine.
//
// Anything between events — XML declarations, whitespace, garbage — is
// skipped. An event longer than MaxEvent is dropped and the decoder resyncs
// at the next "<event"; so it does when an event is cut short by the start
// of another. The buffer never holds much more than twice MaxEvent.
//
// A CoTDecoder is fed by one goroutine at a time; Stats may be called from
// any. The zero value is ready to use.
type CoTDecoder struct {
	Source   string // copied into every observation
	MaxEvent int    // bytes; 0 means DefaultMaxCoTEvent

	buf    []byte
	in     bool // buf begins with "<event"
	scan   int  // bytes of buf already searched
	tagEnd int  // index of the start tag's '>' once seen, else 0
	quote  byte // the quote of the attribute value the start-tag scan is in
	n      cotCounters
}

// Stats returns the decoder's counters.
func (d *CoTDecoder) Stats() CoTStats { return d.n.stats() }

// Feed decodes the events in p, calling fn for each position report. An
// event may be split across calls at any byte.
func (d *CoTDecoder) Feed(p []byte, fn func(model.Observation)) {
	limit := orDefault(d.MaxEvent, DefaultMaxCoTEvent)
	for len(p) > 0 {
		// At most limit bytes at a time, so that the buffer stays bounded
		// however large a read is.
		n := min(len(p), limit)
		d.buf = append(d.buf, p[:n]...)
		p = p[n:]
		d.cut(limit, fn)
	}
}

// Flush ends the input, as at the end of a datagram or a connection: an
// event begun but not finished is counted as truncated.
func (d *CoTDecoder) Flush() {
	if d.in {
		d.n.reject(cotRejTruncated)
	}
	d.buf = d.buf[:0]
	d.resync()
}

func (d *CoTDecoder) resync() {
	d.in, d.scan, d.tagEnd, d.quote = false, 0, 0, 0
}

var (
	cotOpen  = []byte("<event")
	cotClose = []byte("</event")
)

// cut decodes every whole event in buf and keeps what follows the last.
func (d *CoTDecoder) cut(limit int, fn func(model.Observation)) {
	off := 0 // buf[:off] is consumed
	for {
		b := d.buf[off:]
		if !d.in {
			i, need := cotFindOpen(b, 0)
			if i < 0 { // nothing in b can begin an event
				off += len(b)
				break
			}
			off += i
			if need { // a prefix of "<event" ends b: wait for more
				break
			}
			d.in, d.scan = true, len(cotOpen)
			continue
		}
		// However the input is cut into reads, an event is too large when
		// it is known to run past limit: the same events are kept and
		// dropped for the same reasons.
		end, next := d.findEnd(b)
		if end > 0 || next >= 0 {
			n, why := end, cotRejNone
			if end <= 0 { // another event began before this one ended
				n, why = next, cotRejTruncated
			}
			if n > limit {
				why = cotRejTooLarge
			}
			if why == cotRejNone {
				d.decode(b[:n], fn)
			} else {
				d.n.reject(why)
			}
			off += n
			d.resync()
			continue
		}
		if d.scan > limit {
			// The rest of the oversized event is skipped as garbage until
			// the next "<event", which may begin at scan.
			d.n.reject(cotRejTooLarge)
			off += d.scan
			d.resync()
			continue
		}
		break
	}
	n := copy(d.buf, d.buf[off:])
	d.buf = d.buf[:n]
}

// cotFindOpen returns the index of the first "<event" tag in b at or after
// from. need is true when the index is that of a prefix of one at the end
// of b, which more bytes will confirm or refute; -1 means none.
func cotFindOpen(b []byte, from int) (i int, need bool) {
	for from < len(b) {
		j := bytes.IndexByte(b[from:], '<')
		if j < 0 {
			return -1, false
		}
		j += from
		rest := b[j:]
		if len(rest) <= len(cotOpen) {
			if bytes.HasPrefix(cotOpen, rest) {
				return j, true
			}
		} else if bytes.HasPrefix(rest, cotOpen) && cotNameEnd(rest[len(cotOpen)]) {
			return j, false
		}
		from = j + 1
	}
	return -1, false
}

// cotNameEnd reports whether c may follow an element name.
func cotNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/'
}

// findEnd scans b, which begins with "<event", from d.scan. It returns the
// length of the event when its end is in b, or next ≥ 0, the index of
// another "<event" that began before this one ended; both 0 and -1 mean
// more bytes are needed, and d.scan is where to resume.
func (d *CoTDecoder) findEnd(b []byte) (end, next int) {
	if d.tagEnd == 0 {
		// The start tag: '>' may appear in an attribute value, '<' may not.
		i := d.scan
		for ; i < len(b); i++ {
			c := b[i]
			if d.quote != 0 {
				if c == d.quote {
					d.quote = 0
				} else if c == '<' {
					return 0, i
				}
				continue
			}
			switch c {
			case '"', '\'':
				d.quote = c
			case '<':
				return 0, i
			case '>':
				if b[i-1] == '/' {
					return i + 1, -1 // <event …/>: empty, and rejected for having no point
				}
				d.tagEnd = i
			}
			if d.tagEnd != 0 {
				break
			}
		}
		if d.tagEnd == 0 {
			d.scan = i
			return 0, -1
		}
		d.scan = d.tagEnd + 1
	}
	for d.scan < len(b) {
		j := bytes.IndexByte(b[d.scan:], '<')
		if j < 0 {
			d.scan = len(b)
			return 0, -1
		}
		j += d.scan
		rest := b[j:]
		if len(rest) > len(cotClose) && bytes.HasPrefix(rest, cotClose) {
			k := len(cotClose)
			for k < len(rest) && (rest[k] == ' ' || rest[k] == '\t' || rest[k] == '\r' || rest[k] == '\n') {
				k++
			}
			switch {
			case k == len(rest):
				d.scan = j
				return 0, -1
			case rest[k] == '>':
				return j + k + 1, -1
			}
		} else if bytes.HasPrefix(cotClose, rest) {
			d.scan = j
			return 0, -1
		}
		if len(rest) > len(cotOpen) && bytes.HasPrefix(rest, cotOpen) && cotNameEnd(rest[len(cotOpen)]) {
			return 0, j
		} else if len(rest) <= len(cotOpen) && bytes.HasPrefix(cotOpen, rest) {
			d.scan = j
			return 0, -1
		}
		d.scan = j + 1
	}
	return 0, -1
}

// cotEvent is the part of an event that a position needs.
type cotEvent struct {
	UID   string    `xml:"uid,attr"`
	Type  string    `xml:"type,attr"`
	Time  string    `xml:"time,attr"`
	Start string    `xml:"start,attr"`
	Stale string    `xml:"stale,attr"`
	Point *cotPoint `xml:"point"`
	// Detail holds anything; only these two of its elements matter here.
	Detail struct {
		Contact struct {
			Callsign string `xml:"callsign,attr"`
		} `xml:"contact"`
		Track struct {
			Course string `xml:"course,attr"`
			Speed  string `xml:"speed,attr"`
		} `xml:"track"`
	} `xml:"detail"`
}

type cotPoint struct {
	Lat string `xml:"lat,attr"`
	Lon string `xml:"lon,attr"`
	CE  string `xml:"ce,attr"`
}

func (d *CoTDecoder) decode(ev []byte, fn func(model.Observation)) {
	o, why := parseCoT(ev, d.Source)
	if why != cotRejNone {
		d.n.reject(why)
		return
	}
	d.n.events.Add(1)
	d.n.positions.Add(1)
	fn(o)
}

// parseCoT turns one event into an observation.
func parseCoT(ev []byte, source string) (model.Observation, cotReject) {
	var e cotEvent
	if err := xml.Unmarshal(ev, &e); err != nil {
		return model.Observation{}, cotRejBadXML
	}
	if len(e.Type) < 2 || e.Type[:2] != "a-" {
		return model.Observation{}, cotRejNotAtom
	}
	if e.UID == "" {
		return model.Observation{}, cotRejNoUID
	}
	ts := e.Time
	if ts == "" {
		ts = e.Start
	}
	t, ok := satParseTime(ts)
	if !ok {
		return model.Observation{}, cotRejBadTime
	}
	// A malformed stale is ignored: it says when to forget the report, and
	// the tracker has its own view of that.
	if stale, ok := satParseTime(e.Stale); ok && stale.Before(t) {
		return model.Observation{}, cotRejStale
	}
	if e.Point == nil {
		return model.Observation{}, cotRejBadPosition
	}
	lat, p1, ok1 := parseNumber(e.Point.Lat)
	lon, p2, ok2 := parseNumber(e.Point.Lon)
	if !p1 || !p2 || !ok1 || !ok2 || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return model.Observation{}, cotRejBadPosition
	}
	o := model.NewObservation(t, source, model.SensorAsset)
	o.Lat, o.Lon = lat, lon
	o.TargetID = e.UID
	o.AssetType = e.Type
	if ce, present, ok := parseNumber(e.Point.CE); present && ok && ce > 0 && ce < cotUnknown {
		o.PosError = ce
	}
	// Bad kinematics cost only themselves: the position is what matters.
	if c, present, ok := parseNumber(e.Detail.Track.Course); present && ok && c >= 0 && c < 360 {
		o.COG = c
	}
	if s, present, ok := parseNumber(e.Detail.Track.Speed); present && ok && s >= 0 {
		o.SOG = s * knotsPerMS
	}
	if cs := e.Detail.Contact.Callsign; cs != "" {
		o.Static = &model.VesselStatic{Name: cs}
	}
	return o, cotRejNone
}

// ReadCoT reads CoT events from r — a TCP connection, a file — until EOF
// or until ctx is cancelled, and returns nil then; other read errors are
// returned. fn is called from the calling goroutine for each position.
// dec holds the source name, the size limit and the counters; nil means a
// fresh zero decoder. When r has SetReadDeadline (a net.Conn), cancelling
// ctx interrupts a blocked read; other readers see it between reads.
func ReadCoT(ctx context.Context, r io.Reader, dec *CoTDecoder, fn func(model.Observation)) error {
	if dec == nil {
		dec = new(CoTDecoder)
	}
	defer dec.Flush()
	if dl, ok := r.(interface{ SetReadDeadline(time.Time) error }); ok {
		stop := context.AfterFunc(ctx, func() { dl.SetReadDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	buf := make([]byte, readBufSize)
	for {
		if ctx.Err() != nil {
			return nil
		}
		n, err := r.Read(buf)
		if n > 0 {
			dec.Feed(buf[:n], fn)
		}
		if err != nil {
			if errors.Is(err, io.EOF) || ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("read cot: %w", err)
		}
	}
}

// CoTListener takes CoT events that assets send as UDP datagrams, the way
// TAK clients share their position. A datagram holds one or more whole
// events; an event cannot continue into the next datagram.
type CoTListener struct {
	Source   string // copied into every observation
	MaxEvent int    // bytes; 0 means DefaultMaxCoTEvent

	conn *net.UDPConn
	dec  CoTDecoder
}

// Listen binds addr ("host:port"; port 0 picks a free one, see Addr).
func (l *CoTListener) Listen(addr string) error {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return fmt.Errorf("cot listener: %w", err)
	}
	l.conn = pc.(*net.UDPConn)
	return nil
}

// Addr returns the bound address, or nil before Listen.
func (l *CoTListener) Addr() net.Addr {
	if l.conn == nil {
		return nil
	}
	return l.conn.LocalAddr()
}

// Close closes the socket; use it when Listen succeeded but Serve will not
// run. Serve closes the socket itself when it returns.
func (l *CoTListener) Close() error {
	if l.conn == nil {
		return ErrNotListening
	}
	return l.conn.Close()
}

// Stats returns the listener's counters; safe to call while Serve runs.
func (l *CoTListener) Stats() CoTStats { return l.dec.Stats() }

// Serve reads datagrams and calls fn, from the calling goroutine only, for
// every position, until ctx is cancelled or Close is called; it returns
// nil then. Any other read error is returned.
func (l *CoTListener) Serve(ctx context.Context, fn func(model.Observation)) error {
	if l.conn == nil {
		return ErrNotListening
	}
	defer l.conn.Close()
	stop := context.AfterFunc(ctx, func() { l.conn.Close() })
	defer stop()

	l.dec.Source, l.dec.MaxEvent = l.Source, l.MaxEvent
	buf := make([]byte, maxDatagram)
	for {
		n, err := l.conn.Read(buf)
		if n > 0 {
			l.dec.n.datagrams.Add(1)
			l.dec.Feed(buf[:n], fn)
			l.dec.Flush()
		}
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("cot listener: %w", err)
		}
	}
}

// AppendCoT appends o as a CoT event, the form CoTDecoder reads, and
// returns the extended slice: uid from TargetID, type from AssetType
// ("a-f-S", a friendly surface vessel, when empty), how "m-g", start = time,
// stale DefaultCoTStale later, ce from PosError (9999999, unknown, when 0),
// a <track> with whichever of COG and SOG (converted to m/s) o has, and a
// <contact> with Static.Name when set. No newline is added. An observation
// without a position appends nothing.
func AppendCoT(dst []byte, o model.Observation) []byte {
	if !o.HasPosition() || !satFinite(o.Lat) || !satFinite(o.Lon) {
		return dst
	}
	typ := o.AssetType
	if typ == "" {
		typ = "a-f-S"
	}
	t := o.Time.UTC()
	dst = append(dst, `<event version="2.0" uid="`...)
	dst = AppendXMLEscaped(dst, o.TargetID)
	dst = append(dst, `" type="`...)
	dst = AppendXMLEscaped(dst, typ)
	dst = append(dst, `" how="m-g" time="`...)
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `" start="`...)
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `" stale="`...)
	dst = t.Add(DefaultCoTStale).AppendFormat(dst, time.RFC3339Nano)
	dst = append(dst, `"><point lat="`...)
	dst = strconv.AppendFloat(dst, o.Lat, 'f', -1, 64)
	dst = append(dst, `" lon="`...)
	dst = strconv.AppendFloat(dst, o.Lon, 'f', -1, 64)
	dst = append(dst, `" hae="0" ce="`...)
	if o.PosError > 0 && o.PosError < cotUnknown {
		dst = strconv.AppendFloat(dst, o.PosError, 'f', -1, 64)
	} else {
		dst = append(dst, "9999999"...)
	}
	dst = append(dst, `" le="9999999"/><detail>`...)
	if o.Static != nil && o.Static.Name != "" {
		dst = append(dst, `<contact callsign="`...)
		dst = AppendXMLEscaped(dst, o.Static.Name)
		dst = append(dst, `"/>`...)
	}
	cog, sog := !math.IsNaN(o.COG) && !math.IsInf(o.COG, 0), !math.IsNaN(o.SOG) && !math.IsInf(o.SOG, 0)
	if cog || sog {
		dst = append(dst, "<track"...)
		if cog {
			dst = append(dst, ` course="`...)
			dst = strconv.AppendFloat(dst, o.COG, 'f', -1, 64)
			dst = append(dst, '"')
		}
		if sog {
			dst = append(dst, ` speed="`...)
			dst = strconv.AppendFloat(dst, o.SOG/knotsPerMS, 'f', -1, 64)
			dst = append(dst, '"')
		}
		dst = append(dst, "/>"...)
	}
	return append(dst, "</detail></event>"...)
}

// AppendXMLEscaped appends s escaped for a double-quoted XML attribute,
// which also makes it safe as element text. Characters XML cannot carry at
// all (most controls, invalid UTF-8) become U+FFFD, so that the output
// always parses. It is exported for the CoT the node writes elsewhere
// (package tak), so that all of it is escaped alike.
func AppendXMLEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '&':
			dst = append(dst, "&amp;"...)
		case r == '<':
			dst = append(dst, "&lt;"...)
		case r == '>':
			dst = append(dst, "&gt;"...)
		case r == '"':
			dst = append(dst, "&quot;"...)
		case r == '\t':
			dst = append(dst, "&#x9;"...)
		case r == '\n':
			dst = append(dst, "&#xA;"...)
		case r == '\r':
			dst = append(dst, "&#xD;"...)
		case r == utf8.RuneError && size == 1, r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			dst = utf8.AppendRune(dst, utf8.RuneError)
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}
