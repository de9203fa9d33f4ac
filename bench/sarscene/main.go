// Command sarscene writes a full-size synthetic SAR scene for measuring
// `pharos sar detect`: a 16-bit GeoTIFF (deflate) of K-distributed sea
// clutter with the land of the embedded data and ships of known size,
// north-up on WGS 84 at 10 m, its top-left corner at the given place, and
// beside it its truth (scene.tif → scene-truth.json) for `pharos sar
// eval`. It renders bands of rows on every core.
//
//	go run ./bench/sarscene -out scene.tif [-w 25000 -h 17000 -lat 36.9 -lon -6.5 -ships 300]
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"pharos/internal/geo"
	"pharos/internal/geotiff"
	"pharos/internal/sar"
)

func main() {
	out := flag.String("out", "", "GeoTIFF to write")
	w := flag.Int("w", 25000, "width, pixels")
	h := flag.Int("h", 17000, "height, pixels")
	lat := flag.Float64("lat", 36.9, "latitude of the top-left corner")
	lon := flag.Float64("lon", -6.5, "longitude of the top-left corner")
	ships := flag.Int("ships", 300, "ships at sea")
	flag.Parse()
	if *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	land, err := geo.LoadLand()
	if err != nil {
		log.Fatal(err)
	}
	place := sar.Georef{Lat: *lat, Lon: *lon, Spacing: sar.SynthSpacing}
	base := sar.Synth{W: *w, Looks: sar.SynthLooks, Nu: sar.SynthNu, Mean: sar.SynthMean, Max: math.MaxUint16,
		Spacing: sar.SynthSpacing, Land: land}

	// Ships at sea, anywhere in the scene; each band draws the ones that
	// touch it.
	r := rand.New(rand.NewPCG(1, 2))
	var hulls []sar.SynthShip
	truth := sar.TruthChip{Name: filepath.Base(*out), File: filepath.Base(*out), Lat: *lat, Lon: *lon,
		Spacing: sar.SynthSpacing, W: *w, H: *h}
	for len(hulls) < *ships {
		x, y := r.Float64()*float64(*w), r.Float64()*float64(*h)
		la, lo := place.LatLon(x, y)
		shore := land.DistanceToShoreWithin(la, lo, sar.NearShoreM)
		if land.Contains(la, lo) || shore < 200 {
			continue
		}
		l := 15 * math.Pow(20, r.Float64())
		axis, scr := r.Float64()*180, sar.ShipSCR(l, 2*r.Float64()-1)
		hulls = append(hulls, sar.HullAt(x, y, l, l/5, axis, scr, sar.SynthSpacing))
		truth.Ships = append(truth.Ships, sar.SynthTruth{X: x, Y: y, LengthM: l, WidthM: l / 5, Axis: axis,
			Lat: la, Lon: lo, SCR: scr, NearShore: shore < sar.NearShoreM})
	}

	const band = 512
	pix := make([]uint16, *w**h)
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for y0 := 0; y0 < *h; y0 += band {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			s := base
			s.H = min(band, *h-y0)
			s.Place, s.Row0 = place, y0
			for _, hl := range hulls {
				if hl.Y > float64(y0)-50 && hl.Y < float64(y0+s.H)+50 {
					hl.Y -= float64(y0)
					s.Ships = append(s.Ships, hl)
				}
			}
			g := s.Render(uint64(y0))
			for i, v := range g.Pix {
				pix[y0**w+i] = uint16(v)
			}
		})
	}
	wg.Wait()
	dlat, dlon := place.Degrees()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	b := bufio.NewWriterSize(f, 4<<20)
	opt := geotiff.WriteOptions{EPSG: 4326, Origin: [2]float64{*lon, *lat}, PixelSize: [2]float64{dlon, dlat}, Deflate: true}
	if err := geotiff.Write(b, *w, *h, pix, opt); err != nil {
		log.Fatal(err)
	}
	if err := b.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	tf, err := os.Create(strings.TrimSuffix(*out, filepath.Ext(*out)) + "-truth.json")
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(tf)
	enc.SetIndent("", " ")
	if err := enc.Encode([]sar.TruthChip{truth}); err != nil {
		log.Fatal(err)
	}
	if err := tf.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d×%d px, %d ships, and its truth\n", *out, *w, *h, len(hulls))
}
