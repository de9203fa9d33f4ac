package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// demoCapture is the real capture the demo decodes: five minutes of Danish
// waters on 2013-11-12, from the Danish Maritime Authority.
const demoCapture = "ais-nmea/dma_aisabnormal_ais-sample_20131112.txt.gz"

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fset := flag.NewFlagSet("demo", flag.ContinueOnError)
	fset.SetOutput(stderr)
	dataDir := fset.String("data", defaultDataDir(), "the shared real data set (env PHAROS_DATA)")
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
	return nil
}

// defaultDataDir is where the shared data set lives beside a checkout.
func defaultDataDir() string {
	if d := os.Getenv("PHAROS_DATA"); d != "" {
		return d
	}
	return filepath.Join("..", "shared", "data")
}
