package sim

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pharos/internal/eval"
	"pharos/internal/geo"
)

func loadLand(t *testing.T) *geo.Land {
	t.Helper()
	l, err := geo.LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key names its line", "name: x\nstart: 2026-11-27T00:00:00Z\nduration: 1h\nvesels: []\n", "line 4"},
		{"bad duration", "name: x\nstart: 2026-11-27T00:00:00Z\nduration: forever\n", "line 3"},
		{"no name", "start: 2026-11-27T00:00:00Z\nduration: 1h\n", "no name"},
		{"no duration", "name: x\nstart: 2026-11-27T00:00:00Z\n", "positive duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestRoutesMustStayAtSea(t *testing.T) {
	sc, err := Load("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// Across the Iberian peninsula: Tarifa's waters to the Bay of Biscay.
	sc.Vessels[0].Route = []Point{{35.95, -5.60}, {43.60, -2.50}}
	_, err = expand(sc, 1, loadLand(t))
	if !errors.Is(err, ErrScenario) || !strings.Contains(err.Error(), "vessel ferry: leg 0→1 crosses land") {
		t.Errorf("expand = %v, want the crossing named", err)
	}
	sc.Vessels[0].Route = []Point{{40.4, -3.7}, {35.95, -5.60}} // from Madrid
	if _, err = expand(sc, 1, loadLand(t)); err == nil || !strings.Contains(err.Error(), "waypoint 0") {
		t.Errorf("expand = %v, want waypoint 0 on land", err)
	}
}

// TestShippedScenarios expands every scenario in the repository: each must
// load, keep to the sea, and produce vessels and events.
func TestShippedScenarios(t *testing.T) {
	files, err := filepath.Glob("../../scenarios/*.yaml")
	if err != nil || len(files) < 3 {
		t.Fatalf("want at least three shipped scenarios, found %v (%v)", files, err)
	}
	land := loadLand(t)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			sc, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			w, err := expand(sc, sc.Seed, land)
			if err != nil {
				t.Fatal(err)
			}
			if len(w.actors) < 20 || len(w.events) == 0 {
				t.Errorf("%d vessels, %d events", len(w.actors), len(w.events))
			}
			for _, a := range w.actors {
				for _, l := range a.path.legs {
					if land.Contains(l.lat, l.lon) {
						t.Errorf("vessel %s starts a leg on land at %.4f, %.4f", a.ID, l.lat, l.lon)
					}
				}
			}
		})
	}
}

// TestRunDeterministic runs the mini scenario twice with one seed and once
// with another: the same seed writes the same bytes.
func TestRunDeterministic(t *testing.T) {
	sc, err := Load("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	land := loadLand(t)
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	for i, seed := range []uint64{7, 7, 8} {
		if _, err := Run(sc, seed, land, dirs[i]); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{FileAIS, FileRadar, FileAssets, FileTruth, FileSatellitePrefix + "S1A_TEST.geojson"} {
		a, _ := os.ReadFile(filepath.Join(dirs[0], name))
		b, _ := os.ReadFile(filepath.Join(dirs[1], name))
		c, _ := os.ReadFile(filepath.Join(dirs[2], name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
		if name == FileRadar && bytes.Equal(a, c) {
			t.Errorf("%s is the same with another seed", name)
		}
	}
}

// TestTruth checks the ground truth of the mini scenario: the go-fast is
// dark and covered by the radar, the ferry transmits, the event window is
// the run.
func TestTruth(t *testing.T) {
	sc, err := Load("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sum, err := Run(sc, 7, loadLand(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	if sum.AISLines == 0 || sum.RadarLines == 0 || sum.SatelliteDetections == 0 {
		t.Fatalf("summary %+v", sum)
	}
	f, err := os.Open(filepath.Join(dir, FileTruth))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	truth, err := eval.ReadTruth(f)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]eval.Vessel{}
	for _, v := range truth.Vessels {
		byID[v.ID] = v
	}
	gf, ferry := byID["gf-1"], byID["ferry"]
	if len(gf.Samples) == 0 || len(ferry.Samples) == 0 {
		t.Fatalf("vessels %v", truth.Vessels)
	}
	run := truth.Events[0]
	for _, s := range gf.Samples {
		if s.AIS || !s.Covered {
			t.Fatalf("go-fast sample %+v: want dark and covered", s)
		}
		if s.T.Before(run.End.Add(-2*time.Minute)) && s.SOG != 45 { // it slows for its last 500 m
			t.Fatalf("go-fast sample %+v during its run: want 45 kn", s)
		}
	}
	if !ferry.Samples[0].AIS {
		t.Error("ferry not transmitting")
	}
	// The run out; the run back would start after the scenario's end.
	if len(truth.Events) != 1 || truth.Events[0].Type != "go_fast" ||
		!truth.Events[0].Start.Equal(gf.Samples[0].T) || truth.Events[0].End.After(truth.End) {
		t.Errorf("events %+v", truth.Events)
	}
}

// FuzzParse feeds scenario text to the parser and, when it parses, lays
// the scenario out without land: nothing may panic.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/mini.yaml", "../../scenarios/gibraltar.yaml"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sc, err := Parse(bytes.NewReader(b))
		if err != nil {
			return
		}
		if sc.Duration.D() > 6*time.Hour || len(sc.Vessels)+len(sc.Traffic)+len(sc.Threats) > 50 {
			return // keep each input quick
		}
		for _, tr := range sc.Traffic {
			if tr.Count > 100 {
				return
			}
		}
		_, _ = expand(sc, 1, nil)
	})
}
