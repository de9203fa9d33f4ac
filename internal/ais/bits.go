package ais

import "encoding/binary"

// maxPayloadChars bounds one assembled payload. The longest AIS message is
// five slots (1008 bits, 168 characters); real feeds carry a little more
// across nine fragments, never this much.
const maxPayloadChars = 9 * 82

// sixbit maps an armoured character to its six-bit value, or 0xFF when the
// character is not in the AIS alphabet ('0'–'W', '`'–'w').
var sixbit = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for c := '0'; c <= 'W'; c++ {
		t[c] = byte(c - '0')
	}
	for c := '`'; c <= 'w'; c++ {
		t[c] = byte(c - '`' + 40)
	}
	return t
}()

// bits is an unarmoured payload: big-endian bytes with at least 8 zero bytes
// after the last bit so that a field can be read with one 64-bit load.
type bits struct {
	buf [maxPayloadChars*6/8 + 16]byte
	n   int // bits in the payload
}

// unarmour decodes payload into b, dropping fill bits from the end.
func (b *bits) unarmour(payload []byte, fill int) error {
	if len(payload) > maxPayloadChars {
		return ReasonTooLong
	}
	i, o := 0, 0
	for ; i+4 <= len(payload); i, o = i+4, o+3 {
		c0, c1, c2, c3 := sixbit[payload[i]], sixbit[payload[i+1]], sixbit[payload[i+2]], sixbit[payload[i+3]]
		if (c0|c1|c2|c3)&0xC0 != 0 {
			return ReasonBadArmour
		}
		v := uint32(c0)<<18 | uint32(c1)<<12 | uint32(c2)<<6 | uint32(c3)
		b.buf[o], b.buf[o+1], b.buf[o+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	var v uint32
	rest := len(payload) - i
	for k := 0; k < rest; k++ {
		c := sixbit[payload[i+k]]
		if c&0xC0 != 0 {
			return ReasonBadArmour
		}
		v |= uint32(c) << (18 - 6*k)
	}
	// Write the tail and clear what follows so that reads past the end see zeros.
	binary.BigEndian.PutUint64(b.buf[o:], uint64(v)<<40)
	binary.BigEndian.PutUint64(b.buf[o+8:], 0)
	b.n = len(payload)*6 - fill
	if b.n < 0 {
		b.n = 0
	}
	// Zero the fill bits themselves: some transmitters leave ones there.
	if fill > 0 {
		last := (b.n - 1) / 8
		if b.n == 0 {
			last = -1
		}
		if last >= 0 {
			b.buf[last] &= ^byte(0xFF >> uint(b.n-last*8))
		}
		for k := last + 1; k < o+4; k++ {
			b.buf[k] = 0
		}
	}
	return nil
}

// u reads an unsigned field of width ≤ 57 bits at bit offset off. Reads past
// the payload return zero bits, as receivers treat short messages.
func (b *bits) u(off, width int) uint64 {
	v := binary.BigEndian.Uint64(b.buf[off>>3:])
	return v << uint(off&7) >> uint(64-width)
}

// i reads a two's-complement signed field.
func (b *bits) i(off, width int) int64 {
	v := binary.BigEndian.Uint64(b.buf[off>>3:])
	return int64(v<<uint(off&7)) >> uint(64-width)
}

func (b *bits) bool(off int) bool { return b.u(off, 1) == 1 }

// text reads n six-bit characters of AIS text, dropping the '@' padding and
// trailing spaces.
func (b *bits) text(off, n int) string {
	var buf [128]byte
	if n > len(buf) {
		n = len(buf)
	}
	end := 0
	for k := 0; k < n && off+6*k+6 <= b.n; k++ {
		c := byte(b.u(off+6*k, 6))
		if c < 32 {
			c += 64
		}
		buf[k] = c
		end = k + 1
	}
	s := buf[:end]
	for k, c := range s {
		if c == '@' {
			s = s[:k]
			break
		}
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return string(s)
}

// raw copies bits [off, off+width) into dst, left-aligned, and returns it.
func (b *bits) raw(dst []byte, off, width int) []byte {
	if width <= 0 {
		return dst[:0]
	}
	n := (width + 7) / 8
	dst = append(dst[:0], make([]byte, n)...)
	for k := 0; k < n; k++ {
		w := 8
		if rem := width - 8*k; rem < 8 {
			w = rem
		}
		dst[k] = byte(b.u(off+8*k, w) << uint(8-w))
	}
	return dst
}
