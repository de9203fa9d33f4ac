package ais

import "math"

// PositionReport is a class A position report, message types 1, 2 and 3.
type PositionReport struct {
	Header
	NavStatus uint8  // 0–15; 15 = not defined
	ROT       int8   // rate of turn, raw (ROT_AIS); -128 = not available
	SOG       uint16 // 1/10 knot; 1023 = not available
	Accuracy  bool   // position accuracy better than 10 m
	Lon, Lat  int32  // 1/10000 minute; 181° and 91° = not available
	COG       uint16 // 1/10 degree; 3600 = not available
	Heading   uint16 // degrees; 511 = not available
	Second    uint8  // UTC second of the report; 60–63 = not available or special
	Maneuver  uint8  // special manoeuvre indicator
	Spare     uint8
	RAIM      bool
	Radio     Radio // SOTDMA for types 1 and 2, ITDMA for type 3
}

func (m *PositionReport) decode(b *bits) {
	m.Header.decode(b)
	m.NavStatus = uint8(b.u(38, 4))
	m.ROT = int8(b.i(42, 8))
	m.SOG = uint16(b.u(50, 10))
	m.Accuracy = b.bool(60)
	m.Lon = int32(b.i(61, 28))
	m.Lat = int32(b.i(89, 27))
	m.COG = uint16(b.u(116, 12))
	m.Heading = uint16(b.u(128, 9))
	m.Second = uint8(b.u(137, 6))
	m.Maneuver = uint8(b.u(143, 2))
	m.Spare = uint8(b.u(145, 3))
	m.RAIM = b.bool(148)
	m.Radio = Radio{ITDMA: m.Type == 3, State: uint32(b.u(149, 19))}
}

// Position returns the position in degrees; ok is false when not available.
func (m *PositionReport) Position() (lat, lon float64, ok bool) { return latLon(m.Lat, m.Lon) }

// SpeedKnots returns the speed over ground; ok is false when not available.
func (m *PositionReport) SpeedKnots() (float64, bool) { return sogKnots(m.SOG) }

// CourseDegrees returns the course over ground; ok is false when not available.
func (m *PositionReport) CourseDegrees() (float64, bool) { return cogDegrees(m.COG) }

// HeadingDegrees returns the true heading; ok is false when not available.
func (m *PositionReport) HeadingDegrees() (float64, bool) { return headingDegrees(m.Heading) }

// RateOfTurn returns the rate of turn in degrees per minute, as the
// sender's indicator reports it (±720 for "turning faster than 5° in 30 s");
// ok is false when not available.
func (m *PositionReport) RateOfTurn() (float64, bool) {
	if m.ROT == ROTNotAvailable {
		return math.NaN(), false
	}
	r := float64(m.ROT) / 4.733
	return math.Copysign(r*r, r), true
}

func (m *PositionReport) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("nav_status", uint64(m.NavStatus))
	if v, ok := m.RateOfTurn(); ok {
		w = w.float("rot", v, 1)
	}
	w = appendMotion(w, m.SOG, m.COG, m.Heading)
	w = appendPosition(w, m.Lat, m.Lon)
	w = w.bool("accuracy", m.Accuracy)
	w = w.uint("second", uint64(m.Second))
	w = w.uint("maneuver", uint64(m.Maneuver))
	w = w.bool("raim", m.RAIM)
	return m.Radio.appendJSON(w)
}

// SARAircraft is a search-and-rescue aircraft position report, type 9.
type SARAircraft struct {
	Header
	Altitude  uint16 // metres; 4095 = not available, 4094 = 4094 m or higher
	SOG       uint16 // whole knots; 1023 = not available
	Accuracy  bool
	Lon, Lat  int32  // 1/10000 minute
	COG       uint16 // 1/10 degree
	Second    uint8
	AltSensor bool // altitude from a barometric sensor, not GNSS
	Regional  uint8
	DTE       bool // data terminal not ready
	Spare     uint8
	Assigned  bool
	RAIM      bool
	Radio     Radio
}

func (m *SARAircraft) decode(b *bits) {
	m.Header.decode(b)
	m.Altitude = uint16(b.u(38, 12))
	m.SOG = uint16(b.u(50, 10))
	m.Accuracy = b.bool(60)
	m.Lon = int32(b.i(61, 28))
	m.Lat = int32(b.i(89, 27))
	m.COG = uint16(b.u(116, 12))
	m.Second = uint8(b.u(128, 6))
	m.AltSensor = b.bool(134)
	m.Regional = uint8(b.u(135, 7))
	m.DTE = b.bool(142)
	m.Spare = uint8(b.u(143, 3))
	m.Assigned = b.bool(146)
	m.RAIM = b.bool(147)
	m.Radio = Radio{ITDMA: b.bool(148), State: uint32(b.u(149, 19))}
}

// Position returns the position in degrees; ok is false when not available.
func (m *SARAircraft) Position() (lat, lon float64, ok bool) { return latLon(m.Lat, m.Lon) }

func (m *SARAircraft) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	if m.Altitude != 4095 {
		w = w.uint("alt", uint64(m.Altitude))
	}
	if m.SOG != SOGNotAvailable {
		w = w.uint("sog", uint64(m.SOG))
	}
	if v, ok := cogDegrees(m.COG); ok {
		w = w.float("cog", v, 1)
	}
	w = appendPosition(w, m.Lat, m.Lon)
	w = w.bool("accuracy", m.Accuracy)
	w = w.uint("second", uint64(m.Second))
	w = w.bool("alt_sensor", m.AltSensor)
	w = w.bool("dte", m.DTE)
	w = w.bool("assigned", m.Assigned)
	w = w.bool("raim", m.RAIM)
	return m.Radio.appendJSON(w)
}

// classB holds what the class B reports 18 and 19 share.
type classB struct {
	Header
	Reserved uint8
	SOG      uint16 // 1/10 knot
	Accuracy bool
	Lon, Lat int32  // 1/10000 minute
	COG      uint16 // 1/10 degree
	Heading  uint16
	Second   uint8
}

func (m *classB) decode(b *bits) {
	m.Header.decode(b)
	m.Reserved = uint8(b.u(38, 8))
	m.SOG = uint16(b.u(46, 10))
	m.Accuracy = b.bool(56)
	m.Lon = int32(b.i(57, 28))
	m.Lat = int32(b.i(85, 27))
	m.COG = uint16(b.u(112, 12))
	m.Heading = uint16(b.u(124, 9))
	m.Second = uint8(b.u(133, 6))
}

func (m *classB) appendJSON(w jsonw) jsonw {
	w = m.Header.appendJSON(w)
	w = appendMotion(w, m.SOG, m.COG, m.Heading)
	w = appendPosition(w, m.Lat, m.Lon)
	w = w.bool("accuracy", m.Accuracy)
	return w.uint("second", uint64(m.Second))
}

// Position returns the position in degrees; ok is false when not available.
func (m *classB) Position() (lat, lon float64, ok bool) { return latLon(m.Lat, m.Lon) }

// SpeedKnots returns the speed over ground; ok is false when not available.
func (m *classB) SpeedKnots() (float64, bool) { return sogKnots(m.SOG) }

// CourseDegrees returns the course over ground; ok is false when not available.
func (m *classB) CourseDegrees() (float64, bool) { return cogDegrees(m.COG) }

// HeadingDegrees returns the true heading; ok is false when not available.
func (m *classB) HeadingDegrees() (float64, bool) { return headingDegrees(m.Heading) }

// ClassBPosition is the standard class B position report, type 18.
type ClassBPosition struct {
	classB
	Regional uint8
	CS       bool // a carrier-sense unit (no slot reservations)
	Display  bool
	DSC      bool
	Band     bool
	Msg22    bool
	Assigned bool
	RAIM     bool
	Radio    Radio
}

func (m *ClassBPosition) decode(b *bits) {
	m.classB.decode(b)
	m.Regional = uint8(b.u(139, 2))
	m.CS = b.bool(141)
	m.Display = b.bool(142)
	m.DSC = b.bool(143)
	m.Band = b.bool(144)
	m.Msg22 = b.bool(145)
	m.Assigned = b.bool(146)
	m.RAIM = b.bool(147)
	m.Radio = Radio{ITDMA: b.bool(148), State: uint32(b.u(149, 19))}
}

func (m *ClassBPosition) AppendJSON(dst []byte) []byte {
	w := m.classB.appendJSON(jsonw(dst))
	w = w.bool("cs_unit", m.CS)
	w = w.bool("display", m.Display)
	w = w.bool("dsc", m.DSC)
	w = w.bool("band", m.Band)
	w = w.bool("msg22", m.Msg22)
	w = w.bool("assigned", m.Assigned)
	w = w.bool("raim", m.RAIM)
	w = w.bool("commstate_flag", m.Radio.ITDMA)
	if m.CS {
		// A carrier-sense unit reserves no slots: the state is fill.
		return w.uint("commstate_cs_fill", uint64(m.Radio.State))
	}
	return m.Radio.appendJSON(w)
}

// ClassBExtended is the extended class B report, type 19: position plus
// name, type and size.
type ClassBExtended struct {
	classB
	Regional uint8
	Name     string
	ShipType uint8
	Dimensions
	EPFD     uint8 // type of position fixing device
	RAIM     bool
	DTE      bool
	Assigned bool
	Spare    uint8
}

func (m *ClassBExtended) decode(b *bits) {
	m.classB.decode(b)
	m.Regional = uint8(b.u(139, 4))
	m.Name = b.text(143, 20)
	m.ShipType = uint8(b.u(263, 8))
	m.Dimensions.decode(b, 271)
	m.EPFD = uint8(b.u(301, 4))
	m.RAIM = b.bool(305)
	m.DTE = b.bool(306)
	m.Assigned = b.bool(307)
	m.Spare = uint8(b.u(308, 4))
}

func (m *ClassBExtended) AppendJSON(dst []byte) []byte {
	w := m.classB.appendJSON(jsonw(dst))
	w = w.str("name", m.Name)
	w = w.uint("ship_type", uint64(m.ShipType))
	w = m.Dimensions.appendJSON(w)
	w = w.uint("epfd", uint64(m.EPFD))
	w = w.bool("raim", m.RAIM)
	w = w.bool("dte", m.DTE)
	return w.bool("assigned", m.Assigned)
}

// LongRange is the long-range broadcast for satellite reception, type 27.
type LongRange struct {
	Header
	Accuracy  bool
	RAIM      bool
	NavStatus uint8
	Lon, Lat  int32  // 1/10 minute; 181° and 91° = not available
	SOG       uint8  // whole knots; 63 = not available
	COG       uint16 // whole degrees; 511 = not available
	Latency   bool   // true: the position is older than 5 s
	Spare     uint8
}

func (m *LongRange) decode(b *bits) {
	m.Header.decode(b)
	m.Accuracy = b.bool(38)
	m.RAIM = b.bool(39)
	m.NavStatus = uint8(b.u(40, 4))
	m.Lon = int32(b.i(44, 18))
	m.Lat = int32(b.i(62, 17))
	m.SOG = uint8(b.u(79, 6))
	m.COG = uint16(b.u(85, 9))
	m.Latency = b.bool(94)
	m.Spare = uint8(b.u(95, 1))
}

// Position returns the position in degrees; ok is false when not available.
func (m *LongRange) Position() (lat, lon float64, ok bool) {
	return latLon(m.Lat*1000, m.Lon*1000)
}

func (m *LongRange) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("nav_status", uint64(m.NavStatus))
	if m.SOG != 63 {
		w = w.uint("sog", uint64(m.SOG))
	}
	if m.COG < 360 {
		w = w.uint("cog", uint64(m.COG))
	}
	w = appendPosition(w, m.Lat*1000, m.Lon*1000)
	w = w.bool("accuracy", m.Accuracy)
	w = w.bool("raim", m.RAIM)
	return w.bool("gnss", !m.Latency)
}
