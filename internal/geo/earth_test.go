package geo

import (
	"math"
	"testing"
)

func TestDistanceBearingDestination(t *testing.T) {
	tests := []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		dist, bearing          float64 // metres, degrees
		tolDist                float64
	}{
		// Tarifa to Tangier across the Strait of Gibraltar.
		{"strait", 36.0143, -5.6044, 35.7595, -5.8340, 35080, 216.4, 50},
		// One minute of latitude is about a nautical mile.
		{"one minute north", 45, 10, 45 + 1.0/60, 10, 1852, 0, 10},
		{"due east on the equator", 0, 0, 0, 1, 111195, 90, 5},
		{"across the antimeridian", 0, 179.5, 0, -179.5, 111195, 90, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Distance(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if math.Abs(d-tt.dist) > tt.tolDist {
				t.Errorf("Distance = %.0f m, want %.0f ± %.0f", d, tt.dist, tt.tolDist)
			}
			b := Bearing(tt.lat1, tt.lon1, tt.lat2, tt.lon2)
			if math.Abs(b-tt.bearing) > 0.5 {
				t.Errorf("Bearing = %.2f°, want %.1f°", b, tt.bearing)
			}
			lat, lon := Destination(tt.lat1, tt.lon1, b, d)
			if back := Distance(lat, lon, tt.lat2, tt.lon2); back > 0.01 {
				t.Errorf("Destination misses the point by %.3f m", back)
			}
		})
	}
}

func TestPlaneRoundTrip(t *testing.T) {
	p := NewPlane(36.0, -5.5)
	for _, pt := range [][2]float64{{36.0, -5.5}, {36.3, -5.2}, {35.7, -5.9}, {36.2, -5.9}} {
		x, y := p.Project(pt[0], pt[1])
		lat, lon := p.Unproject(x, y)
		if math.Abs(lat-pt[0]) > 1e-12 || math.Abs(lon-pt[1]) > 1e-12 {
			t.Errorf("round trip of %v gives %v, %v", pt, lat, lon)
		}
		// The plane is ellipsoidal, the great circle spherical: they agree
		// to the sphere's 0.3 % at this latitude.
		want := Distance(36.0, -5.5, pt[0], pt[1])
		if got := math.Hypot(x, y); math.Abs(got-want) > 1+0.003*want {
			t.Errorf("plane distance to %v = %.0f m, great circle %.0f m", pt, got, want)
		}
	}
}

func BenchmarkProject(b *testing.B) {
	p := NewPlane(36.0, -5.5)
	for b.Loop() {
		p.Project(36.1, -5.4)
	}
}
