package report

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/sim"
	"pharos/internal/store/sqlite"
)

// year is a simulated year as a node would have kept it: what pharos
// sim --year writes (the same steps as cmd/pharos's simYears).
type year struct {
	incidents  []picture.Incident
	detections []model.Event
	tracks     []model.TrackState
	sections   []geo.Area
	levels     []picture.Section // the sections as the store keeps them
}

var (
	landOnce   sync.Once
	land       *geo.Land
	waters     *geo.Areas
	landErr    error
	yearsMu    sync.Mutex
	yearsCache = map[string]*year{}
)

func baseData(tb testing.TB) (*geo.Land, *geo.Areas) {
	tb.Helper()
	landOnce.Do(func() {
		if land, landErr = geo.LoadLand(); landErr == nil {
			waters, landErr = geo.LoadTerritorialWaters()
		}
	})
	if landErr != nil {
		tb.Fatal(landErr)
	}
	return land, waters
}

// simulate makes years of a shipped scenario, ending with last, once per
// test binary.
func simulate(tb testing.TB, scenario string, last, years int, scale float64) *year {
	tb.Helper()
	key := fmt.Sprintf("%s %d %d %g", scenario, last, years, scale)
	yearsMu.Lock()
	defer yearsMu.Unlock()
	if y, ok := yearsCache[key]; ok {
		return y
	}
	l, w := baseData(tb)
	sc, err := sim.Load(filepath.Join("..", "..", "scenarios", scenario+".yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	y := &year{sections: sim.Sections(sc, w)}
	pic := picture.New("ncc-test")
	end := time.Date(last+1, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err = sim.Year(sc, sim.YearOptions{Year: last, Years: years, Scale: scale, Land: l}, func(e *sim.YearEvent) error {
		y.detections = append(y.detections, e.Detection)
		y.tracks = append(y.tracks, e.Track...)
		ev := e.Detection
		ev.Evidence, ev.Details, ev.Params, ev.Risk = nil, nil, nil, nil
		id := pic.Detect(ev)
		in := e.Incident
		if in == nil {
			return nil
		}
		if in.Manual {
			opened, err := pic.Open(picture.Incident{Category: in.Category, Title: in.Title, Impact: in.Impact,
				Originator: "duty-officer", Owner: "ncc-test", Lat: ev.Lat, Lon: ev.Lon, Detected: ev.Start,
				Events: []string{ev.ID}}, ev.Start)
			if err != nil {
				return err
			}
			id = opened.ID
		}
		if at := ev.Start.Add(in.ReportAfter); in.ReportAfter > 0 && at.Before(end) {
			r := picture.Report{Time: at, Author: "duty-officer", Text: "First report", Impact: in.Impact,
				Confidence: picture.Confidence{Reliability: "B", Credibility: 2}}
			if err := pic.Report(id, r); err != nil {
				return err
			}
		}
		if at := ev.Start.Add(in.CloseAfter); in.CloseAfter > 0 && at.Before(end) {
			return pic.Close(id, "ncc-test", at)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	y.incidents = pic.Incidents(nil)
	// The store's sections: their levels, one changed during the last
	// year, so that the report must read the level at the year's end.
	pic.AddSections(y.sections)
	if len(y.sections) > 0 {
		id := y.sections[len(y.sections)-1].ID
		if err := pic.SetSectionLevel(id, geo.AreaImpactHigh, "duty-officer", "go-fast runs every week",
			time.Date(last, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			tb.Fatal(err)
		}
	}
	y.levels = pic.Sections()
	yearsCache[key] = y
	return y
}

// writeFiles writes the year as pharos sim --year does, and returns the
// incidents file.
func (y *year) writeFiles(tb testing.TB, dir string) string {
	tb.Helper()
	write := func(name string, each func(enc *json.Encoder) error) {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			tb.Fatal(err)
		}
		w := bufio.NewWriter(f)
		if err := each(json.NewEncoder(w)); err != nil {
			tb.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		f.Close()
	}
	write("incidents.jsonl", func(enc *json.Encoder) error {
		for _, in := range y.incidents {
			if err := enc.Encode(in); err != nil {
				return err
			}
		}
		return nil
	})
	write(EventsFile, func(enc *json.Encoder) error {
		for _, ev := range y.detections {
			if err := enc.Encode(ev); err != nil {
				return err
			}
		}
		return nil
	})
	write(TracksFile, func(enc *json.Encoder) error {
		for i := range y.tracks {
			if err := enc.Encode(&y.tracks[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return filepath.Join(dir, "incidents.jsonl")
}

// store loads the year into a SQLite store through the store's own
// methods, one record at a time as a node saves them.
func (y *year) store(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	for _, in := range y.incidents {
		if err := st.SaveIncident(ctx, in); err != nil {
			tb.Fatal(err)
		}
	}
	for _, ev := range y.detections {
		if err := st.SaveDetection(ctx, ev); err != nil {
			tb.Fatal(err)
		}
	}
	for i := 0; i < len(y.tracks); i += 1000 {
		if err := st.AddTrackStates(ctx, y.tracks[i:min(i+1000, len(y.tracks))]); err != nil {
			tb.Fatal(err)
		}
	}
	for _, s := range y.levels {
		if err := st.SaveSection(ctx, s); err != nil {
			tb.Fatal(err)
		}
	}
	return st
}

// bulkStore loads the year into a SQLite store in one transaction per
// table, writing the rows the store's Save methods write (a hundred
// thousand incidents one by one, each a durable transaction, would take
// the benchmark's setup a quarter of an hour). The store then reads them
// as it reads its own.
func (y *year) bulkStore(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	st, err := sqlite.Open(path) // makes the schema
	if err != nil {
		tb.Fatal(err)
	}
	st.Close()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	exec := func(q string, args ...any) {
		if _, err := tx.Exec(q, args...); err != nil {
			tb.Fatal(err)
		}
	}
	doc := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return b
	}
	for _, in := range y.incidents {
		var closed any
		if in.Status == picture.StatusClosed {
			closed = in.Closed.UnixNano()
		}
		exec(`INSERT INTO incidents (id, detected_ns, closed_ns, doc) VALUES (?, ?, ?, ?)`, in.ID, in.Detected.UnixNano(), closed, doc(in))
	}
	for _, ev := range y.detections {
		exec(`INSERT INTO detections (id, start_ns, doc) VALUES (?, ?, ?)`, ev.ID, ev.Start.UnixNano(), doc(ev))
	}
	for i := range y.tracks {
		s := &y.tracks[i]
		exec(`INSERT INTO track_states (track_id, t_ns, doc) VALUES (?, ?, ?)`, int64(s.TrackID), s.Time.UnixNano(), doc(s))
	}
	for _, s := range y.levels {
		exec(`INSERT INTO sections (id, doc) VALUES (?, ?)`, s.ID, doc(s))
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	st, err = sqlite.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}
