package geotiff

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen opens arbitrary bytes as a TIFF and, when that succeeds, reads
// rows in bands (down, then back up) and the georeferencing. Nothing may
// panic, hang or allocate beyond the (lowered) bounds. Seeded with every
// fixture and with files from Write; crashers found are kept in
// testdata/fuzz/FuzzOpen.
func FuzzOpen(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.tif")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, opt := range []WriteOptions{
		{RowsPerStrip: 3},
		{Deflate: true, RowsPerStrip: 4, GCPs: []GCP{{0, 0, 3, 60}, {8, 0, 3.5, 60}, {0, 6, 3, 59.8}, {8, 6, 3.5, 59.8}}},
		{EPSG: 32631, Origin: [2]float64{4e5, 5e6}, PixelSize: [2]float64{10, 10}},
	} {
		var buf bytes.Buffer
		if err := Write(&buf, 8, 6, testPix[uint16](8, 6), opt); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	// Lower the memory bounds so that the fuzzer's giant headers cost
	// megabytes, not gigabytes.
	row, tile, tileRow, cache := maxRowBytes, maxTileBytes, maxTileRowBytes, maxTileRowFloats
	maxRowBytes, maxTileBytes, maxTileRowBytes, maxTileRowFloats = 1<<20, 4<<20, 16<<20, 1<<20
	f.Cleanup(func() { maxRowBytes, maxTileBytes, maxTileRowBytes, maxTileRowFloats = row, tile, tileRow, cache })

	f.Fuzz(func(t *testing.T, b []byte) {
		im, err := Open(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		k := max(1, min(im.Height, (1<<20)/im.Width, 16))
		dst := make([]float32, k*im.Width)
		for y := 0; y < im.Height && y < 4*k; y += k {
			if err := im.ReadRows(y, min(y+k, im.Height), dst); err != nil {
				break
			}
		}
		im.ReadRows(0, min(k, im.Height), dst)
		if g, err := im.Georef(); err == nil {
			g.Footprint()
			g.Spacing()
			lon, lat := g.LonLat(0.5, 0.5)
			g.Pixel(lon, lat)
		}
	})
}
