package geotiff

import (
	"encoding/binary"
	"math"
	"path/filepath"
	"testing"
)

// The pattern of testdata/make_fixtures.py, W×H = 37×23: b = (7x + 13y)
// mod 200 at pixel (x, y), stored per type as below. Complex fixtures
// hold re + i·im and read as the amplitude.
const fixW, fixH = 37, 23

func fixB(x, y int) float64 { return float64((7*x + 13*y) % 200) }

var fixValues = map[string]func(x, y int) float64{
	"uint8":   fixB,
	"int8":    func(x, y int) float64 { return fixB(x, y) - 100 },
	"uint16":  func(x, y int) float64 { return fixB(x, y) * 300 },
	"int16":   func(x, y int) float64 { return (fixB(x, y) - 100) * 300 },
	"uint32":  func(x, y int) float64 { return fixB(x, y) * 20000000 },
	"int32":   func(x, y int) float64 { return (fixB(x, y) - 100) * 10000000 },
	"uint64":  func(x, y int) float64 { return fixB(x, y) * 1e15 },
	"int64":   func(x, y int) float64 { return (fixB(x, y) - 100) * 1e15 },
	"float32": func(x, y int) float64 { return fixB(x, y)*0.25 - 12.5 },
	"float64": func(x, y int) float64 { return fixB(x, y)*0.1 - 3 },
	"cint16":  func(x, y int) float64 { return math.Hypot(fixB(x, y)-100, float64(x-y)) },
	"cint32":  func(x, y int) float64 { return math.Hypot((fixB(x, y)-100)*1000, float64(x-y)*1000) },
	"cfloat32": func(x, y int) float64 {
		return math.Hypot(fixB(x, y)*0.5, float64(x-y)*0.25)
	},
	"cfloat64": func(x, y int) float64 { return math.Hypot(fixB(x, y)*0.1, float64(x-y)*0.3) },
	// GDAL 3.6.2 on a little-endian machine writes a big-endian file's
	// floating-point predictor planes least significant byte first, where
	// TIFF Technical Note 3 has them most significant first; GDAL then
	// reads its own file as byte-swapped floats (gdallocationinfo gives
	// 2.6099e-41 for -12.5 at 0 0), and so does this package, which follows
	// the note.
	"float32 swapped by GDAL": func(x, y int) float64 {
		v := math.Float32bits(float32(fixB(x, y)*0.25 - 12.5))
		return float64(math.Float32frombits(v>>24 | v>>8&0xff00 | v<<8&0xff0000 | v<<24))
	},
}

var fixtures = []struct {
	file, values string
	typ          SampleType
	comp         Compression
	predictor    int
	tiled        bool
	planar       bool
	bands        int
	big          bool
	order        binary.ByteOrder
}{
	{"uint8_lzw", "uint8", Uint8, LZW, 1, false, false, 1, false, le},
	{"uint8_rgb_lzw_pred2", "uint8", Uint8, LZW, 2, false, false, 3, false, le},
	{"int8_packbits", "int8", Int8, PackBits, 1, false, false, 1, false, le},
	{"uint16_lzw_pred2", "uint16", Uint16, LZW, 2, false, false, 1, false, le},
	{"uint16_packbits", "uint16", Uint16, PackBits, 1, false, false, 1, false, le},
	{"uint16_deflate_tiled", "uint16", Uint16, Deflate, 2, true, false, 1, false, le},
	{"uint16_be", "uint16", Uint16, None, 1, false, false, 1, false, be},
	{"uint16_be_lzw_pred2_tiled", "uint16", Uint16, LZW, 2, true, false, 1, false, be},
	{"uint16_planar_deflate", "uint16", Uint16, Deflate, 1, false, true, 3, false, le},
	{"uint16_planar_tiled_packbits", "uint16", Uint16, PackBits, 1, true, true, 3, false, le},
	{"uint16_pixel_tiled_pred2", "uint16", Uint16, Deflate, 2, true, false, 3, false, le},
	{"uint16_bigtiff_deflate", "uint16", Uint16, Deflate, 1, false, false, 1, true, le},
	{"uint16_bigtiff_be_tiled", "uint16", Uint16, None, 1, true, false, 1, true, be},
	{"int16_deflate", "int16", Int16, Deflate, 2, false, false, 1, false, le},
	{"uint32_lzw", "uint32", Uint32, LZW, 2, false, false, 1, false, le},
	{"int32_packbits_tiled", "int32", Int32, PackBits, 1, true, false, 1, false, le},
	{"uint64_be", "uint64", Uint64, None, 1, false, false, 1, false, be},
	{"int64_deflate_pred2", "int64", Int64, Deflate, 2, false, false, 1, false, le},
	{"float32_lzw_pred3", "float32", Float32, LZW, 3, false, false, 1, false, le},
	{"float32_be_deflate_pred3", "float32 swapped by GDAL", Float32, Deflate, 3, false, false, 1, false, be},
	{"float32_pixel_pred3", "float32", Float32, Deflate, 3, false, false, 3, false, le},
	{"float64_deflate_pred3_tiled", "float64", Float64, Deflate, 3, true, false, 1, false, le},
	{"float64_be", "float64", Float64, None, 1, false, false, 1, false, be},
	{"cint16", "cint16", CInt16, None, 1, false, false, 1, false, le},
	{"cint16_be_deflate", "cint16", CInt16, Deflate, 1, false, false, 1, false, be},
	{"cint32_tiled_deflate", "cint32", CInt32, Deflate, 1, true, false, 1, false, le},
	{"cfloat32_lzw", "cfloat32", CFloat32, LZW, 1, false, false, 1, false, le},
	{"cfloat64_deflate", "cfloat64", CFloat64, Deflate, 1, false, false, 1, false, le},
}

// checkPattern compares rows [y0, y1) read into got with the pattern.
func checkPattern(t *testing.T, got []float32, y0, y1 int, want func(x, y int) float64) {
	t.Helper()
	bad := 0
	for y := y0; y < y1; y++ {
		for x := range fixW {
			g, w := got[(y-y0)*fixW+x], float32(want(x, y))
			if g != w && math.Abs(float64(g-w)) > 1e-6*math.Abs(float64(w)) {
				if bad++; bad <= 5 {
					t.Errorf("pixel (%d, %d) = %v, want %v", x, y, g, w)
				}
			}
		}
	}
}

func TestFixtures(t *testing.T) {
	for _, c := range fixtures {
		t.Run(c.file, func(t *testing.T) {
			f, err := OpenFile(filepath.Join("testdata", c.file+".tif"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Width != fixW || f.Height != fixH {
				t.Fatalf("size %d×%d, want %d×%d", f.Width, f.Height, fixW, fixH)
			}
			if f.Type != c.typ || f.Compression != c.comp || f.Predictor != c.predictor || f.Tiled != c.tiled ||
				f.Planar != c.planar || f.SamplesPerPixel != c.bands || f.BigTIFF != c.big || f.ByteOrder != c.order {
				t.Errorf("got %s %s predictor %d tiled %v planar %v bands %d BigTIFF %v %v", f.Type, f.Compression,
					f.Predictor, f.Tiled, f.Planar, f.SamplesPerPixel, f.BigTIFF, f.ByteOrder)
			}
			want := fixValues[c.values]
			all := make([]float32, fixW*fixH)
			if err := f.ReadRows(0, fixH, all); err != nil {
				t.Fatal(err)
			}
			checkPattern(t, all, 0, fixH, want)
			// Bands in a jumbled order, going back up within strips and
			// tiles, one row, none.
			for _, b := range [][2]int{{20, 23}, {3, 9}, {0, 1}, {15, 22}, {9, 9}, {22, 23}, {1, 17}} {
				got := make([]float32, (b[1]-b[0])*fixW)
				if err := f.ReadRows(b[0], b[1], got); err != nil {
					t.Fatalf("rows %v: %v", b, err)
				}
				checkPattern(t, got, b[0], b[1], want)
			}
		})
	}
}

func TestSparseNoData(t *testing.T) {
	f, err := OpenFile("testdata/uint16_sparse_nodata.tif")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !f.HasNoData || f.NoData != 7 {
		t.Errorf("NoData = %v, %v; want 7, true", f.NoData, f.HasNoData)
	}
	got := make([]float32, fixW*fixH)
	if err := f.ReadRows(0, fixH, got); err != nil {
		t.Fatal(err)
	}
	checkPattern(t, got, 0, fixH, func(x, y int) float64 {
		if x < 16 && y < 16 {
			return fixB(x, y) * 300
		}
		return 7
	})
}
