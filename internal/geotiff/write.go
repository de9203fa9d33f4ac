package geotiff

import (
	"bufio"
	"bytes"
	"cmp"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// WriteOptions describe the file Write makes. The zero value writes an
// uncompressed TIFF without georeferencing.
type WriteOptions struct {
	// EPSG is the CRS of the georeferencing: 4326 (the default) or a
	// WGS 84 / UTM zone, 326zz or 327zz.
	EPSG int
	// A north-up grid: the model coordinates (lon, lat or easting,
	// northing) of the top-left corner of the top-left pixel, and the size
	// of a pixel in model units, both positive. Written as a pixel scale
	// and one tie point.
	Origin    [2]float64
	PixelSize [2]float64
	// Or tie points, in pixel coordinates (as Georef's: pixel centres at
	// +0.5), as Sentinel-1 carries them. Not with PixelSize.
	GCPs []GCP
	// NoData, when not nil, is written as GDAL's no-data tag.
	NoData *float64
	// Deflate compresses each strip, with the horizontal predictor for
	// integer samples and the floating-point predictor for float32.
	Deflate bool
	// RowsPerStrip, 0 for strips of about 64 kB.
	RowsPerStrip int
}

// Write writes a single-band W×H image (pix row-major, at least W·H
// values) as a striped little-endian classic TIFF, PixelIsArea, with
// GeoTIFF tags when opt has a georeferencing. It is the writer of tests
// and of synthetic scenes, not a general one: uncompressed or deflate,
// and under 4 GiB.
func Write[T uint8 | uint16 | float32](w io.Writer, width, height int, pix []T, opt WriteOptions) error {
	if width <= 0 || height <= 0 || width > math.MaxInt32 || height > math.MaxInt32 {
		return fmt.Errorf("write: image of %d×%d pixels", width, height)
	}
	if len(pix) < width*height {
		return fmt.Errorf("write: %d values for %d×%d pixels", len(pix), width, height)
	}
	var bits, format uint16
	switch any(pix).(type) {
	case []uint8:
		bits, format = 8, 1
	case []uint16:
		bits, format = 16, 1
	case []float32:
		bits, format = 32, 3
	}
	sb := int(bits / 8)
	rowBytes := width * sb
	rps := opt.RowsPerStrip
	if rps <= 0 {
		rps = max(1, (64<<10)/rowBytes)
	}
	rps = min(rps, height)
	nstrips := (height + rps - 1) / rps

	// encode returns strip s as stored.
	predictor := uint16(1)
	if opt.Deflate {
		predictor = 2
		if format == 3 {
			predictor = 3
		}
	}
	encode := func(s int) []byte {
		y0, y1 := s*rps, min(height, (s+1)*rps)
		b := make([]byte, (y1-y0)*rowBytes)
		switch p := any(pix).(type) {
		case []uint8:
			copy(b, p[y0*width:y1*width])
		case []uint16:
			for i, v := range p[y0*width : y1*width] {
				binary.LittleEndian.PutUint16(b[2*i:], v)
			}
		case []float32:
			for i, v := range p[y0*width : y1*width] {
				binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
			}
		}
		if predictor > 1 {
			tmp := make([]byte, rowBytes)
			for r := 0; r < y1-y0; r++ {
				predict(b[r*rowBytes:(r+1)*rowBytes], tmp, predictor, sb)
			}
		}
		return b
	}
	var strips [][]byte // compressed strips; nil when uncompressed
	counts := make([]uint32, nstrips)
	var total uint64
	for s := range nstrips {
		if opt.Deflate {
			var buf bytes.Buffer
			zw := zlib.NewWriter(&buf)
			zw.Write(encode(s))
			if err := zw.Close(); err != nil {
				return fmt.Errorf("write: compress strip %d: %w", s, err)
			}
			strips = append(strips, buf.Bytes())
			counts[s] = uint32(buf.Len())
		} else {
			counts[s] = uint32((min(height, (s+1)*rps) - s*rps) * rowBytes)
		}
		total += uint64(counts[s])
	}

	tags := []wtag{
		longs(tagImageWidth, uint32(width)),
		longs(tagImageLength, uint32(height)),
		shorts(tagBitsPerSample, bits),
		shorts(tagCompression, map[bool]uint16{false: 1, true: 8}[opt.Deflate]),
		shorts(tagPhotometric, 1),
		longs(tagStripOffsets, make([]uint32, nstrips)...),
		shorts(tagSamplesPerPixel, 1),
		longs(tagRowsPerStrip, uint32(rps)),
		longs(tagStripByteCounts, counts...),
		shorts(tagPlanarConfig, 1),
		shorts(tagSampleFormat, format),
	}
	if predictor > 1 {
		tags = append(tags, shorts(tagPredictor, predictor))
	}
	geo, err := geoWriteTags(opt)
	if err != nil {
		return err
	}
	tags = append(tags, geo...)
	if opt.NoData != nil {
		s := strconv.FormatFloat(*opt.NoData, 'g', -1, 64)
		tags = append(tags, wtag{tag: tagGDALNoData, typ: typeASCII, count: uint32(len(s) + 1), data: append([]byte(s), 0)})
	}
	slices.SortFunc(tags, func(a, b wtag) int { return int(a.tag) - int(b.tag) })

	// Layout: header, IFD, the values too long for an entry, the strips.
	pos := uint64(8 + 2 + 12*len(tags) + 4)
	offs := make([]uint32, len(tags))
	for i, t := range tags {
		if len(t.data) > 4 {
			pos += pos & 1
			offs[i] = uint32(pos)
			pos += uint64(len(t.data))
		}
	}
	if pos+total > math.MaxUint32 {
		return fmt.Errorf("write: %d bytes is too large for a classic TIFF", pos+total)
	}
	for _, t := range tags {
		if t.tag == tagStripOffsets {
			o := pos
			for s := range nstrips {
				binary.LittleEndian.PutUint32(t.data[4*s:], uint32(o))
				o += uint64(counts[s])
			}
		}
	}

	bw := bufio.NewWriterSize(w, 1<<20)
	hdr := []byte{'I', 'I', 42, 0, 8, 0, 0, 0}
	bw.Write(hdr)
	var e [12]byte
	binary.Write(bw, binary.LittleEndian, uint16(len(tags)))
	for i, t := range tags {
		binary.LittleEndian.PutUint16(e[0:], t.tag)
		binary.LittleEndian.PutUint16(e[2:], t.typ)
		binary.LittleEndian.PutUint32(e[4:], t.count)
		clear(e[8:])
		if len(t.data) > 4 {
			binary.LittleEndian.PutUint32(e[8:], offs[i])
		} else {
			copy(e[8:], t.data)
		}
		bw.Write(e[:])
	}
	bw.Write([]byte{0, 0, 0, 0}) // no next IFD
	at := uint64(8 + 2 + 12*len(tags) + 4)
	for i, t := range tags {
		if len(t.data) > 4 {
			if uint64(offs[i]) > at {
				bw.WriteByte(0)
			}
			bw.Write(t.data)
			at = uint64(offs[i]) + uint64(len(t.data))
		}
	}
	for s := range nstrips {
		if strips != nil {
			bw.Write(strips[s])
		} else {
			bw.Write(encode(s))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// predict applies a predictor to one row of little-endian samples: the
// inverse of undoHorizontal and undoFloat.
func predict(row, tmp []byte, predictor uint16, size int) {
	n := len(row) / size
	if predictor == 3 {
		for i := range n {
			for k := range size {
				tmp[k*n+i] = row[i*size+size-1-k]
			}
		}
		copy(row, tmp)
		for i := len(row) - 1; i >= 1; i-- {
			row[i] -= row[i-1]
		}
		return
	}
	for i := n - 1; i >= 1; i-- {
		switch size {
		case 1:
			row[i] -= row[i-1]
		case 2:
			binary.LittleEndian.PutUint16(row[2*i:], binary.LittleEndian.Uint16(row[2*i:])-binary.LittleEndian.Uint16(row[2*i-2:]))
		}
	}
}

type wtag struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

func shorts(tag uint16, v ...uint16) wtag {
	b := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(b[2*i:], x)
	}
	return wtag{tag: tag, typ: typeShort, count: uint32(len(v)), data: b}
}

func longs(tag uint16, v ...uint32) wtag {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], x)
	}
	return wtag{tag: tag, typ: typeLong, count: uint32(len(v)), data: b}
}

func doubles(tag uint16, v ...float64) wtag {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return wtag{tag: tag, typ: typeDouble, count: uint32(len(v)), data: b}
}

// geoWriteTags returns the GeoTIFF tags for opt's georeferencing, none
// when it has none.
func geoWriteTags(opt WriteOptions) ([]wtag, error) {
	grid := opt.PixelSize != [2]float64{}
	if !grid && len(opt.GCPs) == 0 {
		return nil, nil
	}
	if grid && len(opt.GCPs) > 0 {
		return nil, fmt.Errorf("write: both a pixel size and tie points")
	}
	epsg := cmp.Or(opt.EPSG, epsgWGS84)
	keys := []uint16{1, 1, 0, 3, keyModelType, 0, 1, modelGeographic, keyRasterType, 0, 1, 1, keyGeographicType, 0, 1, epsgWGS84}
	if epsg != epsgWGS84 {
		if _, ok := utmFromEPSG(epsg); !ok {
			return nil, fmt.Errorf("write: EPSG:%d is neither 4326 nor a WGS 84 / UTM zone", epsg)
		}
		keys[7], keys[12], keys[15] = modelProjected, keyProjectedType, uint16(epsg)
	}
	tags := []wtag{shorts(tagGeoKeyDirectory, keys...)}
	if grid {
		if opt.PixelSize[0] <= 0 || opt.PixelSize[1] <= 0 {
			return nil, fmt.Errorf("write: pixel size %v", opt.PixelSize)
		}
		tags = append(tags,
			doubles(tagPixelScale, opt.PixelSize[0], opt.PixelSize[1], 0),
			doubles(tagTiepoint, 0, 0, 0, opt.Origin[0], opt.Origin[1], 0))
	} else {
		v := make([]float64, 0, 6*len(opt.GCPs))
		for _, p := range opt.GCPs {
			v = append(v, p.Px, p.Py, 0, p.X, p.Y, 0)
		}
		tags = append(tags, doubles(tagTiepoint, v...))
	}
	return tags, nil
}
