package geo

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

func TestLandContains(t *testing.T) {
	l := landTestLand(t)
	tests := []struct {
		name     string
		lat, lon float64
		land     bool
	}{
		{"mid-Atlantic", 40, -35, false},
		{"North Sea", 55, 4, false},
		{"Madrid", 40.42, -3.70, true},
		{"Strait of Gibraltar, mid-channel", 35.95, -5.6, false},
		{"Strait of Gibraltar, narrows", 35.97, -5.60, false},
		{"Strait of Gibraltar, east", 35.97, -5.50, false},
		{"Bay of Algeciras", 36.10, -5.40, false},
		{"Tarifa", 36.013, -5.604, true},
		{"Gibraltar", 36.14, -5.35, true},
		{"Ceuta", 35.889, -5.315, true},
		{"Tangier", 35.77, -5.81, true},
		{"Bay of Tangier", 35.80, -5.78, false},
		{"Alborán Sea", 36.0, -3.5, false},
		{"Lampedusa", 35.51, 12.60, true},
		{"Tripoli", 32.9, 13.18, true},
		{"Malta", 35.9, 14.45, true},
		{"Strait of Sicily", 36.5, 12.5, false},
		{"Øresund", 56.04, 12.65, false},
		{"Caspian Sea (a hole in Eurasia)", 42, 51, false},
		{"Sahara", 25, 10, true},
		{"South Pole", -90, 0, true},
		{"near the South Pole", -89.9, 123, true},
		{"North Pole", 90, 0, false},
		{"Wrangel Island west of 180°", 71.25, 179.9, true},
		{"Wrangel Island east of 180°", 71.25, -179.9, true},
		{"Wrangel Island as 180.1°", 71.25, 180.1, true},
		{"Chukchi Sea on 180°", 70.0, 180, false},
		{"Chukotka east of 180°", 67.0, -179.5, true},
		{"Chukotka west of 180°", 67.0, 179.5, true},
		{"Taveuni (Fiji) east of 180°", -16.75, -179.95, true},
		{"Koro Sea (Fiji)", -17.5, 179.9, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.Contains(tt.lat, tt.lon); got != tt.land {
				t.Errorf("Contains(%g, %g) = %v, want %v", tt.lat, tt.lon, got, tt.land)
			}
		})
	}
	if l.Contains(math.NaN(), 0) {
		t.Error("Contains(NaN, 0) = true")
	}
}

// landBruteContains is the textbook even-odd test over every edge.
func landBruteContains(l *Land, lat, lon float64) bool {
	x, y := NormLon(lon)*landMicro, lat*landMicro
	in := false
	for r := 0; r+1 < len(l.rings); r++ {
		for i := l.rings[r]; i < l.rings[r+1]-1; i++ {
			a, b := l.pts[i], l.pts[i+1]
			ya, yb := float64(a.lat), float64(b.lat)
			if (ya > y) == (yb > y) {
				continue
			}
			xa, xb := float64(a.lon), float64(b.lon)
			if xa+(y-ya)*(xb-xa)/(yb-ya) < x {
				in = !in
			}
		}
	}
	return in
}

// The grid must give the answer of the plain even-odd test, near coasts
// where cells hold edges and anywhere on the globe.
func TestLandContainsMatchesBruteForce(t *testing.T) {
	l := landTestLand(t)
	pts := landNearCoast(l, 600, 20e3, -90, 90, -180, 180)
	pts = append(pts, landNearCoast(l, 300, 2e3, 30, 72, -15, 45)...)
	pts = append(pts, landNearCoast(l, 100, 30e3, 60, 90, 170, 180)...)
	rng := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		pts = append(pts, [2]float64{math.Asin(2*rng.Float64()-1) * 180 / math.Pi, 360*rng.Float64() - 180})
	}
	if testing.Short() {
		pts = pts[:100]
	}
	for _, p := range pts {
		if got, want := l.Contains(p[0], p[1]), landBruteContains(l, p[0], p[1]); got != want {
			t.Errorf("Contains(%.6f, %.6f) = %v, brute force says %v", p[0], p[1], got, want)
		}
	}
}

// landBruteDistance is the distance from the point to the nearest coast
// edge by the textbook cross-track and along-track formulas, over every
// edge with a vertex within window degrees of latitude.
func landBruteDistance(l *Land, lat, lon, window float64) float64 {
	best := math.Inf(1)
	for r := 0; r+1 < len(l.rings); r++ {
		for i := l.rings[r]; i < l.rings[r+1]-1; i++ {
			a, b := l.pts[i], l.pts[i+1]
			alat, alon := float64(a.lat)/landMicro, float64(a.lon)/landMicro
			blat, blon := float64(b.lat)/landMicro, float64(b.lon)/landMicro
			if math.Abs(alat-lat) > window && math.Abs(blat-lat) > window || l.cutEdge(i) {
				continue
			}
			d := min(Distance(lat, lon, alat, alon), Distance(lat, lon, blat, blon))
			δ13 := Distance(alat, alon, lat, lon) / EarthRadius
			δ12 := Distance(alat, alon, blat, blon) / EarthRadius
			dθ := rad(Bearing(alat, alon, lat, lon) - Bearing(alat, alon, blat, blon))
			xt := math.Asin(math.Sin(δ13) * math.Sin(dθ))
			at := math.Acos(max(-1, min(1, math.Cos(δ13)/math.Cos(xt))))
			if math.Cos(dθ) > 0 && at <= δ12 {
				d = min(d, math.Abs(xt)*EarthRadius)
			}
			best = min(best, d)
		}
	}
	return best
}

func TestLandDistanceMatchesBruteForce(t *testing.T) {
	l := landTestLand(t)
	pts := landNearCoast(l, 150, 60e3, -90, 90, -180, 180)
	pts = append(pts, landNearCoast(l, 50, 5e3, 30, 72, -15, 45)...)
	pts = append(pts, landNearCoast(l, 30, 30e3, -20, 72, 175, 180)...) // Fiji, Chukotka, Wrangel
	pts = append(pts, [2]float64{40, -35}, [2]float64{0, -150}, [2]float64{89.9, 0}, [2]float64{-89.9, 0})
	if testing.Short() {
		pts = pts[:20]
	}
	for _, p := range pts {
		got := l.DistanceToShore(p[0], p[1])
		want := landBruteDistance(l, p[0], p[1], got/111e3+1)
		// float32 unit vectors place a vertex within half a metre.
		if math.Abs(got-want) > 1+1e-4*want {
			t.Errorf("DistanceToShore(%.5f, %.5f) = %.1f m, brute force %.1f m", p[0], p[1], got, want)
		}
	}
}

func TestLandDistanceToShore(t *testing.T) {
	l := landTestLand(t)
	// The coast of the Landes (Bay of Biscay) runs straight and nearly
	// north–south for 200 km; find it on three parallels and step 10 nmi
	// out to sea. Its slight tilt makes the distance a little shorter.
	for _, lat := range []float64{44.0, 44.5, 45.0} {
		west, east := -3.0, -0.5
		for range 50 {
			if m := (west + east) / 2; l.Contains(lat, m) {
				east = m
			} else {
				west = m
			}
		}
		// Contains takes edges as straight in latitude and longitude,
		// DistanceToShore as great circles; on this coast's 55 km edge
		// they part by some 45 m.
		if d := l.DistanceToShore(lat, west); d > 60 {
			t.Errorf("coast found at %.5f, %.5f is %.1f m from shore", lat, west, d)
		}
		sLat, sLon := Destination(lat, west, 270, 10*NauticalMile)
		if d := l.DistanceToShore(sLat, sLon); d < 0.98*10*NauticalMile || d > 10*NauticalMile+1 {
			t.Errorf("10 nmi off the Landes at %.1f°N: %.0f m from shore", lat, d)
		}
	}

	tests := []struct {
		name     string
		lat, lon float64
		min, max float64 // metres
	}{
		{"Tarifa, on land", 36.013, -5.604, 0, 1000},
		{"Strait of Gibraltar mid-channel", 35.95, -5.6, 4000, 8000},
		{"Lampedusa, on land", 35.51, 12.60, 0, 2000},
		{"Madrid, on land", 40.42, -3.70, 290e3, 320e3},
		{"Chukchi Sea just west of 180°", 70.0, 179.999, 79e3, 82e3},
		{"Chukchi Sea just east of 180°", 70.0, -179.999, 79e3, 82e3},
		{"South Pole", -90, 0, 500e3, 600e3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := l.DistanceToShore(tt.lat, tt.lon); d < tt.min || d > tt.max {
				t.Errorf("DistanceToShore(%g, %g) = %.0f m, want %.0f–%.0f", tt.lat, tt.lon, d, tt.min, tt.max)
			}
		})
	}

	if d := l.DistanceToShoreWithin(40, -35, 50e3); d != 50e3 {
		t.Errorf("DistanceToShoreWithin(mid-Atlantic, 50 km) = %.0f, want the limit", d)
	}
	near, far := l.DistanceToShoreWithin(35.95, -5.6, 50e3), l.DistanceToShore(35.95, -5.6)
	if near != far {
		t.Errorf("DistanceToShoreWithin = %.3f, DistanceToShore = %.3f", near, far)
	}
	if d := l.DistanceToShoreWithin(35.95, -5.6, 0); d != 0 {
		t.Errorf("DistanceToShoreWithin(…, 0) = %g", d)
	}
}

func TestLandCrossesLand(t *testing.T) {
	l := landTestLand(t)
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want                   bool
	}{
		{"Tarifa to Tangier across the strait", 35.98, -5.61, 35.80, -5.78, false},
		{"through the Strait of Gibraltar", 35.92, -6.0, 35.98, -5.0, false},
		{"Galicia to Barcelona across Iberia", 43.5, -9.5, 41.0, 2.5, true},
		{"Gulf of Cádiz to Málaga over Andalusia", 36.5, -6.5, 36.6, -4.3, true},
		{"Sicily Channel south of Lampedusa", 35.2, 12.0, 35.2, 13.0, false},
		{"over Lampedusa", 35.45, 12.50, 35.55, 12.70, true},
		{"starting on land", 36.013, -5.604, 35.95, -5.6, true},
		{"Chukchi Sea across 180°", 70.5, 179, 70.5, -179, false},
		{"Chukchi Sea across 180° the other way", 70.5, -179, 70.5, 179, false},
		{"over Wrangel Island across 180°", 71.8, 179.5, 70.6, -179.5, true},
		{"over Taveuni across 180°", -16.75, 179.80, -16.75, -179.80, true},
		{"zero length at sea", 40, -35, 40, -35, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.CrossesLand(tt.lat1, tt.lon1, tt.lat2, tt.lon2); got != tt.want {
				t.Errorf("CrossesLand(%g, %g, %g, %g) = %v, want %v", tt.lat1, tt.lon1, tt.lat2, tt.lon2, got, tt.want)
			}
		})
	}
}

// A leg that CrossesLand calls clear must have no land on it; sample it
// densely to check.
func TestLandCrossesLandAgreesWithSampling(t *testing.T) {
	l := landTestLand(t)
	pts := landNearCoast(l, 2000, 10e3, -60, 75, -180, 180)
	rng := rand.New(rand.NewPCG(7, 8))
	clear, crossing := 0, 0
	for _, p := range pts {
		lat, lon := Destination(p[0], p[1], rng.Float64()*360, 1e3+rng.Float64()*20e3)
		if l.Contains(p[0], p[1]) || l.Contains(lat, lon) {
			continue
		}
		dlon := NormLon(lon - p[1])
		sampled := false
		for k := 1; k < 1000; k++ {
			f := float64(k) / 1000
			if l.Contains(p[0]+f*(lat-p[0]), p[1]+f*dlon) {
				sampled = true
				break
			}
		}
		got := l.CrossesLand(p[0], p[1], lat, lon)
		if sampled && !got {
			t.Errorf("CrossesLand(%.5f, %.5f, %.5f, %.5f) = false, but a point on the leg is on land", p[0], p[1], lat, lon)
		}
		if got {
			crossing++
		} else {
			clear++
		}
	}
	if clear == 0 || crossing == 0 {
		t.Errorf("%d clear and %d crossing legs: the sample tests nothing", clear, crossing)
	}
}

// landEncode writes the format of internal/landgen on a micro-degree grid.
func landEncode(rings [][][2]float64) []byte {
	var raw []byte
	raw = append(raw, landMagic...)
	for _, f := range []float64{1e-6, 1e-6, 0, 0} {
		raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(f))
	}
	n := 0
	for _, r := range rings {
		n += len(r)
	}
	raw = binary.AppendUvarint(raw, uint64(len(rings)))
	raw = binary.AppendUvarint(raw, uint64(n))
	var px, py int64
	for _, r := range rings {
		raw = binary.AppendUvarint(raw, uint64(len(r)))
		for _, p := range r { // lon, lat
			x, y := int64(math.Round(p[0]*1e6)), int64(math.Round(p[1]*1e6))
			raw = binary.AppendVarint(raw, x-px)
			raw = binary.AppendVarint(raw, y-py)
			px, py = x, y
		}
	}
	return raw
}

func landGzip(raw []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(raw)
	zw.Close()
	return b.Bytes()
}

// A small square island with a lake, and an island split on 180°. Edges
// are short, so great circles and parallels part by under a metre.
var landSample = [][][2]float64{
	{{10, 10}, {10.1, 10}, {10.1, 10.1}, {10, 10.1}},
	{{10.04, 10.04}, {10.06, 10.04}, {10.06, 10.06}, {10.04, 10.06}},
	{{179.9, -16.8}, {180, -16.8}, {180, -16.7}, {179.9, -16.7}},
	{{-180, -16.8}, {-179.9, -16.8}, {-179.9, -16.7}, {-180, -16.7}},
}

func TestLandDecodeSample(t *testing.T) {
	l, err := decodeLand(bytes.NewReader(landGzip(landEncode(landSample))))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		lat, lon float64
		land     bool
		dist     float64 // metres to the nearest coast
	}{
		{"island", 10.01, 10.05, true, Distance(10.01, 10.05, 10, 10.05)},
		{"lake", 10.05, 10.05, false, Distance(10.05, 10.05, 10.05, 10.04)},
		{"sea", 9.95, 10.05, false, Distance(9.95, 10.05, 10, 10.05)},
		// The cut along 180° is not coast.
		{"west of 180°", -16.75, 179.98, true, Distance(-16.75, 179.98, -16.7, 179.98)},
		{"east of 180°", -16.75, -179.98, true, Distance(-16.75, -179.98, -16.7, -179.98)},
		{"on 180°", -16.75, 180, true, Distance(-16.75, 180, -16.7, 180)},
		{"sea west of the split island", -16.75, 179.85, false, Distance(-16.75, 179.85, -16.75, 179.9)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := l.Contains(tt.lat, tt.lon); got != tt.land {
				t.Errorf("Contains(%g, %g) = %v, want %v", tt.lat, tt.lon, got, tt.land)
			}
			if got := l.DistanceToShore(tt.lat, tt.lon); math.Abs(got-tt.dist) > 2 {
				t.Errorf("DistanceToShore(%g, %g) = %.1f, want %.1f", tt.lat, tt.lon, got, tt.dist)
			}
		})
	}
	if !l.CrossesLand(-16.75, 179.85, -16.75, -179.85) {
		t.Error("a leg across the island on 180° does not cross land")
	}
	if l.CrossesLand(-16.9, 179.85, -16.9, -179.85) {
		t.Error("a leg south of the island crosses land")
	}
}

func TestLandDecodeErrors(t *testing.T) {
	good := landEncode(landSample)
	tests := map[string][]byte{
		"not gzip":       []byte("PHLAND1\n"),
		"empty":          landGzip(nil),
		"bad magic":      landGzip(append([]byte("PHLAND2\n"), good[8:]...)),
		"truncated":      landGzip(good[:len(good)-3]),
		"trailing bytes": landGzip(append(append([]byte(nil), good...), 0)),
		"huge counts":    landGzip(append(append([]byte(nil), good[:40]...), 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0xff, 0xff, 0xff, 0x0f)),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := decodeLand(bytes.NewReader(data)); !errors.Is(err, ErrLandData) {
				t.Errorf("err = %v, want ErrLandData", err)
			}
		})
	}
}

func FuzzParseLand(f *testing.F) {
	f.Add(landEncode(landSample))
	if zr, err := os.Open("landdata/land.bin.gz"); err == nil {
		if r, err := gzip.NewReader(zr); err == nil {
			head := make([]byte, 4096)
			n, _ := r.Read(head)
			f.Add(head[:n])
		}
		zr.Close()
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		l, err := parseLand(raw)
		if err != nil {
			return
		}
		// Wild rings must index and answer without panicking; the
		// index's cost grows with the area edges span, so keep it small.
		for _, p := range l.pts {
			if math.Abs(float64(p.lat)) > 5e6 || math.Abs(float64(p.lon)) > 5e6 {
				return
			}
		}
		l.index()
		l.Contains(1, 1)
		l.DistanceToShoreWithin(1, 1, 1e6)
		l.CrossesLand(0, 0, 2, 2)
	})
}
