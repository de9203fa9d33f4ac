package ais

// Header is the start of every AIS message.
type Header struct {
	Type   uint8  // message type 1–27
	Repeat uint8  // repeat indicator 0–3
	MMSI   uint32 // source MMSI
}

// Head returns the header; it lets any Message be asked who sent it.
func (h *Header) Head() *Header { return h }

func (h *Header) appendJSON(w jsonw) jsonw {
	w = w.uint("type", uint64(h.Type))
	w = w.uint("repeat", uint64(h.Repeat))
	return w.uint("mmsi", uint64(h.MMSI))
}

func (h *Header) decode(b *bits) {
	h.Type = uint8(b.u(0, 6))
	h.Repeat = uint8(b.u(6, 2))
	h.MMSI = uint32(b.u(8, 30))
}

// Message is one decoded AIS message: a pointer to one of the message types
// of this package (*PositionReport, *StaticVoyage, …).
type Message interface {
	// Head returns the common header.
	Head() *Header
	// AppendJSON appends the message's members as `,"key":value` pairs,
	// leaving out values that are not available.
	AppendJSON(dst []byte) []byte
}

// minBits is the shortest payload, in bits, that each message type needs
// before it is decoded. Real transmitters send some types short (type 5 with
// 420 or 422 bits instead of 424, text messages of any length), so the bar
// is the end of the last field that matters, not the nominal length.
var minBits = [28]int{
	1: 149, 2: 149, 3: 149, // up to and including the time stamp
	4: 138, 5: 420, 6: 88, 7: 72, 8: 56, 9: 143, 10: 72, 11: 138,
	12: 72, 13: 72, 14: 40, 15: 88, 16: 96, 17: 80, 18: 133, 19: 301,
	20: 70, 21: 272, 22: 168, 23: 160, 24: 160, 25: 40, 26: 60, 27: 94,
}

// Decoder decodes payloads into messages. It owns one value of each message
// type and reuses it, so the Message that Decode returns is valid only until
// the next call. The zero value is ready to use; a Decoder is not safe for
// concurrent use.
type Decoder struct {
	b bits

	pos    PositionReport
	base   BaseStation
	static StaticVoyage
	sar    SARAircraft
	cls18  ClassBPosition
	cls19  ClassBExtended
	aton   AidToNavigation
	st24   StaticData
	long   LongRange
	other  otherMessages
}

// Decode unarmours payload (dropping fill bits) and decodes the message it
// carries.
func (d *Decoder) Decode(payload []byte, fill int) (Message, error) {
	if err := d.b.unarmour(payload, fill); err != nil {
		return nil, err
	}
	return d.decodeBits()
}

func (d *Decoder) decodeBits() (Message, error) {
	b := &d.b
	if b.n < 38 {
		return nil, ReasonTooShort
	}
	t := int(b.u(0, 6))
	if t < 1 || t > 27 {
		return nil, ReasonUnknownType
	}
	if b.n < minBits[t] {
		return nil, ReasonTooShort
	}
	// Direct calls, not an interface, so the hot path inlines.
	switch t {
	case 1, 2, 3:
		d.pos.decode(b)
		return &d.pos, nil
	case 4, 11:
		d.base.decode(b)
		return &d.base, nil
	case 5:
		d.static.decode(b)
		return &d.static, nil
	case 9:
		d.sar.decode(b)
		return &d.sar, nil
	case 18:
		d.cls18.decode(b)
		return &d.cls18, nil
	case 19:
		d.cls19.decode(b)
		return &d.cls19, nil
	case 21:
		d.aton.decode(b)
		return &d.aton, nil
	case 24:
		d.st24.decode(b)
		return &d.st24, nil
	case 27:
		d.long.decode(b)
		return &d.long, nil
	}
	return d.other.decode(b, t)
}
