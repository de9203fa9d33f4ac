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
)

// The territorial waters come from OpenStreetMap's maritime boundaries as
// the npm package @osm_borders/maritime_1000m@1.1.0 ships them (ODbL;
// "© OpenStreetMap contributors"): 249 countries and territories, each its
// land together with its territorial sea, simplified by the package to
// 1 km. The 10 km edition the same project publishes cuts 2–5 km off the
// 22 km sea band (measured off Málaga, Marseille, Lampedusa, Cornwall),
// too much for entries into a 12 nm zone; this one costs 438 kB embedded.
//
//go:generate go run ./internal/areagen -npm @osm_borders/maritime_1000m@1.1.0 -file @osm_borders/maritime_1000m/borders.geo.json -o areadata/territorial.bin.gz

//go:embed areadata/territorial.bin.gz
var areaFS embed.FS

// ErrAreaData reports embedded area data that cannot be decoded.
var ErrAreaData = errors.New("malformed area data")

const (
	areaMagic  = "PHAREA1\n"
	areaMaxPts = 1 << 26 // far above any real file; bounds what garbage can allocate
)

// LoadTerritorialWaters decodes the embedded territorial waters and builds
// their index: one area per state or territory, ID "TW-" and its ISO
// 3166-1 alpha-3 code ("TW-ESP"), Kind KindTerritorialWaters, ISOA2 and
// ISOA3 set, Name such as "Spain territorial waters".
//
// Each area is the state's land and its territorial sea (12 nm from the
// baselines) as OpenStreetMap draws the maritime boundary, simplified to
// about 1 km, so a point on Spanish soil is in TW-ESP as much as a boat
// 10 nm off Málaga; landlocked states have areas of land alone. For a
// vessel, whose place is the sea, At therefore answers "whose territorial
// sea or internal waters is it in". InTerritorialSea leaves the land out.
// Neighbours' areas can overlap where their boundaries are disputed or
// drawn differently; At then lists both.
//
// Map data © OpenStreetMap contributors (ODbL).
func LoadTerritorialWaters() (*Areas, error) {
	f, err := areaFS.Open("areadata/territorial.bin.gz")
	if err != nil {
		return nil, fmt.Errorf("open area data: %w", err)
	}
	defer f.Close()
	list, err := decodeAreas(f)
	if err != nil {
		return nil, err
	}
	return NewAreas(list), nil
}

// InTerritorialSea returns the territorial-waters area whose sea holds the
// point: inside an area of kind KindTerritorialWaters and not on land as
// land draws it (Natural Earth). Where two areas overlap it returns the
// first. Near the coast the two sources can disagree by several hundred
// metres, so a point within about a kilometre of the shore may be counted
// as land; harbours and estuaries that Natural Earth fills are land.
func (a *Areas) InTerritorialSea(land *Land, lat, lon float64) (int, bool) {
	i, ok := a.InKind(lat, lon, KindTerritorialWaters)
	if !ok || (land != nil && land.Contains(lat, lon)) {
		return 0, false
	}
	return i, true
}

// decodeAreas reads the file internal/areagen writes (the format is
// described there, beside its encoder).
func decodeAreas(r io.Reader) ([]Area, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAreaData, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAreaData, err)
	}
	list, err := parseAreaData(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAreaData, err)
	}
	return list, nil
}

func parseAreaData(raw []byte) ([]Area, error) {
	if !bytes.HasPrefix(raw, []byte(areaMagic)) || len(raw) < len(areaMagic)+8 {
		return nil, errors.New("bad header")
	}
	step := math.Float64frombits(binary.LittleEndian.Uint64(raw[len(areaMagic):]))
	// Dividing by a whole number of units per degree keeps grid values
	// such as 180° exact, where multiplying by the step would not.
	per := math.Round(1 / step)
	if !(step > 0 && step <= 1) || math.Abs(per*step-1) > 1e-9 {
		return nil, errors.New("bad grid step")
	}
	rd := bytes.NewReader(raw[len(areaMagic)+8:])
	uv := func() (uint64, error) { return binary.ReadUvarint(rd) }
	nAreas, err := uv()
	if err != nil {
		return nil, fmt.Errorf("area count: %w", err)
	}
	nPts, err := uv()
	if err != nil {
		return nil, fmt.Errorf("point count: %w", err)
	}
	if nPts > areaMaxPts || nAreas > uint64(len(raw)) || 2*nPts > uint64(len(raw)) {
		return nil, fmt.Errorf("%d areas of %d points do not fit %d bytes", nAreas, nPts, len(raw))
	}
	str := func() (string, error) {
		n, err := uv()
		if err != nil {
			return "", err
		}
		if n > uint64(rd.Len()) {
			return "", io.ErrUnexpectedEOF
		}
		b := make([]byte, n)
		_, err = io.ReadFull(rd, b)
		return string(b), err
	}
	count := func(limit uint64) (int, error) {
		n, err := uv()
		if err == nil && (n == 0 || n > limit) {
			err = fmt.Errorf("count %d", n)
		}
		return int(n), err
	}
	list := make([]Area, 0, nAreas)
	left := nPts
	var x, y int64
	for i := range nAreas {
		var a Area
		var fields [5]string
		for j := range fields {
			if fields[j], err = str(); err != nil {
				return nil, fmt.Errorf("area %d: %w", i, err)
			}
		}
		a.ID, a.Name, a.Kind, a.ISOA2, a.ISOA3 = fields[0], fields[1], fields[2], fields[3], fields[4]
		imp, err := rd.ReadByte()
		if err != nil || imp > byte(AreaImpactCritical) {
			return nil, fmt.Errorf("area %s: bad impact", a.ID)
		}
		a.Impact = AreaImpact(imp)
		nPoly, err := count(left / 3)
		if err != nil {
			return nil, fmt.Errorf("area %s: polygons: %w", a.ID, err)
		}
		for range nPoly {
			nRing, err := count(left / 3)
			if err != nil {
				return nil, fmt.Errorf("area %s: rings: %w", a.ID, err)
			}
			poly := make([][][2]float64, 0, nRing)
			for range nRing {
				n, err := count(left)
				if err != nil || n < 3 {
					return nil, fmt.Errorf("area %s: ring of %d points: %v", a.ID, n, err)
				}
				left -= uint64(n)
				ring := make([][2]float64, n)
				for k := range ring {
					dx, err1 := binary.ReadVarint(rd)
					dy, err2 := binary.ReadVarint(rd)
					if err := errors.Join(err1, err2); err != nil {
						return nil, fmt.Errorf("area %s: %w", a.ID, err)
					}
					x, y = x+dx, y+dy
					lon, lat := float64(x)/per-180, float64(y)/per-90
					if math.Abs(lon) > 180 || math.Abs(lat) > 90 {
						return nil, fmt.Errorf("area %s: vertex outside the globe", a.ID)
					}
					ring[k] = [2]float64{lon, lat}
				}
				poly = append(poly, ring)
			}
			a.Polygons = append(a.Polygons, poly)
		}
		list = append(list, a)
	}
	if left != 0 {
		return nil, fmt.Errorf("%d points, header says %d", nPts-left, nPts)
	}
	if rd.Len() != 0 {
		return nil, errors.New("trailing bytes")
	}
	return list, nil
}
