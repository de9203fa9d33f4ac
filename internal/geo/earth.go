package geo

import "math"

// Units and Earth constants.
const (
	NauticalMile = 1852.0              // metres
	Knot         = NauticalMile / 3600 // metres per second

	// EarthRadius is the mean radius of the WGS 84 ellipsoid, metres, used
	// for great-circle distances (error under 0.5 % against the ellipsoid).
	EarthRadius = 6371008.8

	wgs84A  = 6378137.0        // semi-major axis, metres
	wgs84E2 = 6.69437999014e-3 // first eccentricity squared
)

func rad(deg float64) float64 { return deg * math.Pi / 180 }
func deg(rad float64) float64 { return rad * 180 / math.Pi }

// Distance is the great-circle distance in metres between two points given
// in degrees (haversine).
func Distance(lat1, lon1, lat2, lon2 float64) float64 {
	φ1, φ2 := rad(lat1), rad(lat2)
	dφ, dλ := φ2-φ1, rad(lon2-lon1)
	a := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * EarthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Bearing is the initial great-circle bearing from the first point to the
// second, degrees clockwise from true north in [0, 360).
func Bearing(lat1, lon1, lat2, lon2 float64) float64 {
	φ1, φ2 := rad(lat1), rad(lat2)
	dλ := rad(lon2 - lon1)
	y := math.Sin(dλ) * math.Cos(φ2)
	x := math.Cos(φ1)*math.Sin(φ2) - math.Sin(φ1)*math.Cos(φ2)*math.Cos(dλ)
	return math.Mod(deg(math.Atan2(y, x))+360, 360)
}

// Destination is the point reached from (lat, lon) after dist metres on
// the great circle with initial bearing (degrees true).
func Destination(lat, lon, bearing, dist float64) (float64, float64) {
	φ1, λ1, θ := rad(lat), rad(lon), rad(bearing)
	δ := dist / EarthRadius
	φ2 := math.Asin(math.Sin(φ1)*math.Cos(δ) + math.Cos(φ1)*math.Sin(δ)*math.Cos(θ))
	λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(δ)*math.Cos(φ1), math.Cos(δ)-math.Sin(φ1)*math.Sin(φ2))
	return deg(φ2), NormLon(deg(λ2))
}

// NormLon brings a longitude into [-180, 180).
func NormLon(lon float64) float64 {
	if lon >= -180 && lon < 180 {
		return lon // the usual case, without math.Mod's cost
	}
	lon = math.Mod(lon+180, 360)
	if lon < 0 {
		lon += 360
	}
	return lon - 180
}

// Plane is a local plane (east, north in metres) around an origin, the
// frame in which tracking filters work. North is scaled by the meridian
// radius at the origin, east by the length of a degree of longitude at the
// point's own latitude (a local sinusoidal projection). Its distortion
// grows with the distance from the origin, so a tracker keeps each
// target's plane centred near the target.
type Plane struct {
	Lat0, Lon0 float64 // origin, degrees
	mPerLat    float64 // metres per degree of latitude
	n          float64 // metres per degree along the prime vertical at the origin
	cos0, sin0 float64 // of the origin's latitude
}

// NewPlane returns the tangent plane at (lat0, lon0).
func NewPlane(lat0, lon0 float64) Plane {
	s := math.Sin(rad(lat0))
	w := math.Sqrt(1 - wgs84E2*s*s)
	m := wgs84A * (1 - wgs84E2) / (w * w * w) // meridian radius
	n := wgs84A / w                           // prime vertical radius
	sin0, cos0 := math.Sincos(rad(lat0))
	return Plane{Lat0: lat0, Lon0: lon0, mPerLat: rad(m), n: rad(n), cos0: cos0, sin0: sin0}
}

// mPerLon is the length of a degree of longitude at lat. The cosine comes
// from its Taylor series about the origin, exact to 1e-6 within 100 km and
// a good deal cheaper than math.Cos in the tracker's hot path.
func (p Plane) mPerLon(lat float64) float64 {
	d := rad(lat - p.Lat0)
	return p.n * (p.cos0 - p.sin0*d - p.cos0*d*d/2 + p.sin0*d*d*d/6)
}

// Project gives the east and north offsets, metres, of a point from the
// origin.
func (p Plane) Project(lat, lon float64) (x, y float64) {
	return NormLon(lon-p.Lon0) * p.mPerLon(lat), (lat - p.Lat0) * p.mPerLat
}

// Unproject is the inverse of Project.
func (p Plane) Unproject(x, y float64) (lat, lon float64) {
	lat = p.Lat0 + y/p.mPerLat
	return lat, NormLon(p.Lon0 + x/p.mPerLon(lat))
}
