package geotiff

import "math"

// WGS 84 ellipsoid.
const (
	wgs84A = 6378137.0
	wgs84F = 1 / 298.257223563
)

// UTM is a zone of the Universal Transverse Mercator projection on
// WGS 84 (EPSG 32601–32660 north, 32701–32760 south).
type UTM struct {
	Zone  int  // 1–60
	South bool // false northern, true southern hemisphere (false northing 10,000 km)
}

// utmFromEPSG returns the zone of an EPSG code 326zz or 327zz.
func utmFromEPSG(code int) (UTM, bool) {
	switch {
	case code >= 32601 && code <= 32660:
		return UTM{Zone: code - 32600}, true
	case code >= 32701 && code <= 32760:
		return UTM{Zone: code - 32700, South: true}, true
	}
	return UTM{}, false
}

// EPSG returns the zone's EPSG code.
func (u UTM) EPSG() int {
	if u.South {
		return 32700 + u.Zone
	}
	return 32600 + u.Zone
}

const (
	utmK0 = 0.9996
	utmFE = 500000.0
	utmFS = 10000000.0 // false northing of the southern zones
)

// Krüger's series for the transverse Mercator projection, to sixth order in
// the third flattening n (Karney, "Transverse Mercator with an accuracy of
// a few nanometers", J. Geodesy 85, 2011, eqs. 35–36). Within a zone's
// few hundred kilometres they are exact to well under a millimetre.
var tm = func() (c struct{ a, alpha, beta, delta [7]float64 }) {
	n := wgs84F / (2 - wgs84F)
	n2 := n * n
	n3 := n2 * n
	n4, n5, n6 := n2*n2, n2*n3, n3*n3
	c.a = [7]float64{0: wgs84A / (1 + n) * (1 + n2/4 + n4/64 + n6/256)}
	c.alpha = [7]float64{0,
		n/2 - 2*n2/3 + 5*n3/16 + 41*n4/180 - 127*n5/288 + 7891*n6/37800,
		13*n2/48 - 3*n3/5 + 557*n4/1440 + 281*n5/630 - 1983433*n6/1935360,
		61*n3/240 - 103*n4/140 + 15061*n5/26880 + 167603*n6/181440,
		49561*n4/161280 - 179*n5/168 + 6601661*n6/7257600,
		34729*n5/80640 - 3418889*n6/1995840,
		212378941 * n6 / 319334400,
	}
	c.beta = [7]float64{0,
		n/2 - 2*n2/3 + 37*n3/96 - n4/360 - 81*n5/512 + 96199*n6/604800,
		n2/48 + n3/15 - 437*n4/1440 + 46*n5/105 - 1118711*n6/3870720,
		17*n3/480 - 37*n4/840 - 209*n5/4480 + 5569*n6/90720,
		4397*n4/161280 - 11*n5/504 - 830251*n6/7257600,
		4583*n5/161280 - 108847*n6/3991680,
		20648693 * n6 / 638668800,
	}
	// Conformal latitude χ to geodetic latitude φ.
	c.delta = [7]float64{0,
		2*n - 2*n2/3 - 2*n3 + 116*n4/45 + 26*n5/45 - 2854*n6/675,
		7*n2/3 - 8*n3/5 - 227*n4/45 + 2704*n5/315 + 2323*n6/945,
		56*n3/15 - 136*n4/35 - 1262*n5/105 + 73814*n6/2835,
		4279*n4/630 - 332*n5/35 - 399572*n6/14175,
		4174*n5/315 - 144838*n6/6237,
		601676 * n6 / 22275,
	}
	return c
}()

func (u UTM) centralMeridian() float64 { return float64(6*u.Zone - 183) }

func (u UTM) tm() tmerc {
	p := tmerc{lon0: u.centralMeridian(), k0: utmK0, fe: utmFE}
	if u.South {
		p.fn = utmFS
	}
	return p
}

// Inverse converts easting and northing in metres to longitude and
// latitude in degrees.
func (u UTM) Inverse(e, n float64) (lon, lat float64) { return u.tm().inverse(e, n) }

// Forward converts longitude and latitude in degrees to easting and
// northing in metres in the zone (the point may lie outside it).
func (u UTM) Forward(lon, lat float64) (e, n float64) { return u.tm().forward(lon, lat) }

// tmerc is a transverse Mercator projection of WGS 84: central meridian,
// scale on it, false easting and northing.
type tmerc struct{ lon0, k0, fe, fn float64 }

func (p tmerc) inverse(e, n float64) (lon, lat float64) {
	ka := p.k0 * tm.a[0]
	xi, eta := (n-p.fn)/ka, (e-p.fe)/ka
	xi1, eta1 := xi, eta
	for j := 1; j <= 6; j++ {
		b, jj := tm.beta[j], 2*float64(j)
		xi1 -= b * math.Sin(jj*xi) * math.Cosh(jj*eta)
		eta1 -= b * math.Cos(jj*xi) * math.Sinh(jj*eta)
	}
	chi := math.Asin(math.Sin(xi1) / math.Cosh(eta1))
	phi := chi
	for j := 1; j <= 6; j++ {
		phi += tm.delta[j] * math.Sin(2*float64(j)*chi)
	}
	lam := math.Atan2(math.Sinh(eta1), math.Cos(xi1))
	return p.lon0 + lam*180/math.Pi, phi * 180 / math.Pi
}

func (p tmerc) forward(lon, lat float64) (e, n float64) {
	phi := lat * math.Pi / 180
	lam := normLon(lon-p.lon0) * math.Pi / 180
	ecc := math.Sqrt(wgs84F * (2 - wgs84F))
	s := math.Sin(phi)
	t := math.Sinh(math.Atanh(s) - ecc*math.Atanh(ecc*s))
	xi1 := math.Atan2(t, math.Cos(lam))
	eta1 := math.Atanh(math.Sin(lam) / math.Sqrt(1+t*t))
	xi, eta := xi1, eta1
	for j := 1; j <= 6; j++ {
		a, jj := tm.alpha[j], 2*float64(j)
		xi += a * math.Sin(jj*xi1) * math.Cosh(jj*eta1)
		eta += a * math.Cos(jj*xi1) * math.Sinh(jj*eta1)
	}
	ka := p.k0 * tm.a[0]
	return p.fe + ka*eta, p.fn + ka*xi
}

// normLon brings a longitude into [-180, 180).
func normLon(lon float64) float64 {
	if lon >= -180 && lon < 180 {
		return lon
	}
	return math.Mod(math.Mod(lon+180, 360)+360, 360) - 180
}
