package ais

// textTo reads six-bit text from off to end (whole characters only), as
// text does, without its limit on the length: safety and binary messages
// carry up to 161 characters in five slots, more when a feed assembles
// longer payloads.
func (b *bits) textTo(off, end int) string {
	if end > b.n {
		end = b.n
	}
	n := (end - off) / 6
	if n <= 0 {
		return ""
	}
	var stack [192]byte
	buf := stack[:]
	if n > len(buf) {
		buf = make([]byte, n)
	}
	s := buf[:0]
	for k := 0; k < n; k++ {
		c := byte(b.u(off+6*k, 6))
		if c == 0 { // '@' ends the text
			break
		}
		if c < 32 {
			c += 64
		}
		s = append(s, c)
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return string(s)
}

// Acknowledge is a binary acknowledge (type 7) or safety related
// acknowledge (type 13): the sequence numbers of up to four addressed
// messages received.
type Acknowledge struct {
	Header
	Spare uint8
	N     int // acknowledgements in Acks, 0–4
	Acks  [4]Ack
}

// Ack is one acknowledgement: the source of the message acknowledged and
// its sequence number.
type Ack struct {
	MMSI  uint32
	SeqNo uint8
}

func (m *Acknowledge) decode(b *bits) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.N = 0
	for off := 40; off+32 <= b.n && m.N < 4; off += 32 {
		m.Acks[m.N] = Ack{MMSI: uint32(b.u(off, 30)), SeqNo: uint8(b.u(off+30, 2))}
		m.N++
	}
	for k := m.N; k < 4; k++ {
		m.Acks[k] = Ack{}
	}
}

var ackKeys = [4][2]string{{"mmsi1", "seqno1"}, {"mmsi2", "seqno2"}, {"mmsi3", "seqno3"}, {"mmsi4", "seqno4"}}

func (m *Acknowledge) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	for k, a := range m.Acks[:m.N] {
		w = w.uint(ackKeys[k][0], uint64(a.MMSI))
		w = w.uint(ackKeys[k][1], uint64(a.SeqNo))
	}
	return w
}

// UTCInquiry is a UTC and date inquiry, type 10; the addressee answers
// with a type 11.
type UTCInquiry struct {
	Header
	Spare    uint8
	DestMMSI uint32
	Spare2   uint8
}

func (m *UTCInquiry) decode(b *bits) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.DestMMSI = uint32(b.u(40, 30))
	m.Spare2 = uint8(b.u(70, 2))
}

func (m *UTCInquiry) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	return w.uint("dest_mmsi", uint64(m.DestMMSI))
}

// SafetyMessage is an addressed safety related message, type 12.
type SafetyMessage struct {
	Header
	SeqNo      uint8 // sequence number 0–3
	DestMMSI   uint32
	Retransmit bool // the message is a retransmission
	Spare      uint8
	Text       string // six-bit text up to the '@' padding, trailing spaces dropped
}

func (m *SafetyMessage) decode(b *bits) {
	m.Header.decode(b)
	m.SeqNo = uint8(b.u(38, 2))
	m.DestMMSI = uint32(b.u(40, 30))
	m.Retransmit = b.bool(70)
	m.Spare = uint8(b.u(71, 1))
	m.Text = b.textTo(72, b.n)
}

func (m *SafetyMessage) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	w = w.uint("seqno", uint64(m.SeqNo))
	w = w.uint("dest_mmsi", uint64(m.DestMMSI))
	w = w.bool("retransmit", m.Retransmit)
	return w.str("text", m.Text)
}

// SafetyBroadcast is a safety related broadcast message, type 14.
type SafetyBroadcast struct {
	Header
	Spare uint8
	Text  string // six-bit text up to the '@' padding, trailing spaces dropped
}

func (m *SafetyBroadcast) decode(b *bits) {
	m.Header.decode(b)
	m.Spare = uint8(b.u(38, 2))
	m.Text = b.textTo(40, b.n)
}

func (m *SafetyBroadcast) AppendJSON(dst []byte) []byte {
	w := m.Header.appendJSON(jsonw(dst))
	return w.str("text", m.Text)
}
