package geo

import (
	"testing"
	"time"
)

func TestExplore(t *testing.T) {
	t0 := time.Now()
	l, err := LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load %v pts=%d runs=%d blocks=%d cells=%d", time.Since(t0), len(l.pts), len(l.runs), len(l.inner), len(l.cellAt))
	pts := []struct {
		n        string
		lat, lon float64
	}{{"strait mid", 35.95, -5.6}, {"strait 35.97,-5.50", 35.97, -5.50}, {"narrow", 35.97, -5.60}, {"Tarifa", 36.013, -5.604}, {"Ceuta", 35.889, -5.315}, {"Gibraltar", 36.14, -5.35}, {"Tangier", 35.77, -5.81}, {"Lampedusa", 35.51, 12.60}, {"Tripoli", 32.9, 13.18}, {"Malta", 35.9, 14.45}, {"Alboran", 36.0, -3.5}, {"Algeciras bay", 36.10, -5.40},
		{"mid-atlantic", 40, -35}, {"north sea", 55, 4}, {"madrid", 40.4, -3.7}, {"south pole", -89.9, 0}, {"north pole", 89.9, 0}, {"wrangel w", 71.25, 179.9}, {"wrangel e", 71.25, -179.9}, {"chukchi", 70, 179.99}, {"chukchi e", 70, -179.99}, {"mid pacific", 0, -150}}
	for _, p := range pts {
		t.Logf("%-15s land=%-5v shore=%8.0f m", p.n, l.Contains(p.lat, p.lon), l.DistanceToShore(p.lat, p.lon))
	}
}

func TestExplore2(t *testing.T) {
	l, _ := LoadLand()
	coast := func(lat, west, east float64) float64 { // west sea, east land
		for range 60 {
			m := (west + east) / 2
			if l.Contains(lat, m) {
				east = m
			} else {
				west = m
			}
		}
		return west
	}
	for _, lat := range []float64{43.8, 44.0, 44.2, 44.5, 44.8, 45.0} {
		c := coast(lat, -3, -0.5)
		la, lo := Destination(lat, c, 270, 18520)
		t.Logf("landes lat %.1f coast lon %.4f ; 10nmi west d=%.0f", lat, c, l.DistanceToShore(la, lo))
	}
	for lat := -17.2; lat <= -15.9; lat += 0.1 {
		s := ""
		for lon := 179.5; lon <= 180.5; lon += 0.05 {
			if l.Contains(lat, lon) {
				s += "#"
			} else {
				s += "."
			}
		}
		t.Logf("%6.2f %s", lat, s)
	}
	for lat := 71.7; lat >= 70.7; lat -= 0.1 {
		s := ""
		for lon := 178.0; lon <= 183; lon += 0.1 {
			if l.Contains(lat, lon) {
				s += "#"
			} else {
				s += "."
			}
		}
		t.Logf("%6.2f %s", lat, s)
	}
}
