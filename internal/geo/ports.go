package geo

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// The ports come from the npm package sea-ports@0.0.9 (lib/ports.json,
// © 2016 marchah, MIT): 1,634 ports keyed by UN/LOCODE, of which the
// 1,610 with a position are kept, 12 of them with swapped or mis-signed
// coordinates corrected by the generator. 29 kB embedded; portdata/README.md
// measures the table against the NGA World Port Index.
//
//go:generate go run ./internal/portgen -npm sea-ports@0.0.9 -file sea-ports/lib/ports.json -o portdata/ports.bin.gz

//go:embed portdata/ports.bin.gz
var portFS embed.FS

// ErrPortData reports embedded port data that cannot be decoded.
var ErrPortData = errors.New("malformed port data")

// Port is a seaport: its UN/LOCODE ("ESALG"), name and position.
type Port struct {
	LOCODE   string
	Name     string
	Lat, Lon float64
}

// Ports answers how far the nearest port is. Detectors that follow Global
// Fishing Watch's definitions use it for "away from port and anchorage".
//
// The index is rows of a quarter of a degree of latitude, each holding its
// ports sorted by longitude: a query scans the rows its search circle
// covers, each between two binary searches, so a search of 10 km tests a
// handful of ports. Ports is read-only after LoadPorts or NewPorts and safe
// for concurrent use.
type Ports struct {
	list []Port
	rows []int32   // start of each row in pts, plus len(pts)
	pts  []portRef // by row, then longitude
}

// portRef is a port in the index: its position, also as a unit vector for
// chord distances, and its place in list.
type portRef struct {
	lat, lon float64
	x, y, z  float64
	i        int32
}

const (
	portPerDeg   = 4 // index rows per degree of latitude
	portRows     = 180 * portPerDeg
	portMagic    = "PHPORT1\n"
	portMaxPorts = 1 << 20 // far above any real table; bounds what garbage can allocate
)

// LoadPorts decodes the embedded port table and indexes it: the 1,610
// ports of sea-ports@0.0.9 that have a position. It takes about a
// millisecond.
//
// The table is sparse. It is a list of trading ports, positions often the
// town's rather than the harbour's: against the NGA World Port Index (Pub.
// 150, 3,669 ports), 82 % of the WPI's large harbours and 70 % of its
// medium ones have a sea-ports port within 10 km, but only 42 % of its
// small and 17 % of its very small ones (portdata/README.md,
// TestPortsAgainstWPI). It holds no anchorages or marinas, so "far from a
// port" is not "far from where ships lie at anchor": callers that need the
// latter keep a distance from shore beside it.
func LoadPorts() (*Ports, error) {
	f, err := portFS.Open("portdata/ports.bin.gz")
	if err != nil {
		return nil, fmt.Errorf("open port data: %w", err)
	}
	defer f.Close()
	list, err := decodePorts(f)
	if err != nil {
		return nil, err
	}
	return NewPorts(list), nil
}

// NewPorts indexes a list of ports; it keeps the slice.
func NewPorts(list []Port) *Ports {
	p := &Ports{list: list, rows: make([]int32, portRows+1)}
	p.pts = make([]portRef, len(list))
	for i, q := range list {
		lat, lon := max(-90, min(90, q.Lat)), NormLon(q.Lon)
		sφ, cφ := math.Sincos(rad(lat))
		sλ, cλ := math.Sincos(rad(lon))
		p.pts[i] = portRef{lat: lat, lon: lon, x: cφ * cλ, y: cφ * sλ, z: sφ, i: int32(i)}
	}
	slices.SortFunc(p.pts, func(a, b portRef) int {
		if ra, rb := portRow(a.lat), portRow(b.lat); ra != rb {
			return ra - rb
		}
		if a.lon != b.lon {
			if a.lon < b.lon {
				return -1
			}
			return 1
		}
		return int(a.i - b.i)
	})
	for _, q := range p.pts {
		p.rows[portRow(q.lat)+1]++
	}
	for r := range portRows {
		p.rows[r+1] += p.rows[r]
	}
	return p
}

func portRow(lat float64) int {
	return max(0, min(portRows-1, int(math.Floor((lat+90)*portPerDeg))))
}

// Len is the number of ports.
func (p *Ports) Len() int { return len(p.list) }

// Port returns the i-th port, 0 ≤ i < Len(), in the order given (the
// embedded table's is by UN/LOCODE).
func (p *Ports) Port(i int) Port { return p.list[i] }

// Lookup returns the index of the port with the UN/LOCODE, if any.
func (p *Ports) Lookup(locode string) (int, bool) {
	for i, q := range p.list {
		if q.LOCODE == locode {
			return i, true
		}
	}
	return 0, false
}

// DistanceWithin is the great-circle distance in metres from the point to
// the nearest port when that is nearer than limit, and limit otherwise. A
// small limit keeps the search to the cells round the point.
func (p *Ports) DistanceWithin(lat, lon, limit float64) float64 {
	if _, d, ok := p.Nearest(lat, lon, limit); ok {
		return d
	}
	return limit
}

// Nearest returns the port nearest the point and its great-circle distance
// in metres, if one lies within limit metres (math.Inf(1): anywhere). Of
// ports at the same distance it returns the first in the list.
func (p *Ports) Nearest(lat, lon, limit float64) (Port, float64, bool) {
	if p == nil || len(p.pts) == 0 || math.IsNaN(lat) || math.IsNaN(lon) || !(limit >= 0) {
		return Port{}, 0, false
	}
	s := portSearch{p: p, lat: max(-90, min(90, lat)), lon: NormLon(lon), best: -1}
	s.sinLat, s.cosLat = math.Sincos(rad(s.lat))
	limitθ := min(math.Pi, limit/EarthRadius)
	s.best2 = chord2(limitθ)
	// Boxes that hold every point within θ of the query, θ growing from
	// about 20 km until it holds a port, and then to that port's distance,
	// which no nearer port can lie beyond; a search that finds its port
	// in the first box costs one pass.
	θ := min(20e3/EarthRadius, limitθ)
	for {
		s.scan(θ)
		if θ >= limitθ || (s.best >= 0 && s.best2 <= chord2(θ)) {
			break
		}
		if s.best >= 0 {
			θ = min(limitθ, 2*math.Asin(min(1, math.Sqrt(s.best2)/2))*(1+1e-9))
		} else {
			θ = min(4*θ, limitθ)
		}
	}
	if s.best < 0 {
		return Port{}, 0, false
	}
	ref := p.pts[s.best]
	return p.list[ref.i], 2 * EarthRadius * math.Asin(min(1, math.Sqrt(s.best2)/2)), true
}

// chord2 is the squared chord of the unit sphere that subtends θ radians.
func chord2(θ float64) float64 {
	s := 2 * math.Sin(min(θ, math.Pi)/2)
	return s * s
}

// portSearch is the state of one nearest-port search.
type portSearch struct {
	p        *Ports
	lat, lon float64
	q        [3]float64 // the query as a unit vector, once hasQ
	hasQ     bool
	sinLat   float64
	cosLat   float64
	best     int     // index into pts, -1 none
	best2    float64 // squared chord to it, or to the limit while none
}

// scan tests the ports of every row within θ radians of the query whose
// longitude lies within the box that holds the circle of θ: beyond a
// longitude difference of asin(sin θ / cos φ) no point of the circle lies.
func (s *portSearch) scan(θ float64) {
	dφ := deg(θ)
	r0, r1 := portRow(s.lat-dφ), portRow(s.lat+dφ)
	sinθ := math.Sin(θ)
	if θ >= math.Pi/2 || s.lat+dφ >= 90 || s.lat-dφ <= -90 || sinθ >= s.cosLat {
		for r := r0; r <= r1; r++ {
			s.test(s.p.rows[r], s.p.rows[r+1])
		}
		return
	}
	dλ := deg(math.Asin(sinθ/s.cosLat)) + 1e-9
	lo, hi := s.lon-dλ, s.lon+dλ
	for r := r0; r <= r1; r++ {
		row := s.p.pts[s.p.rows[r]:s.p.rows[r+1]]
		base := s.p.rows[r]
		switch {
		case lo < -180:
			s.window(row, base, lo+360, 180)
			s.window(row, base, -180, hi)
		case hi >= 180:
			s.window(row, base, lo, 180)
			s.window(row, base, -180, hi-360)
		default:
			s.window(row, base, lo, hi)
		}
	}
}

// window tests the ports of a row with longitudes in [lo, hi].
func (s *portSearch) window(row []portRef, base int32, lo, hi float64) {
	i, _ := slices.BinarySearchFunc(row, lo, func(q portRef, v float64) int {
		if q.lon < v {
			return -1
		}
		return 1
	})
	j := i
	for j < len(row) && row[j].lon <= hi {
		j++
	}
	s.test(base+int32(i), base+int32(j))
}

// test measures the ports pts[i:j].
func (s *portSearch) test(i, j int32) {
	if i < j && !s.hasQ {
		// Most searches at sea find no port to measure: the query's
		// vector is made when one does.
		sλ, cλ := math.Sincos(rad(s.lon))
		s.q, s.hasQ = [3]float64{s.cosLat * cλ, s.cosLat * sλ, s.sinLat}, true
	}
	for k := i; k < j; k++ {
		q := &s.p.pts[k]
		dx, dy, dz := q.x-s.q[0], q.y-s.q[1], q.z-s.q[2]
		d2 := dx*dx + dy*dy + dz*dz
		if d2 < s.best2 || (d2 == s.best2 && (s.best < 0 || q.i < s.p.pts[s.best].i)) {
			s.best, s.best2 = int(k), d2
		}
	}
}

// decodePorts reads the file internal/portgen writes (the format is
// described there, beside its encoder).
func decodePorts(r io.Reader) ([]Port, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPortData, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPortData, err)
	}
	list, err := parsePortData(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPortData, err)
	}
	return list, nil
}

func parsePortData(raw []byte) ([]Port, error) {
	if !bytes.HasPrefix(raw, []byte(portMagic)) || len(raw) < len(portMagic)+8 {
		return nil, errors.New("bad header")
	}
	step := math.Float64frombits(binary.LittleEndian.Uint64(raw[len(portMagic):]))
	per := math.Round(1 / step)
	if !(step > 0 && step <= 1) || math.Abs(per*step-1) > 1e-9 {
		return nil, errors.New("bad grid step")
	}
	rd := bytes.NewReader(raw[len(portMagic)+8:])
	n, err := binary.ReadUvarint(rd)
	if err != nil {
		return nil, fmt.Errorf("port count: %w", err)
	}
	if n == 0 || n > portMaxPorts || 8*n > uint64(rd.Len()) {
		return nil, fmt.Errorf("%d ports do not fit %d bytes", n, len(raw))
	}
	list := make([]Port, 0, n)
	var x, y int64
	code := make([]byte, 5)
	for i := range n {
		if _, err := io.ReadFull(rd, code); err != nil {
			return nil, fmt.Errorf("port %d: %w", i, err)
		}
		ln, err := binary.ReadUvarint(rd)
		if err != nil || ln == 0 || ln > uint64(rd.Len()) {
			return nil, fmt.Errorf("port %d (%s): name length %d: %v", i, code, ln, err)
		}
		name := make([]byte, ln)
		if _, err := io.ReadFull(rd, name); err != nil {
			return nil, fmt.Errorf("port %d (%s): %w", i, code, err)
		}
		dx, err1 := binary.ReadVarint(rd)
		dy, err2 := binary.ReadVarint(rd)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("port %d (%s): %w", i, code, err)
		}
		x, y = x+dx, y+dy
		lon, lat := float64(x)/per-180, float64(y)/per-90
		if lon < -180 || lon >= 180 || math.Abs(lat) > 90 {
			return nil, fmt.Errorf("port %d (%s): position outside the globe", i, code)
		}
		list = append(list, Port{LOCODE: string(code), Name: string(name), Lat: lat, Lon: lon})
	}
	if rd.Len() != 0 {
		return nil, errors.New("trailing bytes")
	}
	return list, nil
}
