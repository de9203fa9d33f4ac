package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"pharos/internal/detect"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/node"
	"pharos/internal/server/auth"
	"pharos/internal/sim"
)

// demoCapture is the real capture the demo replays: five minutes of Danish
// waters on 2013-11-12, from the Danish Maritime Authority.
const demoCapture = "ais-nmea/dma_aisabnormal_ais-sample_20131112.txt.gz"

// demoScenario is the simulated night the demo replays, from the
// repository's root.
const demoScenario = "scenarios/gibraltar.yaml"

// demoPassword is the password of the demo's users, printed at start.
const demoPassword = "pharos-demo-only"

//go:embed demodata/sections.geojson
var demoSections []byte

// runDemo runs a complete node with no set-up: the real AIS capture and a
// simulated night in the Strait of Gibraltar (radar, AIS, a SAR pass,
// patrols) replayed as live, border sections for Spain and Morocco, and
// demo users, until ctx ends.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("demo", flag.ContinueOnError)
	fset.SetOutput(stderr)
	listen := fset.String("listen", envOr("PHAROS_LISTEN", "127.0.0.1:8080"), "address to serve the API on (env PHAROS_LISTEN)")
	data := fset.String("data", os.Getenv("PHAROS_DATA_DIR"), "data directory (env PHAROS_DATA_DIR; default: a temporary one, removed at exit)")
	shared := fset.String("shared-data", defaultDataDir(), "the shared real data set (env PHAROS_DATA)")
	scenario := fset.String("scenario", demoScenario, "the scenario of the simulated night")
	skip := fset.Duration("skip", 15*time.Minute, "start the replay this far into the scenario (the picture catches up at once)")
	peers := fset.Bool("peers", true, "run the demo node's sharing peers too (Portugal, an EU hub, Morocco), each a node of its own")
	if _, err := parseInterspersed(fset, args); err != nil {
		return errUsage
	}
	capture := filepath.Join(*shared, demoCapture)
	haveCapture := fileExists(capture)
	haveScenario := fileExists(*scenario)
	if !haveCapture && !haveScenario {
		return fmt.Errorf("the demo replays the real DMA capture, expected at %s, and the scenario %s: "+
			"point --shared-data or PHAROS_DATA at the shared data directory, or run from the repository's root", capture, *scenario)
	}
	if *data == "" {
		dir, err := os.MkdirTemp("", "pharos-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*data = dir
	}
	cfg := &node.Config{Node: demoSelf}
	var sources []node.Input
	if haveScenario {
		simDir := filepath.Join(*data, "sim")
		simCfg, err := demoSim(*scenario, simDir, stdout)
		if err != nil {
			return err
		}
		cfg.Radars, cfg.OwnAssets = simCfg.Radars, simCfg.OwnAssets
		in, err := node.Loop(func() (node.Input, error) { return openAll(simDir, simCfg) }, time.Minute)
		if err != nil {
			return err
		}
		sources = append(sources, in)
	} else {
		fmt.Fprintf(stdout, "(%s not found: run the demo from the repository's root to see the simulated night)\n", *scenario)
	}
	if haveCapture {
		// The capture starts where the replay does: skip into the
		// scenario, or now when there is none.
		start := time.Now()
		if haveScenario {
			first, err := firstTime(func() (node.Input, error) { return openAll(filepath.Join(*data, "sim"), cfg) })
			if err != nil {
				return err
			}
			start = first.Add(*skip)
		}
		in, err := demoCaptureLoop(capture, cfg, start)
		if err != nil {
			return err
		}
		sources = append(sources, in)
		fmt.Fprintf(stdout, "Replaying %s (Contains data from the Danish Maritime Authority).\n", capture)
	} else {
		fmt.Fprintf(stdout, "(%s not found: the demo shows the simulated night alone)\n", capture)
	}
	if err := demoConfig(cfg, *data); err != nil {
		return err
	}
	if *peers {
		peerCtx, stopPeers := context.WithCancel(ctx)
		wait, err := demoSharing(peerCtx, cfg, *data, stdout, stderr)
		if err != nil {
			stopPeers()
			return err
		}
		defer wait()
		defer stopPeers()
	}
	merged, err := node.NewMerge(sources)
	if err != nil {
		return err
	}
	defer merged.Close()
	fmt.Fprintf(stdout, "Log in as duty (operator), analyst, admin or auditor; password %q.\n", demoPassword)
	return serveNode(ctx, cfg, node.Options{Data: *data, Sources: []node.Source{&node.Replay{In: merged, Skip: *skip}}},
		*listen, stdout, stderr)
}

// demoSim simulates the scenario into dir and returns the configuration
// it wrote (radars, own assets).
func demoSim(scenario, dir string, stdout io.Writer) (*node.Config, error) {
	sc, err := sim.Load(scenario)
	if err != nil {
		return nil, err
	}
	land, err := geo.LoadLand()
	if err != nil {
		return nil, err
	}
	// The demo replays the pass's detections; rendering its radar image
	// too would cost start-up a quarter of a second for a file nothing
	// reads.
	for i := range sc.Sensors.Satellites {
		sc.Sensors.Satellites[i].Image = nil
	}
	if _, err := sim.Run(sc, sc.Seed, land, dir); err != nil {
		return nil, err
	}
	if err := writeSimConfig(sc, dir); err != nil {
		return nil, err
	}
	fmt.Fprintf(stdout, "Replaying a simulated night (%s): radars, AIS, a SAR pass, patrols, go-fasts, a boat in distress.\n", scenario)
	return node.LoadConfig(filepath.Join(dir, node.ConfigFile))
}

// openAll opens a file, or every input of a directory, as one input in
// time order.
func openAll(path string, cfg *node.Config) (node.Input, error) {
	files, _, err := node.ExpandInputs([]string{path})
	if err != nil {
		return nil, err
	}
	m, err := node.OpenMerged(files, cfg, nil)
	if err != nil {
		return nil, err // not a nil *Merge in an Input
	}
	return m, nil
}

// demoCaptureLoop loops the real capture, shifted to start at start.
func demoCaptureLoop(path string, cfg *node.Config, start time.Time) (node.Input, error) {
	open := func() (node.Input, error) { return node.OpenInput(path, cfg) }
	first, err := firstTime(open)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	loop, err := node.Loop(open, 0)
	if err != nil {
		return nil, err
	}
	return node.Shift(loop, start.Sub(first)), nil
}

// demoConfig gives the demo node its border sections, users and a
// watchlist entry.
func demoConfig(cfg *node.Config, dir string) error {
	sections := filepath.Join(dir, "sections.geojson")
	if err := os.WriteFile(sections, demoSections, 0o644); err != nil {
		return err
	}
	cfg.Areas = []string{sections}
	for _, u := range []struct{ name, role string }{
		{"duty", string(auth.Operator)}, {"analyst", string(auth.Analyst)},
		{"admin", string(auth.Administrator)}, {"auditor", string(auth.Auditor)},
	} {
		hash, err := auth.HashPassword(demoPassword, auth.DefaultParams)
		if err != nil {
			return err
		}
		cfg.Users = append(cfg.Users, node.User{Name: u.name, Role: u.role, PasswordHash: hash})
	}
	cfg.Watchlist = []detect.WatchEntry{{ID: "SIS-DEMO-1", Name: "MAR AZUL", Reason: "discreet check requested (demo)",
		Impact: model.ImpactHigh}}
	return nil
}

// firstTime is the time of an input's first observation.
func firstTime(open func() (node.Input, error)) (time.Time, error) {
	in, err := open()
	if err != nil {
		return time.Time{}, err
	}
	defer in.Close()
	o, err := in.Next()
	return o.Time, err
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

// defaultDataDir is where the shared data set lives beside a checkout.
func defaultDataDir() string {
	if d := os.Getenv("PHAROS_DATA"); d != "" {
		return d
	}
	return filepath.Join("..", "shared", "data")
}
