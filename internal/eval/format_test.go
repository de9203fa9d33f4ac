package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func readFixture(t testing.TB) (*Truth, []TrackState) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := ReadTruth(f)
	if err != nil {
		t.Fatal(err)
	}
	g, err := os.Open(filepath.Join("testdata", "tracks.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	tracks, err := ReadTracks(g)
	if err != nil {
		t.Fatal(err)
	}
	return tr, tracks
}

// TestGolden scores the fixture in testdata and compares the indented JSON
// the CLI prints with result.golden.json (rewritten by -update).
func TestGolden(t *testing.T) {
	tr, tracks := readFixture(t)
	if len(tr.Vessels) != 3 || tr.Vessels[2].AISMMSI != 224999999 || len(tr.Events) != 1 || len(tracks) != 20 {
		t.Fatalf("fixture read wrongly: %d vessels, ais_mmsi %d, %d events, %d states",
			len(tr.Vessels), tr.Vessels[2].AISMMSI, len(tr.Events), len(tracks))
	}
	got, err := json.MarshalIndent(Evaluate(tr, tracks, Options{MaxAge: 30 * time.Second}), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "result.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s (run with -update to accept):\n%s", golden, got)
	}
}

func TestReadTracks(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		n       int
		wantErr error
		errLine string
	}{
		{name: "empty", in: "", n: 0},
		{name: "blank lines", in: "\n" + `{"t":"2025-06-01T12:00:00Z","id":1,"status":"confirmed","lat":1,"lon":2}` + "\n\n", n: 1},
		{name: "nanoseconds", in: `{"t":"2025-06-01T12:00:00.123456789Z","id":1,"status":"coasting","lat":1,"lon":2}`, n: 1},
		{name: "unknown status", in: `{"t":"2025-06-01T12:00:00Z","id":1,"status":"confirmed","lat":1,"lon":2}` + "\n" + `{"t":"2025-06-01T12:00:00Z","id":1,"status":"lost"}`, wantErr: ErrStatus, errLine: "line 2"},
		{name: "missing status", in: `{"t":"2025-06-01T12:00:00Z","id":1}`, wantErr: ErrStatus, errLine: "line 1"},
		{name: "bad json", in: "\n\n{\"t\":", errLine: "line 3"},
		{name: "bad time", in: `{"t":"yesterday","id":1,"status":"confirmed"}`, errLine: "line 1"},
		{name: "negative id", in: `{"t":"2025-06-01T12:00:00Z","id":-1,"status":"confirmed"}`, errLine: "line 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadTracks(strings.NewReader(tc.in))
			if tc.errLine != "" {
				if err == nil {
					t.Fatalf("no error, want one at %s", tc.errLine)
				}
				if !strings.Contains(err.Error(), tc.errLine) {
					t.Errorf("error %q does not name %s", err, tc.errLine)
				}
				if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
					t.Errorf("error %q is not %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tc.n {
				t.Errorf("%d states, want %d", len(got), tc.n)
			}
		})
	}
}

func TestReadTracksFields(t *testing.T) {
	line := `{"t":"2025-06-01T12:00:00.5Z","id":17,"status":"coasting","lat":36,"lon":-5.5,"sog":12.3,"cog":270,"sigma_m":35,"mmsi":224123450,"name":"NORDIC STAR","sensors":["ais","radar"],"dark":true,"own_asset":true,"unconfirmed":true}`
	got, err := ReadTracks(strings.NewReader(line))
	if err != nil {
		t.Fatal(err)
	}
	s := got[0]
	if s.T.Nanosecond() != 5e8 || s.ID != 17 || s.Status != StatusCoasting || s.Lat != 36 || s.Lon != -5.5 ||
		s.SOG != 12.3 || s.COG != 270 || s.SigmaM != 35 || s.MMSI != 224123450 || s.Name != "NORDIC STAR" ||
		len(s.Sensors) != 2 || !s.Dark || !s.OwnAsset || !s.Unconfirmed {
		t.Errorf("decoded %+v", s)
	}
	// Written back, the state reads the same.
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ReadTracks(bytes.NewReader(b))
	if err != nil || len(again) != 1 || !again[0].T.Equal(s.T) || again[0].Name != s.Name {
		t.Errorf("round trip: %+v, %v", again, err)
	}
}

func TestReadTruth(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr error // nil: must decode; errAny: any error
	}{
		{name: "minimal", in: `{"vessels":[{"id":"v1","samples":[{"t":"2025-06-01T12:00:00Z","lat":1,"lon":2}]}]}`},
		{name: "unknown fields are ignored", in: `{"scenario":"x","future":1,"vessels":[]}`},
		{name: "not json", in: `<truth/>`, wantErr: errAny},
		{name: "negative step", in: `{"step_seconds":-1}`, wantErr: ErrTruth},
		{name: "vessel without id", in: `{"vessels":[{"kind":"cargo"}]}`, wantErr: ErrTruth},
		{name: "duplicate id", in: `{"vessels":[{"id":"a"},{"id":"a"}]}`, wantErr: ErrTruth},
		{name: "samples out of order", in: `{"vessels":[{"id":"a","samples":[{"t":"2025-06-01T12:00:10Z"},{"t":"2025-06-01T12:00:00Z"}]}]}`, wantErr: ErrTruth},
		{name: "off the globe", in: `{"vessels":[{"id":"a","samples":[{"t":"2025-06-01T12:00:00Z","lat":91,"lon":0}]}]}`, wantErr: ErrTruth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadTruth(strings.NewReader(tc.in))
			switch {
			case tc.wantErr == nil && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.wantErr != nil && err == nil:
				t.Errorf("no error, want %v", tc.wantErr)
			case tc.wantErr != nil && tc.wantErr != errAny && !errors.Is(err, tc.wantErr):
				t.Errorf("error %v, want %v", err, tc.wantErr)
			}
		})
	}
}

var errAny = errors.New("any error")

func FuzzReadTracks(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "tracks.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		f.Add(line)
	}
	f.Add("")
	f.Add("{}\n{\"status\":\"dropped\"}")
	tr, _ := readFixture(f)
	f.Fuzz(func(t *testing.T, in string) {
		states, err := ReadTracks(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, s := range states {
			if !s.Status.valid() {
				t.Fatalf("accepted status %q", s.Status)
			}
		}
		// Whatever reads must score, and the score must print.
		if _, err := json.Marshal(Evaluate(tr, states, Options{})); err != nil {
			t.Fatalf("marshal result: %v", err)
		}
	})
}

func FuzzReadTruth(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "truth.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(data))
	f.Add(`{"start":"2025-06-01T12:00:00Z","end":"2025-06-02T12:00:00Z","step_seconds":0.000001}`)
	f.Add(`{"vessels":[{"id":"a","samples":[{"t":"2025-06-01T12:00:00Z","lat":90,"lon":180}]}]}`)
	_, tracks := readFixture(f)
	f.Fuzz(func(t *testing.T, in string) {
		tr, err := ReadTruth(strings.NewReader(in))
		if err != nil {
			return
		}
		if _, err := json.Marshal(Evaluate(tr, tracks, Options{})); err != nil {
			t.Fatalf("marshal result: %v", err)
		}
	})
}
