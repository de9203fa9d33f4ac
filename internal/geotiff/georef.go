package geotiff

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
)

// GeoKeys read (GeoTIFF 1.1, OGC 19-008r4).
const (
	keyModelType      = 1024
	keyRasterType     = 1025
	keyGeographicType = 2048
	keyGeodeticDatum  = 2050
	keyAngularUnits   = 2054
	keyProjectedType  = 3072
	keyLinearUnits    = 3076

	modelProjected  = 1
	modelGeographic = 2
	modelGeocentric = 3
	rasterIsPoint   = 2
	userDefined     = 32767
	epsgWGS84       = 4326
	datumWGS84      = 6326
	unitDegree      = 9102
	unitMetre       = 9001
)

// geoTags are the georeferencing tags as read by Open. A fault in them does
// not stop the image from reading: it is kept in err and Georef returns it.
type geoTags struct {
	scale, tie, trans []float64
	keys              map[uint16]uint16 // the short-valued GeoKeys
	err               error
}

func readGeoTags(d *dir) geoTags {
	var g geoTags
	if g.scale, g.err = d.floats(tagPixelScale); g.err != nil {
		return g
	}
	if g.tie, g.err = d.floats(tagTiepoint); g.err != nil {
		return g
	}
	if g.trans, g.err = d.floats(tagTransformation); g.err != nil {
		return g
	}
	k, err := d.uints(tagGeoKeyDirectory)
	if err != nil {
		g.err = err
		return g
	}
	if k == nil {
		return g
	}
	if len(k) < 4 || uint64(len(k)-4)/4 < k[3] {
		g.err = fmt.Errorf("%w: GeoKeyDirectory of %d values too short for its keys", ErrMalformed, len(k))
		return g
	}
	g.keys = map[uint16]uint16{}
	for i := range k[3] {
		e := k[4+4*i:]
		if e[1] == 0 { // the value is the key's one short
			g.keys[uint16(e[0])] = uint16(e[3])
		}
	}
	return g
}

// Method says how a Georef maps pixels to the Earth.
type Method uint8

const (
	// Affine: a pixel scale and one tie point, or a transformation matrix.
	Affine Method = iota + 1
	// GCPGrid: bilinear interpolation within a rectilinear grid of tie
	// points (as Sentinel-1's 21 × 10), extrapolated from the edge cells.
	GCPGrid
	// GCPPolynomial: a least-squares polynomial through scattered tie
	// points, second order from 6 points, first order from 3.
	GCPPolynomial
)

func (m Method) String() string {
	switch m {
	case Affine:
		return "affine"
	case GCPGrid:
		return "gcp-grid"
	case GCPPolynomial:
		return "gcp-polynomial"
	}
	return fmt.Sprintf("Method(%d)", m)
}

// GCP is a tie point: pixel coordinates (this package's convention, see
// Georef) and the model coordinates there: longitude and latitude in
// degrees for EPSG:4326, easting and northing in metres for UTM.
type GCP struct {
	Px, Py float64
	X, Y   float64
}

// Georef maps an image's pixels to longitude and latitude on WGS 84.
//
// Pixel coordinates: x right, y down, (0, 0) the top-left corner of the
// top-left pixel, so pixel (i, j) covers [i, i+1) × [j, j+1) and its centre
// is (i+0.5, j+0.5), as GDAL and internal/sar. GeoTIFF's raster space is
// this for PixelIsArea files; for PixelIsPoint files its (0, 0) is the
// centre of the top-left pixel, and tie points are shifted by half a pixel
// on reading (as GDAL does).
type Georef struct {
	EPSG         int // 4326, or a UTM zone's 326zz / 327zz
	Method       Method
	PixelIsPoint bool // the file's raster type; the coordinates here are shifted already
	Width        int
	Height       int
	GCPs         []GCP // the tie points of the GCP methods, in pixel coordinates
	UTM          *UTM  // the zone for projected files, nil for EPSG:4326

	aff   [6]float64 // model x = aff[0] + aff[1]·px + aff[2]·py, y = aff[3] + aff[4]·px + aff[5]·py
	grid  *gcpGrid
	local *tmerc // the projection a geographic grid is interpolated in
	poly  *poly
}

// Georef returns the image's georeferencing. It fails with ErrNoGeoref
// (saying why) when the file has none that can be used: no GeoTIFF tags, a
// CRS other than EPSG:4326 and WGS 84 / UTM, or too few tie points.
func (im *Image) Georef() (*Georef, error) {
	im.georefOnce.Do(func() { im.georef, im.georefErr = newGeoref(im.geo, im.Width, im.Height) })
	return im.georef, im.georefErr
}

func noGeoref(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrNoGeoref, fmt.Sprintf(format, a...))
}

func newGeoref(t geoTags, w, h int) (*Georef, error) {
	if t.err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoGeoref, t.err)
	}
	if t.tie == nil && t.trans == nil {
		return nil, noGeoref("no ModelTiepointTag or ModelTransformationTag")
	}
	g := &Georef{Width: w, Height: h}
	if err := g.crs(t.keys); err != nil {
		return nil, err
	}
	// Raster space to pixel coordinates: px = I + shift.
	shift := 0.0
	if g.PixelIsPoint {
		shift = 0.5
	}
	finite := func(v []float64) bool {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
		return true
	}
	switch {
	case t.trans != nil:
		m := t.trans
		if len(m) < 16 || !finite(m[:8]) {
			return nil, noGeoref("ModelTransformationTag of %d values", len(m))
		}
		g.Method = Affine
		g.aff = [6]float64{m[3], m[0], m[1], m[7], m[4], m[5]}
	case t.scale != nil:
		if len(t.scale) < 2 || len(t.tie) < 6 || !finite(t.scale[:2]) || !finite(t.tie[:6]) {
			return nil, noGeoref("ModelPixelScaleTag of %d and ModelTiepointTag of %d values", len(t.scale), len(t.tie))
		}
		sx, sy := t.scale[0], t.scale[1]
		if sx == 0 || sy == 0 {
			return nil, noGeoref("zero pixel scale")
		}
		i, j, x, y := t.tie[0], t.tie[1], t.tie[3], t.tie[4]
		g.Method = Affine
		g.aff = [6]float64{x - i*sx, sx, 0, y + j*sy, 0, -sy}
	default:
		n := len(t.tie) / 6
		if n < 3 {
			return nil, noGeoref("%d tie point(s) and no pixel scale", n)
		}
		if !finite(t.tie[:6*n]) {
			return nil, noGeoref("a tie point is not a number")
		}
		g.GCPs = make([]GCP, n)
		for k := range n {
			p := t.tie[6*k:]
			g.GCPs[k] = GCP{Px: p[0] + shift, Py: p[1] + shift, X: p[3], Y: p[4]}
		}
		if err := g.fitGCPs(); err != nil {
			return nil, err
		}
		return g, nil
	}
	if g.PixelIsPoint { // model = aff(px - 0.5, py - 0.5)
		g.aff[0] -= 0.5 * (g.aff[1] + g.aff[2])
		g.aff[3] -= 0.5 * (g.aff[4] + g.aff[5])
	}
	if g.aff[1]*g.aff[5]-g.aff[2]*g.aff[4] == 0 {
		return nil, noGeoref("singular transformation")
	}
	return g, nil
}

// crs sets the CRS from the GeoKeys: EPSG:4326 or WGS 84 / UTM.
func (g *Georef) crs(keys map[uint16]uint16) error {
	if keys == nil {
		return noGeoref("no GeoKeyDirectoryTag: the CRS is unknown")
	}
	g.PixelIsPoint = keys[keyRasterType] == rasterIsPoint
	model, gcs, pcs := keys[keyModelType], keys[keyGeographicType], keys[keyProjectedType]
	switch {
	case model == modelGeographic || model == 0 && gcs != 0 && pcs == 0:
		switch {
		case gcs == epsgWGS84:
		case gcs == userDefined && keys[keyGeodeticDatum] == datumWGS84:
		default:
			return noGeoref("geographic CRS EPSG:%d (only WGS 84, EPSG:4326, is read)", gcs)
		}
		if u, ok := keys[keyAngularUnits]; ok && u != unitDegree {
			return noGeoref("angular unit EPSG:%d (only degrees)", u)
		}
		g.EPSG = epsgWGS84
	case model == modelProjected || model == 0 && pcs != 0:
		z, ok := utmFromEPSG(int(pcs))
		if !ok {
			return noGeoref("projected CRS EPSG:%d (only WGS 84 / UTM, EPSG:326zz and 327zz, is read)", pcs)
		}
		if u, ok := keys[keyLinearUnits]; ok && u != unitMetre {
			return noGeoref("linear unit EPSG:%d (only metres)", u)
		}
		g.EPSG, g.UTM = int(pcs), &z
	case model == modelGeocentric:
		return noGeoref("geocentric model")
	default:
		return noGeoref("GeoKeyDirectory names no CRS (model type %d)", model)
	}
	return nil
}

// fitGCPs chooses the interpolation for the tie points.
func (g *Georef) fitGCPs() error {
	pts := g.GCPs
	if g.UTM == nil {
		// A scene across the antimeridian: put every longitude on one side
		// so that interpolation does not cross ±180 (LonLat brings them
		// back). GCPs keeps the values as read.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range pts {
			lo, hi = min(lo, p.X), max(hi, p.X)
		}
		if hi-lo > 180 {
			pts = slices.Clone(pts)
			for i := range pts {
				if pts[i].X < 0 {
					pts[i].X += 360
				}
			}
		}
	}
	if gr := newGCPGrid(pts); gr != nil {
		g.Method, g.grid = GCPGrid, gr
		if g.UTM == nil {
			g.local = gr.project()
		}
		return nil
	}
	p, err := fitPoly(pts)
	if err != nil {
		return err
	}
	g.Method, g.poly = GCPPolynomial, p
	return nil
}

// Model returns the model coordinates (degrees for EPSG:4326, metres for
// UTM) at pixel coordinates px, py.
func (g *Georef) Model(px, py float64) (x, y float64) {
	switch {
	case g.grid != nil:
		x, y = g.grid.at(px, py)
		if g.local != nil {
			x, y = g.local.inverse(x, y)
		}
		return x, y
	case g.poly != nil:
		return g.poly.at(px, py)
	}
	a := &g.aff
	return a[0] + a[1]*px + a[2]*py, a[3] + a[4]*px + a[5]*py
}

// LonLat returns the longitude, in [-180, 180), and latitude in degrees at
// pixel coordinates px, py (pixel centres at +0.5).
func (g *Georef) LonLat(px, py float64) (lon, lat float64) {
	x, y := g.Model(px, py)
	if g.UTM != nil {
		x, y = g.UTM.Inverse(x, y)
	}
	return normLon(x), y
}

// Pixel returns the pixel coordinates of a longitude and latitude, by
// Newton's method on LonLat; ok is false when it does not converge (a
// point far outside a GCP-fitted scene).
func (g *Georef) Pixel(lon, lat float64) (px, py float64, ok bool) {
	px, py = float64(g.Width)/2, float64(g.Height)/2
	const h = 0.5
	for range 50 {
		x, y := g.LonLat(px, py)
		dx, dy := normLon(lon-x), lat-y
		if math.Abs(dx) < 1e-11 && math.Abs(dy) < 1e-11 {
			return px, py, true
		}
		x1, y1 := g.LonLat(px+h, py)
		x2, y2 := g.LonLat(px, py+h)
		a, b := normLon(x1-x)/h, normLon(x2-x)/h
		c, d := (y1-y)/h, (y2-y)/h
		det := a*d - b*c
		if det == 0 || math.IsNaN(det) {
			return px, py, false
		}
		px += (d*dx - b*dy) / det
		py += (a*dy - c*dx) / det
	}
	x, y := g.LonLat(px, py)
	return px, py, math.Abs(normLon(lon-x)) < 1e-8 && math.Abs(lat-y) < 1e-8
}

// Spacing returns the pixel spacing in metres at the centre of the image:
// the ground distance spanned by one pixel along x (a row) and along y (a
// column). Approximate: from the local radii of curvature of WGS 84, exact
// to far better than a percent over a pixel.
func (g *Georef) Spacing() (x, y float64) {
	cx, cy := float64(g.Width)/2, float64(g.Height)/2
	return g.dist(cx-0.5, cy, cx+0.5, cy), g.dist(cx, cy-0.5, cx, cy+0.5)
}

func (g *Georef) dist(px1, py1, px2, py2 float64) float64 {
	lon1, lat1 := g.LonLat(px1, py1)
	lon2, lat2 := g.LonLat(px2, py2)
	phi := (lat1 + lat2) / 2 * math.Pi / 180
	e2 := wgs84F * (2 - wgs84F)
	s := math.Sin(phi)
	w := math.Sqrt(1 - e2*s*s)
	m := wgs84A * (1 - e2) / (w * w * w) // meridional radius
	n := wgs84A / w                      // prime vertical radius
	de := normLon(lon2-lon1) * math.Pi / 180 * n * math.Cos(phi)
	dn := (lat2 - lat1) * math.Pi / 180 * m
	return math.Hypot(de, dn)
}

// Footprint returns the image's outline as a closed ring of [lon, lat]
// pairs: the outer corners of the top-left, top-right, bottom-right and
// bottom-left pixels, and the first again.
func (g *Georef) Footprint() [][2]float64 {
	w, h := float64(g.Width), float64(g.Height)
	ring := make([][2]float64, 0, 5)
	for _, c := range [][2]float64{{0, 0}, {w, 0}, {w, h}, {0, h}, {0, 0}} {
		lon, lat := g.LonLat(c[0], c[1])
		ring = append(ring, [2]float64{lon, lat})
	}
	return ring
}

// gcpGrid is a rectilinear grid of tie points: nx distinct columns and ny
// distinct rows in pixel space, every crossing present once.
type gcpGrid struct {
	xs, ys []float64
	x, y   []float64 // model coordinates, row-major ny × nx
}

func newGCPGrid(gcps []GCP) *gcpGrid {
	distinct := func(get func(GCP) float64) []float64 {
		v := make([]float64, len(gcps))
		for i, p := range gcps {
			v[i] = get(p)
		}
		slices.Sort(v)
		return slices.CompactFunc(v, func(a, b float64) bool { return math.Abs(a-b) < 1e-6 })
	}
	xs := distinct(func(p GCP) float64 { return p.Px })
	ys := distinct(func(p GCP) float64 { return p.Py })
	if len(xs) < 2 || len(ys) < 2 || len(xs)*len(ys) != len(gcps) {
		return nil
	}
	g := &gcpGrid{xs: xs, ys: ys, x: make([]float64, len(gcps)), y: make([]float64, len(gcps))}
	seen := make([]bool, len(gcps))
	find := func(v []float64, x float64) int {
		i, _ := slices.BinarySearchFunc(v, x, func(a, t float64) int { return cmp.Compare(a, t-1e-6) })
		if i < len(v) && math.Abs(v[i]-x) < 1e-6 {
			return i
		}
		return -1
	}
	for _, p := range gcps {
		i, j := find(xs, p.Px), find(ys, p.Py)
		if i < 0 || j < 0 || seen[j*len(xs)+i] {
			return nil
		}
		seen[j*len(xs)+i] = true
		g.x[j*len(xs)+i], g.y[j*len(xs)+i] = p.X, p.Y
	}
	return g
}

// project turns a geographic grid's longitudes and latitudes into metres
// of a transverse Mercator centred on it, and returns the projection.
// Degrees are not linear over a Sentinel-1 grid cell (12 × 19 km): at 58°N
// bilinear interpolation in degrees is off by up to 6 m, in a conformal
// projection by under a metre (TestSentinel1Grid). A grid the projection
// cannot hold (a pole among its points) stays in degrees.
func (gr *gcpGrid) project() *tmerc {
	mid := len(gr.ys)/2*len(gr.xs) + len(gr.xs)/2
	p := &tmerc{lon0: gr.x[mid], k0: 1}
	x, y := make([]float64, len(gr.x)), make([]float64, len(gr.y))
	for k := range gr.x {
		x[k], y[k] = p.forward(gr.x[k], gr.y[k])
		if math.IsNaN(x[k]+y[k]) || math.IsInf(x[k]+y[k], 0) {
			return nil
		}
	}
	gr.x, gr.y = x, y
	return p
}

// cell returns the cell of v among sorted knots (the first or last cell
// beyond them) and its fraction across it.
func cell(knots []float64, v float64) (int, float64) {
	i, _ := slices.BinarySearch(knots, v)
	i = min(max(i-1, 0), len(knots)-2)
	return i, (v - knots[i]) / (knots[i+1] - knots[i])
}

func (g *gcpGrid) at(px, py float64) (x, y float64) {
	i, u := cell(g.xs, px)
	j, v := cell(g.ys, py)
	nx := len(g.xs)
	k := j*nx + i
	bl := func(a []float64) float64 {
		return (1-v)*((1-u)*a[k]+u*a[k+1]) + v*((1-u)*a[k+nx]+u*a[k+nx+1])
	}
	return bl(g.x), bl(g.y)
}

// poly is a least-squares polynomial of pixel coordinates, normalised to
// about [-1, 1] for conditioning.
type poly struct {
	cx, cy, s float64
	order     int
	x, y      [6]float64 // coefficients of 1, u, v, u², uv, v²
}

func (p *poly) terms(px, py float64) [6]float64 {
	u, v := (px-p.cx)/p.s, (py-p.cy)/p.s
	return [6]float64{1, u, v, u * u, u * v, v * v}
}

func (p *poly) at(px, py float64) (x, y float64) {
	t := p.terms(px, py)
	n := 3 * p.order // 3 or 6 terms
	for k := range n {
		x += p.x[k] * t[k]
		y += p.y[k] * t[k]
	}
	return x, y
}

var errSingular = errors.New("singular")

func fitPoly(gcps []GCP) (*poly, error) {
	p := &poly{}
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for _, g := range gcps {
		lo[0], lo[1] = min(lo[0], g.Px), min(lo[1], g.Py)
		hi[0], hi[1] = max(hi[0], g.Px), max(hi[1], g.Py)
	}
	p.cx, p.cy = (lo[0]+hi[0])/2, (lo[1]+hi[1])/2
	p.s = max(hi[0]-lo[0], hi[1]-lo[1]) / 2
	if p.s == 0 {
		return nil, noGeoref("all %d tie points at one pixel", len(gcps))
	}
	for _, order := range []int{2, 1} {
		n := 3 * order
		if len(gcps) < n {
			continue
		}
		p.order = order
		// Normal equations AᵀA c = Aᵀb for both coordinates at once.
		var m [6][8]float64
		for _, g := range gcps {
			t := p.terms(g.Px, g.Py)
			for r := range n {
				for c := range n {
					m[r][c] += t[r] * t[c]
				}
				m[r][6] += t[r] * g.X
				m[r][7] += t[r] * g.Y
			}
		}
		if err := solve(&m, n); err != nil {
			continue
		}
		for r := range n {
			p.x[r], p.y[r] = m[r][6], m[r][7]
		}
		return p, nil
	}
	return nil, noGeoref("%d tie points do not fix a polynomial (collinear or too few)", len(gcps))
}

// solve reduces the n×n system m (right-hand sides in columns 6 and 7) by
// Gauss–Jordan elimination with partial pivoting, leaving the solutions in
// columns 6 and 7.
func solve(m *[6][8]float64, n int) error {
	var scale float64
	for r := range n {
		scale = max(scale, math.Abs(m[r][r]))
	}
	for c := range n {
		piv := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[piv][c]) {
				piv = r
			}
		}
		if math.Abs(m[piv][c]) <= 1e-12*scale || math.IsNaN(m[piv][c]) {
			return errSingular
		}
		m[c], m[piv] = m[piv], m[c]
		for r := range n {
			if r == c {
				continue
			}
			f := m[r][c] / m[c][c]
			for k := c; k < 8; k++ {
				if k < n || k >= 6 {
					m[r][k] -= f * m[c][k]
				}
			}
		}
	}
	for r := range n {
		m[r][6] /= m[r][r]
		m[r][7] /= m[r][r]
	}
	return nil
}
