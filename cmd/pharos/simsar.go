package main

import (
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"time"

	"pharos/internal/geo"
	"pharos/internal/sar"
)

// SARTruthFile is the truth file `pharos sim --sar-chips` writes and
// `pharos sar eval --truth` reads.
const SARTruthFile = "sar-truth.json"

// simSARChips renders n synthetic chips (sar.SynthSet) as 8-bit PNGs and
// writes their truth.
func simSARChips(n int, seed uint64, dir string, stdout io.Writer) error {
	start := time.Now()
	land, err := geo.LoadLand()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var truth []sar.TruthChip
	var ships int
	for i, c := range sar.SynthSet(seed, n, land, 255) {
		rec := c.Record()
		rec.File = c.Name + ".png"
		g := c.Synth.Render(seed<<16 + uint64(i))
		if err := writeFileWith(filepath.Join(dir, rec.File), func(w io.Writer) error { return png.Encode(w, grey(g)) }); err != nil {
			return err
		}
		truth = append(truth, rec)
		ships += len(rec.Ships)
	}
	err = writeFileWith(filepath.Join(dir, SARTruthFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", " ")
		return enc.Encode(truth)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d synthetic SAR chips (%d ships, %.0f m pixels) and %s written to %s in %s\n",
		n, ships, sar.SynthSpacing, SARTruthFile, dir, time.Since(start).Round(time.Millisecond))
	return nil
}

// grey turns a grid of 0–255 values into an 8-bit image.
func grey(g *sar.Grid) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, g.W, g.H))
	for i, v := range g.Pix {
		img.Pix[i] = uint8(min(max(v+0.5, 0), 255))
	}
	return img
}
