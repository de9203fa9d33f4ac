package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"pharos/internal/picture"
	"time"

	"pharos/internal/geo"
	"pharos/internal/node"
	"pharos/internal/sim"
)

func runSim(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenario := fs.String("scenario", "", "scenario file (YAML), e.g. scenarios/gibraltar.yaml")
	seed := fs.Uint64("seed", 0, "random seed (default: the scenario's)")
	out := fs.String("out", "", "directory to write sensor data and truth.json into")
	year := fs.Int("year", 0, "simulate whole years of incidents instead, ending with this one: DIR/incidents.jsonl, events.jsonl, tracks.jsonl, sections.geojson, node.yaml")
	years := fs.Int("years", 2, "with --year: how many years end with it (the annual report compares a year with the one before)")
	scale := fs.Float64("scale", 1, "with --year: multiply every rate (100 gives about 100,000 incidents a year in the strait)")
	areas := fs.String("areas", "", "with --year: border sections (GeoJSON) to write instead of those derived from the territorial waters")
	nodeName := fs.String("node", "pharos", "with --year: the node that originates and owns the incidents")
	sarChips := fs.Int("sar-chips", 0, "render this many synthetic SAR chips instead (8-bit PNG, 10 m pixels, K-distributed sea clutter, ships of known size, half across a coast) and their truth: DIR/sar-truth.json")
	if _, err := parseInterspersed(fs, args); err != nil || (*scenario == "") == (*sarChips == 0) || *out == "" {
		fmt.Fprintln(stderr, "usage: pharos sim --scenario FILE [--seed N] --out DIR\n       pharos sim --scenario FILE --year YYYY [--years N] [--scale F] [--areas FILE] [--seed N] --out DIR\n       pharos sim --sar-chips N [--seed N] --out DIR")
		return errUsage
	}
	if *sarChips > 0 {
		return simSARChips(*sarChips, max(*seed, 1), *out, stdout)
	}
	sc, err := sim.Load(*scenario)
	if err != nil {
		return err
	}
	if *seed == 0 {
		*seed = sc.Seed
	}
	land, err := geo.LoadLand()
	if err != nil {
		return err
	}
	if *year != 0 {
		return simYears(sc, sim.YearOptions{Year: *year, Years: *years, Seed: *seed, Scale: *scale, Land: land},
			*areas, *nodeName, *out, stdout)
	}
	start := time.Now()
	sum, err := sim.Run(sc, *seed, land, *out)
	if err != nil {
		return err
	}
	if err := writeSimConfig(sc, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s seed %d: %d vessels, %d events; wrote %d AIS lines, %d radar plots, %d satellite detections, %d SAR images, %d asset reports to %s in %s\n",
		sc.Name, *seed, sum.Vessels, sum.Events, sum.AISLines, sum.RadarLines, sum.SatelliteDetections, sum.SARImages, sum.AssetReports,
		*out, time.Since(start).Round(time.Millisecond))
	return nil
}

// writeSimConfig writes the node configuration a run of a simulation
// needs into its directory: where the radars are, which vessels are own
// assets.
func writeSimConfig(sc *sim.Scenario, dir string) error {
	cfg := node.Config{}
	for _, r := range sc.Sensors.Radars {
		cfg.Radars = append(cfg.Radars, node.Radar{ID: r.ID, Lat: r.Site[0], Lon: r.Site[1], RangeM: r.RangeKm * 1000,
			Period: r.Period.D(), SigmaRange: r.SigmaRange, SigmaBearing: r.SigmaBearing})
	}
	for _, v := range sc.Vessels {
		if v.Own != nil && v.MMSI != 0 {
			cfg.OwnAssets = append(cfg.OwnAssets, v.MMSI)
		}
	}
	return cfg.WriteFile(filepath.Join(dir, node.ConfigFile))
}

// Files a simulated year writes beside incidents.jsonl, events.jsonl and
// tracks.jsonl.
const (
	SectionsFile = "sections.geojson"
)

// simYears simulates whole years of the scenario's threats and writes
// what a node would have kept of them: the detections (events.jsonl), the
// incidents the picture opened and the people of the centre worked on
// (incidents.jsonl, as pharos run writes it), the tracks of the craft,
// thinned (tracks.jsonl), the border sections (sections.geojson) and a
// node.yaml naming them.
func simYears(sc *sim.Scenario, opt sim.YearOptions, areasFile, nodeName, dir string, stdout io.Writer) error {
	begin := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var sections []geo.Area
	if areasFile != "" {
		f, err := os.Open(areasFile)
		if err != nil {
			return err
		}
		sections, err = geo.ParseAreasGeoJSON(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", areasFile, err)
		}
	} else {
		waters, err := geo.LoadTerritorialWaters()
		if err != nil {
			return err
		}
		sections = sim.Sections(sc, waters)
	}
	if err := writeFileWith(filepath.Join(dir, SectionsFile), func(w io.Writer) error { return sim.WriteAreasGeoJSON(w, sections) }); err != nil {
		return err
	}
	cfg := node.Config{Node: nodeName, Areas: []string{SectionsFile}}
	if err := cfg.WriteFile(filepath.Join(dir, node.ConfigFile)); err != nil {
		return err
	}

	ef, err := os.Create(filepath.Join(dir, EventsFile))
	if err != nil {
		return err
	}
	defer ef.Close()
	tf, err := os.Create(filepath.Join(dir, TracksFile))
	if err != nil {
		return err
	}
	defer tf.Close()
	ew, tw := bufio.NewWriterSize(ef, 1<<20), bufio.NewWriterSize(tf, 1<<20)
	eenc, tenc := json.NewEncoder(ew), json.NewEncoder(tw)

	// The incidents come from the picture itself, as a node opens them.
	pic := picture.New(nodeName)
	end := time.Date(opt.Year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	sum, err := sim.Year(sc, opt, func(e *sim.YearEvent) error {
		ev := e.Detection
		if err := eenc.Encode(ev); err != nil {
			return err
		}
		for i := range e.Track {
			if err := tenc.Encode(&e.Track[i]); err != nil {
				return err
			}
		}
		// The picture needs no evidence to open an incident.
		ev.Evidence, ev.Details, ev.Params, ev.Risk = nil, nil, nil, nil
		id := pic.Detect(ev)
		in := e.Incident
		if in == nil {
			return nil
		}
		if in.Manual {
			opened, err := pic.Open(picture.Incident{Category: in.Category, Title: in.Title, Impact: in.Impact,
				Confidence: picture.Confidence{Reliability: "C", Credibility: 3}, Originator: "duty-officer", Owner: nodeName,
				Lat: ev.Lat, Lon: ev.Lon, Detected: ev.Start, Events: []string{ev.ID}}, ev.Start)
			if err != nil {
				return err
			}
			id = opened.ID
		}
		if id == "" {
			return fmt.Errorf("detection %s opened no incident", ev.ID)
		}
		// What people did later, as long as it happened before the data ends.
		if at := ev.Start.Add(in.ReportAfter); in.ReportAfter > 0 && at.Before(end) {
			r := picture.Report{Time: at, Author: "duty-officer", Text: "First report: " + in.Title, Impact: in.Impact,
				Confidence: picture.Confidence{Reliability: "B", Credibility: 2}}
			if err := pic.Report(id, r); err != nil {
				return err
			}
			if in.Validated {
				if err := pic.Validate(id); err != nil {
					return err
				}
			}
		}
		if at := ev.Start.Add(in.CloseAfter); in.CloseAfter > 0 && at.Before(end) {
			if err := pic.Close(id, nodeName, at); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := errors.Join(ew.Flush(), tw.Flush(), ef.Close(), tf.Close()); err != nil {
		return err
	}
	if err := writeIncidents(filepath.Join(dir, IncidentsFile), pic.Incidents(nil)); err != nil {
		return err
	}
	years := fmt.Sprint(opt.Year)
	if opt.Years > 1 {
		years = fmt.Sprintf("%d–%d", opt.Year-opt.Years+1, opt.Year)
	}
	fmt.Fprintf(stdout, "%s %s seed %d scale %g: %d detections, %d incidents, %d track states, %d border sections; wrote %s in %s\n",
		sc.Name, years, opt.Seed, opt.Scale, sum.Detections, sum.Incidents, sum.TrackStates,
		len(sections), dir, time.Since(begin).Round(time.Millisecond))
	return nil
}

// writeFileWith creates a file and fills it.
func writeFileWith(path string, fill func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if err := fill(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
