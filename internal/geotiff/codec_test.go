package geotiff

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"
)

// TestLZWFullTable reads a strip of LZW long enough (12 kB for 9 kB of
// samples) to widen the codes to 12 bits and clear the table again.
func TestLZWFullTable(t *testing.T) {
	f, err := OpenFile("testdata/uint8_lzw_96.tif")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := make([]float32, 96*96)
	if err := f.ReadRows(0, 96, got); err != nil {
		t.Fatal(err)
	}
	for y := range 96 {
		for x := range 96 {
			want := float32((x*x*3 + y*y*5 + x*y) >> 3 & 0xff)
			if g := got[y*96+x]; g != want {
				t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, g, want)
			}
		}
	}
}

// lzwCodes packs codes MSB first at the widths TIFF's encoder uses, for
// the first few hundred codes (9 bits).
func lzwCodes(codes ...int) []byte {
	var out []byte
	var acc uint32
	n := 0
	for _, c := range codes {
		acc = acc<<9 | uint32(c)
		n += 9
		for n >= 8 {
			out = append(out, byte(acc>>(n-8)))
			n -= 8
		}
	}
	if n > 0 {
		out = append(out, byte(acc<<(8-n)))
	}
	return out
}

func TestLZW(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		{"literals", lzwCodes(256, 'a', 'b', 'c', 257), "abc", nil},
		{"KwKwK", lzwCodes(256, 'a', 258, 259, 257), "aaaaaa", nil},
		{"no clear first", lzwCodes('x', 'y', 258, 257), "xyxy", nil},
		{"no end code", lzwCodes(256, 'a', 'b'), "ab", nil},
		{"clear midway", lzwCodes(256, 'a', 'b', 256, 'c', 258, 257), "abccc", nil},
		{"code beyond the table", lzwCodes(256, 'a', 300, 257), "a", ErrMalformed},
		{"string code after a clear", lzwCodes(256, 'a', 256, 258, 257), "a", ErrMalformed},
		{"old style", []byte{0, 1, 2, 3}, "", ErrUnsupported},
	} {
		t.Run(c.name, func(t *testing.T) {
			z := new(lzwReader)
			z.reset(bufio.NewReader(bytes.NewReader(c.in)))
			got, err := io.ReadAll(z)
			if string(got) != c.want || !errors.Is(err, c.err) {
				t.Errorf("got %q, %v; want %q, %v", got, err, c.want, c.err)
			}
		})
	}
}

func TestPackBits(t *testing.T) {
	for _, c := range []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		// The example of TIFF 6.0, section 9.
		{"TIFF example", []byte{0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03, 0x80, 0x00, 0x2A, 0x22, 0xF7, 0xAA},
			"\xAA\xAA\xAA\x80\x00\x2A\xAA\xAA\xAA\xAA\x80\x00\x2A\x22\xAA\xAA\xAA\xAA\xAA\xAA\xAA\xAA\xAA\xAA", nil},
		{"no-op header", []byte{0x80, 0x00, 'z'}, "z", nil},
		{"literal cut short", []byte{0x05, 'a', 'b'}, "ab", io.ErrUnexpectedEOF},
		{"run cut short", []byte{0x00, 'a', 0xFE}, "a", io.ErrUnexpectedEOF},
	} {
		t.Run(c.name, func(t *testing.T) {
			var p packBitsReader
			p.reset(bufio.NewReader(bytes.NewReader(c.in)))
			got, err := io.ReadAll(&p)
			if string(got) != c.want || !errors.Is(err, c.err) {
				t.Errorf("got %q, %v; want %q, %v", got, err, c.want, c.err)
			}
		})
	}
}
