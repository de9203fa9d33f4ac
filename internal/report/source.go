package report

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
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

// OpenFiles reads an incidents file and the events and tracks beside it.
func OpenFiles(incidents string) (*Files, error) {
	f := &Files{tracks: map[uint64][]model.TrackState{}}
	if err := readLines(incidents, func(b []byte) error {
		var in picture.Incident
		if err := json.Unmarshal(b, &in); err != nil {
			return err
		}
		f.incidents = append(f.incidents, in)
		return nil
	}); err != nil {
		return nil, err
	}
	dir := filepath.Dir(incidents)
	err := readLines(filepath.Join(dir, EventsFile), func(b []byte) error {
		var ev model.Event
		if err := json.Unmarshal(b, &ev); err != nil {
			return err
		}
		f.detections = append(f.detections, ev)
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	err = readLines(filepath.Join(dir, TracksFile), func(b []byte) error {
		var st model.TrackState
		if err := json.Unmarshal(b, &st); err != nil {
			return err
		}
		f.tracks[st.TrackID] = append(f.tracks[st.TrackID], st)
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	slices.SortStableFunc(f.incidents, func(a, b picture.Incident) int {
		return cmp.Or(a.Detected.Compare(b.Detected), cmp.Compare(a.ID, b.ID))
	})
	slices.SortStableFunc(f.detections, func(a, b model.Event) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	for _, states := range f.tracks {
		slices.SortStableFunc(states, func(a, b model.TrackState) int { return a.Time.Compare(b.Time) })
	}
	return f, nil
}

// readLines calls line with each non-empty line of a file; an error names
// the file and the line.
func readLines(path string, line func([]byte) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return err
	}
	defer fh.Close()
	r := bufio.NewReaderSize(fh, 1<<20)
	for n := 1; ; n++ {
		b, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			rest, err2 := r.ReadBytes('\n')
			b, err = append(slices.Clone(b), rest...), err2
		}
		if len(b) > 0 && !isBlank(b) {
			if perr := line(b); perr != nil {
				return fmt.Errorf("%s:%d: %w", path, n, perr)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
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
