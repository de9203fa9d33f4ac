package ais

import (
	"fmt"
	"time"
)

// BaseStation is a base station report (type 4) or a UTC/date response
// (type 11).
type BaseStation struct {
	Header
	Year                 uint16 // 0 = not available
	Month, Day           uint8  // 0 = not available
	Hour, Minute, Second uint8  // 24, 60, 60 = not available
	Accuracy             bool
	Lon, Lat             int32 // 1/10000 minute
	EPFD                 uint8
	LongRangeControl     bool // long-range broadcast (type 27) in use
	Spare                uint16
	RAIM                 bool
	Radio                Radio
}

func (m *BaseStation) decode(b *bits) {
	m.Header.decode(b)
	m.Year = uint16(b.u(38, 14))
	m.Month = uint8(b.u(52, 4))
	m.Day = uint8(b.u(56, 5))
	m.Hour = uint8(b.u(61, 5))
	m.Minute = uint8(b.u(66, 6))
	m.Second = uint8(b.u(72, 6))
	m.Accuracy = b.bool(78)
	m.Lon = int32(b.i(79, 28))
	m.Lat = int32(b.i(107, 27))
	m.EPFD = uint8(b.u(134, 4))
	m.LongRangeControl = b.bool(138)
	m.Spare = uint16(b.u(139, 9))
	m.RAIM = b.bool(148)
	m.Radio = Radio{State: uint32(b.u(149, 19))}
}

// Position returns the position in degrees; ok is false when not available.
func (m *BaseStation) Position() (lat, lon float64, ok bool) { return latLon(m.Lat, m.Lon) }

// UTC returns the station's clock; ok is false when any part is not
// available or out of range.
func (m *BaseStation) UTC() (time.Time, bool) {
	if m.Year == 0 || m.Month < 1 || m.Month > 12 || m.Day < 1 || m.Day > 31 ||
		m.Hour > 23 || m.Minute > 59 || m.Second > 59 {
		return time.Time{}, false
	}
	return time.Date(int(m.Year), time.Month(m.Month), int(m.Day), int(m.Hour), int(m.Minute), int(m.Second), 0, time.UTC), true
}

func (m *BaseStation) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	if t, ok := m.UTC(); ok {
		w = append(w.key("utc"), '"')
		w = t.AppendFormat(w, time.RFC3339)
		w = append(w, '"')
	}
	w = appendPosition(w, m.Lat, m.Lon)
	w = w.bool("accuracy", m.Accuracy)
	w = w.uint("epfd", uint64(m.EPFD))
	w = w.bool("transmission_ctl", m.LongRangeControl)
	w = w.bool("raim", m.RAIM)
	return m.Radio.appendJSON(w)
}

// ETA is an estimated time of arrival without a year, as AIS sends it.
type ETA struct {
	Month, Day   uint8 // 0 = not available
	Hour, Minute uint8 // 24 and 60 = not available
}

// Valid reports whether month and day are given; hour and minute may still
// be missing, which String shows as "24:60".
func (e ETA) Valid() bool { return e.Month >= 1 && e.Month <= 12 && e.Day >= 1 && e.Day <= 31 }

// String formats the ETA as "MM-DDTHH:MMZ".
func (e ETA) String() string {
	return fmt.Sprintf("%02d-%02dT%02d:%02dZ", e.Month, e.Day, e.Hour, e.Minute)
}

// StaticVoyage is the class A static and voyage related data, type 5.
type StaticVoyage struct {
	Header
	AISVersion uint8
	IMO        uint32
	CallSign   string
	Name       string
	ShipType   uint8
	Dimensions
	EPFD        uint8
	ETA         ETA
	Draught     uint8 // 1/10 metre; 0 = not available
	Destination string
	DTE         bool
	Spare       uint8
}

func (m *StaticVoyage) decode(b *bits) {
	m.Header.decode(b)
	m.AISVersion = uint8(b.u(38, 2))
	m.IMO = uint32(b.u(40, 30))
	m.CallSign = b.text(70, 7)
	m.Name = b.text(112, 20)
	m.ShipType = uint8(b.u(232, 8))
	m.Dimensions.decode(b, 240)
	m.EPFD = uint8(b.u(270, 4))
	m.ETA = ETA{Month: uint8(b.u(274, 4)), Day: uint8(b.u(278, 5)), Hour: uint8(b.u(283, 5)), Minute: uint8(b.u(288, 6))}
	m.Draught = uint8(b.u(294, 8))
	m.Destination = b.text(302, 20)
	m.DTE = b.bool(422)
	m.Spare = uint8(b.u(423, 1))
}

// DraughtMetres returns the draught; ok is false when not available.
func (m *StaticVoyage) DraughtMetres() (float64, bool) {
	return float64(m.Draught) / 10, m.Draught != 0
}

func (m *StaticVoyage) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("ais_version", uint64(m.AISVersion))
	if m.IMO != 0 {
		w = w.uint("imo", uint64(m.IMO))
	}
	w = w.str("callsign", m.CallSign)
	w = w.str("name", m.Name)
	w = w.uint("ship_type", uint64(m.ShipType))
	w = m.Dimensions.appendJSON(w)
	w = w.uint("epfd", uint64(m.EPFD))
	if m.ETA.Valid() {
		w = w.str("eta", m.ETA.String())
	}
	if v, ok := m.DraughtMetres(); ok {
		w = w.float("draught", v, 1)
	}
	w = w.str("destination", m.Destination)
	return w.bool("dte", m.DTE)
}

// StaticData is the class B static data report, type 24: part A carries
// the name, part B the type, vendor, call sign and size (or, for an
// auxiliary craft, the MMSI of its mother ship).
type StaticData struct {
	Header
	Part     uint8 // 0 = A, 1 = B
	Name     string
	ShipType uint8
	VendorID string // manufacturer's id, 3 characters
	Model    uint8
	Serial   uint32
	CallSign string
	Dimensions
	MotherShip uint32 // auxiliary craft (98MIDxxxx) only, in place of the dimensions
	EPFD       uint8
	Spare      uint8
}

func (m *StaticData) decode(b *bits) {
	m.Header.decode(b)
	m.Part = uint8(b.u(38, 2))
	m.Name, m.ShipType, m.VendorID, m.Model, m.Serial, m.CallSign = "", 0, "", 0, 0, ""
	m.Dimensions, m.MotherShip, m.EPFD, m.Spare = Dimensions{}, 0, 0, 0
	switch m.Part {
	case 0:
		m.Name = b.text(40, 20)
		m.Spare = uint8(b.u(160, 8))
	case 1:
		m.ShipType = uint8(b.u(40, 8))
		m.VendorID = b.text(48, 3)
		m.Model = uint8(b.u(66, 4))
		m.Serial = uint32(b.u(70, 20))
		m.CallSign = b.text(90, 7)
		if m.MMSI/10000000 == 98 {
			m.MotherShip = uint32(b.u(132, 30))
		} else {
			m.Dimensions.decode(b, 132)
		}
		m.EPFD = uint8(b.u(162, 4))
		m.Spare = uint8(b.u(166, 2))
	}
}

func (m *StaticData) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("part_num", uint64(m.Part))
	switch m.Part {
	case 0:
		return w.str("name", m.Name)
	case 1:
		w = w.uint("ship_type", uint64(m.ShipType))
		w = w.str("vendorid", m.VendorID)
		w = w.uint("model", uint64(m.Model))
		w = w.uint("serial", uint64(m.Serial))
		w = w.str("callsign", m.CallSign)
		if m.MotherShip != 0 {
			w = w.uint("mothership_mmsi", uint64(m.MotherShip))
		} else {
			w = m.Dimensions.appendJSON(w)
		}
		return w.uint("epfd", uint64(m.EPFD))
	}
	return w
}

// AidToNavigation is an aid-to-navigation report, type 21.
type AidToNavigation struct {
	Header
	AidType  uint8
	Name     string // name plus name extension
	Accuracy bool
	Lon, Lat int32 // 1/10000 minute
	Dimensions
	EPFD        uint8
	Second      uint8
	OffPosition bool
	Regional    uint8
	RAIM        bool
	Virtual     bool
	Assigned    bool
	Spare       uint8
}

func (m *AidToNavigation) decode(b *bits) {
	m.Header.decode(b)
	m.AidType = uint8(b.u(38, 5))
	m.Name = b.text(43, 20)
	m.Accuracy = b.bool(163)
	m.Lon = int32(b.i(164, 28))
	m.Lat = int32(b.i(192, 27))
	m.Dimensions.decode(b, 219)
	m.EPFD = uint8(b.u(249, 4))
	m.Second = uint8(b.u(253, 6))
	m.OffPosition = b.bool(259)
	m.Regional = uint8(b.u(260, 8))
	m.RAIM = b.bool(268)
	m.Virtual = b.bool(269)
	m.Assigned = b.bool(270)
	m.Spare = uint8(b.u(271, 1))
	if ext := (b.n - 272) / 6; ext > 0 && len(m.Name) == 20 {
		m.Name += b.text(272, min(ext, 14))
	}
}

// Position returns the position in degrees; ok is false when not available.
func (m *AidToNavigation) Position() (lat, lon float64, ok bool) { return latLon(m.Lat, m.Lon) }

func (m *AidToNavigation) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("aid_type", uint64(m.AidType))
	w = w.str("name", m.Name)
	w = appendPosition(w, m.Lat, m.Lon)
	w = w.bool("accuracy", m.Accuracy)
	w = m.Dimensions.appendJSON(w)
	w = w.uint("epfd", uint64(m.EPFD))
	w = w.uint("second", uint64(m.Second))
	w = w.bool("off_position", m.OffPosition)
	w = w.uint("regional", uint64(m.Regional))
	w = w.bool("raim", m.RAIM)
	w = w.bool("virtual_aid", m.Virtual)
	return w.bool("assigned", m.Assigned)
}
