package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
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
	if _, err := parseInterspersed(fs, args); err != nil || *scenario == "" || *out == "" {
		fmt.Fprintln(stderr, "usage: pharos sim --scenario FILE [--seed N] --out DIR")
		return errUsage
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
	start := time.Now()
	sum, err := sim.Run(sc, *seed, land, *out)
	if err != nil {
		return err
	}
	if err := writeSimConfig(sc, *out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s seed %d: %d vessels, %d events; wrote %d AIS lines, %d radar plots, %d satellite detections, %d asset reports to %s in %s\n",
		sc.Name, *seed, sum.Vessels, sum.Events, sum.AISLines, sum.RadarLines, sum.SatelliteDetections, sum.AssetReports,
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
