package ais

import "strconv"

// Binary messages (types 6, 8, 25 and 26) carry application data named by a
// designated area code (DAC) and function identifier (FID). The common
// international applications (DAC 1, IMO SN.1/Circ.289 and the older
// SN/Circ.236), the inland AIS static data (DAC 200) and the GLA AtoN
// monitoring report (DAC 235/250) are decoded into an [Application]; the
// data of any other application is kept as bits.

// BinaryData is application data kept as bits: Bits bits, left-aligned in
// Bytes, the last byte padded with zeros. Bytes aliases storage owned by the
// Decoder (its payload buffer or a scratch buffer) and, like the message
// that holds it, is valid only until the Decoder's next call: copy it to
// keep it.
type BinaryData struct {
	Bytes []byte
	Bits  int
}

func (d BinaryData) appendJSON(w jsonw) jsonw {
	w = w.hex("data", d.Bytes)
	return w.uint("data_bits", uint64(d.Bits))
}

// data returns bits [off, end) of the payload. Byte-aligned data that runs
// to the end of the payload is a slice of the payload buffer, whose bits
// after the payload are zero; any other is copied into *scratch.
func (b *bits) data(off, end int, scratch *[]byte) BinaryData {
	if end <= off {
		return BinaryData{}
	}
	if off&7 == 0 && end == b.n {
		hi := (end + 7) >> 3
		return BinaryData{Bytes: b.buf[off>>3 : hi : hi], Bits: end - off}
	}
	*scratch = b.raw(*scratch, off, end-off)
	return BinaryData{Bytes: *scratch, Bits: end - off}
}

// AddressedBinary is an addressed binary message, type 6.
type AddressedBinary struct {
	Header
	SeqNo      uint8  // sequence number 0–3
	DestMMSI   uint32 // destination
	Retransmit bool   // the message is a retransmission
	Spare      uint8
	DAC        uint16 // designated area code; 1 = international
	FID        uint8  // function identifier
	// Data is the application data after DAC and FID; it aliases Decoder
	// storage (see BinaryData).
	Data BinaryData
	// App is the decoded application data, or nil when the application is
	// not one this package knows or the data is too short for it. It points
	// into the Decoder and is valid until its next call.
	App Application
}

func (m *AddressedBinary) decode(b *bits, apps *applications, scratch *[]byte) {
	m.Header.decode(b)
	m.SeqNo = uint8(b.u(38, 2))
	m.DestMMSI = uint32(b.u(40, 30))
	m.Retransmit = b.bool(70)
	m.Spare = uint8(b.u(71, 1))
	m.DAC = uint16(b.u(72, 10))
	m.FID = uint8(b.u(82, 6))
	m.Data = b.data(88, b.n, scratch)
	m.App = apps.decode(b, 6, m.DAC, m.FID, 88, b.n)
}

func (m *AddressedBinary) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("seqno", uint64(m.SeqNo))
	w = w.uint("dest_mmsi", uint64(m.DestMMSI))
	w = w.bool("retransmit", m.Retransmit)
	w = w.uint("dac", uint64(m.DAC))
	w = w.uint("fid", uint64(m.FID))
	return appendApp(w, m.App, m.Data)
}

// BroadcastBinary is a binary broadcast message, type 8.
type BroadcastBinary struct {
	Header
	Spare uint8
	DAC   uint16 // designated area code; 1 = international
	FID   uint8  // function identifier
	// Data is the application data after DAC and FID; it aliases Decoder
	// storage (see BinaryData).
	Data BinaryData
	// App is the decoded application data, or nil (see AddressedBinary).
	App Application
}

func (m *BroadcastBinary) decode(b *bits, apps *applications, scratch *[]byte) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.DAC = uint16(b.u(40, 10))
	m.FID = uint8(b.u(50, 6))
	m.Data = b.data(56, b.n, scratch)
	m.App = apps.decode(b, 8, m.DAC, m.FID, 56, b.n)
}

func (m *BroadcastBinary) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("dac", uint64(m.DAC))
	w = w.uint("fid", uint64(m.FID))
	return appendApp(w, m.App, m.Data)
}

// appendApp writes the decoded application, or the undecoded data.
func appendApp(w jsonw, app Application, data BinaryData) jsonw {
	if app != nil {
		return app.appendJSON(w)
	}
	return data.appendJSON(w)
}

// slotBinary holds what the single- and multi-slot binary messages (types
// 25 and 26) share. Their layout depends on two flags: an addressed message
// carries a destination MMSI and 2 spare bits, a structured one a 16-bit
// application identifier (DAC and FID) before the data (M.1371-5 Tables
// 80 and 82).
type slotBinary struct {
	Header
	Addressed  bool   // DestMMSI is given
	Structured bool   // DAC and FID are given
	DestMMSI   uint32 // addressed only
	DAC        uint16 // structured only
	FID        uint8  // structured only
	// Data is the binary data after the header fields; it aliases Decoder
	// storage (see BinaryData).
	Data BinaryData
	// App is the decoded application data of a structured message, or nil
	// (see AddressedBinary).
	App Application
}

// decode reads the flags and header fields; the data runs from their end
// to end, or is empty when the message is shorter than its header.
func (m *slotBinary) decode(b *bits, t, end int, apps *applications, scratch *[]byte) {
	m.Header.decode(b)
	m.Addressed = b.bool(38)
	m.Structured = b.bool(39)
	m.DestMMSI, m.DAC, m.FID, m.App = 0, 0, 0, nil
	off := 40
	if m.Addressed {
		m.DestMMSI = uint32(b.u(off, 30))
		off += 32
	}
	if m.Structured {
		m.DAC = uint16(b.u(off, 10))
		m.FID = uint8(b.u(off+10, 6))
		off += 16
	}
	if off > end {
		m.Data = BinaryData{}
		return
	}
	m.Data = b.data(off, end, scratch)
	if m.Structured {
		m.App = apps.decode(b, t, m.DAC, m.FID, off, end)
	}
}

func (m *slotBinary) appendJSON(w jsonw) jsonw {
	w = m.Header.appendJSON(w)
	w = w.bool("addressed", m.Addressed)
	w = w.bool("structured", m.Structured)
	if m.Addressed {
		w = w.uint("dest_mmsi", uint64(m.DestMMSI))
	}
	if m.Structured {
		w = w.uint("dac", uint64(m.DAC))
		w = w.uint("fid", uint64(m.FID))
	}
	return appendApp(w, m.App, m.Data)
}

// SingleSlotBinary is a single-slot binary message, type 25.
type SingleSlotBinary struct {
	slotBinary
}

func (m *SingleSlotBinary) decode(b *bits, apps *applications, scratch *[]byte) {
	m.slotBinary.decode(b, 25, b.n, apps, scratch)
}

func (m *SingleSlotBinary) AppendJSON(dst []byte) []byte {
	return m.slotBinary.appendJSON(jsonw(dst))
}

// MultiSlotBinary is a multiple-slot binary message with a communication
// state, type 26. The last 20 bits are the communication state selector
// and state; the 4 spare bits M.1371 puts before them for byte alignment
// stay at the end of Data, as senders do not all send them. A message too
// short to hold its header fields and the state has HasRadio false and
// whatever follows the header in Data.
type MultiSlotBinary struct {
	slotBinary
	HasRadio bool // the message is long enough to hold the radio state
	Radio    Radio
}

func (m *MultiSlotBinary) decode(b *bits, apps *applications, scratch *[]byte) {
	hdr := 40
	if b.bool(38) {
		hdr += 32
	}
	if b.bool(39) {
		hdr += 16
	}
	end := b.n
	m.HasRadio = b.n-20 >= hdr
	m.Radio = Radio{}
	if m.HasRadio {
		end = b.n - 20
		m.Radio = Radio{ITDMA: b.bool(end), State: uint32(b.u(end+1, 19))}
	}
	m.slotBinary.decode(b, 26, end, apps, scratch)
}

func (m *MultiSlotBinary) AppendJSON(dst []byte) []byte {
	w := m.slotBinary.appendJSON(jsonw(dst))
	if m.HasRadio {
		w = m.Radio.appendJSON(w)
	}
	return w
}

// Application is the decoded data of a binary message: one of
// *TextTelegram, *FunctionInterrogation, *CapabilityInterrogation,
// *CapabilityReply, *ApplicationAck, *MetHydro, *AreaNotice,
// *ExtendedShipStatic, *TextDescription, *InlandStatic or
// *AtoNMonitoring. It points into the Decoder and is valid only until its
// next call.
type Application interface {
	appendJSON(w jsonw) jsonw
}

// applications keeps one value of each application, reused like the
// messages themselves.
type applications struct {
	text   TextTelegram
	fnReq  FunctionInterrogation
	capReq CapabilityInterrogation
	capRep CapabilityReply
	ack    ApplicationAck
	met    MetHydro
	area   AreaNotice
	ext    ExtendedShipStatic
	desc   TextDescription
	inland InlandStatic
	aton   AtoNMonitoring
}

// decode decodes the application data in bits [off, end) of a message of
// type t (6 addressed, 8 broadcast, 25 or 26 either), or returns nil when
// the application is unknown, registered for the other kind of message, or
// shorter than its fixed fields.
func (a *applications) decode(b *bits, t int, dac uint16, fid uint8, off, end int) Application {
	n := end - off
	addressed := t == 6 || ((t == 25 || t == 26) && b.bool(38))
	switch dac {
	case 1:
		switch fid {
		case 0: // text telegram, addressed or broadcast
			hasAck := t == 6 || t == 8
			if hasAck && n < 12 || !hasAck && n < 11 {
				return nil
			}
			a.text.decode(b, hasAck, off, end)
			return &a.text
		case 2: // interrogation for a specific function
			if !addressed || n < 16 {
				return nil
			}
			a.fnReq = FunctionInterrogation{DAC: uint16(b.u(off, 10)), FID: uint8(b.u(off+10, 6))}
			return &a.fnReq
		case 3: // capability interrogation
			if !addressed || n < 10 {
				return nil
			}
			a.capReq = CapabilityInterrogation{DAC: uint16(b.u(off, 10))}
			return &a.capReq
		case 4: // capability reply
			if !addressed || n < 138 {
				return nil
			}
			a.capRep.decode(b, off)
			return &a.capRep
		case 5: // application acknowledgement
			if !addressed || n < 31 {
				return nil
			}
			a.ack.decode(b, off)
			return &a.ack
		case 11, 31: // meteorological and hydrographic data
			if addressed || fid == 11 && n < 290 || fid == 31 && n < 294 {
				return nil
			}
			a.met.decode(b, fid == 11, off)
			return &a.met
		case 22, 23: // area notice, broadcast (22) or addressed (23)
			if addressed != (fid == 23) || n < 55 {
				return nil
			}
			a.area.decode(b, off, end)
			return &a.area
		case 24: // extended ship static and voyage related data
			if addressed || n < 294 {
				return nil
			}
			a.ext.decode(b, off)
			return &a.ext
		case 29, 30: // text description, broadcast (29) or addressed (30)
			if addressed != (fid == 30) || n < 10 {
				return nil
			}
			a.desc = TextDescription{LinkID: uint16(b.u(off, 10)), Text: b.textTo(off+10, end)}
			return &a.desc
		}
	case 200:
		if fid == 10 && !addressed && n >= 104 {
			a.inland.decode(b, off)
			return &a.inland
		}
	case 235, 250:
		if fid == 10 && addressed && n >= 44 {
			a.aton.decode(b, off)
			return &a.aton
		}
	}
	return nil
}

// TextTelegram is DAC 1 FID 0, text in six-bit ASCII (M.1371 Annex 5).
type TextTelegram struct {
	HasAck      bool   // the ack flag is present: types 6 and 8, not 25 and 26
	AckRequired bool   // the sender asks for an acknowledgement
	Seq         uint16 // text sequence number; 0 = not used
	Text        string
}

func (a *TextTelegram) decode(b *bits, hasAck bool, off, end int) {
	a.HasAck = hasAck
	a.AckRequired = false
	if hasAck {
		a.AckRequired = b.bool(off)
		off++
	}
	a.Seq = uint16(b.u(off, 11))
	a.Text = b.textTo(off+11, end)
}

func (a *TextTelegram) appendJSON(w jsonw) jsonw {
	if a.HasAck {
		w = w.bool("ack_required", a.AckRequired)
	}
	w = w.uint("msg_seq", uint64(a.Seq))
	return w.str("text", a.Text)
}

// FunctionInterrogation is DAC 1 FID 2: a request that the addressee send
// the given application.
type FunctionInterrogation struct {
	DAC uint16 // requested DAC
	FID uint8  // requested FID
}

func (a *FunctionInterrogation) appendJSON(w jsonw) jsonw {
	w = w.uint("req_dac", uint64(a.DAC))
	return w.uint("req_fid", uint64(a.FID))
}

// CapabilityInterrogation is DAC 1 FID 3: a request for the applications
// of a DAC that the addressee supports.
type CapabilityInterrogation struct {
	DAC uint16 // requested DAC
}

func (a *CapabilityInterrogation) appendJSON(w jsonw) jsonw {
	return w.uint("req_dac", uint64(a.DAC))
}

// CapabilityReply is DAC 1 FID 4: which of the 64 FIDs of a DAC the sender
// supports.
type CapabilityReply struct {
	DAC       uint16
	Available uint64 // bit i set: FID i is available
}

func (a *CapabilityReply) decode(b *bits, off int) {
	a.DAC = uint16(b.u(off, 10))
	a.Available = 0
	for i := 0; i < 64; i++ {
		if b.bool(off + 10 + 2*i) {
			a.Available |= 1 << uint(i)
		}
	}
}

func (a *CapabilityReply) appendJSON(w jsonw) jsonw {
	w = w.uint("capability_dac", uint64(a.DAC))
	w = append(w.key("available_fids"), '[')
	first := true
	for i := 0; i < 64; i++ {
		if a.Available&(1<<uint(i)) != 0 {
			if !first {
				w = append(w, ',')
			}
			first = false
			w = strconv.AppendUint(w, uint64(i), 10)
		}
	}
	return append(w, ']')
}

// ApplicationAck is DAC 1 FID 5: the acknowledgement of an addressed binary
// message (M.1371-5 Annex 5).
type ApplicationAck struct {
	DAC       uint16 // DAC of the message acknowledged
	FID       uint8  // FID of the message acknowledged
	Seq       uint16 // its text sequence number
	Available bool   // the application is available
	Response  uint8  // 0 unable to respond, 1 reception acknowledged, 2 response follows, 3 able to respond but currently inhibited, 4–7 spare
}

func (a *ApplicationAck) decode(b *bits, off int) {
	a.DAC = uint16(b.u(off, 10))
	a.FID = uint8(b.u(off+10, 6))
	a.Seq = uint16(b.u(off+16, 11))
	a.Available = b.bool(off + 27)
	a.Response = uint8(b.u(off+28, 3))
}

func (a *ApplicationAck) appendJSON(w jsonw) jsonw {
	w = w.uint("ack_dac", uint64(a.DAC))
	w = w.uint("ack_fid", uint64(a.FID))
	w = w.uint("ack_seq", uint64(a.Seq))
	w = w.bool("ai_available", a.Available)
	return w.uint("ai_response", uint64(a.Response))
}

// TextDescription is DAC 1 FID 29 (broadcast) or 30 (addressed): free text
// linked to another application message by its link ID.
type TextDescription struct {
	LinkID uint16
	Text   string
}

func (a *TextDescription) appendJSON(w jsonw) jsonw {
	w = w.uint("link_id", uint64(a.LinkID))
	return w.str("text", a.Text)
}

// MetHydro is meteorological and hydrographic data: DAC 1 FID 31 (IMO
// SN.1/Circ.289) or the older FID 11 (IMO SN/Circ.236), which carries the
// same quantities with other widths, offsets and not-available values.
// The fields hold the raw values of the sender's layout, which Legacy
// tells; the accessors and AppendJSON scale them and treat any value out of
// the layout's range as not available.
type MetHydro struct {
	Legacy   bool  // FID 11 layout; otherwise FID 31
	Lon, Lat int32 // 1/1000 minute; 181° and 91° = not available
	Accuracy bool  // FID 31 only
	// UTC day, hour and minute of the observation; 0, 24 and 60 (FID 11:
	// 0, 31 and 63) = not available.
	Day, Hour, Minute uint8
	WindSpeed         uint8  // knots, 10-minute mean; 127 = not available
	WindGust          uint8  // knots; 127 = not available
	WindDir           uint16 // degrees; 360 (FID 11: 511) = not available
	WindGustDir       uint16 // degrees; 360 (FID 11: 511) = not available
	// AirTemp is in 0.1 °C: FID 31 signed, -1024 = not available; FID 11
	// offset by +600, 2047 = not available.
	AirTemp  int16
	Humidity uint8 // percent; 101 (FID 11: 127) = not available
	// DewPoint is in 0.1 °C: FID 31 signed, 501 = not available; FID 11
	// offset by +200, 1023 = not available.
	DewPoint int16
	// Pressure is in hPa offset by -799 for FID 31 (0 = 799 or less, 402 =
	// 1201 or more) and by -800 for FID 11; 511 = not available.
	Pressure      uint16
	PressureTrend uint8 // 0 steady, 1 decreasing, 2 increasing, 3 = not available
	VisGreater    bool  // FID 31: visibility is more than the value given
	// Visibility is in 0.1 nautical mile; 127 (FID 11: 255) = not available.
	Visibility uint8
	// WaterLevel is the deviation from chart datum offset by +10 m: in
	// 0.01 m for FID 31 (4001 = not available), 0.1 m for FID 11 (511).
	WaterLevel      uint16
	WaterLevelTrend uint8      // 0 steady, 1 decreasing, 2 increasing, 3 = not available
	Currents        [3]Current // the surface current, then two at depth
	WaveHeight      uint8      // significant wave height, 0.1 m; 255 = not available
	WavePeriod      uint8      // seconds; 63 = not available
	WaveDir         uint16     // degrees; 360 (FID 11: 511) = not available
	SwellHeight     uint8      // 0.1 m; 255 = not available
	SwellPeriod     uint8      // seconds; 63 = not available
	SwellDir        uint16     // degrees; 360 (FID 11: 511) = not available
	SeaState        uint8      // Beaufort scale; 13 (FID 11: 15) = not available
	// WaterTemp is in 0.1 °C: FID 31 signed, 501 = not available; FID 11
	// offset by +100, 1023 = not available.
	WaterTemp     int16
	Precipitation uint8  // 1 rain, 2 thunderstorm, 3 freezing rain, 4 mixed or ice, 5 snow; 7 = not available
	Salinity      uint16 // 0.1 ‰; 510 (FID 11: 511) = not available
	Ice           uint8  // 0 no, 1 yes; 3 = not available
}

// Current is one water current of a MetHydro report.
type Current struct {
	Speed uint8  // 0.1 knot; 255 = not available
	Dir   uint16 // degrees; 360 (FID 11: 511) = not available
	Depth uint8  // metres below the surface, for the second and third; 31 = not available
}

func (a *MetHydro) decode(b *bits, legacy bool, d int) {
	*a = MetHydro{Legacy: legacy}
	if legacy {
		a.Lat = int32(b.i(d, 24))
		a.Lon = int32(b.i(d+24, 25))
		d += 49 // now at the day; FID 11 has no accuracy flag
	} else {
		a.Lon = int32(b.i(d, 25))
		a.Lat = int32(b.i(d+25, 24))
		a.Accuracy = b.bool(d + 49)
		d += 50
	}
	a.Day = uint8(b.u(d, 5))
	a.Hour = uint8(b.u(d+5, 5))
	a.Minute = uint8(b.u(d+10, 6))
	a.WindSpeed = uint8(b.u(d+16, 7))
	a.WindGust = uint8(b.u(d+23, 7))
	a.WindDir = uint16(b.u(d+30, 9))
	a.WindGustDir = uint16(b.u(d+39, 9))
	if legacy {
		a.AirTemp = int16(b.u(d+48, 11))
		a.Humidity = uint8(b.u(d+59, 7))
		a.DewPoint = int16(b.u(d+66, 10))
	} else {
		a.AirTemp = int16(b.i(d+48, 11))
		a.Humidity = uint8(b.u(d+59, 7))
		a.DewPoint = int16(b.i(d+66, 10))
	}
	a.Pressure = uint16(b.u(d+76, 9))
	a.PressureTrend = uint8(b.u(d+85, 2))
	if legacy {
		a.Visibility = uint8(b.u(d+87, 8))
		a.WaterLevel = uint16(b.u(d+95, 9))
		d += 104
	} else {
		a.VisGreater = b.bool(d + 87)
		a.Visibility = uint8(b.u(d+88, 7))
		a.WaterLevel = uint16(b.u(d+95, 12))
		d += 107
	}
	// Both layouts are the same from the water level trend to the ice,
	// but for the signedness of the water temperature.
	a.WaterLevelTrend = uint8(b.u(d, 2))
	a.Currents[0] = Current{Speed: uint8(b.u(d+2, 8)), Dir: uint16(b.u(d+10, 9))}
	a.Currents[1] = Current{Speed: uint8(b.u(d+19, 8)), Dir: uint16(b.u(d+27, 9)), Depth: uint8(b.u(d+36, 5))}
	a.Currents[2] = Current{Speed: uint8(b.u(d+41, 8)), Dir: uint16(b.u(d+49, 9)), Depth: uint8(b.u(d+58, 5))}
	a.WaveHeight = uint8(b.u(d+63, 8))
	a.WavePeriod = uint8(b.u(d+71, 6))
	a.WaveDir = uint16(b.u(d+77, 9))
	a.SwellHeight = uint8(b.u(d+86, 8))
	a.SwellPeriod = uint8(b.u(d+94, 6))
	a.SwellDir = uint16(b.u(d+100, 9))
	a.SeaState = uint8(b.u(d+109, 4))
	if legacy {
		a.WaterTemp = int16(b.u(d+113, 10))
	} else {
		a.WaterTemp = int16(b.i(d+113, 10))
	}
	a.Precipitation = uint8(b.u(d+123, 3))
	a.Salinity = uint16(b.u(d+126, 9))
	a.Ice = uint8(b.u(d+135, 2))
}

// Position returns the position of the station in degrees; ok is false
// when not available.
func (a *MetHydro) Position() (lat, lon float64, ok bool) {
	return latLon(a.Lat*10, a.Lon*10)
}

// AirTempC returns the air temperature in °C; ok is false when not
// available.
func (a *MetHydro) AirTempC() (float64, bool) {
	if a.Legacy {
		return float64(a.AirTemp-600) / 10, a.AirTemp >= 0 && a.AirTemp <= 1200
	}
	return float64(a.AirTemp) / 10, a.AirTemp >= -600 && a.AirTemp <= 600
}

// DewPointC returns the dew point in °C; ok is false when not available.
func (a *MetHydro) DewPointC() (float64, bool) {
	if a.Legacy {
		return float64(a.DewPoint-200) / 10, a.DewPoint >= 0 && a.DewPoint <= 700
	}
	return float64(a.DewPoint) / 10, a.DewPoint >= -200 && a.DewPoint <= 500
}

// PressureHPa returns the air pressure at sea level in hPa; ok is false
// when not available. For FID 31, 799 means 799 or less and 1201 means
// 1201 or more.
func (a *MetHydro) PressureHPa() (float64, bool) {
	if a.Legacy {
		return float64(a.Pressure) + 800, a.Pressure <= 400
	}
	return float64(a.Pressure) + 799, a.Pressure <= 402
}

// VisibilityNM returns the horizontal visibility in nautical miles; ok is
// false when not available.
func (a *MetHydro) VisibilityNM() (float64, bool) {
	if a.Legacy {
		return float64(a.Visibility) / 10, a.Visibility <= 250
	}
	return float64(a.Visibility) / 10, a.Visibility <= 126
}

// WaterLevelM returns the water level, the deviation from chart datum
// including tide, in metres; ok is false when not available.
func (a *MetHydro) WaterLevelM() (float64, bool) {
	if a.Legacy {
		return float64(a.WaterLevel)/10 - 10, a.WaterLevel <= 400
	}
	return float64(a.WaterLevel)/100 - 10, a.WaterLevel <= 4000
}

// WaterTempC returns the water temperature in °C; ok is false when not
// available.
func (a *MetHydro) WaterTempC() (float64, bool) {
	if a.Legacy {
		return float64(a.WaterTemp-100) / 10, a.WaterTemp >= 0 && a.WaterTemp <= 600
	}
	return float64(a.WaterTemp) / 10, a.WaterTemp >= -100 && a.WaterTemp <= 500
}

// SalinityPermille returns the salinity in ‰; ok is false when not
// available.
func (a *MetHydro) SalinityPermille() (float64, bool) {
	return float64(a.Salinity) / 10, a.Salinity <= 501
}

func (a *MetHydro) appendJSON(w jsonw) jsonw {
	w = appendPosition(w, a.Lat*10, a.Lon*10)
	if !a.Legacy {
		w = w.bool("accuracy", a.Accuracy)
	}
	if a.Day >= 1 && a.Day <= 31 {
		w = w.uint("day", uint64(a.Day))
	}
	if a.Hour <= 23 {
		w = w.uint("hour", uint64(a.Hour))
	}
	if a.Minute <= 59 {
		w = w.uint("minute", uint64(a.Minute))
	}
	w = optUint(w, "wind_speed", uint64(a.WindSpeed), 126)
	w = optUint(w, "wind_gust", uint64(a.WindGust), 126)
	w = optUint(w, "wind_direction", uint64(a.WindDir), 359)
	w = optUint(w, "wind_gust_direction", uint64(a.WindGustDir), 359)
	if v, ok := a.AirTempC(); ok {
		w = w.float("air_temp", v, 1)
	}
	w = optUint(w, "humidity", uint64(a.Humidity), 100)
	if v, ok := a.DewPointC(); ok {
		w = w.float("dew_point", v, 1)
	}
	if v, ok := a.PressureHPa(); ok {
		w = w.float("pressure", v, 0)
	}
	w = optUint(w, "pressure_tendency", uint64(a.PressureTrend), 2)
	if v, ok := a.VisibilityNM(); ok {
		w = w.float("visibility", v, 1)
		if a.VisGreater {
			w = w.bool("visibility_greater", true)
		}
	}
	if v, ok := a.WaterLevelM(); ok {
		w = w.float("water_level", v, 2)
	}
	w = optUint(w, "water_level_trend", uint64(a.WaterLevelTrend), 2)
	w = optTenth(w, "current_speed", uint64(a.Currents[0].Speed), 251)
	w = optUint(w, "current_direction", uint64(a.Currents[0].Dir), 359)
	w = optTenth(w, "current_speed_2", uint64(a.Currents[1].Speed), 251)
	w = optUint(w, "current_direction_2", uint64(a.Currents[1].Dir), 359)
	w = optUint(w, "current_depth_2", uint64(a.Currents[1].Depth), 30)
	w = optTenth(w, "current_speed_3", uint64(a.Currents[2].Speed), 251)
	w = optUint(w, "current_direction_3", uint64(a.Currents[2].Dir), 359)
	w = optUint(w, "current_depth_3", uint64(a.Currents[2].Depth), 30)
	w = optTenth(w, "wave_height", uint64(a.WaveHeight), 251)
	w = optUint(w, "wave_period", uint64(a.WavePeriod), 60)
	w = optUint(w, "wave_direction", uint64(a.WaveDir), 359)
	w = optTenth(w, "swell_height", uint64(a.SwellHeight), 251)
	w = optUint(w, "swell_period", uint64(a.SwellPeriod), 60)
	w = optUint(w, "swell_direction", uint64(a.SwellDir), 359)
	w = optUint(w, "sea_state", uint64(a.SeaState), 12)
	if v, ok := a.WaterTempC(); ok {
		w = w.float("water_temp", v, 1)
	}
	if a.Precipitation >= 1 && a.Precipitation <= 5 {
		w = w.uint("precipitation", uint64(a.Precipitation))
	}
	if v, ok := a.SalinityPermille(); ok {
		w = w.float("salinity", v, 1)
	}
	if a.Ice <= 1 {
		w = w.bool("ice", a.Ice == 1)
	}
	return w
}

// optUint writes v when it is at most max.
func optUint(w jsonw, k string, v, max uint64) jsonw {
	if v > max {
		return w
	}
	return w.uint(k, v)
}

// optTenth writes v/10 when v is at most max.
func optTenth(w jsonw, k string, v, max uint64) jsonw {
	if v > max {
		return w
	}
	return w.float(k, float64(v)/10, 1)
}

// maxSubAreas bounds the sub-areas kept of an area notice. Five slots hold
// ten; longer (non-conforming) messages have the rest dropped.
const maxSubAreas = 16

// AreaNotice is DAC 1 FID 22 (broadcast) or 23 (addressed), IMO
// SN.1/Circ.289: a notice about an area made of sub-areas.
type AreaNotice struct {
	LinkID     uint16 // message linkage ID
	NoticeType uint8  // 0–127 (Circ.289 Table 4.1); 127 = undefined
	// Start of the notice, UTC; 0, 0, 24 and 60 = not available.
	Month, Day, Hour, Minute uint8
	Duration                 uint32 // minutes; 262143 = until cancelled
	NumSubAreas              int    // sub-areas in SubAreas
	SubAreas                 [maxSubAreas]SubArea
}

// SubArea is one 87-bit sub-area of an area notice. Which fields are set
// depends on the shape: 0 circle or point, 1 rectangle, 2 sector (position,
// precision and size), 3 polyline and 4 polygon (points relative to the
// previous sub-area's position), 5 text; 6 and 7 are reserved.
type SubArea struct {
	Shape       uint8
	Scale       uint8  // distances are in units of 1, 10, 100 or 1000 m for 0–3
	Lon, Lat    int32  // 1/1000 minute; shapes 0–2
	Precision   uint8  // decimal places of the position; shapes 0–2
	Radius      uint16 // scale units; circle and sector (0 = a point)
	EastDim     uint8  // scale units; rectangle
	NorthDim    uint8  // scale units; rectangle
	Orientation uint16 // degrees; rectangle
	LeftBound   uint16 // degrees; sector
	RightBound  uint16 // degrees; sector
	NumPoints   int    // points of a polyline or polygon, up to the first of distance 0
	Points      [4]AreaPoint
	Text        string // shape 5
}

// AreaPoint is one point of a polyline or polygon sub-area.
type AreaPoint struct {
	Angle    uint16 // from the previous point, in 0.5 degree; 720 = not available
	Distance uint16 // scale units
}

func (a *AreaNotice) decode(b *bits, off, end int) {
	a.LinkID = uint16(b.u(off, 10))
	a.NoticeType = uint8(b.u(off+10, 7))
	a.Month = uint8(b.u(off+17, 4))
	a.Day = uint8(b.u(off+21, 5))
	a.Hour = uint8(b.u(off+26, 5))
	a.Minute = uint8(b.u(off+31, 6))
	a.Duration = uint32(b.u(off+37, 18))
	a.NumSubAreas = 0
	for p := off + 55; p+87 <= end && a.NumSubAreas < maxSubAreas; p += 87 {
		a.SubAreas[a.NumSubAreas].decode(b, p)
		a.NumSubAreas++
	}
}

func (s *SubArea) decode(b *bits, p int) {
	*s = SubArea{Shape: uint8(b.u(p, 3))}
	p += 3
	switch s.Shape {
	case 0, 1, 2:
		s.Scale = uint8(b.u(p, 2))
		s.Lon = int32(b.i(p+2, 25))
		s.Lat = int32(b.i(p+27, 24))
		s.Precision = uint8(b.u(p+51, 3))
		switch s.Shape {
		case 0:
			s.Radius = uint16(b.u(p+54, 12))
		case 1:
			s.EastDim = uint8(b.u(p+54, 8))
			s.NorthDim = uint8(b.u(p+62, 8))
			s.Orientation = uint16(b.u(p+70, 9))
		case 2:
			s.Radius = uint16(b.u(p+54, 12))
			s.LeftBound = uint16(b.u(p+66, 9))
			s.RightBound = uint16(b.u(p+75, 9))
		}
	case 3, 4:
		s.Scale = uint8(b.u(p, 2))
		for i := 0; i < 4; i++ {
			pt := AreaPoint{Angle: uint16(b.u(p+2+20*i, 10)), Distance: uint16(b.u(p+12+20*i, 10))}
			if pt.Distance == 0 {
				break
			}
			s.Points[i] = pt
			s.NumPoints++
		}
	case 5:
		s.Text = b.text(p, 14)
	}
}

// metres scales a distance in the sub-area's units.
func (s *SubArea) metres(v uint16) uint64 {
	return uint64(v) * [4]uint64{1, 10, 100, 1000}[s.Scale&3]
}

func (a *AreaNotice) appendJSON(w jsonw) jsonw {
	w = w.uint("link_id", uint64(a.LinkID))
	w = w.uint("notice_type", uint64(a.NoticeType))
	if a.Month >= 1 && a.Month <= 12 {
		w = w.uint("month", uint64(a.Month))
	}
	if a.Day >= 1 && a.Day <= 31 {
		w = w.uint("day", uint64(a.Day))
	}
	if a.Hour <= 23 {
		w = w.uint("hour", uint64(a.Hour))
	}
	if a.Minute <= 59 {
		w = w.uint("minute", uint64(a.Minute))
	}
	w = w.uint("duration_minutes", uint64(a.Duration))
	w = append(w.key("sub_areas"), '[')
	for i := range a.SubAreas[:a.NumSubAreas] {
		if i > 0 {
			w = append(w, ',')
		}
		start := len(w)
		w = closeObject(a.SubAreas[i].appendJSON(append(w, '{')), start)
	}
	return append(w, ']')
}

// closeObject ends the object whose '{' is at w[start], dropping the comma
// that the first member wrote after it.
func closeObject(w jsonw, start int) jsonw {
	if len(w) > start+1 && w[start+1] == ',' {
		copy(w[start+1:], w[start+2:])
		w = w[:len(w)-1]
	}
	return append(w, '}')
}

func (s *SubArea) appendJSON(w jsonw) jsonw {
	w = w.uint("shape", uint64(s.Shape))
	switch s.Shape {
	case 0, 1, 2:
		w = appendPosition(w, s.Lat*10, s.Lon*10)
		w = w.uint("precision", uint64(s.Precision))
		switch s.Shape {
		case 0:
			w = w.uint("radius", s.metres(s.Radius))
		case 1:
			w = w.uint("e_dim", s.metres(uint16(s.EastDim)))
			w = w.uint("n_dim", s.metres(uint16(s.NorthDim)))
			w = w.uint("orientation", uint64(s.Orientation))
		case 2:
			w = w.uint("radius", s.metres(s.Radius))
			w = w.uint("left_bound", uint64(s.LeftBound))
			w = w.uint("right_bound", uint64(s.RightBound))
		}
	case 3, 4:
		w = append(w.key("points"), '[')
		for i, pt := range s.Points[:s.NumPoints] {
			if i > 0 {
				w = append(w, ',')
			}
			start := len(w)
			w = append(w, '{')
			if pt.Angle < 720 {
				w = w.float("angle", float64(pt.Angle)/2, 1)
			}
			w = w.uint("distance", s.metres(pt.Distance))
			w = closeObject(w, start)
		}
		w = append(w, ']')
	case 5:
		w = w.str("text", s.Text)
	}
	return w
}

// ExtendedShipStatic is DAC 1 FID 24, extended ship static and voyage
// related data (IMO SN.1/Circ.289).
type ExtendedShipStatic struct {
	LinkID     uint16
	AirDraught uint16    // 0.1 m; 0 = not available
	LastPort   string    // UN/LOCODE
	NextPorts  [2]string // UN/LOCODEs
	// SOLAS holds the status of 26 items of equipment, 2 bits each, the
	// first in the top bits: 0 not available, 1 operational, 2 not
	// operational, 3 no data.
	SOLAS          uint64
	IceClass       uint8
	ShaftPower     uint32 // horsepower; 0 = not available
	VHF            uint16 // working channel
	LloydsShipType string
	GrossTonnage   uint32 // 0 = not available
	LadenBallast   uint8  // 0 not available, 1 laden, 2 ballast
	HeavyOil       uint8  // bunker type carried: 0 not available, 1 no, 2 yes
	LightOil       uint8
	Diesel         uint8
	BunkerOil      uint16 // tonnes; 0 = not available
	Persons        uint16 // persons on board; 0 = not available
}

func (a *ExtendedShipStatic) decode(b *bits, d int) {
	a.LinkID = uint16(b.u(d, 10))
	a.AirDraught = uint16(b.u(d+10, 13))
	a.LastPort = b.text(d+23, 5)
	a.NextPorts[0] = b.text(d+53, 5)
	a.NextPorts[1] = b.text(d+83, 5)
	a.SOLAS = b.u(d+113, 52)
	a.IceClass = uint8(b.u(d+165, 4))
	a.ShaftPower = uint32(b.u(d+169, 18))
	a.VHF = uint16(b.u(d+187, 12))
	a.LloydsShipType = b.text(d+199, 7)
	a.GrossTonnage = uint32(b.u(d+241, 18))
	a.LadenBallast = uint8(b.u(d+259, 2))
	a.HeavyOil = uint8(b.u(d+261, 2))
	a.LightOil = uint8(b.u(d+263, 2))
	a.Diesel = uint8(b.u(d+265, 2))
	a.BunkerOil = uint16(b.u(d+267, 14))
	a.Persons = uint16(b.u(d+281, 13))
}

func (a *ExtendedShipStatic) appendJSON(w jsonw) jsonw {
	w = w.uint("link_id", uint64(a.LinkID))
	if a.AirDraught != 0 {
		w = w.float("air_draught", float64(a.AirDraught)/10, 1)
	}
	w = w.str("last_port", a.LastPort)
	w = w.str("next_port_1", a.NextPorts[0])
	w = w.str("next_port_2", a.NextPorts[1])
	w = append(w.key("solas_status"), '[')
	for i := 0; i < 26; i++ {
		if i > 0 {
			w = append(w, ',')
		}
		w = append(w, '0'+byte(a.SOLAS>>uint(50-2*i)&3))
	}
	w = append(w, ']')
	w = w.uint("ice_class", uint64(a.IceClass))
	if a.ShaftPower != 0 {
		w = w.uint("shaft_power", uint64(a.ShaftPower))
	}
	w = w.uint("vhf", uint64(a.VHF))
	w = w.str("lloyds_ship_type", a.LloydsShipType)
	if a.GrossTonnage != 0 {
		w = w.uint("gross_tonnage", uint64(a.GrossTonnage))
	}
	w = w.uint("laden_ballast", uint64(a.LadenBallast))
	w = w.uint("heavy_oil", uint64(a.HeavyOil))
	w = w.uint("light_oil", uint64(a.LightOil))
	w = w.uint("diesel", uint64(a.Diesel))
	if a.BunkerOil != 0 {
		w = w.uint("bunker_oil", uint64(a.BunkerOil))
	}
	if a.Persons != 0 {
		w = w.uint("persons", uint64(a.Persons))
	}
	return w
}

// InlandStatic is DAC 200 FID 10, inland ship static and voyage related
// data (CCNR/Inland AIS standard).
type InlandStatic struct {
	ENI      string // European vessel identification number, 8 characters
	Length   uint16 // 0.1 m; 0 = not available
	Beam     uint16 // 0.1 m; 0 = not available
	ShipType uint16 // ERI ship type code; 0 = not available
	Hazard   uint8  // 0–3 blue cones, 4 B-flag, 5 unknown
	Draught  uint16 // 0.01 m; 0 = not available
	Loaded   uint8  // 0 not available, 1 loaded, 2 unloaded
	SpeedQ   bool   // speed from a certified sensor
	CourseQ  bool   // course from a certified sensor
	HeadingQ bool   // heading from a certified sensor
	Spare    uint8
}

func (a *InlandStatic) decode(b *bits, d int) {
	a.ENI = b.text(d, 8)
	a.Length = uint16(b.u(d+48, 13))
	a.Beam = uint16(b.u(d+61, 10))
	a.ShipType = uint16(b.u(d+71, 14))
	a.Hazard = uint8(b.u(d+85, 3))
	a.Draught = uint16(b.u(d+88, 11))
	a.Loaded = uint8(b.u(d+99, 2))
	a.SpeedQ = b.bool(d + 101)
	a.CourseQ = b.bool(d + 102)
	a.HeadingQ = b.bool(d + 103)
	a.Spare = uint8(b.u(d+104, 8))
}

func (a *InlandStatic) appendJSON(w jsonw) jsonw {
	w = w.str("eni", a.ENI)
	if a.Length != 0 {
		w = w.float("length", float64(a.Length)/10, 1)
	}
	if a.Beam != 0 {
		w = w.float("beam", float64(a.Beam)/10, 1)
	}
	if a.ShipType != 0 {
		w = w.uint("ship_type", uint64(a.ShipType))
	}
	w = w.uint("hazard", uint64(a.Hazard))
	if a.Draught != 0 {
		w = w.float("draught", float64(a.Draught)/100, 2)
	}
	w = w.uint("loaded", uint64(a.Loaded))
	w = w.bool("speed_q", a.SpeedQ)
	w = w.bool("course_q", a.CourseQ)
	return w.bool("heading_q", a.HeadingQ)
}

// AtoNMonitoring is DAC 235 or 250 FID 10, the UK and Irish General
// Lighthouse Authorities' aid-to-navigation monitoring report.
type AtoNMonitoring struct {
	AnaInt  uint16 // internal supply voltage, 0.05 V
	AnaExt1 uint16 // external analogue 1, 0.05 V
	AnaExt2 uint16 // external analogue 2, 0.05 V
	Racon   uint8  // 0 not fitted, 1 not monitored, 2 operational, 3 error
	Light   uint8  // 0 no light or not monitored, 1 on, 2 off, 3 error
	Alarm   bool
	StatExt uint8 // eight external status bits
	OffPos  bool  // off position
}

func (a *AtoNMonitoring) decode(b *bits, d int) {
	a.AnaInt = uint16(b.u(d, 10))
	a.AnaExt1 = uint16(b.u(d+10, 10))
	a.AnaExt2 = uint16(b.u(d+20, 10))
	a.Racon = uint8(b.u(d+30, 2))
	a.Light = uint8(b.u(d+32, 2))
	a.Alarm = b.bool(d + 34)
	a.StatExt = uint8(b.u(d+35, 8))
	a.OffPos = b.bool(d + 43)
}

func (a *AtoNMonitoring) appendJSON(w jsonw) jsonw {
	w = w.float("ana_int", float64(a.AnaInt)*0.05, 2)
	w = w.float("ana_ext1", float64(a.AnaExt1)*0.05, 2)
	w = w.float("ana_ext2", float64(a.AnaExt2)*0.05, 2)
	w = w.uint("racon", uint64(a.Racon))
	w = w.uint("light", uint64(a.Light))
	w = w.bool("alarm", a.Alarm)
	w = w.uint("stat_ext", uint64(a.StatExt))
	return w.bool("off_pos", a.OffPos)
}
