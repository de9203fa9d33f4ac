package sim

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"pharos/internal/eval"
	"pharos/internal/geo"
	"pharos/internal/source"
)

// Output names the files a run writes into its directory.
const (
	FileAIS    = "ais.nmea"
	FileRadar  = "radar.nmea"
	FileAssets = "assets.cot"
	FileTruth  = "truth.json"
	// Each satellite pass is written to its own GeoJSON file, named
	// "satellite-<pass id>.geojson": a FeatureCollection holds one scene.
	FileSatellitePrefix = "satellite-"
)

// Summary counts what a run wrote.
type Summary struct {
	Vessels, AISLines, RadarLines, SatelliteDetections, SARImages, AssetReports, Events int
}

// Run simulates the scenario with a seed and writes its sensor data, in the
// real formats Pharos reads, and its ground truth into dir. land keeps
// routes off land; nil skips those checks.
func Run(sc *Scenario, seed uint64, land Land, dir string) (Summary, error) {
	w, err := expand(sc, seed, land)
	if err != nil {
		return Summary{}, err
	}
	w.completeEvents()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, err
	}
	var sum Summary
	sum.Vessels, sum.Events = len(w.actors), len(w.events)

	aisLines := w.aisLines(seed)
	sum.AISLines = len(aisLines)
	if err := writeLines(filepath.Join(dir, FileAIS), aisLines); err != nil {
		return sum, err
	}
	radar := w.radarLines(seed, land)
	sum.RadarLines = len(radar)
	if err := writeLines(filepath.Join(dir, FileRadar), radar); err != nil {
		return sum, err
	}
	for _, p := range w.satellitePasses(seed, land) {
		sum.SatelliteDetections += len(p.dets)
		err := writeFile(filepath.Join(dir, FileSatellitePrefix+p.scene.ID+".geojson"), func(b *bufio.Writer) error {
			return source.WriteSatelliteGeoJSON(b, p.scene, p.dets)
		})
		if err != nil {
			return sum, err
		}
	}
	if sum.SARImages, err = w.sarImages(seed, land, dir); err != nil {
		return sum, err
	}
	assets := w.assetObservations()
	sum.AssetReports = len(assets)
	err = writeFile(filepath.Join(dir, FileAssets), func(b *bufio.Writer) error {
		for _, o := range assets {
			b.Write(source.AppendCoT(nil, o))
			b.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	truth := w.truth(seed)
	err = writeFile(filepath.Join(dir, FileTruth), func(b *bufio.Writer) error {
		enc := json.NewEncoder(b)
		return enc.Encode(truth)
	})
	return sum, err
}

func writeLines(path string, ls []line) error {
	return writeFile(path, func(b *bufio.Writer) error {
		for _, l := range ls {
			b.Write(l.text)
		}
		return nil
	})
}

func writeFile(path string, fill func(*bufio.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	b := bufio.NewWriterSize(f, 1<<16)
	if err := fill(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := b.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// truth samples every vessel on the common grid, marking whether its AIS
// is on and whether a sensor covers it.
func (w *world) truth(seed uint64) eval.Truth {
	step := w.sc.Step.D()
	t := eval.Truth{Scenario: w.sc.Name, Seed: int64(seed), Start: w.start, End: w.end,
		StepSeconds: step.Seconds(), Events: w.events}
	for _, a := range w.actors {
		v := eval.Vessel{ID: a.ID, Kind: a.Kind, MMSI: a.MMSI, LengthM: a.Length}
		if a.AIS.Mode == "clone" {
			v.AISMMSI = a.AIS.CloneOf
		}
		for ts := w.start; !ts.After(w.end); ts = ts.Add(step) {
			if !a.path.present(ts) {
				continue
			}
			lat, lon, sog, cog := a.path.at(ts)
			v.Samples = append(v.Samples, eval.Sample{T: ts, Lat: lat, Lon: lon, SOG: sog, COG: cog,
				AIS: a.transmits(ts, w.start), Covered: w.covered(ts, lat, lon, step)})
		}
		if len(v.Samples) > 0 {
			t.Vessels = append(t.Vessels, v)
		}
	}
	return t
}

// covered reports whether a radar's range, or a satellite footprint at a
// pass within half a step, holds the point.
func (w *world) covered(ts time.Time, lat, lon float64, step time.Duration) bool {
	for _, r := range w.sc.Sensors.Radars {
		if geo.Distance(r.Site.lat(), r.Site.lon(), lat, lon) <= r.RangeKm*1000 {
			return true
		}
	}
	for _, s := range w.sc.Sensors.Satellites {
		d := ts.Sub(w.start.Add(s.At.D()))
		if d.Abs() <= step/2 && geo.InRing(lat, lon, footprintRing(s.Footprint)) {
			return true
		}
	}
	return false
}
