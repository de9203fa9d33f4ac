package geotiff

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func testPix[T uint8 | uint16 | float32](w, h int) []T {
	p := make([]T, w*h)
	for i := range p {
		switch q := any(p).(type) {
		case []uint8:
			q[i] = uint8(i * 7919 >> 3)
		case []uint16:
			q[i] = uint16(i*7919 + i*i)
		case []float32:
			q[i] = float32(i%97)*1.5e3 - float32(i%13)*1e-3
		}
	}
	if q, ok := any(p).([]float32); ok && len(q) > 4 {
		q[1], q[2], q[3], q[4] = float32(math.Inf(1)), float32(math.NaN()), float32(math.Copysign(0, -1)), 1e-42
	}
	return p
}

func roundTrip[T uint8 | uint16 | float32](t *testing.T, w, h int, opt WriteOptions) *Image {
	t.Helper()
	pix := testPix[T](w, h)
	var buf bytes.Buffer
	if err := Write(&buf, w, h, pix, opt); err != nil {
		t.Fatal(err)
	}
	im, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if im.Width != w || im.Height != h || im.SamplesPerPixel != 1 {
		t.Fatalf("%d×%d×%d", im.Width, im.Height, im.SamplesPerPixel)
	}
	wantComp, wantPred := None, 1
	if opt.Deflate {
		wantComp, wantPred = Deflate, 2
		if im.Type == Float32 {
			wantPred = 3
		}
	}
	if im.Compression != wantComp || im.Predictor != wantPred {
		t.Errorf("%s predictor %d, want %s predictor %d", im.Compression, im.Predictor, wantComp, wantPred)
	}
	got := make([]float32, w*h)
	if err := im.ReadRows(0, h, got); err != nil {
		t.Fatal(err)
	}
	for i, v := range pix {
		if g := got[i]; math.Float32bits(g) != math.Float32bits(float32(v)) {
			t.Fatalf("pixel %d = %v, want %v", i, g, v)
		}
	}
	return im
}

func TestWriteRoundTrip(t *testing.T) {
	grid := WriteOptions{Origin: [2]float64{10, 55}, PixelSize: [2]float64{0.01, 0.005}}
	utm := WriteOptions{EPSG: 32733, Origin: [2]float64{400000, 7000000}, PixelSize: [2]float64{10, 10}}
	gcps := WriteOptions{GCPs: []GCP{{0, 0, 3, 60}, {50, 0, 3.5, 60}, {0, 40, 3, 59.8}, {50, 40, 3.5, 59.8}}}
	for _, c := range []struct {
		name string
		w, h int
		opt  WriteOptions
		epsg int
		m    Method
	}{
		{"plain", 50, 40, WriteOptions{}, 0, 0},
		{"one row per strip", 50, 40, WriteOptions{RowsPerStrip: 1}, 0, 0},
		{"deflate 7 rows", 50, 40, WriteOptions{Deflate: true, RowsPerStrip: 7}, 0, 0},
		{"deflate one strip", 50, 40, WriteOptions{Deflate: true, RowsPerStrip: 1000}, 0, 0},
		{"one pixel", 1, 1, WriteOptions{Deflate: true}, 0, 0},
		{"grid", 50, 40, grid, 4326, Affine},
		{"UTM south", 50, 40, utm, 32733, Affine},
		{"GCPs deflate", 50, 40, func() WriteOptions { o := gcps; o.Deflate = true; return o }(), 4326, GCPGrid},
	} {
		for _, typ := range []string{"uint8", "uint16", "float32"} {
			t.Run(c.name+"/"+typ, func(t *testing.T) {
				var im *Image
				switch typ {
				case "uint8":
					im = roundTrip[uint8](t, c.w, c.h, c.opt)
				case "uint16":
					im = roundTrip[uint16](t, c.w, c.h, c.opt)
				case "float32":
					im = roundTrip[float32](t, c.w, c.h, c.opt)
				}
				g, err := im.Georef()
				if c.m == 0 {
					if !errors.Is(err, ErrNoGeoref) {
						t.Errorf("Georef() error %v, want ErrNoGeoref", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if g.EPSG != c.epsg || g.Method != c.m || g.PixelIsPoint {
					t.Errorf("EPSG:%d %s PixelIsPoint %v", g.EPSG, g.Method, g.PixelIsPoint)
				}
				// The corner written is the corner read.
				x, y := g.Model(0, 0)
				want := c.opt.Origin
				if c.opt.GCPs != nil {
					want = [2]float64{c.opt.GCPs[0].X, c.opt.GCPs[0].Y}
				}
				if math.Abs(x-want[0]) > 1e-9 || math.Abs(y-want[1]) > 1e-9 {
					t.Errorf("Model(0, 0) = %v, %v; want %v", x, y, want)
				}
			})
		}
	}
}

func TestWriteNoData(t *testing.T) {
	nd := -9999.5
	var buf bytes.Buffer
	if err := Write(&buf, 3, 2, []float32{1, 2, 3, 4, 5, 6}, WriteOptions{NoData: &nd}); err != nil {
		t.Fatal(err)
	}
	im, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !im.HasNoData || im.NoData != nd {
		t.Errorf("NoData %v, %v", im.NoData, im.HasNoData)
	}
}

func TestWriteErrors(t *testing.T) {
	pix := make([]uint16, 100)
	for _, c := range []struct {
		name string
		w, h int
		opt  WriteOptions
		want string
	}{
		{"no width", 0, 10, WriteOptions{}, "0×10"},
		{"too few values", 20, 10, WriteOptions{}, "100 values"},
		{"both", 10, 10, WriteOptions{PixelSize: [2]float64{1, 1}, GCPs: []GCP{{}}}, "both"},
		{"EPSG", 10, 10, WriteOptions{EPSG: 3857, PixelSize: [2]float64{1, 1}}, "EPSG:3857"},
		{"negative size", 10, 10, WriteOptions{PixelSize: [2]float64{1, -1}}, "pixel size"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := Write(&bytes.Buffer{}, c.w, c.h, pix, c.opt)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one naming %q", err, c.want)
			}
		})
	}
}

// TestWriteGDAL checks files from Write with GDAL: the values and the
// georeferencing it reads. It needs gdal-bin and skips without it (CI has
// none; the fixtures' expected values are baked into TestGDALTransform).
func TestWriteGDAL(t *testing.T) {
	if _, err := exec.LookPath("gdallocationinfo"); err != nil {
		t.Skip("gdal-bin not installed")
	}
	dir := t.TempDir()
	w, h := 60, 45
	pix := testPix[uint16](w, h)
	for _, c := range []struct {
		name string
		opt  WriteOptions
	}{
		{"utm", WriteOptions{EPSG: 32631, Origin: [2]float64{450000, 5500000}, PixelSize: [2]float64{20, 25}}},
		{"gcp", WriteOptions{Deflate: true, GCPs: []GCP{{0, 0, 3, 60}, {60, 0, 3.5, 60.1}, {0, 45, 2.9, 59.8}, {60, 45, 3.4, 59.9}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, c.name+".tif")
			var buf bytes.Buffer
			if err := Write(&buf, w, h, pix, c.opt); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, p := range [][2]int{{0, 0}, {59, 44}, {17, 30}} {
				out, err := exec.Command("gdallocationinfo", "-valonly", path, strconv.Itoa(p[0]), strconv.Itoa(p[1])).Output()
				if err != nil {
					t.Fatal(err)
				}
				if got, want := strings.TrimSpace(string(out)), fmt.Sprint(pix[p[1]*w+p[0]]); got != want {
					t.Errorf("GDAL reads %s at %v, want %s", got, p, want)
				}
			}
			f, err := OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			g, err := f.Georef()
			if err != nil {
				t.Fatal(err)
			}
			// At the GCPs GDAL's polynomial and our grid agree.
			cmd := exec.Command("gdaltransform", "-t_srs", "EPSG:4326", path)
			cmd.Stdin = strings.NewReader("0 0\n60 45\n0.5 44.5\n")
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				px, py := [3]float64{0, 60, 0.5}[i], [3]float64{0, 45, 44.5}[i]
				var lon, lat float64
				fmt.Sscan(line, &lon, &lat)
				glon, glat := g.LonLat(px, py)
				tol := 1e-9
				if c.name == "gcp" && i == 2 {
					tol = 1e-3 // between GCPs GDAL's polynomial and the grid differ
				}
				if math.Abs(glon-lon) > tol || math.Abs(glat-lat) > tol {
					t.Errorf("LonLat(%v, %v) = %.9f, %.9f; GDAL %v, %v", px, py, glon, glat, lon, lat)
				}
			}
		})
	}
}
