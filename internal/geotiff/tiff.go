package geotiff

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// TIFF tags read here (TIFF 6.0, the GeoTIFF 1.1 and GDAL private tags).
const (
	tagImageWidth      = 256
	tagImageLength     = 257
	tagBitsPerSample   = 258
	tagCompression     = 259
	tagPhotometric     = 262
	tagFillOrder       = 266
	tagStripOffsets    = 273
	tagSamplesPerPixel = 277
	tagRowsPerStrip    = 278
	tagStripByteCounts = 279
	tagPlanarConfig    = 284
	tagPredictor       = 317
	tagTileWidth       = 322
	tagTileLength      = 323
	tagTileOffsets     = 324
	tagTileByteCounts  = 325
	tagSampleFormat    = 339
	tagPixelScale      = 33550
	tagTiepoint        = 33922
	tagTransformation  = 34264
	tagGeoKeyDirectory = 34735
	tagGeoDoubleParams = 34736
	tagGeoASCIIParams  = 34737
	tagGDALNoData      = 42113
)

// TIFF field types and their sizes in bytes.
const (
	typeByte      = 1
	typeASCII     = 2
	typeShort     = 3
	typeLong      = 4
	typeRational  = 5
	typeSByte     = 6
	typeUndefined = 7
	typeSShort    = 8
	typeSLong     = 9
	typeSRational = 10
	typeFloat     = 11
	typeDouble    = 12
	typeIFD       = 13
	typeLong8     = 16
	typeSLong8    = 17
	typeIFD8      = 18
)

func typeSize(t uint16) uint64 {
	switch t {
	case typeByte, typeASCII, typeSByte, typeUndefined:
		return 1
	case typeShort, typeSShort:
		return 2
	case typeLong, typeSLong, typeFloat, typeIFD:
		return 4
	case typeRational, typeSRational, typeDouble, typeLong8, typeSLong8, typeIFD8:
		return 8
	}
	return 0
}

// maxTagBytes bounds the values of one tag: a strip-offset array of a
// million one-row strips is 8 MB, a GCP grid a few kilobytes.
var maxTagBytes uint64 = 256 << 20

// entry is one IFD entry as stored: its value field holds the value when it
// fits (4 bytes, 8 in BigTIFF), otherwise the offset of the values.
type entry struct {
	typ   uint16
	count uint64
	field [8]byte
}

// dir is the first image file directory of a file.
type dir struct {
	r       io.ReaderAt
	size    int64
	order   binary.ByteOrder
	big     bool
	entries map[uint16]entry
}

// readDir reads the header and the first IFD.
func readDir(r io.ReaderAt, size int64) (*dir, error) {
	var h [16]byte
	if size < 8 {
		return nil, fmt.Errorf("%w: %d bytes", ErrNotTIFF, size)
	}
	if err := readAt(r, h[:min(size, 16)], 0); err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	d := &dir{r: r, size: size, entries: map[uint16]entry{}}
	switch string(h[:2]) {
	case "II":
		d.order = binary.LittleEndian
	case "MM":
		d.order = binary.BigEndian
	default:
		return nil, fmt.Errorf("%w: byte order mark %q", ErrNotTIFF, h[:2])
	}
	var off uint64
	switch v := d.order.Uint16(h[2:]); v {
	case 42:
		off = uint64(d.order.Uint32(h[4:]))
	case 43:
		if size < 16 {
			return nil, fmt.Errorf("%w: BigTIFF header cut short", ErrMalformed)
		}
		if bs, z := d.order.Uint16(h[4:]), d.order.Uint16(h[6:]); bs != 8 || z != 0 {
			return nil, fmt.Errorf("%w: BigTIFF offset size %d", ErrMalformed, bs)
		}
		d.big = true
		off = d.order.Uint64(h[8:])
	default:
		return nil, fmt.Errorf("%w: version %d", ErrNotTIFF, v)
	}
	countSize, entrySize := uint64(2), uint64(12)
	if d.big {
		countSize, entrySize = 8, 20
	}
	if off < 8 || off > uint64(size) || uint64(size)-off < countSize {
		return nil, fmt.Errorf("%w: first IFD at %d in a %d-byte file", ErrMalformed, off, size)
	}
	var cb [8]byte
	if err := readAt(r, cb[:countSize], int64(off)); err != nil {
		return nil, fmt.Errorf("read IFD: %w", err)
	}
	var n uint64
	if d.big {
		n = d.order.Uint64(cb[:])
	} else {
		n = uint64(d.order.Uint16(cb[:]))
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: empty IFD", ErrMalformed)
	}
	if n > (uint64(size)-off-countSize)/entrySize {
		return nil, fmt.Errorf("%w: IFD of %d entries runs past the end of the file", ErrMalformed, n)
	}
	buf := make([]byte, n*entrySize)
	if err := readAt(r, buf, int64(off+countSize)); err != nil {
		return nil, fmt.Errorf("read IFD: %w", err)
	}
	for i := range n {
		b := buf[i*entrySize:]
		tag := d.order.Uint16(b)
		e := entry{typ: d.order.Uint16(b[2:])}
		if d.big {
			e.count = d.order.Uint64(b[4:])
			copy(e.field[:], b[12:20])
		} else {
			e.count = uint64(d.order.Uint32(b[4:]))
			copy(e.field[:], b[8:12])
		}
		if _, dup := d.entries[tag]; !dup { // the first of duplicates, as libtiff
			d.entries[tag] = e
		}
	}
	return d, nil
}

func (d *dir) has(tag uint16) bool {
	_, ok := d.entries[tag]
	return ok
}

// raw returns the bytes of a tag's values, checked against the file.
func (d *dir) raw(tag uint16) ([]byte, entry, error) {
	e := d.entries[tag]
	sz := typeSize(e.typ)
	if sz == 0 {
		return nil, e, fmt.Errorf("%w: tag %d has unknown type %d", ErrMalformed, tag, e.typ)
	}
	if e.count > uint64(d.size)/sz {
		return nil, e, fmt.Errorf("%w: tag %d claims %d values, more than the file holds", ErrMalformed, tag, e.count)
	}
	n := e.count * sz
	inline := uint64(4)
	if d.big {
		inline = 8
	}
	if n <= inline {
		return e.field[:n], e, nil
	}
	if n > maxTagBytes {
		return nil, e, fmt.Errorf("%w: tag %d holds %d bytes", ErrTooLarge, tag, n)
	}
	var off uint64
	if d.big {
		off = d.order.Uint64(e.field[:])
	} else {
		off = uint64(d.order.Uint32(e.field[:]))
	}
	if off > uint64(d.size) || n > uint64(d.size)-off {
		return nil, e, fmt.Errorf("%w: tag %d values at %d+%d past the end of the file", ErrMalformed, tag, off, n)
	}
	b := make([]byte, n)
	if err := readAt(d.r, b, int64(off)); err != nil {
		return nil, e, fmt.Errorf("read tag %d: %w", tag, err)
	}
	return b, e, nil
}

// uints returns an integer tag's values (nil, nil when absent).
func (d *dir) uints(tag uint16) ([]uint64, error) {
	if !d.has(tag) {
		return nil, nil
	}
	b, e, err := d.raw(tag)
	if err != nil {
		return nil, err
	}
	v := make([]uint64, e.count)
	for i := range v {
		switch e.typ {
		case typeByte, typeUndefined:
			v[i] = uint64(b[i])
		case typeShort:
			v[i] = uint64(d.order.Uint16(b[2*i:]))
		case typeLong, typeIFD:
			v[i] = uint64(d.order.Uint32(b[4*i:]))
		case typeLong8, typeIFD8:
			v[i] = d.order.Uint64(b[8*i:])
		default:
			return nil, fmt.Errorf("%w: tag %d has type %d, not an unsigned integer", ErrMalformed, tag, e.typ)
		}
	}
	return v, nil
}

// uint returns the first value of an integer tag, or def when absent.
func (d *dir) uint(tag uint16, def uint64) (uint64, error) {
	v, err := d.uints(tag)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return def, nil
	}
	if len(v) == 0 {
		return 0, fmt.Errorf("%w: tag %d has no value", ErrMalformed, tag)
	}
	return v[0], nil
}

// same returns the value of a per-sample tag (BitsPerSample,
// SampleFormat), which must be one value or the same for every sample.
func (d *dir) same(tag uint16, def uint64, name string) (uint64, error) {
	v, err := d.uints(tag)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return def, nil
	}
	if len(v) == 0 {
		return 0, fmt.Errorf("%w: tag %d has no value", ErrMalformed, tag)
	}
	for _, x := range v[1:] {
		if x != v[0] {
			return 0, fmt.Errorf("%w: %s differs between samples (%v)", ErrUnsupported, name, v)
		}
	}
	return v[0], nil
}

// floats returns a floating-point tag's values (nil, nil when absent).
func (d *dir) floats(tag uint16) ([]float64, error) {
	if !d.has(tag) {
		return nil, nil
	}
	b, e, err := d.raw(tag)
	if err != nil {
		return nil, err
	}
	v := make([]float64, e.count)
	for i := range v {
		switch e.typ {
		case typeDouble:
			v[i] = math.Float64frombits(d.order.Uint64(b[8*i:]))
		case typeFloat:
			v[i] = float64(math.Float32frombits(d.order.Uint32(b[4*i:])))
		default:
			return nil, fmt.Errorf("%w: tag %d has type %d, not floating point", ErrMalformed, tag, e.typ)
		}
	}
	return v, nil
}

// ascii returns an ASCII tag's text up to its first NUL ("" when absent).
func (d *dir) ascii(tag uint16) (string, error) {
	if !d.has(tag) {
		return "", nil
	}
	b, e, err := d.raw(tag)
	if err != nil {
		return "", err
	}
	if e.typ != typeASCII {
		return "", fmt.Errorf("%w: tag %d has type %d, not ASCII", ErrMalformed, tag, e.typ)
	}
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), nil
		}
	}
	return string(b), nil
}

// readAt fills b from offset off. io.ReaderAt may return io.EOF with a
// full read that ends at the end of the input: that is no error.
func readAt(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}
