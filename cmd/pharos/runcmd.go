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
	"time"

	"pharos/internal/detect"
	"pharos/internal/eval"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/node"
	"pharos/internal/risk"
	"pharos/internal/track"
)

// Outputs inside a run directory.
const (
	TracksFile = "tracks.jsonl"
	EventsFile = "events.jsonl"
	RiskFile   = "risk.jsonl"
)

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "node configuration (radars, own assets); default: node.yaml in an input directory")
	out := fs.String("out", "", "run directory to write tracks.jsonl into")
	inputs, err := parseInterspersed(fs, args)
	if err != nil || *out == "" || len(inputs) == 0 {
		fmt.Fprintln(stderr, "usage: pharos run [--config node.yaml] --out RUN INPUT…   (files or directories)")
		return errUsage
	}
	files, cfg, err := node.ExpandInputs(inputs)
	if err != nil {
		return err
	}
	if *config != "" {
		if cfg, err = node.LoadConfig(*config); err != nil {
			return err
		}
	}
	if cfg == nil {
		cfg = &node.Config{}
	}
	var opened []node.Input
	for _, f := range files {
		in, err := node.OpenInput(f, cfg)
		if err != nil {
			return err
		}
		opened = append(opened, in)
	}
	merge, err := node.NewMerge(opened)
	if err != nil {
		return err
	}
	defer merge.Close()

	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(*out, TracksFile))
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<16)
	ef, err := os.Create(filepath.Join(*out, EventsFile))
	if err != nil {
		return err
	}
	defer ef.Close()
	ew := bufio.NewWriterSize(ef, 1<<16)
	var werr error
	writeJSON := func(w io.Writer, v any) {
		if werr != nil {
			return
		}
		b, err := json.Marshal(v)
		if err == nil {
			b = append(b, '\n')
			_, err = w.Write(b)
		}
		werr = err
	}
	land, err := geo.LoadLand()
	if err != nil {
		return err
	}
	rf, err := os.Create(filepath.Join(*out, RiskFile))
	if err != nil {
		return err
	}
	defer rf.Close()
	rw := bufio.NewWriterSize(rf, 1<<16)
	assessor := risk.New(nil)
	writeRisk := func(id uint64) {
		if r := assessor.Assess(id); r.Score > 0 {
			writeJSON(rw, trackRisk{TrackID: id, Risk: r})
		}
	}
	emitted, events := 0, 0
	det := detect.NewEngine(func(ev *model.Event) {
		assessor.Event(ev)
		r := assessor.AssessEvent(ev)
		ev.Risk = &r
		writeJSON(ew, ev)
		events++
	}, detect.Defaults(land)...)
	tr := track.New(track.Config{Radars: cfg.Sites(), OwnAssets: cfg.OwnAssets}, func(t *track.Track) {
		writeJSON(w, trackState(t))
		emitted++
		det.Observe(t)
		if t.Status == track.Dropped {
			writeRisk(t.ID) // its last word, before the assessor forgets it
		}
		assessor.Track(t)
	})
	start := time.Now()
	n := 0
	for {
		o, err := merge.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if n++; n%65536 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		tr.Add(&o)
		det.Advance(tr.Now())
	}
	tr.Flush()
	det.Flush()
	for _, id := range assessor.Tracks() {
		writeRisk(id)
	}
	if werr != nil {
		return werr
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := ew.Flush(); err != nil {
		return err
	}
	if err := rw.Flush(); err != nil {
		return err
	}
	elapsed := time.Since(start)
	st := tr.Stats
	fmt.Fprintf(stdout, "run: %d inputs, %d observations in %s (%.0f/s); %d track updates written to %s\n",
		len(files), n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), emitted, filepath.Join(*out, TracksFile))
	fmt.Fprintf(stdout, "tracker: %+v\n", st)
	fmt.Fprintf(stdout, "detect: %d events written to %s\n", events, filepath.Join(*out, EventsFile))
	if rj := merge.Rejects(); len(rj) > 0 {
		fmt.Fprintf(stdout, "input rejects: %v\n", rj)
	}
	if err := ef.Close(); err != nil {
		return err
	}
	if err := rf.Close(); err != nil {
		return err
	}
	return f.Close()
}

// trackRisk is one line of risk.jsonl: a track's assessment when it was
// dropped or when the run ended.
type trackRisk struct {
	TrackID uint64 `json:"track_id"`
	model.Risk
}

// trackState is one line of tracks.jsonl.
func trackState(t *track.Track) eval.TrackState {
	lat, lon := t.Position()
	sog, cog := t.Velocity()
	s := eval.TrackState{T: t.Updated, ID: t.ID, Status: eval.Status(t.Status.String()), Lat: lat, Lon: lon,
		SOG: round(sog, 2), COG: round(cog, 1), SigmaM: round(t.PositionSigma(), 1), Sensors: t.Sensors.Names(),
		Dark: t.Dark(), OwnAsset: t.OwnAsset, Unconfirmed: t.Unconfirmed}
	if t.Identity != nil {
		s.MMSI, s.Name = t.Identity.MMSI, t.Identity.Name
	}
	s.Lat, s.Lon = round(lat, 7), round(lon, 7)
	if t.Status == track.Dropped {
		s.T = t.Ended
	}
	return s
}

func round(v float64, places int) float64 {
	p := 1.0
	for range places {
		p *= 10
	}
	if v < 0 {
		return -float64(int64(-v*p+0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}
