package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"pharos/internal/eval"
)

func runEval(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	truthPath := fs.String("truth", "", "truth.json written by pharos sim")
	runDir := fs.String("run", "", "run directory written by pharos run")
	cutoff := fs.Float64("cutoff", 500, "GOSPA/OSPA cut-off c, metres")
	order := fs.Float64("order", 2, "GOSPA/OSPA order p")
	maxAge := fs.Duration("max-age", eval.DefaultMaxAge, "how old a track's last state may be and still count")
	if _, err := parseInterspersed(fs, args); err != nil || *truthPath == "" || *runDir == "" {
		fmt.Fprintln(stderr, "usage: pharos eval --truth DIR/truth.json --run RUN [--cutoff M] [--order P]")
		return errUsage
	}
	tf, err := os.Open(*truthPath)
	if err != nil {
		return err
	}
	defer tf.Close()
	truth, err := eval.ReadTruth(tf)
	if err != nil {
		return fmt.Errorf("%s: %w", *truthPath, err)
	}
	rf, err := os.Open(filepath.Join(*runDir, TracksFile))
	if err != nil {
		return err
	}
	defer rf.Close()
	tracks, err := eval.ReadTracks(rf)
	if err != nil {
		return fmt.Errorf("%s: %w", rf.Name(), err)
	}
	res := eval.Evaluate(truth, tracks, eval.Options{Cutoff: *cutoff, Order: *order, MaxAge: *maxAge})
	if ef, err := os.Open(filepath.Join(*runDir, EventsFile)); err == nil {
		events, err := eval.ReadEvents(ef)
		ef.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", ef.Name(), err)
		}
		res.Events = eval.EvaluateEvents(truth, events)
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", b)
	return err
}
