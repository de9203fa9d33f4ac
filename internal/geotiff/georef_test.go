package geotiff

import (
	"bufio"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func openGeoref(t *testing.T, name string) *Georef {
	t.Helper()
	f, err := OpenFile(filepath.Join("testdata", name+".tif"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	g, err := f.Georef()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestGDALTransform compares LonLat with the coordinates GDAL gives for the
// same pixel coordinates (testdata/gdaltransform.txt, made by
// make_fixtures.py): affine geographic grids (PixelIsArea and
// PixelIsPoint), UTM north and south, a rotated transformation matrix, and
// second-order polynomials through scattered GCPs in EPSG:4326 and UTM.
func TestGDALTransform(t *testing.T) {
	f, err := os.Open("testdata/gdaltransform.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	methods := map[string]struct {
		m    Method
		epsg int
	}{
		"geo_4326_area": {Affine, 4326}, "geo_4326_point": {Affine, 4326}, "geo_utm33n": {Affine, 32633},
		"geo_utm23s": {Affine, 32723}, "geo_rotated": {Affine, 4326}, "geo_gcp_scatter": {GCPPolynomial, 4326},
		"geo_gcp_utm32n": {GCPPolynomial, 32632},
	}
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		fs := strings.Fields(line)
		var v [4]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(fs[i+1], 64); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
		}
		g := openGeoref(t, fs[0])
		if want := methods[fs[0]]; g.Method != want.m || g.EPSG != want.epsg {
			t.Errorf("%s: %s EPSG:%d, want %s EPSG:%d", fs[0], g.Method, g.EPSG, want.m, want.epsg)
		}
		lon, lat := g.LonLat(v[0], v[1])
		if math.Abs(lon-v[2]) > 1e-9 || math.Abs(lat-v[3]) > 1e-9 {
			t.Errorf("%s: LonLat(%v, %v) = %.10f, %.10f; GDAL %v, %v", fs[0], v[0], v[1], lon, lat, v[2], v[3])
		}
		n++
	}
	if n < 40 {
		t.Errorf("%d points compared", n)
	}
}

// gcpTruth is the field make_fixtures.py samples for its GCP fixtures.
func gcpTruth(px, py float64) (lon, lat float64) {
	return 3.0 + 0.01*px + 0.003*py + 2e-5*px*py, 60.0 - 0.004*py + 0.002*px - 1e-5*px*px
}

func TestGCPGrid(t *testing.T) {
	for _, c := range []struct {
		file  string
		shift float64 // of the tie points' pixel coordinates from the truth's
		point bool
	}{
		{"geo_gcp_grid", 0, false},
		// GDAL 3.6.2 writes PixelIsPoint GCPs at +0.5 and reads them at +1
		// (gdalinfo: GCP (1,1) -> (3,60)); so do we.
		{"geo_gcp_grid_point", 1, true},
	} {
		t.Run(c.file, func(t *testing.T) {
			g := openGeoref(t, c.file)
			if g.Method != GCPGrid || g.PixelIsPoint != c.point || len(g.GCPs) != 16 {
				t.Fatalf("%s, PixelIsPoint %v, %d GCPs", g.Method, g.PixelIsPoint, len(g.GCPs))
			}
			if p := g.GCPs[0]; p != (GCP{Px: c.shift, Py: c.shift, X: 3, Y: 60}) {
				t.Errorf("GCP 0 = %+v", p)
			}
			for _, p := range g.GCPs {
				if lon, lat := g.LonLat(p.Px, p.Py); math.Abs(lon-p.X) > 1e-12 || math.Abs(lat-p.Y) > 1e-12 {
					t.Errorf("LonLat at GCP %+v = %v, %v", p, lon, lat)
				}
			}
			// The truth is bilinear in longitude and quadratic in x in
			// latitude: bilinear interpolation over 13-pixel cells would be
			// exact in the first and within 13²/8·2e-5 in the second; in a
			// transverse Mercator longitude is within 3e-5° (2 m) of it.
			r := rand.New(rand.NewPCG(1, 2))
			for range 200 {
				px, py := r.Float64()*40, r.Float64()*30
				lon, lat := g.LonLat(px+c.shift, py+c.shift)
				wlon, wlat := gcpTruth(px, py)
				if math.Abs(lon-wlon) > 3e-5 || math.Abs(lat-wlat) > 4.3e-4 {
					t.Fatalf("LonLat(%v, %v) = %v, %v; truth %v, %v", px, py, lon, lat, wlon, wlat)
				}
			}
		})
	}
}

func TestNoGeoref(t *testing.T) {
	for _, c := range []struct{ file, why string }{
		{"geo_3857", "EPSG:3857"},
		{"uint16_lzw_pred2", "no ModelTiepointTag"},
	} {
		t.Run(c.file, func(t *testing.T) {
			f, err := OpenFile(filepath.Join("testdata", c.file+".tif"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			_, err = f.Georef()
			if !errors.Is(err, ErrNoGeoref) || !strings.Contains(err.Error(), c.why) {
				t.Errorf("Georef() error %v, want ErrNoGeoref naming %q", err, c.why)
			}
			if err := f.ReadRows(0, 1, make([]float32, f.Width)); err != nil {
				t.Errorf("the image does not read: %v", err)
			}
		})
	}
}

// newTestGeoref builds a Georef from tags as Open would read them.
func newTestGeoref(t *testing.T, w, h int, tg geoTags) (*Georef, error) {
	t.Helper()
	if tg.keys == nil {
		tg.keys = map[uint16]uint16{keyModelType: modelGeographic, keyGeographicType: epsgWGS84}
	}
	return newGeoref(tg, w, h)
}

func TestGeorefTags(t *testing.T) {
	tie := []float64{0, 0, 0, 10, 55, 0}
	for _, c := range []struct {
		name string
		tg   geoTags
		want string // in the error; "" for success
	}{
		{"no CRS", geoTags{tie: tie, scale: []float64{1, 1, 0}, keys: map[uint16]uint16{}}, "names no CRS"},
		{"geocentric", geoTags{tie: tie, scale: []float64{1, 1, 0}, keys: map[uint16]uint16{keyModelType: modelGeocentric}}, "geocentric"},
		{"NAD27", geoTags{tie: tie, scale: []float64{1, 1, 0}, keys: map[uint16]uint16{keyModelType: modelGeographic, keyGeographicType: 4267}}, "EPSG:4267"},
		{"user-defined WGS 84", geoTags{tie: tie, scale: []float64{1, 1, 0}, keys: map[uint16]uint16{keyModelType: modelGeographic, keyGeographicType: userDefined, keyGeodeticDatum: datumWGS84}}, ""},
		{"grads", geoTags{tie: tie, scale: []float64{1, 1, 0}, keys: map[uint16]uint16{keyGeographicType: epsgWGS84, keyAngularUnits: 9105}}, "angular unit"},
		{"UTM in feet", geoTags{tie: tie, scale: []float64{1, 1, 0}, keys: map[uint16]uint16{keyModelType: modelProjected, keyProjectedType: 32631, keyLinearUnits: 9002}}, "linear unit"},
		{"ETRS89 UTM", geoTags{tie: tie, scale: []float64{1, 1, 0}, keys: map[uint16]uint16{keyModelType: modelProjected, keyProjectedType: 25832}}, "EPSG:25832"},
		{"zero scale", geoTags{tie: tie, scale: []float64{0, 1, 0}}, "zero pixel scale"},
		{"short scale", geoTags{tie: tie, scale: []float64{1}}, "ModelPixelScaleTag"},
		{"NaN tie point", geoTags{tie: []float64{0, 0, 0, math.NaN(), 55, 0}, scale: []float64{1, 1, 0}}, "ModelPixelScaleTag"},
		{"one tie point", geoTags{tie: tie}, "1 tie point"},
		{"short matrix", geoTags{trans: []float64{1, 0, 0, 10}}, "ModelTransformationTag"},
		{"singular matrix", geoTags{trans: []float64{1, 2, 0, 10, 2, 4, 0, 55, 0, 0, 0, 0, 0, 0, 0, 1}}, "singular"},
		{"collinear GCPs", geoTags{tie: []float64{0, 0, 0, 1, 1, 0, 1, 1, 0, 2, 2, 0, 2, 2, 0, 3, 3, 0, 5, 5, 0, 4, 4, 0}}, "collinear"},
		{"GCPs at one pixel", geoTags{tie: []float64{1, 1, 0, 1, 1, 0, 1, 1, 0, 2, 2, 0, 1, 1, 0, 3, 3, 0}}, "one pixel"},
		{"three GCPs", geoTags{tie: []float64{0, 0, 0, 1, 1, 0, 10, 0, 0, 2, 1, 0, 0, 10, 0, 1, 0, 0}}, ""},
		{"bad tags", geoTags{err: ErrMalformed}, "malformed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g, err := newTestGeoref(t, 100, 100, c.tg)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if lon, lat := g.LonLat(0, 0); math.IsNaN(lon) || math.IsNaN(lat) {
					t.Errorf("LonLat = %v, %v", lon, lat)
				}
				return
			}
			if !errors.Is(err, ErrNoGeoref) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want ErrNoGeoref with %q", err, c.want)
			}
		})
	}
}

func TestSpacingFootprint(t *testing.T) {
	for _, c := range []struct {
		file   string
		sx, sy float64 // metres
	}{
		// 10 m in UTM at the central meridian is 10/0.9996 m on the ground.
		{"geo_utm33n", 10.004, 10.004},
		// 0.01° of longitude and 0.005° of latitude at 54.925°N on WGS 84.
		{"geo_4326_area", 0.01 * math.Pi / 180 * 6392275 * math.Cos(54.925*math.Pi/180), 0.005 * math.Pi / 180 * 6381080},
	} {
		t.Run(c.file, func(t *testing.T) {
			g := openGeoref(t, c.file)
			sx, sy := g.Spacing()
			if math.Abs(sx/c.sx-1) > 1e-3 || math.Abs(sy/c.sy-1) > 1e-3 {
				t.Errorf("Spacing() = %.3f, %.3f; want %.3f, %.3f", sx, sy, c.sx, c.sy)
			}
			ring := g.Footprint()
			if len(ring) != 5 || ring[0] != ring[4] {
				t.Fatalf("Footprint() = %v", ring)
			}
			for i, c := range [][2]float64{{0, 0}, {40, 0}, {40, 30}, {0, 30}} {
				lon, lat := g.LonLat(c[0], c[1])
				if ring[i] != [2]float64{lon, lat} {
					t.Errorf("corner %d = %v, want %v, %v", i, ring[i], lon, lat)
				}
			}
		})
	}
}

func TestPixel(t *testing.T) {
	for _, name := range []string{"geo_4326_area", "geo_4326_point", "geo_utm33n", "geo_utm23s", "geo_rotated", "geo_gcp_grid", "geo_gcp_scatter", "geo_gcp_utm32n"} {
		t.Run(name, func(t *testing.T) {
			g := openGeoref(t, name)
			r := rand.New(rand.NewPCG(3, 4))
			for range 100 {
				px, py := r.Float64()*50-5, r.Float64()*40-5
				lon, lat := g.LonLat(px, py)
				qx, qy, ok := g.Pixel(lon, lat)
				if !ok || math.Abs(qx-px) > 1e-6 || math.Abs(qy-py) > 1e-6 {
					t.Fatalf("Pixel(LonLat(%v, %v)) = %v, %v, %v", px, py, qx, qy, ok)
				}
			}
		})
	}
}

func TestAntimeridian(t *testing.T) {
	// A 3 × 2 grid of tie points from 179.5°E to 179.5°W.
	var tie []float64
	for _, py := range []float64{0, 100} {
		for i, px := range []float64{0, 50, 100} {
			tie = append(tie, px, py, 0, []float64{179.5, 180, -179.5}[i], 10-py/100, 0)
		}
	}
	g, err := newTestGeoref(t, 100, 100, geoTags{tie: tie})
	if err != nil {
		t.Fatal(err)
	}
	if g.GCPs[2].X != -179.5 {
		t.Errorf("GCP 2 at longitude %v, want -179.5 as read", g.GCPs[2].X)
	}
	// Interpolated in a transverse Mercator, not in degrees: within 1 m
	// of linear in longitude.
	for _, c := range []struct{ px, lon float64 }{{25, 179.75}, {50, -180}, {75, -179.75}, {110, -179.4}} {
		if lon, _ := g.LonLat(c.px, 50); math.Abs(lon-c.lon) > 1e-4 {
			t.Errorf("LonLat(%v, 50) lon = %v, want %v", c.px, lon, c.lon)
		}
	}
	if sx, _ := g.Spacing(); math.Abs(sx-0.01*math.Pi/180*6378137*math.Cos(9.5*math.Pi/180)) > 2 {
		t.Errorf("Spacing x = %v", sx)
	}
	if px, _, ok := g.Pixel(-179.9, 9.5); !ok || math.Abs(px-60) > 1e-3 {
		t.Errorf("Pixel(-179.9, 9.5) = %v, %v", px, ok)
	}
}
