package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"pharos/internal/geo"
	"pharos/internal/geotiff"
	"pharos/internal/sar"
)

const sarUsage = `usage: pharos sar detect SCENE.tif|CHIP.jpg|CHIP.png --out detections.geojson [--lat DEG --lon DEG --spacing M] [--time RFC3339] [--scene ID] [detector options]
       pharos sar eval --truth sar-truth.json [detector options]
detector options: [--preset snap|small] [--model gaussian|k] [--looks N] [--target-px N] [--pfa P] [--intensity] [--land-buffer M] [--no-land]`

func runSAR(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "detect":
			return runSARDetect(ctx, args[1:], stdout, stderr)
		case "eval":
			return runSAREval(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, sarUsage)
	return errUsage
}

// detectorFlags are the options detect and eval share.
type detectorFlags struct {
	preset, model   *string
	looks, target   *int
	pfa, landBuffer *float64
	noLand          *bool
	intensity       *bool
	land            *geo.Land // loaded once, when first needed
}

func addDetectorFlags(fs *flag.FlagSet) *detectorFlags {
	return &detectorFlags{
		preset:     fs.String("preset", "snap", "snap: ESA SNAP's defaults (Gaussian model, 75 m target, 400 m guard, 1000 m background windows, Pfa 10^-6.5); small: the K model, a 3-pixel target window and Pfa 10^-3, for boats down to 15 m"),
		model:      fs.String("model", "", "clutter model, gaussian or k (default: the preset's)"),
		looks:      fs.Int("looks", 0, "looks of the speckle for the K model (default 1; Sentinel-1 IW GRD has about 4)"),
		target:     fs.Int("target-px", 0, "target window side in pixels, odd (default: the preset's)"),
		pfa:        fs.Float64("pfa", 0, "false-alarm probability per pixel (default: the preset's)"),
		landBuffer: fs.Float64("land-buffer", sar.DefaultLandBuffer, "metres from the coastline the land mask reaches (georeferenced images)"),
		noLand:     fs.Bool("no-land", false, "do not mask land"),
		intensity:  fs.Bool("intensity", false, "the image holds intensity (power, σ0), not amplitude"),
	}
}

// check refuses what the detector would otherwise take silently: a land
// buffer of 0 or less would become the default, and NaN would mask every
// pixel.
func (d *detectorFlags) check() error {
	if !(*d.landBuffer > 0) || math.IsInf(*d.landBuffer, 0) {
		return fmt.Errorf("--land-buffer %g: metres, more than 0 (--no-land turns masking off)", *d.landBuffer)
	}
	return nil
}

// params turns the flags into detector parameters for an image of the
// given spacing.
func (d *detectorFlags) params(spacing float64) (sar.Params, error) {
	var p sar.Params
	switch *d.preset {
	case "snap":
		p = sar.Params{Spacing: spacing}
	case "small":
		p = sar.SmallCraft(spacing, max(*d.looks, 1))
	default:
		return p, fmt.Errorf("--preset %q: snap or small", *d.preset)
	}
	if *d.model != "" {
		m, ok := sar.ParseModel(*d.model)
		if !ok {
			return p, fmt.Errorf("--model %q: gaussian or k", *d.model)
		}
		p.Model = m
	}
	if *d.looks != 0 {
		p.Looks = *d.looks
	}
	if *d.target != 0 {
		p.Target = *d.target
	}
	if *d.pfa != 0 {
		p.Pfa = *d.pfa
	}
	p.Intensity = *d.intensity
	return p, nil
}

// landFor returns the land data when masking is on.
func (d *detectorFlags) landFor() (*geo.Land, error) {
	if *d.noLand {
		return nil, nil
	}
	if d.land == nil {
		land, err := geo.LoadLand()
		if err != nil {
			return nil, err
		}
		d.land = land
	}
	return d.land, nil
}

func runSARDetect(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sar detect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "GeoJSON file to write the detections to (- for stdout)")
	lat := fs.Float64("lat", 0, "latitude of a chip's top-left (north-west) corner; the chip is taken as north-up")
	lon := fs.Float64("lon", 0, "longitude of a chip's top-left corner")
	spacing := fs.Float64("spacing", 0, "pixel spacing, metres; windows and size limits then follow SNAP's metres")
	at := fs.String("time", "", "acquisition time, RFC 3339 (fusion needs it)")
	sceneID := fs.String("scene", "", "scene id (default: the image's file name)")
	quiet := fs.Bool("quiet", false, "no progress bar")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "tiles processed at once (each holds some 60 MB)")
	det := addDetectorFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 || *out == "" {
		fmt.Fprintln(stderr, sarUsage)
		return errUsage
	}
	if err := det.check(); err != nil {
		return err
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
	img, err := openSARImage(path)
	if err != nil {
		return err
	}
	defer img.Close()
	w, h := img.Size()
	sc := sar.Scene{ID: *sceneID, W: w, H: h, Place: img.Place, Spacing: img.Spacing}
	if sc.ID == "" {
		sc.ID = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if *at != "" {
		if sc.Time, err = time.Parse(time.RFC3339, *at); err != nil {
			return fmt.Errorf("--time: %w", err)
		}
	}
	if set["spacing"] {
		sc.Spacing = *spacing
	}
	if set["lat"] {
		sc.Place = sar.Georef{Lat: *lat, Lon: *lon, Spacing: *spacing}
	}
	p, err := det.params(sc.Spacing)
	if err != nil {
		return err
	}
	opt := sar.SceneOptions{LandBuffer: *det.landBuffer, Workers: *workers}
	if sc.Place != nil && sc.Spacing > 0 {
		if opt.Land, err = det.landFor(); err != nil {
			return err
		}
		opt.Place = sc.Place
	}
	if bar := progressTo(stderr, *quiet); bar != nil {
		pb := progressbar.NewOptions(-1, progressbar.OptionSetWriter(bar), progressbar.OptionSetDescription(filepath.Base(path)),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish(), progressbar.OptionShowCount())
		opt.Progress = func(done, total int) {
			pb.ChangeMax(total)
			pb.Set(done)
		}
		defer pb.Finish()
	}
	start := time.Now()
	objs, err := sar.DetectScene(img, p, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	took := time.Since(start)
	dst := stdout
	if *out != "-" {
		of, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer of.Close()
		dst = of
	}
	if err := sar.WriteGeoJSON(dst, sc, objs); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	if *out == "-" {
		return nil
	}
	if err := dst.(*os.File).Close(); err != nil {
		return err
	}
	where := "not georeferenced: pixel positions only"
	if sc.Place != nil {
		where = "georeferenced"
		if opt.Land != nil {
			where += ", land masked"
		}
	}
	fmt.Fprintf(stdout, "%s: %d×%d px, %d detections (%s) in %s (%.1f Mpx/s) → %s\n", path, w, h, len(objs), where,
		took.Round(time.Millisecond), float64(w*h)/1e6/took.Seconds(), *out)
	if sc.Place != nil && sc.Time.IsZero() {
		fmt.Fprintln(stderr, "pharos sar detect: no --time: pharos run rejects detections without an acquisition time")
	}
	return nil
}

// sarImage is an image to detect in, with what it says of its place on
// the Earth.
type sarImage struct {
	sar.Rows
	Place   sar.Placement // nil when the file carries no georeference
	Spacing float64
	close   func() error
}

func (i *sarImage) Close() error {
	if i.close == nil {
		return nil
	}
	return i.close()
}

// openSARImage opens a GeoTIFF scene (read band by band) or, when the file
// is no TIFF, a JPEG or PNG chip (decoded whole: chips are small).
func openSARImage(path string) (*sarImage, error) {
	tf, err := geotiff.OpenFile(path)
	if errors.Is(err, geotiff.ErrNotTIFF) {
		return openChip(path)
	}
	if err != nil {
		return nil, err // naming the file already
	}
	img := &sarImage{Rows: tiffRows{tf.Image}, close: tf.Close}
	if ref, err := tf.Georef(); err == nil {
		sx, sy := ref.Spacing()
		img.Place, img.Spacing = tiffPlace{ref}, math.Sqrt(sx*sy)
	} else if !errors.Is(err, geotiff.ErrNoGeoref) {
		tf.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

func openChip(path string) (*sarImage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	g, err := sar.ReadChip(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &sarImage{Rows: g}, nil
}

// tiffRows gives a GeoTIFF the size sar.Rows asks for.
type tiffRows struct{ *geotiff.Image }

func (t tiffRows) Size() (w, h int) { return t.Width, t.Height }

// ReadRows reads rows as the GeoTIFF holds them, its no-data value (a
// swath's edge, a masked area) turned to NaN, which the detector leaves
// out as it does land.
func (t tiffRows) ReadRows(y0, y1 int, dst []float32) error {
	if err := t.Image.ReadRows(y0, y1, dst); err != nil {
		return err
	}
	if t.HasNoData {
		nd := float32(t.NoData)
		nan := float32(math.NaN())
		for i, v := range dst[:(y1-y0)*t.Width] {
			if v == nd {
				dst[i] = nan
			}
		}
	}
	return nil
}

// tiffPlace places pixels through a GeoTIFF's georeferencing.
type tiffPlace struct{ g *geotiff.Georef }

func (p tiffPlace) LatLon(x, y float64) (lat, lon float64) {
	lon, lat = p.g.LonLat(x, y)
	return lat, lon
}

// runSAREval runs the detector on the chips a truth file lists (as
// `pharos sim --sar-chips` writes them) and scores it.
func runSAREval(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sar eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	truthFile := fs.String("truth", "", "truth file (JSON) listing the chips and their ships")
	det := addDetectorFlags(fs)
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 0 || *truthFile == "" {
		fmt.Fprintln(stderr, sarUsage)
		return errUsage
	}
	if err := det.check(); err != nil {
		return err
	}
	f, err := os.Open(*truthFile)
	if err != nil {
		return err
	}
	chips, err := sar.ReadTruth(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *truthFile, err)
	}
	if len(chips) == 0 {
		return errors.New("no chips in the truth file")
	}
	land, err := det.landFor()
	if err != nil {
		return err
	}
	var total sar.Tally
	var ships int
	start := time.Now()
	for _, c := range chips {
		path := filepath.Join(filepath.Dir(*truthFile), c.File)
		img, err := openSARImage(path)
		if err != nil {
			return err
		}
		p, err := det.params(c.Spacing)
		if err != nil {
			return err
		}
		place := sar.Georef{Lat: c.Lat, Lon: c.Lon, Spacing: c.Spacing}
		opt := sar.SceneOptions{LandBuffer: *det.landBuffer, Workers: runtime.GOMAXPROCS(0)}
		if land != nil {
			opt.Place, opt.Land = place, land
		}
		objs, err := sar.DetectScene(img, p, opt)
		img.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		total = total.Add(sar.ScoreChip(objs, c, land))
		ships += len(c.Ships)
	}
	fmt.Fprintf(stdout, "%d chips, %d ships, detected in %s; a detection matches a ship whose centre is within 200 m\n",
		len(chips), ships, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "%-11s %5s %5s %5s %9s %6s %5s\n", "", "TP", "FP", "FN", "precision", "recall", "F1")
	for _, row := range []struct {
		name string
		m    sar.Match
	}{{"offshore", total.Offshore}, {"near-shore", total.NearShore}, {"all", total.Offshore.Add(total.NearShore)}} {
		p, r, f1 := row.m.PRF()
		fmt.Fprintf(stdout, "%-11s %5d %5d %5d %9.2f %6.2f %5.2f\n", row.name, row.m.TP, row.m.FP, row.m.FN, p, r, f1)
	}
	return nil
}
