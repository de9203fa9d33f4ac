package geotiff

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// s1Truth is the geolocation of a synthetic Sentinel-1 IW GRD scene:
// 25,000 × 17,000 pixels of 10 m, its rows 12° off north, its track
// curving by ~300 m over the scene, in UTM 32N around 58°N, 6–11°E.
func s1Truth(px, py float64) (lon, lat float64) {
	const a = 12 * math.Pi / 180
	u, v := 10*px, 10*py
	e := 350000 + u*math.Cos(a) - v*math.Sin(a) + 1e-8*v*v
	n := 6450000 - u*math.Sin(a) - v*math.Cos(a) + 1e-8*u*u
	return UTM{Zone: 32}.Inverse(e, n)
}

const s1W, s1H = 25000, 17000

// s1GCPs samples the truth as Sentinel-1 does: 21 columns and 10 rows,
// the last at pixel W-1 and row H-1.
func s1GCPs() []float64 {
	var tie []float64
	for j := range 10 {
		py := math.Round(float64(j) * (s1H - 1) / 9)
		for i := range 21 {
			px := math.Round(float64(i) * (s1W - 1) / 20)
			lon, lat := s1Truth(px, py)
			tie = append(tie, px, py, 0, lon, lat, 0)
		}
	}
	return tie
}

// groundError returns the largest and RMS distance in metres between g
// and the truth at n random points of the scene.
func groundError(g *Georef, n int) (maxE, rms float64) {
	r := rand.New(rand.NewPCG(5, 6))
	var sum float64
	for range n {
		px, py := r.Float64()*s1W, r.Float64()*s1H
		lon, lat := g.LonLat(px, py)
		tlon, tlat := s1Truth(px, py)
		d := metres(lon, lat, tlon, tlat)
		maxE = max(maxE, d)
		sum += d * d
	}
	return maxE, math.Sqrt(sum / float64(n))
}

func metres(lon1, lat1, lon2, lat2 float64) float64 {
	phi := (lat1 + lat2) / 2 * math.Pi / 180
	return math.Hypot(normLon(lon2-lon1)*math.Pi/180*6378137*math.Cos(phi), (lat2-lat1)*math.Pi/180*6378137)
}

// TestSentinel1Grid shows why a GCP grid is interpolated rather than
// fitted: over a 250 km scene a least-squares affine is off by hundreds of
// metres, a second-order polynomial by metres, bilinear interpolation in
// the 21 × 10 grid (in a transverse Mercator) by under a metre, what the
// truth's own curvature gives over a cell (in degrees it would be 6 m).
func TestSentinel1Grid(t *testing.T) {
	tie := s1GCPs()
	g, err := newTestGeoref(t, s1W, s1H, geoTags{tie: tie})
	if err != nil {
		t.Fatal(err)
	}
	if g.Method != GCPGrid || len(g.GCPs) != 210 {
		t.Fatalf("%s with %d GCPs", g.Method, len(g.GCPs))
	}
	gridMax, gridRMS := groundError(g, 2000)

	// The same points through the fallbacks.
	var pts []GCP
	for k := 0; k < len(tie); k += 6 {
		pts = append(pts, GCP{Px: tie[k], Py: tie[k+1], X: tie[k+3], Y: tie[k+4]})
	}
	p2, err := fitPoly(pts)
	if err != nil {
		t.Fatal(err)
	}
	polyMax, polyRMS := groundError(&Georef{poly: p2, Width: s1W, Height: s1H}, 2000)
	p1 := *p2
	p1.order = 1
	p1.x, p1.y = [6]float64{}, [6]float64{}
	var m [6][8]float64
	for _, q := range pts {
		tt := p1.terms(q.Px, q.Py)
		for r := range 3 {
			for c := range 3 {
				m[r][c] += tt[r] * tt[c]
			}
			m[r][6] += tt[r] * q.X
			m[r][7] += tt[r] * q.Y
		}
	}
	if err := solve(&m, 3); err != nil {
		t.Fatal(err)
	}
	for r := range 3 {
		p1.x[r], p1.y[r] = m[r][6], m[r][7]
	}
	affMax, affRMS := groundError(&Georef{poly: &p1, Width: s1W, Height: s1H}, 2000)
	t.Logf("ground error, max / RMS: bilinear grid %.3f / %.3f m, 2nd-order polynomial %.1f / %.1f m, affine %.0f / %.0f m",
		gridMax, gridRMS, polyMax, polyRMS, affMax, affRMS)
	if gridMax > 1.5 {
		t.Errorf("bilinear grid off by up to %.2f m", gridMax)
	}
	if affMax < 50*gridMax {
		t.Errorf("affine %.1f m not much worse than the grid (%.2f m): the test scene is too flat", affMax, gridMax)
	}

	sx, sy := g.Spacing()
	if math.Abs(sx-10) > 0.1 || math.Abs(sy-10) > 0.1 {
		t.Errorf("Spacing() = %.3f, %.3f; want about 10, 10 (UTM scale 0.9996–1.0004)", sx, sy)
	}
	lon, lat := s1Truth(12345.5, 6789.5)
	px, py, ok := g.Pixel(lon, lat)
	if !ok || math.Hypot(px-12345.5, py-6789.5) > 0.15 {
		t.Errorf("Pixel = %v, %v, %v; want about 12345.5, 6789.5", px, py, ok)
	}
}

// TestSentinel1File writes a Sentinel-1-like file a tenth of the size
// (2,500 × 1,700 pixels of 100 m, uncompressed, one row per strip, 21 × 10
// GCPs ending at the last pixel and row) and reads it back as the detector
// will.
func TestSentinel1File(t *testing.T) {
	const w, h = s1W / 10, s1H / 10
	truth := func(px, py float64) (float64, float64) { return s1Truth(10*px, 10*py) }
	var gcps []GCP
	for j := range 10 {
		py := math.Round(float64(j) * (h - 1) / 9)
		for i := range 21 {
			px := math.Round(float64(i) * (w - 1) / 20)
			lon, lat := truth(px, py)
			gcps = append(gcps, GCP{Px: px, Py: py, X: lon, Y: lat})
		}
	}
	data := func() []byte {
		var buf bytes.Buffer
		if err := Write(&buf, w, h, speckle(w, h), WriteOptions{GCPs: gcps, RowsPerStrip: 1}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	im, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if im.BlockHeight != 1 || im.Compression != None || im.Type != Uint16 {
		t.Errorf("%s %s in strips of %d rows", im.Type, im.Compression, im.BlockHeight)
	}
	g, err := im.Georef()
	if err != nil {
		t.Fatal(err)
	}
	if g.Method != GCPGrid || g.EPSG != 4326 || len(g.GCPs) != 210 {
		t.Fatalf("%s EPSG:%d %d GCPs", g.Method, g.EPSG, len(g.GCPs))
	}
	if sx, sy := g.Spacing(); math.Abs(sx-100) > 1 || math.Abs(sy-100) > 1 {
		t.Errorf("Spacing() = %.2f, %.2f; want about 100 m", sx, sy)
	}
	// The last row and column lie beyond the grid, extrapolated.
	ring := g.Footprint()
	for i, c := range [][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}} {
		lon, lat := truth(c[0], c[1])
		if d := metres(ring[i][0], ring[i][1], lon, lat); d > 5 {
			t.Errorf("corner %v %.1f m from the truth", c, d)
		}
	}
	band := make([]float32, 64*w)
	for y := 0; y < h; y += 64 {
		if err := im.ReadRows(y, min(y+64, h), band); err != nil {
			t.Fatal(err)
		}
	}
}
