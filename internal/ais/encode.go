package ais

// bitWriter builds a payload bit by bit, big-endian.
type bitWriter struct {
	buf [maxPayloadChars*6/8 + 16]byte
	n   int
}

func (w *bitWriter) put(v uint64, width int) {
	for i := width - 1; i >= 0; i-- {
		if v>>uint(i)&1 == 1 {
			w.buf[w.n>>3] |= 0x80 >> uint(w.n&7)
		}
		w.n++
	}
}

func (w *bitWriter) bool(v bool) {
	if v {
		w.put(1, 1)
	} else {
		w.put(0, 1)
	}
}

// text writes s as n six-bit characters, upper-cased, padded with '@';
// characters outside the AIS alphabet become '?'.
func (w *bitWriter) text(s string, n int) {
	for i := 0; i < n; i++ {
		c := byte('@')
		if i < len(s) {
			c = s[i]
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 32 || c > 95 {
			c = '?'
		}
		w.put(uint64(c&0x3F), 6)
	}
}

// armour appends the six-bit characters of the written bits to dst and
// returns the fill bits needed to complete the last character.
func (w *bitWriter) armour(dst []byte) ([]byte, int) {
	chars := (w.n + 5) / 6
	for k := 0; k < chars; k++ {
		off := 6 * k
		v := byte((uint16(w.buf[off>>3])<<8 | uint16(w.buf[off>>3+1])) << uint(off&7) >> 10)
		if v < 40 {
			dst = append(dst, v+48)
		} else {
			dst = append(dst, v+56)
		}
	}
	return dst, chars*6 - w.n
}

// AppendPayload encodes m as an armoured six-bit payload appended to dst, and
// returns the fill bits. It writes message types 1, 2, 3, 5, 18, 19 and 24,
// every field as stored, so that decoding the result gives m back.
func AppendPayload(dst []byte, m Message) ([]byte, int, error) {
	var w bitWriter
	h := m.Head()
	w.put(uint64(h.Type), 6)
	w.put(uint64(h.Repeat), 2)
	w.put(uint64(h.MMSI), 30)
	switch m := m.(type) {
	case *PositionReport:
		if h.Type < 1 || h.Type > 3 {
			return dst, 0, ReasonUnencodable
		}
		w.put(uint64(m.NavStatus), 4)
		w.put(uint64(uint8(m.ROT)), 8)
		w.put(uint64(m.SOG), 10)
		w.bool(m.Accuracy)
		w.put(uint64(uint32(m.Lon)), 28)
		w.put(uint64(uint32(m.Lat)), 27)
		w.put(uint64(m.COG), 12)
		w.put(uint64(m.Heading), 9)
		w.put(uint64(m.Second), 6)
		w.put(uint64(m.Maneuver), 2)
		w.put(uint64(m.Spare), 3)
		w.bool(m.RAIM)
		w.put(uint64(m.Radio.State), 19)
	case *StaticVoyage:
		w.put(uint64(m.AISVersion), 2)
		w.put(uint64(m.IMO), 30)
		w.text(m.CallSign, 7)
		w.text(m.Name, 20)
		w.put(uint64(m.ShipType), 8)
		w.dimensions(&m.Dimensions)
		w.put(uint64(m.EPFD), 4)
		w.put(uint64(m.ETA.Month), 4)
		w.put(uint64(m.ETA.Day), 5)
		w.put(uint64(m.ETA.Hour), 5)
		w.put(uint64(m.ETA.Minute), 6)
		w.put(uint64(m.Draught), 8)
		w.text(m.Destination, 20)
		w.bool(m.DTE)
		w.put(uint64(m.Spare), 1)
	case *ClassBPosition:
		w.classB(&m.classB)
		w.put(uint64(m.Regional), 2)
		w.bool(m.CS)
		w.bool(m.Display)
		w.bool(m.DSC)
		w.bool(m.Band)
		w.bool(m.Msg22)
		w.bool(m.Assigned)
		w.bool(m.RAIM)
		w.bool(m.Radio.ITDMA)
		w.put(uint64(m.Radio.State), 19)
	case *ClassBExtended:
		w.classB(&m.classB)
		w.put(uint64(m.Regional), 4)
		w.text(m.Name, 20)
		w.put(uint64(m.ShipType), 8)
		w.dimensions(&m.Dimensions)
		w.put(uint64(m.EPFD), 4)
		w.bool(m.RAIM)
		w.bool(m.DTE)
		w.bool(m.Assigned)
		w.put(uint64(m.Spare), 4)
	case *StaticData:
		w.put(uint64(m.Part), 2)
		switch m.Part {
		case 0:
			w.text(m.Name, 20)
			w.put(uint64(m.Spare), 8)
		case 1:
			w.put(uint64(m.ShipType), 8)
			w.text(m.VendorID, 3)
			w.put(uint64(m.Model), 4)
			w.put(uint64(m.Serial), 20)
			w.text(m.CallSign, 7)
			if h.MMSI/10000000 == 98 {
				w.put(uint64(m.MotherShip), 30)
			} else {
				w.dimensions(&m.Dimensions)
			}
			w.put(uint64(m.EPFD), 4)
			w.put(uint64(m.Spare), 2)
		default:
			return dst, 0, ReasonUnencodable
		}
	default:
		return dst, 0, ReasonUnencodable
	}
	dst, fill := w.armour(dst)
	return dst, fill, nil
}

func (w *bitWriter) classB(m *classB) {
	w.put(uint64(m.Reserved), 8)
	w.put(uint64(m.SOG), 10)
	w.bool(m.Accuracy)
	w.put(uint64(uint32(m.Lon)), 28)
	w.put(uint64(uint32(m.Lat)), 27)
	w.put(uint64(m.COG), 12)
	w.put(uint64(m.Heading), 9)
	w.put(uint64(m.Second), 6)
}

func (w *bitWriter) dimensions(d *Dimensions) {
	w.put(uint64(d.ToBow), 9)
	w.put(uint64(d.ToStern), 9)
	w.put(uint64(d.ToPort), 6)
	w.put(uint64(d.ToStarboard), 6)
}
