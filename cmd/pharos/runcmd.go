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
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"pharos/internal/detect"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/node"
	"pharos/internal/picture"
	"pharos/internal/risk"
	"pharos/internal/track"
)

// Outputs inside a run directory.
const (
	TracksFile = "tracks.jsonl"
	EventsFile = "events.jsonl"
	RiskFile   = "risk.jsonl"
	// IncidentsFile holds the incidents the run's detections opened.
	IncidentsFile = "incidents.jsonl"
)

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "node configuration (radars, own assets); default: node.yaml in an input directory")
	out := fs.String("out", "", "run directory to write tracks.jsonl, events.jsonl and risk.jsonl into")
	every := fs.Duration("track-every", 10*time.Second, "write a track's state at most this often (and at every change of status, darkness or sensors); 0: every update")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	inputs, err := parseInterspersed(fs, args)
	if err != nil || *out == "" || len(inputs) == 0 {
		fmt.Fprintln(stderr, "usage: pharos run [--config node.yaml] [--cpuprofile FILE] --out RUN INPUT…   (files or directories)")
		return errUsage
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
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
	merge, err := node.OpenMerged(files, cfg, node.Prefetch)
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
	w := bufio.NewWriterSize(f, 1<<20)
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
	areas, err := cfg.AreaSet()
	if err != nil {
		return err
	}
	dets, err := cfg.DetectorSet(land, areas)
	if err != nil {
		return err
	}
	rf, err := os.Create(filepath.Join(*out, RiskFile))
	if err != nil {
		return err
	}
	defer rf.Close()
	rw := bufio.NewWriterSize(rf, 1<<16)
	assessor := cfg.Assessor()
	writeRisk := func(id uint64) {
		if r := assessor.Assess(id); r.Score > 0 {
			writeJSON(rw, trackRisk{TrackID: id, Risk: r})
		}
	}
	emitted, events := 0, 0
	byType := map[string]int{}
	var trackHours float64 // summed lifetimes of confirmed tracks, for event rates
	pic := picture.New(cfg.NodeName())
	pic.AddSections(areas.List())
	det := detect.NewEngine(func(ev *model.Event) {
		byType[ev.Type]++
		assessor.Event(ev)
		r := assessor.AssessEvent(ev)
		ev.Risk = &r
		writeJSON(ew, ev)
		pic.Detect(*ev)
		events++
	}, dets...)
	lines := newTrackWriter(w, *every)
	stage := newDetectStage(&detection{det: det, assessor: assessor, writeRisk: writeRisk, hours: &trackHours})
	tr := track.New(track.Config{Radars: cfg.Sites(), OwnAssets: cfg.OwnAssets}, func(t *track.Track) {
		lines.add(t)
		emitted++
		stage.track(t)
	})
	tr.Rejected = stage.rejected
	start := time.Now()
	n := 0
	var loopErr error
	for {
		o, err := merge.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			loopErr = err
			break
		}
		if n++; n%65536 == 0 && ctx.Err() != nil {
			loopErr = ctx.Err()
			break
		}
		tr.Add(&o)
		stage.advance(tr.Now())
	}
	if loopErr == nil {
		tr.Flush()
	}
	// The stage and the writer end on every path, so that nothing they
	// hold writes after the files close.
	stage.close()
	writeErr := lines.close()
	if loopErr != nil {
		return loopErr
	}
	det.Flush()
	if writeErr != nil {
		return writeErr
	}
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
	incidents := pic.Incidents(nil)
	if err := writeIncidents(filepath.Join(*out, IncidentsFile), incidents); err != nil {
		return err
	}
	st := tr.Stats
	fmt.Fprintf(stdout, "run: %d inputs, %d observations in %s (%.0f/s); %d track updates, %d written to %s\n",
		len(files), n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), emitted, lines.lines, filepath.Join(*out, TracksFile))
	fmt.Fprintf(stdout, "tracker: %+v\n", st)
	fmt.Fprintf(stdout, "detect: %d events written to %s over %.0f track-hours\n", events, filepath.Join(*out, EventsFile), trackHours)
	for _, typ := range slices.Sorted(maps.Keys(byType)) {
		fmt.Fprintf(stdout, "  %-16s %6d  (%.1f per 1,000 track-hours)\n", typ, byType[typ], float64(byType[typ])/max(trackHours, 1e-9)*1000)
	}
	fmt.Fprintf(stdout, "picture: %d incidents (impact %s or above, first report due in 24 h) opened by %s, written to %s\n",
		len(incidents), pic.AutoIncident, pic.Node, filepath.Join(*out, IncidentsFile))
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

// writeIncidents writes the incidents, one JSON object a line, to path.
func writeIncidents(path string, incidents []picture.Incident) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, in := range incidents {
		if err := enc.Encode(in); err != nil {
			f.Close()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// detection is what the detect stage does with the tracker's output:
// detectors, and the risk assessment of each track.
type detection struct {
	det       *detect.Engine
	assessor  *risk.Assessor
	writeRisk func(id uint64)
	hours     *float64 // lifetimes of the dropped tracks
}

func (d *detection) track(t *track.Track) {
	d.det.Observe(t)
	if t.Status == track.Dropped {
		d.writeRisk(t.ID) // its last word, before the assessor forgets it
		*d.hours += t.Updated.Sub(t.Created).Hours()
	}
	d.assessor.Track(t)
}

func (d *detection) rejected(o *model.Observation, t *track.Track) { d.det.ObserveRejected(o, t) }
func (d *detection) advance(now time.Time)                         { d.det.Advance(now) }

// trackRisk is one line of risk.jsonl: a track's assessment when it was
// dropped or when the run ended.
type trackRisk struct {
	TrackID uint64 `json:"track_id"`
	model.Risk
}

// trackLine is what one line of tracks.jsonl says: a copy of the track's
// state, so that formatting can run on another goroutine.
type trackLine struct {
	t                           time.Time
	id                          uint64
	status                      track.Status
	lat, lon, sog, cog, sigma   float64
	mmsi                        uint32
	name                        string
	sensors                     track.Sensors
	dark, ownAsset, unconfirmed bool
}

// trackWriter formats and writes tracks.jsonl on a goroutine of its own,
// in batches, in the order the tracker emitted: formatting numbers costs
// as much as tracking them.
type trackWriter struct {
	lines int // lines handed to the writer
	every time.Duration
	last  map[uint64]written // what each track's last line said
	batch []trackLine
	full  chan []trackLine
	free  chan []trackLine
	done  chan error
}

const trackWriterBatch = 1024

// written is what a track's last line said, to tell whether the next
// update says something new.
type written struct {
	t                 time.Time
	status            track.Status
	dark, unconfirmed bool
	sensors           track.Sensors
}

func newTrackWriter(w io.Writer, every time.Duration) *trackWriter {
	tw := &trackWriter{every: every, last: map[uint64]written{},
		full: make(chan []trackLine, 4), free: make(chan []trackLine, 4), done: make(chan error, 1)}
	tw.batch = make([]trackLine, 0, trackWriterBatch)
	go func() {
		var err error
		var buf []byte
		for batch := range tw.full {
			for i := range batch {
				buf = appendTrackLine(buf[:0], &batch[i])
				if err == nil {
					_, err = w.Write(buf)
				}
			}
			select {
			case tw.free <- batch[:0]:
			default:
			}
		}
		tw.done <- err
	}()
	return tw
}

func (tw *trackWriter) add(t *track.Track) {
	if tw.every > 0 {
		// A track's state between two lines is its dead reckoning; what
		// changes its meaning is written at once.
		last, seen := tw.last[t.ID]
		if t.Status == track.Dropped {
			delete(tw.last, t.ID)
		} else if seen && t.Updated.Sub(last.t) < tw.every && last.status == t.Status &&
			last.dark == t.Dark() && last.sensors == t.Sensors && last.unconfirmed == t.Unconfirmed {
			return
		} else {
			tw.last[t.ID] = written{t.Updated, t.Status, t.Dark(), t.Unconfirmed, t.Sensors}
		}
	}
	l := trackLine{t: t.Updated, id: t.ID, status: t.Status, sigma: t.PositionSigma(), sensors: t.Sensors,
		dark: t.Dark(), ownAsset: t.OwnAsset, unconfirmed: t.Unconfirmed}
	if t.Status == track.Dropped {
		l.t = t.Ended
	}
	l.lat, l.lon = t.Position()
	l.sog, l.cog = t.Velocity()
	if t.Identity != nil {
		l.mmsi, l.name = t.Identity.MMSI, t.Identity.Name
	}
	tw.batch = append(tw.batch, l)
	tw.lines++
	if len(tw.batch) == cap(tw.batch) {
		tw.full <- tw.batch
		select {
		case tw.batch = <-tw.free:
		default:
			tw.batch = make([]trackLine, 0, trackWriterBatch)
		}
	}
}

// close writes what is left and waits for the writer.
func (tw *trackWriter) close() error {
	tw.full <- tw.batch
	close(tw.full)
	return <-tw.done
}

// appendTrackLine writes one line of tracks.jsonl (eval.TrackState's JSON)
// by hand: encoding/json's reflection cost a third of a run's time.
func appendTrackLine(b []byte, l *trackLine) []byte {
	b = append(b, `{"t":"`...)
	b = l.t.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","id":`...)
	b = strconv.AppendUint(b, l.id, 10)
	b = append(b, `,"status":"`...)
	b = append(b, l.status.String()...)
	b = append(b, `","lat":`...)
	b = appendFixed(b, l.lat, 7)
	b = append(b, `,"lon":`...)
	b = appendFixed(b, l.lon, 7)
	b = append(b, `,"sog":`...)
	b = appendFixed(b, l.sog, 2)
	b = append(b, `,"cog":`...)
	b = appendFixed(b, l.cog, 1)
	b = append(b, `,"sigma_m":`...)
	b = appendFixed(b, l.sigma, 1)
	if l.mmsi != 0 {
		b = append(b, `,"mmsi":`...)
		b = strconv.AppendUint(b, uint64(l.mmsi), 10)
	}
	if l.name != "" {
		b = append(b, `,"name":`...)
		b = appendJSONString(b, l.name)
	}
	b = append(b, `,"sensors":[`...)
	first := true
	for k := model.SensorAIS; k <= model.SensorAsset; k++ {
		if !l.sensors.Has(k) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, k.String()...)
		b = append(b, '"')
	}
	b = append(b, `],"dark":`...)
	b = strconv.AppendBool(b, l.dark)
	b = append(b, `,"own_asset":`...)
	b = strconv.AppendBool(b, l.ownAsset)
	b = append(b, `,"unconfirmed":`...)
	b = strconv.AppendBool(b, l.unconfirmed)
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

// appendFixed writes v rounded to places decimals, without trailing
// zeros, by integer arithmetic: strconv's shortest-representation search
// is the writer's main cost.
func appendFixed(b []byte, v float64, places int) []byte {
	pow := int64(1)
	for range places {
		pow *= 10
	}
	n := int64(math.Round(v * float64(pow)))
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/pow, 10)
	frac := n % pow
	if frac == 0 {
		return b
	}
	for frac%10 == 0 {
		frac /= 10
		pow /= 10
	}
	b = append(b, '.')
	for p := pow / 10; p > frac && p > 1; p /= 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, frac, 10)
}
