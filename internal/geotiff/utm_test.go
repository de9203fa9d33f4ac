package geotiff

import (
	"math"
	"testing"
)

// Expected eastings and northings from PROJ, through GDAL 3.6.2:
//
//	gdaltransform -s_srs EPSG:4326 -t_srs EPSG:326zz -output_xy
var utmCases = []struct {
	name     string
	zone     UTM
	lon, lat float64
	e, n     float64
}{
	{"33N central meridian", UTM{Zone: 33}, 15, 55, 500000.000000001, 6094791.42099893},
	{"33N 3° west", UTM{Zone: 33}, 12, 55, 308124.367862459, 6098907.82512917},
	{"33N north cape", UTM{Zone: 33}, 18.5, 70.2, 632254.916231841, 7791979.00653401},
	{"33N 6° west at the equator", UTM{Zone: 33}, 9, 0.5, -168856.20148326, 55571.50548137},
	{"33N 6° east below the equator", UTM{Zone: 33}, 21, -0.5, 1168856.20148326, -55571.50548137},
	{"33N far south", UTM{Zone: 33}, 14.9, -45, 492118.470357267, -4982955.26366148},
	{"33N 84°", UTM{Zone: 33}, 15, 84, 500000, 9328093.83056051},
	{"33S", UTM{Zone: 33, South: true}, 15, -10, 500000.000000002, 8894587.50869892},
	{"33S west", UTM{Zone: 33, South: true}, 12.1, -33.3, 229968.46787181, 6311700.39489163},
	{"33S antarctic", UTM{Zone: 33, South: true}, 17.9, -79.5, 558974.642625269, 1172753.13723809},
	{"1N by the antimeridian", UTM{Zone: 1}, -179.5, 52, 328386.776243999, 5763989.36672348},
	{"1N", UTM{Zone: 1}, -174.1, 10, 817955.427694203, 1106810.65712185},
	{"60S across the antimeridian", UTM{Zone: 60, South: true}, 179.9, -60, 661720.750891877, 3345043.28005638},
}

func TestUTM(t *testing.T) {
	for _, c := range utmCases {
		t.Run(c.name, func(t *testing.T) {
			e, n := c.zone.Forward(c.lon, c.lat)
			if math.Abs(e-c.e) > 1e-6 || math.Abs(n-c.n) > 1e-6 {
				t.Errorf("Forward(%v, %v) = %.6f, %.6f; want %.6f, %.6f", c.lon, c.lat, e, n, c.e, c.n)
			}
			lon, lat := c.zone.Inverse(c.e, c.n)
			if math.Abs(normLon(lon-c.lon)) > 1e-10 || math.Abs(lat-c.lat) > 1e-10 {
				t.Errorf("Inverse(%v, %v) = %.12f, %.12f; want %v, %v", c.e, c.n, lon, lat, c.lon, c.lat)
			}
		})
	}
}

func TestUTMRoundTrip(t *testing.T) {
	for _, z := range []UTM{{Zone: 31}, {Zone: 17, South: true}} {
		cm := z.centralMeridian()
		for lat := -80.0; lat <= 84; lat += 2.5 {
			for dl := -8.0; dl <= 8; dl += 0.5 {
				e, n := z.Forward(cm+dl, lat)
				lon, la := z.Inverse(e, n)
				if d := math.Hypot(normLon(lon-cm-dl)*math.Cos(lat*math.Pi/180), la-lat); d > 1e-11 {
					t.Fatalf("zone %+v: %v, %v → %v, %v → %v, %v", z, cm+dl, lat, e, n, lon, la)
				}
			}
		}
	}
}

func TestUTMFromEPSG(t *testing.T) {
	for _, c := range []struct {
		code int
		ok   bool
		want UTM
	}{
		{32601, true, UTM{Zone: 1}}, {32660, true, UTM{Zone: 60}}, {32733, true, UTM{Zone: 33, South: true}},
		{32600, false, UTM{}}, {32661, false, UTM{}}, {32700, false, UTM{}}, {4326, false, UTM{}}, {25833, false, UTM{}},
	} {
		got, ok := utmFromEPSG(c.code)
		if ok != c.ok || got != c.want {
			t.Errorf("utmFromEPSG(%d) = %+v, %v; want %+v, %v", c.code, got, ok, c.want, c.ok)
		}
		if ok && got.EPSG() != c.code {
			t.Errorf("EPSG() = %d, want %d", got.EPSG(), c.code)
		}
	}
}
