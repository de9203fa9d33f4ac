package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"pharos/internal/eval"
	"pharos/internal/model"
)

// demoCapture is the real capture the demo decodes: five minutes of Danish
// waters on 2013-11-12, from the Danish Maritime Authority.
const demoCapture = "ais-nmea/dma_aisabnormal_ais-sample_20131112.txt.gz"

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("demo", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dataDir := fset.String("data", defaultDataDir(), "the shared real data set (env PHAROS_DATA)")
	scenario := fset.String("scenario", demoScenario, "the scenario of the simulated night")
	if _, err := parseInterspersed(fset, args); err != nil {
		return errUsage
	}
	path := filepath.Join(*dataDir, demoCapture)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("the demo decodes the real DMA capture, expected at %s; "+
			"point --data or PHAROS_DATA at the shared data directory", path)
	}
	fmt.Fprintf(stdout, "Pharos demo: decoding %s\n", path)
	fmt.Fprintln(stdout, "Contains data from the Danish Maritime Authority.")
	fmt.Fprintln(stdout)
	var sum summary
	if err := ingestFile(ctx, path, &sum, progressTo(stderr, false)); err != nil {
		return err
	}
	sum.print(stdout)
	return demoNight(ctx, *scenario, stdout, stderr)
}

// demoScenario is the simulated night the demo tracks and watches, from
// the repository's root.
const demoScenario = "scenarios/gibraltar.yaml"

// demoNight simulates a night in the Strait of Gibraltar, runs the node's
// pipeline on it (track, fuse, detect, assess) and lists what an operator
// would be shown.
func demoNight(ctx context.Context, scenario string, stdout, stderr io.Writer) error {
	if _, err := os.Stat(scenario); err != nil {
		fmt.Fprintf(stdout, "\n(%s not found: run the demo from the repository's root to see a simulated night)\n", scenario)
		return nil
	}
	dir, err := os.MkdirTemp("", "pharos-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	simDir, runDir := filepath.Join(dir, "sim"), filepath.Join(dir, "run")
	fmt.Fprintf(stdout, "\nA simulated night (%s, seed 1): radars, AIS, a SAR pass, patrols.\n", scenario)
	if err := runSim(ctx, []string{"--scenario", scenario, "--seed", "1", "--out", simDir}, stdout, stderr); err != nil {
		return err
	}
	if err := runRun(ctx, []string{"--out", runDir, simDir}, io.Discard, stderr); err != nil {
		return err
	}
	f, err := os.Open(filepath.Join(runDir, EventsFile))
	if err != nil {
		return err
	}
	defer f.Close()
	events, err := eval.ReadEvents(f)
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, ev := range events {
		counts[ev.Type]++
	}
	fmt.Fprintf(stdout, "events            %d:", len(events))
	for _, typ := range slices.Sorted(maps.Keys(counts)) {
		fmt.Fprintf(stdout, " %s:%d", typ, counts[typ])
	}
	fmt.Fprintln(stdout)
	// The events an operator looks at first: the highest risk.
	slices.SortStableFunc(events, func(a, b model.Event) int {
		return cmp.Compare(riskScore(b), riskScore(a))
	})
	fmt.Fprintln(stdout, "highest risk")
	for _, ev := range events[:min(6, len(events))] {
		expl := ""
		if ev.Risk != nil {
			expl = ev.Risk.Explanation
		}
		fmt.Fprintf(stdout, "  %s %-14s %s  %.4f %.4f  risk %.2f: %s\n", ev.Start.Format("15:04"), ev.Type, ev.Impact,
			ev.Lat, ev.Lon, riskScore(ev), expl)
	}
	fmt.Fprintf(stdout, "Replay it yourself: pharos sim --scenario %s --out DIR; pharos run --out RUN DIR; pharos eval --truth DIR/truth.json --run RUN\n", scenario)
	return nil
}

func riskScore(ev model.Event) float64 {
	if ev.Risk == nil {
		return 0
	}
	return ev.Risk.Score
}

// defaultDataDir is where the shared data set lives beside a checkout.
func defaultDataDir() string {
	if d := os.Getenv("PHAROS_DATA"); d != "" {
		return d
	}
	return filepath.Join("..", "shared", "data")
}
