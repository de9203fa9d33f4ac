package ais

// Positions in the management messages (17, 22, 23) are in 1/10 minute;
// multiplied by 1000 they are in the 1/10000 minute of latLon.

// appendCorners writes the north-east and south-west corners of an area in
// 1/10 minute, each only when available.
func appendCorners(w jsonw, neLon, neLat, swLon, swLat int32) jsonw {
	if la, lo, ok := latLon(neLat*1000, neLon*1000); ok {
		w = w.float("ne_lon", lo, 7)
		w = w.float("ne_lat", la, 7)
	}
	if la, lo, ok := latLon(swLat*1000, swLon*1000); ok {
		w = w.float("sw_lon", lo, 7)
		w = w.float("sw_lat", la, 7)
	}
	return w
}

// Interrogation is an interrogation, type 15: a request to one or two
// stations to transmit given message types.
type Interrogation struct {
	Header
	Spare uint8
	// N is the number of requests: 1 (88 bits), 2 when the first station
	// is asked for a second message (more than 90 bits), 3 when a second
	// station is asked too (more than 110 bits).
	N int
	// Requests are, in order, the first and second message asked of the
	// first station and the message asked of the second.
	Requests [3]InterrogationRequest
}

// InterrogationRequest asks a station for a message type, in the slot at
// Offset from the interrogation (0 = the station chooses).
type InterrogationRequest struct {
	MMSI   uint32
	Type   uint8
	Offset uint16
}

func (m *Interrogation) decode(b *bits) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	mmsi1 := uint32(b.u(40, 30))
	m.Requests = [3]InterrogationRequest{{MMSI: mmsi1, Type: uint8(b.u(70, 6)), Offset: uint16(b.u(76, 12))}}
	m.N = 1
	if b.n > 90 {
		m.Requests[1] = InterrogationRequest{MMSI: mmsi1, Type: uint8(b.u(90, 6)), Offset: uint16(b.u(96, 12))}
		m.N = 2
	}
	if b.n > 110 {
		m.Requests[2] = InterrogationRequest{MMSI: uint32(b.u(110, 30)), Type: uint8(b.u(140, 6)), Offset: uint16(b.u(146, 12))}
		m.N = 3
	}
}

func (m *Interrogation) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	r := &m.Requests
	w = w.uint("mmsi1", uint64(r[0].MMSI))
	w = w.uint("type1_1", uint64(r[0].Type))
	w = w.uint("offset1_1", uint64(r[0].Offset))
	if m.N >= 2 {
		w = w.uint("type1_2", uint64(r[1].Type))
		w = w.uint("offset1_2", uint64(r[1].Offset))
	}
	if m.N >= 3 {
		w = w.uint("mmsi2", uint64(r[2].MMSI))
		w = w.uint("type2_1", uint64(r[2].Type))
		w = w.uint("offset2_1", uint64(r[2].Offset))
	}
	return w
}

// AssignmentCommand is an assigned mode command, type 16: one assignment
// (96 bits) or two (144 bits or more).
type AssignmentCommand struct {
	Header
	Spare       uint8
	N           int // assignments in Assignments, 1 or 2
	Assignments [2]Assignment
}

// Assignment assigns a station its reporting slots: from Offset, every
// Increment slots; an increment of 0 means Offset is a reporting rate in
// reports per 10 minutes instead.
type Assignment struct {
	MMSI      uint32
	Offset    uint16
	Increment uint16
}

func (m *AssignmentCommand) decode(b *bits) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.Assignments = [2]Assignment{{MMSI: uint32(b.u(40, 30)), Offset: uint16(b.u(70, 12)), Increment: uint16(b.u(82, 10))}}
	m.N = 1
	if b.n >= 144 {
		m.Assignments[1] = Assignment{MMSI: uint32(b.u(92, 30)), Offset: uint16(b.u(122, 12)), Increment: uint16(b.u(134, 10))}
		m.N = 2
	}
}

var assignmentKeys = [2][3]string{{"mmsi1", "offset1", "increment1"}, {"mmsi2", "offset2", "increment2"}}

func (m *AssignmentCommand) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	for k, a := range m.Assignments[:m.N] {
		w = w.uint(assignmentKeys[k][0], uint64(a.MMSI))
		w = w.uint(assignmentKeys[k][1], uint64(a.Offset))
		w = w.uint(assignmentKeys[k][2], uint64(a.Increment))
	}
	return w
}

// DGNSSBroadcast is a DGNSS broadcast binary message, type 17: differential
// corrections (ITU-R M.823 RTCM SC-104 words) from a reference station.
type DGNSSBroadcast struct {
	Header
	Spare    uint8
	Lon, Lat int32 // reference station, 1/10 minute; 181° and 91° = not available
	Spare2   uint8
	// Data are the correction data; it aliases Decoder storage (see
	// BinaryData).
	Data BinaryData
}

func (m *DGNSSBroadcast) decode(b *bits, scratch *[]byte) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.Lon = int32(b.i(40, 18))
	m.Lat = int32(b.i(58, 17))
	m.Spare2 = uint8(b.u(75, 5))
	m.Data = b.data(80, b.n, scratch)
}

// Position returns the reference station's position in degrees; ok is
// false when not available.
func (m *DGNSSBroadcast) Position() (lat, lon float64, ok bool) {
	return latLon(m.Lat*1000, m.Lon*1000)
}

func (m *DGNSSBroadcast) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = appendPosition(w, m.Lat*1000, m.Lon*1000)
	return m.Data.appendJSON(w)
}

// DataLinkManagement is a data link management message, type 20: slot
// reservations of a base station, one to four.
type DataLinkManagement struct {
	Header
	Spare        uint8
	N            int // reservations in Reservations, 1–4
	Reservations [4]Reservation
}

// Reservation reserves Number consecutive slots from Offset, every
// Increment slots, for Timeout minutes.
type Reservation struct {
	Offset    uint16
	Number    uint8
	Timeout   uint8
	Increment uint16
}

func (m *DataLinkManagement) decode(b *bits) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.Reservations = [4]Reservation{}
	m.N = 0
	// A reservation is 30 bits; the message's 2 to 6 spare bits of byte
	// alignment follow the last.
	for off := 40; off+30 <= b.n && m.N < 4; off += 30 {
		m.Reservations[m.N] = Reservation{
			Offset:    uint16(b.u(off, 12)),
			Number:    uint8(b.u(off+12, 4)),
			Timeout:   uint8(b.u(off+16, 3)),
			Increment: uint16(b.u(off+19, 11)),
		}
		m.N++
	}
}

var reservationKeys = [4][4]string{
	{"offset1", "number1", "timeout1", "increment1"},
	{"offset2", "number2", "timeout2", "increment2"},
	{"offset3", "number3", "timeout3", "increment3"},
	{"offset4", "number4", "timeout4", "increment4"},
}

func (m *DataLinkManagement) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	for k, r := range m.Reservations[:m.N] {
		w = w.uint(reservationKeys[k][0], uint64(r.Offset))
		w = w.uint(reservationKeys[k][1], uint64(r.Number))
		w = w.uint(reservationKeys[k][2], uint64(r.Timeout))
		w = w.uint(reservationKeys[k][3], uint64(r.Increment))
	}
	return w
}

// ChannelManagement is a channel management command, type 22: the
// channels and modes to use, either in an area (broadcast) or by up to two
// stations (addressed).
type ChannelManagement struct {
	Header
	Spare    uint8
	ChannelA uint16 // ITU-R M.1084 channel number
	ChannelB uint16
	TxRx     uint8 // 0 Tx A and B, Rx A and B; 1 Tx A, Rx A and B; 2 Tx B, Rx A and B; 3 Rx A only; 4 Rx B only
	Power    bool  // low power
	// The area's north-east and south-west corners, 1/10 minute, when not
	// Addressed.
	NELon, NELat, SWLon, SWLat int32
	// The stations addressed, when Addressed.
	Dest1, Dest2 uint32
	Addressed    bool
	BandA, BandB bool  // the channel's bandwidth is 12.5 kHz (deprecated)
	ZoneSize     uint8 // transitional zone, nautical miles - 1
	Spare2       uint32
}

func (m *ChannelManagement) decode(b *bits) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.ChannelA = uint16(b.u(40, 12))
	m.ChannelB = uint16(b.u(52, 12))
	m.TxRx = uint8(b.u(64, 4))
	m.Power = b.bool(68)
	m.Addressed = b.bool(139)
	m.NELon, m.NELat, m.SWLon, m.SWLat, m.Dest1, m.Dest2 = 0, 0, 0, 0, 0, 0
	if m.Addressed {
		m.Dest1 = uint32(b.u(69, 30))
		m.Dest2 = uint32(b.u(104, 30))
	} else {
		m.NELon = int32(b.i(69, 18))
		m.NELat = int32(b.i(87, 17))
		m.SWLon = int32(b.i(104, 18))
		m.SWLat = int32(b.i(122, 17))
	}
	m.BandA = b.bool(140)
	m.BandB = b.bool(141)
	m.ZoneSize = uint8(b.u(142, 3))
	m.Spare2 = uint32(b.u(145, 23))
}

func (m *ChannelManagement) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("channel_a", uint64(m.ChannelA))
	w = w.uint("channel_b", uint64(m.ChannelB))
	w = w.uint("txrx", uint64(m.TxRx))
	w = w.bool("power", m.Power)
	w = w.bool("addressed", m.Addressed)
	if m.Addressed {
		w = w.uint("dest1", uint64(m.Dest1))
		w = w.uint("dest2", uint64(m.Dest2))
	} else {
		w = appendCorners(w, m.NELon, m.NELat, m.SWLon, m.SWLat)
	}
	w = w.bool("band_a", m.BandA)
	w = w.bool("band_b", m.BandB)
	return w.uint("zonesize", uint64(m.ZoneSize))
}

// GroupAssignment is a group assignment command, type 23: the reporting
// mode of the stations of a type in an area.
type GroupAssignment struct {
	Header
	Spare                      uint8
	NELon, NELat, SWLon, SWLat int32 // corners, 1/10 minute
	StationType                uint8 // 0 all, 1 class A, 2 class B, 3 SAR aircraft, 4 AtoN, 5 class B "CS", 6 inland, 7–9 regional, 10–15 future
	ShipType                   uint8 // as in type 5; 0 = all
	Spare2                     uint32
	TxRx                       uint8 // as in type 22, 0–3
	Interval                   uint8 // reporting interval, M.1371-5 Table 77
	Quiet                      uint8 // quiet time in minutes; 0 = none
	Spare3                     uint8
}

func (m *GroupAssignment) decode(b *bits) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.NELon = int32(b.i(40, 18))
	m.NELat = int32(b.i(58, 17))
	m.SWLon = int32(b.i(75, 18))
	m.SWLat = int32(b.i(93, 17))
	m.StationType = uint8(b.u(110, 4))
	m.ShipType = uint8(b.u(114, 8))
	m.Spare2 = uint32(b.u(122, 22))
	m.TxRx = uint8(b.u(144, 2))
	m.Interval = uint8(b.u(146, 4))
	m.Quiet = uint8(b.u(150, 4))
	m.Spare3 = uint8(b.u(154, 6))
}

func (m *GroupAssignment) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = appendCorners(w, m.NELon, m.NELat, m.SWLon, m.SWLat)
	w = w.uint("station_type", uint64(m.StationType))
	w = w.uint("ship_type", uint64(m.ShipType))
	w = w.uint("txrx", uint64(m.TxRx))
	w = w.uint("interval", uint64(m.Interval))
	return w.uint("quiet", uint64(m.Quiet))
}
