package report

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"pharos/internal/model"
	"pharos/internal/picture"
)

// TestFilesMatchStore builds the reports from the files pharos sim --year
// writes and from a store holding the same records: they must say the
// same, figure for figure and word for word.
func TestFilesMatchStore(t *testing.T) {
	ctx := context.Background()
	y := simulate(t, "gibraltar", 2025, 2, 0.5)
	dir := t.TempDir()
	files, err := OpenFiles(y.writeFiles(t, dir))
	if err != nil {
		t.Fatal(err)
	}
	st := y.store(t, filepath.Join(dir, "pharos.db"))
	l, w := baseData(t)
	for _, p := range []Period{Year(2025), Month(2025, time.March)} {
		var out [2]bytes.Buffer
		// The files keep no section levels: give them the store's.
		for i, src := range []Source{filesWithLevels{files, y.levels}, st} {
			d, err := Load(ctx, src, Options{From: p.Earliest(), To: p.To, Sections: y.sections, Waters: w, Land: l})
			if err != nil {
				t.Fatal(err)
			}
			a := Analyse(d, p)
			doc := Annual(a, "the same source")
			if !p.YearAgoFrom.IsZero() {
				doc = Monthly(a, "the same source")
			}
			if err := WriteMarkdown(&out[i], doc); err != nil {
				t.Fatal(err)
			}
			if err := doc.Figures.WriteCSV(&out[i]); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out[0].Bytes(), out[1].Bytes()) {
			a, b := out[0].String(), out[1].String()
			i := 0
			for i < len(a) && i < len(b) && a[i] == b[i] {
				i++
			}
			t.Errorf("%s: files and store differ at byte %d: %q / %q", p.Name, i, a[max(0, i-80):min(len(a), i+80)], b[max(0, i-80):min(len(b), i+80)])
		}
	}
}

type filesWithLevels struct {
	*Files
	levels []picture.Section
}

func (f filesWithLevels) Sections(context.Context) ([]picture.Section, error) { return f.levels, nil }

func TestParseTrackLine(t *testing.T) {
	at := time.Date(2026, 11, 27, 1, 2, 3, 500_000_000, time.UTC)
	tests := []struct {
		name, line string
		want       model.TrackState
	}{
		{"pharos run", `{"t":"2026-11-27T01:02:03.5Z","id":42,"status":"confirmed","lat":35.9123456,"lon":-5.6000001,"sog":12.30,"cog":271.0,"sigma_m":35.1,"mmsi":224123450,"name":"A, B","sensors":["ais"],"dark":false,"own_asset":false,"unconfirmed":false}`,
			model.TrackState{Time: at, TrackID: 42, Lat: 35.9123456, Lon: -5.6000001}},
		{"model.TrackState", `{"t":"2026-11-27T01:02:03.5Z","id":7,"lat":1.5,"lon":2.5,"sog":3,"cog":4,"dark":true}`,
			model.TrackState{Time: at, TrackID: 7, Lat: 1.5, Lon: 2.5}},
		{"other order and spaces: encoding/json", `{ "lat": 1.5, "lon": 2.5, "id": 7, "t": "2026-11-27T01:02:03.5Z" }`,
			model.TrackState{Time: at, TrackID: 7, Lat: 1.5, Lon: 2.5}},
		{"a name holding a key: encoding/json", `{"name":"x,\"id\":9","t":"2026-11-27T01:02:03.5Z","id":7,"lat":1.5,"lon":2.5}`,
			model.TrackState{Time: at, TrackID: 7, Lat: 1.5, Lon: 2.5, Name: "x,\"id\":9"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseTrackLine([]byte(tc.line))
			if err != nil {
				t.Fatal(err)
			}
			got.SOG, got.COG, got.Dark, got.Sensors, got.MMSI = 0, 0, false, nil, 0
			if !got.Time.Equal(tc.want.Time) || got.TrackID != tc.want.TrackID || got.Lat != tc.want.Lat || got.Lon != tc.want.Lon {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	if _, err := parseTrackLine([]byte(`{"t":"yesterday","id":1}`)); err == nil {
		t.Error("a bad time was read")
	}
}
