package report

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"pharos/internal/model"
	"pharos/internal/picture"
)

// Source is what the analysis reads: the events layer (incidents and
// detections), the border sections and the track history. A
// store.Store is one; Files reads what pharos run and pharos sim --year
// write.
type Source interface {
	// Incidents returns every incident, oldest detection first.
	Incidents(ctx context.Context) ([]picture.Incident, error)
	// Detections returns the detections that started at or after since,
	// oldest first.
	Detections(ctx context.Context, since time.Time) ([]model.Event, error)
	// Sections returns the border sections with their levels and history
	// (none: the levels come from the areas' files).
	Sections(ctx context.Context) ([]picture.Section, error)
	// TrackHistory returns a track's states from from to to inclusive,
	// oldest first.
	TrackHistory(ctx context.Context, id uint64, from, to time.Time) ([]model.TrackState, error)
}

// Files is a Source over the files of a run or a simulated year: an
// incidents file (one picture.Incident a line) and, when they are beside
// it, events.jsonl (one model.Event a line) and tracks.jsonl (one track
// state a line, as model.TrackState or pharos run's richer lines).
type Files struct {
	incidents  []picture.Incident
	detections []model.Event
	tracks     map[uint64][]model.TrackState
}

// Names of the files OpenFiles looks for beside the incidents.
const (
	EventsFile = "events.jsonl"
	TracksFile = "tracks.jsonl"
)

// OpenFiles reads an incidents file and the events and tracks beside it,
// decoding on every core. It keeps what the report uses: of a detection,
// all but its parameters, its details but a go-fast's landfall, its
// evidence but the first and last states, and its risk's reasons; of a
// track state, the time, the track and the position.
func OpenFiles(incidents string) (*Files, error) {
	f := &Files{tracks: map[uint64][]model.TrackState{}}
	var err error
	f.incidents, err = decodeFile(incidents, func(b []byte) (picture.Incident, error) {
		var in picture.Incident
		return in, json.Unmarshal(b, &in)
	})
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(incidents)
	f.detections, err = decodeFile(filepath.Join(dir, EventsFile), parseEventLine)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	states, err := decodeFile(filepath.Join(dir, TracksFile), parseTrackLine)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	// One sort by track and time, then each track is a run of it.
	slices.SortStableFunc(states, func(a, b model.TrackState) int {
		return cmp.Or(cmp.Compare(a.TrackID, b.TrackID), a.Time.Compare(b.Time))
	})
	for i := 0; i < len(states); {
		j := i + 1
		for j < len(states) && states[j].TrackID == states[i].TrackID {
			j++
		}
		f.tracks[states[i].TrackID] = states[i:j:j]
		i = j
	}
	slices.SortStableFunc(f.incidents, func(a, b picture.Incident) int {
		return cmp.Or(a.Detected.Compare(b.Detected), cmp.Compare(a.ID, b.ID))
	})
	slices.SortStableFunc(f.detections, func(a, b model.Event) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	return f, nil
}

// decodeFile decodes every non-blank line of a file with parse, in
// chunks of lines spread over the cores, keeping the file's order; an
// error names the file and the line.
func decodeFile[T any](path string, parse func([]byte) (T, error)) ([]T, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	type chunk struct {
		line  int // number of the chunk's first line
		data  []byte
		out   []T
		err   error
		ready chan struct{}
	}
	const size = 4 << 20
	workers := runtime.GOMAXPROCS(0)
	todo := make(chan *chunk, workers)
	order := make(chan *chunk, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range todo {
				n := c.line
				for b := c.data; len(b) > 0; n++ {
					line := b
					if i := bytes.IndexByte(b, '\n'); i >= 0 {
						line, b = b[:i], b[i+1:]
					} else {
						b = nil
					}
					if isBlank(line) {
						continue
					}
					v, err := parse(line)
					if err != nil {
						c.err = fmt.Errorf("%s:%d: %w", path, n, err)
						break
					}
					c.out = append(c.out, v)
				}
				close(c.ready)
			}
		}()
	}
	var readErr error
	go func() {
		defer close(order)
		defer close(todo)
		line, carry := 1, []byte(nil)
		for {
			buf := make([]byte, len(carry), len(carry)+size)
			copy(buf, carry)
			n, err := io.ReadFull(fh, buf[len(carry):cap(buf)])
			buf = buf[:len(carry)+n]
			last := err == io.EOF || err == io.ErrUnexpectedEOF
			if err != nil && !last {
				readErr = fmt.Errorf("%s: %w", path, err)
				return
			}
			carry = nil
			if !last {
				if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
					carry, buf = slices.Clone(buf[i+1:]), buf[:i+1]
				}
			}
			c := &chunk{line: line, data: buf, ready: make(chan struct{})}
			line += bytes.Count(buf, []byte{'\n'})
			order <- c
			todo <- c
			if last {
				return
			}
		}
	}()
	var out []T
	var first error
	for c := range order {
		<-c.ready
		if c.err != nil && first == nil {
			first = c.err
		}
		out = append(out, c.out...)
	}
	wg.Wait()
	return out, cmp.Or(first, readErr)
}

// fileEvent is what the report reads of a detection: model.Event without
// its parameters, and of its details and evidence only what routes need.
type fileEvent struct {
	ID         string            `json:"id"`
	Type       string            `json:"type"`
	Category   string            `json:"category"`
	Start      time.Time         `json:"start"`
	End        time.Time         `json:"end"`
	Lat        float64           `json:"lat"`
	Lon        float64           `json:"lon"`
	MMSI       []uint32          `json:"mmsi"`
	TrackIDs   []uint64          `json:"track_ids"`
	Confidence float64           `json:"confidence"`
	Impact     model.ImpactLevel `json:"impact"`
	Details    struct {
		LandfallLat *float64 `json:"landfall_lat"`
		LandfallLon *float64 `json:"landfall_lon"`
	} `json:"details"`
	Evidence []struct {
		Time    time.Time `json:"t"`
		TrackID uint64    `json:"track_id"`
		Lat     float64   `json:"lat"`
		Lon     float64   `json:"lon"`
	} `json:"evidence"`
	Risk *struct {
		Score   float64            `json:"score"`
		Threats map[string]float64 `json:"threats"`
	} `json:"risk"`
}

// parseEventLine reads a line of events.jsonl for what the report uses.
func parseEventLine(b []byte) (model.Event, error) {
	var fe fileEvent
	if err := json.Unmarshal(b, &fe); err != nil {
		return model.Event{}, err
	}
	ev := model.Event{ID: fe.ID, Type: fe.Type, Category: fe.Category, Start: fe.Start, End: fe.End, Lat: fe.Lat, Lon: fe.Lon,
		MMSI: fe.MMSI, TrackIDs: fe.TrackIDs, Confidence: fe.Confidence, Impact: fe.Impact}
	if fe.Details.LandfallLat != nil && fe.Details.LandfallLon != nil {
		ev.Details = map[string]any{"landfall_lat": *fe.Details.LandfallLat, "landfall_lon": *fe.Details.LandfallLon}
	}
	if n := len(fe.Evidence); n > 0 {
		for _, e := range []int{0, n - 1}[:min(n, 2)] {
			x := fe.Evidence[e]
			ev.Evidence = append(ev.Evidence, model.Evidence{Time: x.Time, TrackID: x.TrackID, Lat: x.Lat, Lon: x.Lon})
		}
	}
	if fe.Risk != nil {
		ev.Risk = &model.Risk{Score: fe.Risk.Score, Threats: fe.Risk.Threats}
	}
	return ev, nil
}

// parseTrackLine reads a line of tracks.jsonl — pharos run's lines or
// model.TrackState's JSON — for the time, the track and the position,
// by hand; a line it does not read so goes to encoding/json.
func parseTrackLine(b []byte) (model.TrackState, error) {
	var st model.TrackState
	ok := true
	field := func(key string) []byte {
		i := bytes.Index(b, []byte(key))
		if i <= 0 || (b[i-1] != '{' && b[i-1] != ',') {
			ok = false
			return nil
		}
		v := b[i+len(key):]
		j := bytes.IndexAny(v, ",}")
		if j < 0 {
			ok = false
			return nil
		}
		return v[:j]
	}
	t, id, lat, lon := field(`"t":`), field(`"id":`), field(`"lat":`), field(`"lon":`)
	if ok && len(t) > 2 && t[0] == '"' && t[len(t)-1] == '"' {
		var err1, err2, err3, err4 error
		st.Time, err1 = time.Parse(time.RFC3339Nano, string(t[1:len(t)-1]))
		st.TrackID, err2 = strconv.ParseUint(string(id), 10, 64)
		st.Lat, err3 = strconv.ParseFloat(string(lat), 64)
		st.Lon, err4 = strconv.ParseFloat(string(lon), 64)
		if errors.Join(err1, err2, err3, err4) == nil {
			return st, nil
		}
		st = model.TrackState{}
	}
	err := json.Unmarshal(b, &st)
	return st, err
}

// Incidents implements Source.
func (f *Files) Incidents(context.Context) ([]picture.Incident, error) { return f.incidents, nil }

// Detections implements Source.
func (f *Files) Detections(_ context.Context, since time.Time) ([]model.Event, error) {
	i := sort.Search(len(f.detections), func(i int) bool { return !f.detections[i].Start.Before(since) })
	return f.detections[i:], nil
}

// Sections implements Source: files carry no section history.
func (f *Files) Sections(context.Context) ([]picture.Section, error) { return nil, nil }

// TrackHistory implements Source.
func (f *Files) TrackHistory(_ context.Context, id uint64, from, to time.Time) ([]model.TrackState, error) {
	states := f.tracks[id]
	i := sort.Search(len(states), func(i int) bool { return !states[i].Time.Before(from) })
	j := sort.Search(len(states), func(i int) bool { return states[i].Time.After(to) })
	if i >= j {
		return nil, nil
	}
	return states[i:j], nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}
