package geotiff

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
)

// validTIFF returns a little-endian file from Write: 50×40 uint16 in
// strips of 10 rows.
func validTIFF(t *testing.T, opt WriteOptions) []byte {
	t.Helper()
	opt.RowsPerStrip = 10
	var buf bytes.Buffer
	if err := Write(&buf, 50, 40, testPix[uint16](50, 40), opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// entryAt returns the offset of a tag's IFD entry in a classic
// little-endian file (Write's IFD is at 8).
func entryAt(t *testing.T, b []byte, tag uint16) int {
	t.Helper()
	n := int(binary.LittleEndian.Uint16(b[8:]))
	for i := range n {
		e := 10 + 12*i
		if binary.LittleEndian.Uint16(b[e:]) == tag {
			return e
		}
	}
	t.Fatalf("no tag %d", tag)
	return 0
}

// set returns a copy of b with a tag's type, count and value field
// replaced (a negative argument keeps the old).
func set(t *testing.T, b []byte, tag uint16, typ, count int, value int64) []byte {
	t.Helper()
	b = bytes.Clone(b)
	e := entryAt(t, b, tag)
	if typ >= 0 {
		binary.LittleEndian.PutUint16(b[e+2:], uint16(typ))
	}
	if count >= 0 {
		binary.LittleEndian.PutUint32(b[e+4:], uint32(count))
	}
	if value >= 0 {
		// SHORTs sit in the first two bytes of the field.
		if binary.LittleEndian.Uint16(b[e+2:]) == typeShort {
			binary.LittleEndian.PutUint32(b[e+8:], uint32(uint16(value)))
		} else {
			binary.LittleEndian.PutUint32(b[e+8:], uint32(value))
		}
	}
	return b
}

func TestBadFiles(t *testing.T) {
	plain := validTIFF(t, WriteOptions{})
	deflate := validTIFF(t, WriteOptions{Deflate: true})
	stripAt := func(b []byte, s int) int {
		e := entryAt(t, b, tagStripOffsets)
		return int(binary.LittleEndian.Uint32(b[int(binary.LittleEndian.Uint32(b[e+8:]))+4*s:]))
	}
	corrupt := bytes.Clone(deflate)
	copy(corrupt[stripAt(deflate, 1)+2:], "\xff\xff\xff\xff\xff\xff\xff\xff")
	cut := func(b []byte, n int) []byte { return b[:n] }
	bigEndian := append([]byte("MM\x00\x2a"), plain[4:]...)

	for _, c := range []struct {
		name     string
		b        []byte
		want     error
		contains string
		atRead   bool // Open succeeds, ReadRows fails
	}{
		{"empty", nil, ErrNotTIFF, "0 bytes", false},
		{"not TIFF", []byte("GIF89a\x00\x00\x00\x00"), ErrNotTIFF, "byte order", false},
		{"version 41", []byte("II\x29\x00\x08\x00\x00\x00"), ErrNotTIFF, "version 41", false},
		{"IFD past the end", []byte("II\x2a\x00\xff\x00\x00\x00"), ErrMalformed, "first IFD", false},
		{"IFD at 0", []byte("II\x2a\x00\x00\x00\x00\x00"), ErrMalformed, "first IFD", false},
		{"BigTIFF cut", []byte("II\x2b\x00\x08\x00\x00\x00\x10"), ErrMalformed, "BigTIFF", false},
		{"BigTIFF offset size 4", []byte("II\x2b\x00\x04\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00"), ErrMalformed, "offset size", false},
		{"empty IFD", []byte("II\x2a\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"), ErrMalformed, "empty IFD", false},
		{"IFD runs past the end", []byte("II\x2a\x00\x08\x00\x00\x00\xff\x00\x00\x00"), ErrMalformed, "runs past", false},
		{"big-endian header on little-endian IFD", bigEndian, ErrMalformed, "", false},
		{"zero width", set(t, plain, tagImageWidth, -1, -1, 0), ErrMalformed, "0×40", false},
		{"width of 2³²-1", set(t, plain, tagImageWidth, -1, -1, 1<<32-1), ErrTooLarge, "pixels", false},
		{"no samples", set(t, plain, tagSamplesPerPixel, -1, -1, 0), ErrMalformed, "samples per pixel", false},
		{"JPEG", set(t, plain, tagCompression, -1, -1, 7), ErrUnsupported, "JPEG", false},
		{"LERC", set(t, plain, tagCompression, -1, -1, 34887), ErrUnsupported, "LERC", false},
		{"unknown compression", set(t, plain, tagCompression, -1, -1, 4242), ErrUnsupported, "compression 4242", false},
		{"12-bit", set(t, plain, tagBitsPerSample, -1, -1, 12), ErrUnsupported, "12-bit", false},
		{"16-bit float", set(t, plain, tagSampleFormat, -1, -1, 3), ErrUnsupported, "16-bit samples of format 3", false},
		{"predictor 3 on integers", set(t, deflate, tagPredictor, -1, -1, 3), ErrUnsupported, "predictor 3", false},
		{"planar 3", set(t, plain, tagPlanarConfig, -1, -1, 3), ErrMalformed, "planar", false},
		{"zero rows per strip", set(t, plain, tagRowsPerStrip, -1, -1, 0), ErrMalformed, "0 rows", false},
		{"too few strips", set(t, plain, tagStripOffsets, -1, 3, -1), ErrMalformed, "offsets", false},
		{"too few byte counts", set(t, plain, tagStripByteCounts, -1, 3, -1), ErrMalformed, "byte counts", false},
		{"strip past the end", cut(plain, len(plain)-1), ErrMalformed, "past the end", false},
		{"offsets past the end", set(t, plain, tagStripOffsets, -1, -1, 1<<30), ErrMalformed, "past the end", false},
		{"count of 2³² offsets", set(t, plain, tagStripOffsets, -1, 1<<32-1, -1), ErrMalformed, "more than the file holds", false},
		{"unknown tag type", set(t, plain, tagStripOffsets, 99, -1, -1), ErrMalformed, "unknown type", false},
		{"offsets as ASCII", set(t, plain, tagStripOffsets, typeASCII, -1, -1), ErrMalformed, "not an unsigned integer", false},
		{"deflate bomb", set(t, set(t, set(t, deflate, tagImageLength, -1, -1, 1<<20), tagRowsPerStrip, -1, -1, 1<<20), tagStripOffsets, -1, 1, -1), ErrMalformed, "cannot decompress", false},
		{"row of 4 GiB", set(t, plain, tagImageWidth, -1, -1, 1<<31-1), ErrTooLarge, "block row", false},
		{"wide and uncompressed", set(t, plain, tagImageWidth, -1, -1, 1<<20), ErrMalformed, "past the end", false},
		{"corrupt deflate", corrupt, ErrMalformed, "strip 1", true},
		{"deflate cut short", cut(deflate, stripAt(deflate, 3)+10), ErrMalformed, "past the end", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			im, err := Open(bytes.NewReader(c.b), int64(len(c.b)))
			if c.atRead {
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				err = im.ReadRows(0, im.Height, make([]float32, im.Width*im.Height))
			}
			if c.want == nil {
				if err != nil {
					t.Errorf("error %v", err)
				}
				return
			}
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.contains) {
				t.Errorf("error %v, want %v with %q", err, c.want, c.contains)
			}
		})
	}
}

func TestReadRowsRange(t *testing.T) {
	b := validTIFF(t, WriteOptions{})
	im, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		y0, y1, n int
	}{{-1, 3, 1000}, {0, 41, 5000}, {5, 4, 1000}, {0, 2, 99}} {
		if err := im.ReadRows(c.y0, c.y1, make([]float32, c.n)); !errors.Is(err, ErrRange) {
			t.Errorf("ReadRows(%d, %d) with %d values: %v, want ErrRange", c.y0, c.y1, c.n, err)
		}
	}
}

// eofReader returns io.EOF with every read that reaches the end, as
// io.ReaderAt allows.
type eofReader struct{ b []byte }

func (r eofReader) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(r.b)) {
		return 0, io.EOF
	}
	n := copy(p, r.b[off:])
	if off+int64(n) == int64(len(r.b)) {
		return n, io.EOF
	}
	return n, nil
}

func TestReaderAtEOF(t *testing.T) {
	b := validTIFF(t, WriteOptions{})
	im, err := Open(eofReader{b}, int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if err := im.ReadRows(0, im.Height, make([]float32, im.Width*im.Height)); err != nil {
		t.Errorf("reading up to the end: %v", err)
	}
	// A size larger than what the reader holds: an error, not a panic.
	im, err = Open(eofReader{b[:len(b)-100]}, int64(len(b)))
	if err == nil {
		err = im.ReadRows(0, im.Height, make([]float32, im.Width*im.Height))
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading past the reader's end: %v, want io.ErrUnexpectedEOF", err)
	}
}

func TestOpenFileErrors(t *testing.T) {
	if _, err := OpenFile("testdata/none.tif"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	_, err := OpenFile("testdata/README.md")
	if !errors.Is(err, ErrNotTIFF) || !strings.Contains(err.Error(), "README.md") {
		t.Errorf("not a TIFF: %v, want ErrNotTIFF naming the file", err)
	}
}
