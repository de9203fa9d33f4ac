package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"pharos/internal/sar"
)

const sarUsage = `usage: pharos sar detect CHIP --out detections.geojson [--lat DEG --lon DEG --spacing M] [--time RFC3339] [--scene ID] [--pfa P]`

func runSAR(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "detect" {
		fmt.Fprintln(stderr, sarUsage)
		return errUsage
	}
	return runSARDetect(ctx, args[1:], stdout, stderr)
}

func runSARDetect(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sar detect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "GeoJSON file to write the detections to (- for stdout)")
	lat := fs.Float64("lat", 0, "latitude of the chip's top-left (north-west) corner; the chip is taken as north-up")
	lon := fs.Float64("lon", 0, "longitude of the chip's top-left corner")
	spacing := fs.Float64("spacing", 0, "pixel spacing, metres; windows and size limits then follow SNAP's metres")
	at := fs.String("time", "", "acquisition time, RFC 3339 (fusion needs it)")
	sceneID := fs.String("scene", "", "scene id (default: the chip's file name)")
	pfa := fs.Float64("pfa", sar.DefaultPfa, "false-alarm probability per pixel")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 || *out == "" {
		fmt.Fprintln(stderr, sarUsage)
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["lat"] != set["lon"] || (set["lat"] && !set["spacing"]) {
		fmt.Fprintln(stderr, "pharos sar detect: --lat and --lon go together, and need --spacing")
		return errUsage
	}
	if *spacing < 0 {
		return fmt.Errorf("spacing %g m is negative", *spacing)
	}
	path := pos[0]
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	g, err := sar.ReadChip(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	sc := sar.Scene{ID: *sceneID, W: g.W, H: g.H}
	if sc.ID == "" {
		sc.ID = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if *at != "" {
		if sc.Time, err = time.Parse(time.RFC3339, *at); err != nil {
			return fmt.Errorf("--time: %w", err)
		}
	}
	if set["lat"] {
		sc.Place = sar.Georef{Lat: *lat, Lon: *lon, Spacing: *spacing}
	}
	sc.Spacing = *spacing
	objs, err := sar.Detect(g, sar.Params{Spacing: *spacing, Pfa: *pfa})
	if err != nil {
		return err
	}
	w := stdout
	if *out != "-" {
		of, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer of.Close()
		w = of
	}
	if err := sar.WriteGeoJSON(w, sc, objs); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if *out != "-" {
		if err := w.(*os.File).Close(); err != nil {
			return err
		}
		geo := "not georeferenced: pixel positions only"
		if sc.Place != nil {
			geo = "georeferenced"
		}
		fmt.Fprintf(stdout, "%s: %d×%d px, %d detections (%s) → %s\n", path, g.W, g.H, len(objs), geo, *out)
		if sc.Place != nil && sc.Time.IsZero() {
			fmt.Fprintln(stderr, "pharos sar detect: no --time: pharos run rejects detections without an acquisition time")
		}
	}
	return nil
}
