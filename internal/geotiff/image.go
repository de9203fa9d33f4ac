package geotiff

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
)

// SampleType is the type of one stored sample.
type SampleType uint8

// The sample types read. The complex types (SampleFormat 5 and 6, as
// Sentinel-1 SLC's CInt16) are read as their amplitude √(re²+im²).
const (
	Uint8 SampleType = iota + 1
	Int8
	Uint16
	Int16
	Uint32
	Int32
	Uint64
	Int64
	Float32
	Float64
	CInt16
	CInt32
	CFloat32
	CFloat64
)

var sampleTypeNames = [...]string{"", "uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32", "float64", "cint16", "cint32", "cfloat32", "cfloat64"}

func (t SampleType) String() string {
	if int(t) < len(sampleTypeNames) && t != 0 {
		return sampleTypeNames[t]
	}
	return "SampleType(" + strconv.Itoa(int(t)) + ")"
}

// Compression is the TIFF Compression tag.
type Compression uint16

// The compressions read.
const (
	None        Compression = 1
	LZW         Compression = 5
	Deflate     Compression = 8
	PackBits    Compression = 32773
	DeflateOld  Compression = 32946 // Adobe's pre-6.0 code for Deflate, same data
	compJPEG    Compression = 7
	compOldJPEG Compression = 6
)

var compressionNames = map[Compression]string{
	None: "none", 2: "CCITT RLE", 3: "CCITT fax 3", 4: "CCITT fax 4", LZW: "LZW",
	compOldJPEG: "old JPEG", compJPEG: "JPEG", Deflate: "deflate", 9: "JBIG", 10: "JBIG2",
	PackBits: "PackBits", DeflateOld: "deflate", 34676: "SGI LogLuv", 34712: "JPEG 2000",
	34887: "LERC", 34925: "LZMA", 50000: "Zstandard", 50001: "WebP", 50002: "JPEG XL",
}

func (c Compression) String() string {
	if s, ok := compressionNames[c]; ok {
		return s
	}
	return "compression " + strconv.Itoa(int(c))
}

// Memory bounds. A real scene needs far less: a 25,000-pixel float64 row
// is 200 kB, a row of 512-pixel tiles across it 51 MB as float32.
var (
	maxRowBytes      uint64 = 256 << 20 // one stored row of a block, all samples
	maxTileBytes     uint64 = 256 << 20 // one stored tile, all samples
	maxTileRowBytes  uint64 = 1 << 30   // a row of stored tiles, decoded one after the other
	maxTileRowFloats uint64 = 128 << 20 // the decoded band-1 cache of one tile row (×4 bytes)
)

// Image is the first image of a TIFF file, read band 1 only, by rows.
// Its fields are set by Open and only to be read. Its methods are safe for
// concurrent use; ReadRows calls are serialised.
type Image struct {
	Width, Height   int
	SamplesPerPixel int // bands; only the first is read
	Type            SampleType
	Compression     Compression
	Predictor       int  // 1 none, 2 horizontal, 3 floating point
	Planar          bool // PlanarConfiguration 2: each band stored apart
	Tiled           bool
	// BlockWidth × BlockHeight is the size of a tile, or Width × RowsPerStrip.
	BlockWidth, BlockHeight int
	BigTIFF                 bool
	ByteOrder               binary.ByteOrder
	// NoData is GDAL's no-data value (tag 42113) and HasNoData whether one
	// is set; missing (sparse) blocks read as NoData, or 0 without one.
	NoData    float64
	HasNoData bool

	r                io.ReaderAt
	size             int64
	across, down     int      // blocks across and down
	offsets, counts  []uint64 // of band 1's blocks (plane 0)
	sampleBytes      int      // bytes of one sample (a complex one whole)
	stride           int      // samples from one pixel's band 1 to the next
	rowBytes         int      // bytes of one stored row of a block
	geo              geoTags
	mu               sync.Mutex
	rd               reader
	georefOnce       sync.Once
	georef           *Georef
	georefErr        error
	littleEndianFile bool
}

// Open reads the header and first image directory of a TIFF file of size
// bytes. The samples are read later, by ReadRows. Every count and offset in
// the file is checked against size, so a malformed file gives an error,
// never an allocation it did not earn.
func Open(r io.ReaderAt, size int64) (*Image, error) {
	d, err := readDir(r, size)
	if err != nil {
		return nil, err
	}
	im := &Image{r: r, size: size, ByteOrder: d.order, BigTIFF: d.big, littleEndianFile: d.order == binary.LittleEndian}
	if err := im.parse(d); err != nil {
		return nil, err
	}
	im.geo = readGeoTags(d)
	im.rd.block = -1
	return im, nil
}

// File is an Image opened from a file, to be closed.
type File struct {
	*Image
	f *os.File
}

// OpenFile opens a GeoTIFF file by path.
func OpenFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	im, err := Open(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &File{Image: im, f: f}, nil
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

func (im *Image) parse(d *dir) error {
	w, err := d.uint(tagImageWidth, 0)
	if err != nil {
		return err
	}
	h, err := d.uint(tagImageLength, 0)
	if err != nil {
		return err
	}
	if w == 0 || h == 0 {
		return fmt.Errorf("%w: image of %d×%d pixels", ErrMalformed, w, h)
	}
	if w > math.MaxInt32 || h > math.MaxInt32 {
		return fmt.Errorf("%w: image of %d×%d pixels", ErrTooLarge, w, h)
	}
	im.Width, im.Height = int(w), int(h)

	spp, err := d.uint(tagSamplesPerPixel, 1)
	if err != nil {
		return err
	}
	if spp == 0 || spp > math.MaxUint16 {
		return fmt.Errorf("%w: %d samples per pixel", ErrMalformed, spp)
	}
	im.SamplesPerPixel = int(spp)
	bits, err := d.same(tagBitsPerSample, 1, "BitsPerSample")
	if err != nil {
		return err
	}
	format, err := d.same(tagSampleFormat, 1, "SampleFormat")
	if err != nil {
		return err
	}
	if im.Type, err = sampleType(format, bits); err != nil {
		return err
	}
	im.sampleBytes = int(bits / 8)

	c, err := d.uint(tagCompression, 1)
	if err != nil {
		return err
	}
	im.Compression = Compression(c)
	switch im.Compression {
	case None, LZW, Deflate, DeflateOld, PackBits:
	default:
		return fmt.Errorf("%w: compression %s (code %d)", ErrUnsupported, im.Compression, c)
	}
	p, err := d.uint(tagPredictor, 1)
	if err != nil {
		return err
	}
	switch {
	case p == 1:
	case p == 2 && im.Type <= Int64:
	case p == 3 && (im.Type == Float32 || im.Type == Float64):
	default:
		return fmt.Errorf("%w: predictor %d with %s samples", ErrUnsupported, p, im.Type)
	}
	im.Predictor = int(p)
	pc, err := d.uint(tagPlanarConfig, 1)
	if err != nil {
		return err
	}
	if pc != 1 && pc != 2 {
		return fmt.Errorf("%w: planar configuration %d", ErrMalformed, pc)
	}
	im.Planar = pc == 2 && spp > 1
	im.stride = im.SamplesPerPixel
	if im.Planar {
		im.stride = 1
	}
	if ph, err := d.uint(tagPhotometric, 1); err != nil {
		return err
	} else if ph == 6 && spp > 1 && !im.Planar {
		return fmt.Errorf("%w: YCbCr photometric interpretation", ErrUnsupported)
	}
	if fo, err := d.uint(tagFillOrder, 1); err != nil {
		return err
	} else if fo != 1 {
		return fmt.Errorf("%w: fill order %d", ErrUnsupported, fo)
	}
	if s, err := d.ascii(tagGDALNoData); err != nil {
		return err
	} else if s = strings.TrimSpace(s); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err == nil {
			im.NoData, im.HasNoData = v, true
		}
	}
	return im.parseLayout(d)
}

func sampleType(format, bits uint64) (SampleType, error) {
	types := map[[2]uint64]SampleType{
		{1, 8}: Uint8, {1, 16}: Uint16, {1, 32}: Uint32, {1, 64}: Uint64,
		{2, 8}: Int8, {2, 16}: Int16, {2, 32}: Int32, {2, 64}: Int64,
		{3, 32}: Float32, {3, 64}: Float64,
		{5, 32}: CInt16, {5, 64}: CInt32, {6, 64}: CFloat32, {6, 128}: CFloat64,
	}
	if t, ok := types[[2]uint64{format, bits}]; ok {
		return t, nil
	}
	if format == 4 { // undefined: libtiff reads it as unsigned
		if t, ok := types[[2]uint64{1, bits}]; ok {
			return t, nil
		}
	}
	return 0, fmt.Errorf("%w: %d-bit samples of format %d", ErrUnsupported, bits, format)
}

// parseLayout reads the strips or tiles and checks that band 1's blocks
// lie in the file and could decode to their size.
func (im *Image) parseLayout(d *dir) error {
	var offTag, cntTag uint16
	if d.has(tagTileWidth) || d.has(tagTileLength) || d.has(tagTileOffsets) {
		im.Tiled = true
		tw, err := d.uint(tagTileWidth, 0)
		if err != nil {
			return err
		}
		th, err := d.uint(tagTileLength, 0)
		if err != nil {
			return err
		}
		if tw == 0 || th == 0 || tw > math.MaxInt32 || th > math.MaxInt32 {
			return fmt.Errorf("%w: tiles of %d×%d pixels", ErrMalformed, tw, th)
		}
		im.BlockWidth, im.BlockHeight = int(tw), int(th)
		offTag, cntTag = tagTileOffsets, tagTileByteCounts
	} else {
		rps, err := d.uint(tagRowsPerStrip, math.MaxUint32)
		if err != nil {
			return err
		}
		if rps == 0 {
			return fmt.Errorf("%w: 0 rows per strip", ErrMalformed)
		}
		im.BlockWidth, im.BlockHeight = im.Width, int(min(rps, uint64(im.Height)))
		offTag, cntTag = tagStripOffsets, tagStripByteCounts
	}
	im.across = (im.Width + im.BlockWidth - 1) / im.BlockWidth
	im.down = (im.Height + im.BlockHeight - 1) / im.BlockHeight

	rowBytes := uint64(im.BlockWidth) * uint64(im.stride) * uint64(im.sampleBytes)
	if rowBytes > maxRowBytes {
		return fmt.Errorf("%w: a block row of %d bytes", ErrTooLarge, rowBytes)
	}
	im.rowBytes = int(rowBytes)
	if im.Tiled {
		if n := uint64(im.BlockHeight) * uint64(im.across) * uint64(im.BlockWidth); n > maxTileRowFloats {
			return fmt.Errorf("%w: a row of %d×%d tiles across a %d-pixel image", ErrTooLarge, im.BlockWidth, im.BlockHeight, im.Width)
		}
		if n := uint64(im.BlockHeight) * rowBytes; n > maxTileBytes || n*uint64(im.across) > maxTileRowBytes {
			return fmt.Errorf("%w: %d tiles across of %d bytes", ErrTooLarge, im.across, n)
		}
	}

	offsets, err := d.uints(offTag)
	if err != nil {
		return err
	}
	if offsets == nil {
		return fmt.Errorf("%w: no strip or tile offsets", ErrMalformed)
	}
	nb := im.across * im.down // band 1's blocks: plane 0 comes first
	if len(offsets) < nb {
		return fmt.Errorf("%w: %d blocks of %d×%d for a %d×%d image, %d offsets", ErrMalformed, nb, im.BlockWidth, im.BlockHeight, im.Width, im.Height, len(offsets))
	}
	counts, err := d.uints(cntTag)
	if err != nil {
		return err
	}
	switch {
	case counts == nil && im.Compression == None: // libtiff infers them
		counts = make([]uint64, nb)
		for i := range counts {
			counts[i] = im.blockBytes(i)
		}
	case len(counts) < nb:
		return fmt.Errorf("%w: %d byte counts for %d blocks", ErrMalformed, len(counts), nb)
	}
	im.offsets, im.counts = offsets[:nb], counts[:nb]

	size := uint64(im.size)
	ratio, slack := maxRatio(im.Compression)
	for i := range nb {
		off, n, want := im.offsets[i], im.counts[i], im.blockBytes(i)
		if im.sparse(i) {
			continue
		}
		if im.Compression == None {
			n = want
		}
		if off > size || n > size-off {
			return fmt.Errorf("%w: block %d at %d+%d past the end of the %d-byte file", ErrMalformed, i, off, n, size)
		}
		if im.Compression != None && (n > math.MaxUint64/ratio || want > n*ratio+slack) {
			return fmt.Errorf("%w: block %d of %d bytes cannot decompress to %d", ErrMalformed, i, n, want)
		}
	}
	return nil
}

// blockBytes is the decoded size of block i of band 1: a whole tile, or
// the rows of a strip (the last one may be short).
func (im *Image) blockBytes(i int) uint64 {
	rows := im.blockRows(i)
	return uint64(rows) * uint64(im.rowBytes)
}

func (im *Image) blockRows(i int) int {
	if im.Tiled {
		return im.BlockHeight
	}
	return min(im.BlockHeight, im.Height-i*im.BlockHeight)
}

// sparse reports a block that is not stored (GDAL's sparse files): it
// reads as no-data.
func (im *Image) sparse(i int) bool { return im.offsets[i] == 0 || im.counts[i] == 0 }

// maxRatio bounds how far a compressed block can expand: deflate's longest
// match is 258 bytes for a 1-bit code (1032:1); a 12-bit TIFF LZW code
// stands for at most 4096 bytes; a 2-byte PackBits run for 128. slack
// covers the fixed overhead of a tiny block.
func maxRatio(c Compression) (ratio, slack uint64) {
	switch c {
	case Deflate, DeflateOld:
		return 1032, 1 << 12
	case LZW:
		return 2731, 1 << 13
	case PackBits:
		return 64, 128
	}
	return 1, 0
}
