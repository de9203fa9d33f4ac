package geo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// The land polygons come from Natural Earth's 1:10 million land layer as
// the npm package world-atlas@2.0.2 ships it (land-10m.json, public
// domain; "Made with Natural Earth"). It alone serves containment, distance
// to shore and routing: it keeps the Strait of Gibraltar open and holds
// islands such as Lampedusa and Malta, which the coarser candidates lose.
//
//go:generate go run ./internal/landgen -npm world-atlas@2.0.2 -file world-atlas/land-10m.json -o landdata/land.bin.gz

//go:embed landdata/land.bin.gz
var landFS embed.FS

// ErrLandData reports embedded or supplied land data that cannot be decoded.
var ErrLandData = errors.New("malformed land data")

// Land answers where the coast is: whether a point is on land, how far it
// is from the nearest coastline and whether a straight leg between two
// points at sea runs over land. The simulator keeps boats off land with it
// and detectors measure distance to shore.
//
// Land is read-only after LoadLand and safe for concurrent use. The data is
// Natural Earth's land at 1:10 million, vertices snapped to a grid of
// 0.0036° × 0.0017° (400 m × 190 m at the equator), coasts generalised to
// about a kilometre: harbours, estuaries and inlets narrower than that, and
// the Great Lakes, are land. "Made with Natural Earth".
type Land struct {
	// Rings concatenated, each closed by repeating its first vertex, in
	// micro-degrees. Edge i joins pts[i] and pts[i+1] when both are in the
	// same ring.
	pts   []landPoint
	xyz   []landVec // pts as unit vectors, for distances
	rings []int32   // start of each ring in pts, plus len(pts)

	// The index: a grid of ⅛° cells grouped in 1° blocks. Empty
	// blocks (no edge) are all sea or all land; others list, per cell, runs
	// of consecutive edges that touch the cell, and the side of the coast
	// the cell's centre lies on.
	block  []int32  // per 1° block: landSea, landLand or index into cellAt/inner
	cellAt []int32  // per cell of non-empty blocks: start in runs; one more at the end
	inner  []uint64 // per non-empty block: bit c set when cell c's centre is on land
	cut    []uint64 // per non-empty block: bit c set when cell c holds a cut edge
	runs   []landRun
}

type landPoint struct{ lat, lon int32 } // micro-degrees

type landVec struct{ x, y, z float32 }

// landRun is the edges first..last-1 (edge i joins points i and i+1).
type landRun struct{ first, last int32 }

const (
	landMicro    = 1e6                     // units per degree
	landPerDeg   = 8                       // cells per degree
	landCell     = landMicro / landPerDeg  // cell side, micro-degrees
	landCols     = 360 * landPerDeg        // cells round a parallel
	landRows     = 180 * landPerDeg        // cells pole to pole
	landBlockCol = 360                     // 1° blocks round a parallel
	landPerBlock = landPerDeg * landPerDeg // cells in a block
	landSea      = -1                      // block value: no edge, all sea
	landLand     = -2                      // block value: no edge, all land
	landMagic    = "PHLAND1\n"
	landMaxPts   = 1 << 26 // far above any real file; bounds what garbage can allocate
)

// LoadLand decodes the embedded land polygons and builds their index.
// It takes a few tens of milliseconds; a node loads it once and passes the
// *Land to whoever needs it.
func LoadLand() (*Land, error) {
	f, err := landFS.Open("landdata/land.bin.gz")
	if err != nil {
		return nil, fmt.Errorf("open land data: %w", err)
	}
	defer f.Close()
	return decodeLand(f)
}

// decodeLand reads the file internal/landgen writes (the format is
// described there, beside its encoder) and indexes it.
func decodeLand(r io.Reader) (*Land, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLandData, err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLandData, err)
	}
	l, err := parseLand(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLandData, err)
	}
	l.index()
	return l, nil
}

func parseLand(raw []byte) (*Land, error) {
	if !bytes.HasPrefix(raw, []byte(landMagic)) || len(raw) < len(landMagic)+32 {
		return nil, errors.New("bad header")
	}
	var tr [4]float64 // sx, sy, tx, ty: lon = x*sx + tx, lat = y*sy + ty
	for i := range tr {
		tr[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[len(landMagic)+8*i:]))
		if math.IsNaN(tr[i]) || math.IsInf(tr[i], 0) || math.Abs(tr[i]) > 360 {
			return nil, errors.New("bad transform")
		}
	}
	br := bufio.NewReader(bytes.NewReader(raw[len(landMagic)+32:]))
	nRings, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("ring count: %w", err)
	}
	nPts, err := binary.ReadUvarint(br)
	if err != nil {
		return nil, fmt.Errorf("point count: %w", err)
	}
	if nPts > landMaxPts || nRings > nPts/3 || uint64(len(raw)) < 2*nPts {
		return nil, fmt.Errorf("%d rings of %d points do not fit %d bytes", nRings, nPts, len(raw))
	}
	l := &Land{
		pts:   make([]landPoint, 0, nPts+nRings),
		rings: make([]int32, 0, nRings+1),
	}
	var x, y int64
	for i := range nRings {
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("ring %d: %w", i, err)
		}
		if n < 3 || n > nPts-uint64(len(l.pts)-len(l.rings)) {
			return nil, fmt.Errorf("ring %d: %d points", i, n)
		}
		start := len(l.pts)
		l.rings = append(l.rings, int32(start))
		for range n {
			dx, err1 := binary.ReadVarint(br)
			dy, err2 := binary.ReadVarint(br)
			if err := errors.Join(err1, err2); err != nil {
				return nil, fmt.Errorf("ring %d: %w", i, err)
			}
			x, y = x+dx, y+dy
			lon := math.Round((float64(x)*tr[0] + tr[2]) * landMicro)
			lat := math.Round((float64(y)*tr[1] + tr[3]) * landMicro)
			if math.Abs(lon) > 181*landMicro || math.Abs(lat) > 91*landMicro {
				return nil, fmt.Errorf("ring %d: vertex outside the globe", i)
			}
			// The generator puts cut lines exactly on ±180° and closes
			// polar rings at or beyond the pole: clamp them onto it.
			lon = max(-180*landMicro, min(180*landMicro, lon))
			lat = max(-90*landMicro, min(90*landMicro, lat))
			l.pts = append(l.pts, landPoint{int32(lat), int32(lon)})
		}
		l.pts = append(l.pts, l.pts[start])
	}
	if uint64(len(l.pts)) != nPts+nRings {
		return nil, fmt.Errorf("%d points, header says %d", len(l.pts)-len(l.rings), nPts)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, errors.New("trailing bytes")
	}
	l.rings = append(l.rings, int32(len(l.pts)))
	return l, nil
}

// index fills xyz and builds the grid.
func (l *Land) index() {
	l.xyz = make([]landVec, len(l.pts))
	for i, p := range l.pts {
		φ, λ := float64(p.lat)*(math.Pi/180/landMicro), float64(p.lon)*(math.Pi/180/landMicro)
		sφ, cφ := math.Sincos(φ)
		sλ, cλ := math.Sincos(λ)
		l.xyz[i] = landVec{float32(cφ * cλ), float32(cφ * sλ), float32(sφ)}
	}

	// One key per (cell, edge) the edge's bounding box touches, sorted by
	// cell (stably, so edges stay in ring order and merge into runs).
	// Keys order cells block by block: block<<6 | cell within block.
	keys := make([]uint64, 0, len(l.pts)*5/4)
	for r := 0; r+1 < len(l.rings); r++ {
		for i := l.rings[r]; i < l.rings[r+1]-1; i++ {
			a, b := l.pts[i], l.pts[i+1]
			r0, r1 := landRow(float64(min(a.lat, b.lat))), landRow(float64(max(a.lat, b.lat)))
			c0, c1 := landCol(float64(min(a.lon, b.lon))), landCol(float64(max(a.lon, b.lon)))
			for row := r0; row <= r1; row++ {
				for col := c0; col <= c1; col++ {
					keys = append(keys, uint64(landKey(row, col))<<32|uint64(i))
				}
			}
		}
	}
	if len(keys) > 0 {
		radixSortHigh(keys)
	}

	l.block = make([]int32, landBlockCol*180)
	for i := range l.block {
		l.block[i] = landSea
	}
	l.cellAt = make([]int32, 0, 64*4096)
	l.runs = make([]landRun, 0, len(keys)/2)
	for k := 0; k < len(keys); {
		blk := int32(keys[k] >> 38)
		l.block[blk] = int32(len(l.inner))
		l.inner = append(l.inner, 0)
		base := len(l.cellAt)
		for range landPerBlock {
			l.cellAt = append(l.cellAt, -1)
		}
		for ; k < len(keys) && int32(keys[k]>>38) == blk; k++ {
			c := int(keys[k]>>32) & (landPerBlock - 1)
			e := int32(keys[k])
			if l.cellAt[base+c] < 0 {
				l.cellAt[base+c] = int32(len(l.runs))
			}
			if n := len(l.runs); n > int(l.cellAt[base+c]) && l.runs[n-1].last == e {
				l.runs[n-1].last = e + 1
			} else {
				l.runs = append(l.runs, landRun{e, e + 1})
			}
		}
		// Cells without edges start where the next cell does.
		next := int32(len(l.runs))
		for c := landPerBlock - 1; c >= 0; c-- {
			if l.cellAt[base+c] < 0 {
				l.cellAt[base+c] = next
			}
			next = l.cellAt[base+c]
		}
	}
	l.cellAt = append(l.cellAt, int32(len(l.runs)))
	l.cut = make([]uint64, len(l.inner))
	for cell := range len(l.cellAt) - 1 {
		for _, run := range l.runs[l.cellAt[cell]:l.cellAt[cell+1]] {
			for i := run.first; i < run.last; i++ {
				if l.cutEdge(i) {
					l.cut[cell/landPerBlock] |= 1 << (cell % landPerBlock)
				}
			}
		}
	}

	l.sideOfCentres()
}

// sideOfCentres decides, parallel by parallel, which cell centres lie on
// land, by counting the edges that cross the parallel through the centres
// from 180° W eastward (every ring lies within ±180°, so 180° W is outside
// all of them). Empty blocks take the side of their cells.
func (l *Land) sideOfCentres() {
	for row := range landRows {
		cy := landCentre(row, 90)
		in := false
		for bc := range landBlockCol {
			blk := (row/landPerDeg)*landBlockCol + bc
			b := l.block[blk]
			if b < 0 {
				if in {
					l.block[blk] = landLand
				}
				continue
			}
			for col := bc * landPerDeg; col < (bc+1)*landPerDeg; col++ {
				x0 := float64(col)*landCell - 180*landMicro
				cx, x1 := x0+landCell/2, x0+landCell
				if col == landCols-1 {
					x1 = math.Inf(1)
				}
				west, east := 0, 0
				c := landCellIn(row, col)
				for _, run := range l.runs[l.cellAt[int(b)*landPerBlock+c]:l.cellAt[int(b)*landPerBlock+c+1]] {
					for i := run.first; i < run.last; i++ {
						xc, ok := l.crossParallel(i, cy)
						switch {
						case !ok || xc < x0 || xc >= x1:
						case xc < cx:
							west++
						default:
							east++
						}
					}
				}
				if in != (west%2 == 1) {
					l.inner[b] |= 1 << c
				}
				in = in != ((west+east)%2 == 1)
			}
		}
	}
}

// crossParallel gives where edge i crosses the parallel y (micro-degrees),
// counting a vertex on the parallel as above it, so that a parallel through
// a vertex is crossed once or not at all. Contains and sideOfCentres must
// compute it the same way.
func (l *Land) crossParallel(i int32, y float64) (float64, bool) {
	a, b := l.pts[i], l.pts[i+1]
	ya, yb := float64(a.lat), float64(b.lat)
	if (ya > y) == (yb > y) {
		return 0, false
	}
	xa, xb := float64(a.lon), float64(b.lon)
	x := xa + (y-ya)*(xb-xa)/(yb-ya)
	return max(min(xa, xb), min(max(xa, xb), x)), true // rounding stays on the edge
}

func landRow(lat float64) int {
	return max(0, min(landRows-1, int(math.Floor((lat+90*landMicro)/landCell))))
}

func landCol(lon float64) int {
	return max(0, min(landCols-1, int(math.Floor((lon+180*landMicro)/landCell))))
}

// landCentre is the latitude (off = 90) or longitude (off = 180) of the
// centre of row or column n, micro-degrees.
func landCentre(n, off int) float64 {
	return (float64(n)+0.5)*landCell - float64(off)*landMicro
}

func landKey(row, col int) uint32 {
	blk := (row/landPerDeg)*landBlockCol + col/landPerDeg
	return uint32(blk)<<6 | uint32(landCellIn(row, col))
}

func landCellIn(row, col int) int { return (row%landPerDeg)*landPerDeg + col%landPerDeg }

// radixSortHigh sorts by the upper 32 bits, stably (LSD radix, 8 bits a pass).
func radixSortHigh(a []uint64) {
	buf := make([]uint64, len(a))
	src, dst := a, buf
	for shift := uint(32); shift < 64; shift += 8 {
		var count [256]int
		for _, v := range src {
			count[(v>>shift)&0xff]++
		}
		if count[(src[0]>>shift)&0xff] == len(src) {
			continue // one bucket: nothing to move
		}
		pos := 0
		for d, n := range count {
			count[d] = pos
			pos += n
		}
		for _, v := range src {
			d := (v >> shift) & 0xff
			dst[count[d]] = v
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &a[0] {
		copy(a, src)
	}
}
