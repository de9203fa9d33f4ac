package geotiff

import (
	"bytes"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// speckle returns a w×h 16-bit amplitude scene: single-look speckle
// (Rayleigh amplitude, mean about 90) over which a few bright hulls stand.
func speckle(w, h int) []uint16 {
	r := rand.New(rand.NewPCG(7, 8))
	p := make([]uint16, w*h)
	for i := range p {
		p[i] = uint16(100 * math.Sqrt(-math.Log(1-r.Float64())))
	}
	for range 50 {
		x, y := r.IntN(w-40), r.IntN(h-10)
		for j := range 8 {
			for i := range 40 {
				p[(y+j)*w+x+i] = 4000
			}
		}
	}
	return p
}

var sceneCache sync.Map

// scene returns a 16-bit w×h scene written with opt, made once.
func scene(tb testing.TB, w, h int, opt WriteOptions) []byte {
	type key struct {
		w, h int
		d    bool
		rps  int
	}
	k := key{w, h, opt.Deflate, opt.RowsPerStrip}
	if b, ok := sceneCache.Load(k); ok {
		return b.([]byte)
	}
	var buf bytes.Buffer
	if err := Write(&buf, w, h, speckle(w, h), opt); err != nil {
		tb.Fatal(err)
	}
	sceneCache.Store(k, buf.Bytes())
	return buf.Bytes()
}

// BenchmarkReadRows reads a 4096 × 4096 16-bit scene in bands of 256
// rows, from memory (a file adds the disk). MB/s counts the stored
// samples (32 MiB a pass), Mpx/s the pixels.
func BenchmarkReadRows(b *testing.B) {
	const w, h, band = 4096, 4096, 256
	for _, c := range []struct {
		name string
		opt  WriteOptions
	}{
		{"uncompressed", WriteOptions{}},
		{"deflate", WriteOptions{Deflate: true}},
		{"deflate-one-strip", WriteOptions{Deflate: true, RowsPerStrip: h}},
	} {
		b.Run(c.name, func(b *testing.B) {
			data := scene(b, w, h, c.opt)
			im, err := Open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				b.Fatal(err)
			}
			dst := make([]float32, band*w)
			b.SetBytes(w * h * 2)
			b.ReportAllocs()
			for b.Loop() {
				for y := 0; y < h; y += band {
					if err := im.ReadRows(y, min(y+band, h), dst); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(w*h)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mpx/s")
		})
	}
}

// TestBoundedMemory reads 2048 × 2048 scenes in bands and checks that the
// reader allocates O(band), not O(image): a full read as float32 would be
// 16 MiB.
func TestBoundedMemory(t *testing.T) {
	const w, h, band = 2048, 2048, 128
	for _, c := range []struct {
		name  string
		opt   WriteOptions
		limit uint64
	}{
		{"uncompressed", WriteOptions{}, 1 << 20},         // rows read in place, up to 1 MiB at once
		{"deflate", WriteOptions{Deflate: true}, 4 << 20}, // a decompressor reset for each of 128 strips
		{"deflate-one-strip", WriteOptions{Deflate: true, RowsPerStrip: h}, 2 << 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := scene(t, w, h, c.opt)
			im, err := Open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			dst := make([]float32, band*w)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var sum float64
			for y := 0; y < h; y += band {
				if err := im.ReadRows(y, y+band, dst); err != nil {
					t.Fatal(err)
				}
				for _, v := range dst {
					sum += float64(v)
				}
			}
			runtime.ReadMemStats(&after)
			got := after.TotalAlloc - before.TotalAlloc
			if got > c.limit {
				t.Errorf("reading allocated %d bytes, want under %d", got, c.limit)
			}
			t.Logf("%d bytes allocated reading %d bands of %d rows", got, h/band, band)
			if mean := sum / (w * h); mean < 80 || mean > 110 {
				t.Errorf("mean %v, want about 90 (speckle)", mean)
			}
		})
	}
}
