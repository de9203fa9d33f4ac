// Package geotiff reads GeoTIFF satellite scenes by bands of rows, in
// bounded memory, and maps their pixels to longitude and latitude. It sits
// under internal/sar in the flow of DESIGN.md: a Sentinel-1 GRD
// measurement file (16-bit amplitude, about 25,000 × 17,000 pixels, 850 MB
// of samples, georeferenced by a 21 × 10 grid of tie points) is read band
// by band into the detector's float32 grids, and the detections are placed
// on the Earth through [Georef]. Its writer makes the synthetic scenes of
// the simulator and the files of the tests.
//
// # Reading
//
// [Open] reads the header and the first image directory; [Image.ReadRows]
// reads rows [y0, y1) of band 1 as float32, touching only the strips or
// tiles that hold them:
//
//   - TIFF 6.0 little- (II) and big-endian (MM), classic and BigTIFF.
//   - Strips and tiles; several samples per pixel, interleaved or planar
//     (PlanarConfiguration 1 and 2): band 1 is read.
//   - Samples: unsigned and signed integers of 8, 16, 32 and 64 bits, IEEE
//     floats of 32 and 64 bits, and complex CInt16, CInt32, CFloat32 and
//     CFloat64 (SampleFormat 5 and 6, as Sentinel-1 SLC's CInt16) read as
//     their amplitude √(re² + im²).
//   - Compression: none, deflate (8 and 32946, through compress/zlib), LZW
//     (5; TIFF's variant, written here: codes most significant bit first,
//     widening one code early, which compress/lzw cannot read), PackBits
//     (32773). Others fail with [ErrUnsupported] naming them (JPEG, LERC,
//     Zstandard, WebP, JPEG 2000, CCITT…), as do 1-, 4-, 12- and 16-bit
//     float samples, YCbCr, FillOrder 2 and pre-6.0 LZW.
//   - Predictors: 2 (horizontal differencing, integers, in the file's byte
//     order) and 3 (floating point, TIFF Technical Note 3).
//   - GDAL's no-data tag; sparse blocks (offset or byte count 0) read as
//     no-data, or 0.
//
// Memory is O(band), never O(image): an uncompressed strip's rows are read
// in place (1 MiB at a time); a compressed strip is decompressed as a
// stream kept open between calls, so reading down a scene decodes each
// strip once, whatever its size (going back up within a compressed strip
// decodes it again from its start: a detector wanting overlapping bands
// keeps its margin rows itself); tiles are decoded a row of tiles at a
// time, the last row kept as float32 (a Sentinel-1 COG's 512-pixel tiles
// across 25,000 pixels: 51 MB).
//
// Malformed files give errors ([ErrNotTIFF], [ErrMalformed],
// [ErrUnsupported], [ErrTooLarge]), never panics: every count, offset and
// size is checked against the file's size before it is used, a compressed
// block must be able to hold its decoded size (deflate expands at most
// 1032:1, TIFF LZW 2731:1, PackBits 64:1), and buffers are bounded (a
// stored row 256 MiB, a tile 256 MiB, a row of tiles 1 GiB stored and
// 512 MiB decoded). FuzzOpen checks this.
//
// # Georeferencing
//
// [Image.Georef] reads the GeoTIFF tags into a [Georef]:
//
//   - ModelPixelScaleTag with a tie point, or ModelTransformationTag:
//     affine.
//   - Tie points alone (GCPs): when they form a rectilinear grid in pixel
//     space, as Sentinel-1's 21 × 10, bilinear interpolation in each cell
//     (extrapolated from the edge cells beyond, as Sentinel-1's last
//     row and column need), done in a transverse Mercator centred on the
//     scene rather than in degrees; otherwise a least-squares polynomial,
//     second order from 6 points (first order from 3), as gdaltransform's.
//   - CRS from the GeoKeyDirectory: geographic WGS 84 (EPSG:4326, or
//     user-defined with the WGS 84 datum) and WGS 84 / UTM (EPSG:326zz and
//     327zz, converted with Krüger's series to sixth order, exact to well
//     under a millimetre). Any other CRS, a missing GeoKeyDirectory, or too
//     few tie points: [ErrNoGeoref] with the reason; the image still reads.
//   - RasterPixelIsArea and RasterPixelIsPoint (GeoKey 1025).
//
// Pixel coordinates everywhere: x right, y down, (0, 0) the outer corner of
// the top-left pixel, pixel (i, j) covering [i, i+1) × [j, j+1), its centre
// at (i+0.5, j+0.5), as GDAL and internal/sar. PixelIsPoint files' raster
// space is shifted by half a pixel on reading, as GDAL does. Note that
// Sentinel-1 declares PixelIsArea while its annotation's GCP pixel indices
// are arguably pixel centres: taken as the spec says, half a pixel (5 m)
// apart from that reading.
//
// [Georef.LonLat] maps pixel coordinates to longitude and latitude,
// [Georef.Pixel] back (Newton's method), [Georef.Spacing] gives the ground
// size of a pixel at the scene centre in metres, [Georef.Footprint] the
// outline as a closed lon/lat ring.
//
// # Writing
//
// [Write] writes one band of uint8, uint16 or float32 as a striped,
// little-endian classic TIFF, uncompressed or deflate (with predictor 2,
// or 3 for floats), georeferenced by a pixel scale and tie point or by
// GCPs in EPSG:4326 or UTM, PixelIsArea. GDAL reads its files (TestWriteGDAL).
//
// # Measured
//
// Against GDAL 3.6.2 (gdaltransform, baked into testdata/gdaltransform.txt
// so that CI needs no GDAL): affine, UTM and polynomial-GCP coordinates agree
// within 1e-9°; every fixture's samples read as GDAL wrote them. On a
// synthetic Sentinel-1 scene (25,000 × 17,000 pixels of 10 m at 58°N, a
// curving track, 21 × 10 GCPs), TestSentinel1Grid: the grid is off by
// 0.95 m at most (0.70 m RMS); interpolating in degrees instead would be
// off by 6 m, a second-order polynomial through the same points by 54 m,
// a least-squares affine by 2.6 km.
//
// BenchmarkReadRows, a 4096 × 4096 16-bit speckle scene in memory, bands of
// 256 rows, one core of the shared 2-core machine (AMD EPYC), -cpu 1,
// best of 3:
//
//	uncompressed, strips of 16 rows    2,770 MB/s   1,385 Mpx/s   0 allocs
//	deflate + predictor 2, 16 rows       124 MB/s      62 Mpx/s
//	deflate + predictor 2, one strip     128 MB/s      64 Mpx/s
//
// Deflate's time is compress/flate's (70 % of it in the profile; speckle
// hardly compresses). A full Sentinel-1 GRD scene (425 Mpx, 850 MB,
// uncompressed) thus converts in about 0.3 s from the page cache: reading
// is bound by the disk, not by this package. TestBoundedMemory: reading a
// 2048 × 2048 scene in 16 bands allocates 64 kB uncompressed, 1.2 MB
// deflate in one strip, 1.8 MB in 128 strips.
package geotiff
