package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"pharos/internal/detect"
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
		opened = append(opened, node.Prefetch(in))
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
	areas, err := geo.LoadTerritorialWaters()
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
	byType := map[string]int{}
	var trackHours float64 // summed lifetimes of confirmed tracks, for event rates
	det := detect.NewEngine(func(ev *model.Event) {
		byType[ev.Type]++
		assessor.Event(ev)
		r := assessor.AssessEvent(ev)
		ev.Risk = &r
		writeJSON(ew, ev)
		events++
	}, detect.Defaults(land, areas)...)
	var line []byte
	tr := track.New(track.Config{Radars: cfg.Sites(), OwnAssets: cfg.OwnAssets}, func(t *track.Track) {
		line = appendTrackState(line[:0], t)
		if _, err := w.Write(line); err != nil && werr == nil {
			werr = err
		}
		emitted++
		det.Observe(t)
		if t.Status == track.Dropped {
			writeRisk(t.ID) // its last word, before the assessor forgets it
			trackHours += t.Updated.Sub(t.Created).Hours()
		}
		assessor.Track(t)
	})
	tr.Rejected = det.ObserveRejected
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
	for _, t := range tr.Tracks() {
		if t.Status != track.Tentative {
			trackHours += t.Updated.Sub(t.Created).Hours()
		}
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
	fmt.Fprintf(stdout, "detect: %d events written to %s over %.0f track-hours\n", events, filepath.Join(*out, EventsFile), trackHours)
	for _, typ := range slices.Sorted(maps.Keys(byType)) {
		fmt.Fprintf(stdout, "  %-16s %6d  (%.1f per 1,000 track-hours)\n", typ, byType[typ], float64(byType[typ])/max(trackHours, 1e-9)*1000)
	}
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

// appendTrackState writes one line of tracks.jsonl (eval.TrackState's
// JSON) by hand: it runs once per track update, where encoding/json's
// reflection cost a third of a run's time.
func appendTrackState(b []byte, t *track.Track) []byte {
	lat, lon := t.Position()
	sog, cog := t.Velocity()
	ts := t.Updated
	if t.Status == track.Dropped {
		ts = t.Ended
	}
	b = append(b, `{"t":"`...)
	b = ts.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","id":`...)
	b = strconv.AppendUint(b, t.ID, 10)
	b = append(b, `,"status":"`...)
	b = append(b, t.Status.String()...)
	b = append(b, `","lat":`...)
	b = strconv.AppendFloat(b, round(lat, 7), 'f', -1, 64)
	b = append(b, `,"lon":`...)
	b = strconv.AppendFloat(b, round(lon, 7), 'f', -1, 64)
	b = append(b, `,"sog":`...)
	b = strconv.AppendFloat(b, round(sog, 2), 'f', -1, 64)
	b = append(b, `,"cog":`...)
	b = strconv.AppendFloat(b, round(cog, 1), 'f', -1, 64)
	b = append(b, `,"sigma_m":`...)
	b = strconv.AppendFloat(b, round(t.PositionSigma(), 1), 'f', -1, 64)
	if t.Identity != nil {
		if t.Identity.MMSI != 0 {
			b = append(b, `,"mmsi":`...)
			b = strconv.AppendUint(b, uint64(t.Identity.MMSI), 10)
		}
		if t.Identity.Name != "" {
			b = append(b, `,"name":`...)
			b = appendJSONString(b, t.Identity.Name)
		}
	}
	b = append(b, `,"sensors":[`...)
	for i, name := range t.Sensors.Names() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"')
	}
	b = append(b, `],"dark":`...)
	b = strconv.AppendBool(b, t.Dark())
	b = append(b, `,"own_asset":`...)
	b = strconv.AppendBool(b, t.OwnAsset)
	b = append(b, `,"unconfirmed":`...)
	b = strconv.AppendBool(b, t.Unconfirmed)
	return append(b, '}', '\n')
}

// appendJSONString writes s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&15])
		default:
			b = utf8.AppendRune(b, r) // invalid bytes come out as U+FFFD
		}
	}
	return append(b, '"')
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
