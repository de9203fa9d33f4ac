package geotiff

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// lzwReader decodes TIFF's LZW (TIFF 6.0 section 13). It is not
// compress/lzw: codes are packed most significant bit first and widen one
// code early ("early change": to 10 bits once code 510 is assigned, not
// 511), which compress/lzw cannot be told. Written here rather than taken
// from golang.org/x/image/tiff/lzw to keep the module free of a dependency
// for ninety lines; the fixtures made by GDAL test it.
type lzwReader struct {
	r      *bufio.Reader
	bits   uint32 // pending input bits, most significant first
	nbits  uint
	width  uint // current code width, 9–12
	next   int  // next free code
	prev   int  // previous code, -1 after a clear
	prefix [4096]uint16
	suffix [4096]byte
	length [4096]uint16
	first  [4096]byte // first byte of each code's string
	out    [4096]byte // the current string, at out[pos:]
	pos    int
	eof    bool
	err    error
}

const (
	lzwClear = 256
	lzwEOI   = 257
)

func (z *lzwReader) reset(r *bufio.Reader) {
	z.r, z.bits, z.nbits, z.eof, z.err = r, 0, 0, false, nil
	// libtiff's test for the pre-6.0 "compat" LZW, written least
	// significant bit first: a first byte 0 and bit 0 of the second set.
	if b, err := r.Peek(2); err == nil && b[0] == 0 && b[1]&1 != 0 {
		z.err = fmt.Errorf("%w: old-style (pre-TIFF 6.0) LZW", ErrUnsupported)
	}
	z.pos = len(z.out)
	z.clear()
	if z.length[0] == 0 {
		for i := range 256 {
			z.suffix[i], z.first[i], z.length[i] = byte(i), byte(i), 1
		}
	}
}

func (z *lzwReader) clear() { z.width, z.next, z.prev = 9, 258, -1 }

func (z *lzwReader) code() (int, error) {
	for z.nbits < z.width {
		b, err := z.r.ReadByte()
		if err != nil {
			if err == io.EOF { // data ended without an end-of-information code
				return lzwEOI, nil
			}
			return 0, err
		}
		z.bits = z.bits<<8 | uint32(b)
		z.nbits += 8
	}
	z.nbits -= z.width
	c := int(z.bits>>z.nbits) & (1<<z.width - 1)
	z.bits &= 1<<z.nbits - 1
	return c, nil
}

func (z *lzwReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if z.pos < len(z.out) {
			k := copy(p[n:], z.out[z.pos:])
			n += k
			z.pos += k
			continue
		}
		if z.err != nil {
			break
		}
		if z.eof {
			z.err = io.EOF
			break
		}
		c, err := z.code()
		if err != nil {
			z.err = err
			break
		}
		switch {
		case c == lzwClear:
			z.clear()
			continue
		case c == lzwEOI:
			z.eof = true
			continue
		case z.prev < 0:
			if c >= 256 {
				z.err = fmt.Errorf("%w: LZW code %d after a clear", ErrMalformed, c)
				continue
			}
			z.emit(c)
			z.prev = c
			continue
		case c < z.next:
			z.emit(c)
			z.add(z.prev, z.first[c])
		case c == z.next:
			z.add(z.prev, z.first[z.prev])
			if z.next-1 != c { // table full: nothing was added
				z.err = fmt.Errorf("%w: LZW code %d past a full table", ErrMalformed, c)
				continue
			}
			z.emit(c)
		default:
			z.err = fmt.Errorf("%w: LZW code %d beyond the table (%d)", ErrMalformed, c, z.next)
			continue
		}
		z.prev = c
	}
	if n > 0 {
		return n, nil
	}
	return 0, z.err
}

// emit puts code c's string in out.
func (z *lzwReader) emit(c int) {
	l := int(z.length[c])
	z.pos = len(z.out) - l
	for i := len(z.out) - 1; i >= z.pos; i-- {
		z.out[i] = z.suffix[c]
		c = int(z.prefix[c])
	}
}

// add assigns the next code to prev's string followed by b, and widens
// the codes one early, as TIFF's encoder does.
func (z *lzwReader) add(prev int, b byte) {
	if z.next >= 4096 {
		return
	}
	z.prefix[z.next] = uint16(prev)
	z.suffix[z.next] = b
	z.first[z.next] = z.first[prev]
	z.length[z.next] = z.length[prev] + 1
	z.next++
	if z.next+1 >= 1<<z.width && z.width < 12 {
		z.width++
	}
}

// packBitsReader decodes Apple's PackBits run-length code.
type packBitsReader struct {
	r   *bufio.Reader
	run int  // bytes left in the current run
	lit bool // the run is literal bytes, not one repeated byte
	rep byte
}

func (p *packBitsReader) reset(r *bufio.Reader) { *p = packBitsReader{r: r} }

func (p *packBitsReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		if p.run == 0 {
			h, err := p.r.ReadByte()
			if err != nil {
				if n > 0 {
					return n, nil
				}
				return 0, err
			}
			switch {
			case h < 128:
				p.run, p.lit = int(h)+1, true
			case h > 128:
				v, err := p.r.ReadByte()
				if err != nil {
					if errors.Is(err, io.EOF) {
						err = io.ErrUnexpectedEOF
					}
					return n, err
				}
				p.run, p.lit, p.rep = 257-int(h), false, v
			}
			continue
		}
		k := min(p.run, len(b)-n)
		if p.lit {
			k2, err := io.ReadFull(p.r, b[n:n+k])
			n += k2
			p.run -= k2
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return n, err
			}
			continue
		}
		for i := range k {
			b[n+i] = p.rep
		}
		n += k
		p.run -= k
	}
	return n, nil
}
