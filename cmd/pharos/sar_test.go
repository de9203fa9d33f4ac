package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pharos/internal/ais"
	"pharos/internal/geo"
	"pharos/internal/geotiff"
	"pharos/internal/sar"
	"pharos/internal/shareddata"
)

// TestSARDetect runs pharos sar detect on a real SSDD chip: GeoJSON with
// each detection's pixel centre and box.
func TestSARDetect(t *testing.T) {
	chip := shareddata.Path("sar/ssdd_sample/images/000001.jpg")
	if _, err := os.Stat(chip); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing in CI: %v", err)
		}
		t.Skipf("shared data not present: %v", err)
	}
	out := filepath.Join(t.TempDir(), "detections.geojson")
	stdout, stderr, err := runCmd(t, "sar", "detect", chip, "--out", out)
	if err != nil || !strings.Contains(stdout, "detections") {
		t.Fatalf("sar detect: %q %v %s", stdout, err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string
		Features []struct {
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(b, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
		t.Fatalf("output %v: %.300s", err, b)
	}
	for _, f := range fc.Features {
		if f.Properties["px"] == nil || f.Properties["py"] == nil || f.Properties["bbox"] == nil {
			t.Errorf("a detection without its pixel centre and box: %v", f.Properties)
		}
	}
	if _, _, err := runCmd(t, "sar", "detect", chip); err == nil {
		t.Error("detected without --out")
	}
}

// TestSARSimEval renders synthetic chips with pharos sim and scores the
// detector on them with pharos sar eval: the table is there and the
// small-craft settings find the ships without false objects.
func TestSARSimEval(t *testing.T) {
	dir := t.TempDir()
	if stdout, stderr, err := runCmd(t, "sim", "--sar-chips", "4", "--seed", "2", "--out", dir); err != nil {
		t.Fatalf("sim: %q %v %s", stdout, err, stderr)
	}
	stdout, stderr, err := runCmd(t, "sar", "eval", "--truth", filepath.Join(dir, "sar-truth.json"), "--preset", "small", "--looks", "4")
	if err != nil {
		t.Fatalf("sar eval: %v %s", err, stderr)
	}
	t.Log("\n" + stdout)
	var tp, fp, fn int
	var p, r, f1 float64
	for line := range strings.Lines(stdout) {
		if strings.HasPrefix(line, "all ") {
			if _, err := fmt.Sscan(strings.TrimPrefix(line, "all"), &tp, &fp, &fn, &p, &r, &f1); err != nil {
				t.Fatalf("row %q: %v", line, err)
			}
		}
	}
	if tp == 0 || fp != 0 {
		t.Errorf("TP %d FP %d FN %d", tp, fp, fn)
	}
	if _, _, err := runCmd(t, "sar", "eval", "--truth", filepath.Join(dir, "sar-truth.json"), "--preset", "huge"); err == nil {
		t.Error("unknown preset accepted")
	}
}

// TestSARSceneFusion goes from a rendered radar image to fusion: pharos
// sim draws the Gibraltar pass's image (16-bit GeoTIFF) with every vessel
// in it, pharos sar detect finds the hulls, and pharos run matches them
// against AIS. With the AIS of one vessel withheld, its detection alone is
// flagged dark, and every vessel transmitting is matched.
func TestSARSceneFusion(t *testing.T) {
	const (
		pass     = "S1A_IW_20261127T014500"
		passTime = "2026-11-27T01:45:00Z"
		withheld = 224777770 // MAR AZUL, the fishing vessel of the transhipment
	)
	simDir, in, runDir := t.TempDir(), t.TempDir(), t.TempDir()
	if _, stderr, err := runCmd(t, "sim", "--scenario", "../../scenarios/gibraltar.yaml", "--seed", "1", "--out", simDir); err != nil {
		t.Fatalf("sim: %v %s", err, stderr)
	}
	// Its AIS withheld: the lines that complete a message from it are left out.
	b, err := os.ReadFile(filepath.Join(simDir, "ais.nmea"))
	if err != nil {
		t.Fatal(err)
	}
	var kept []byte
	var s ais.Stream
	var d ais.Decoded
	for line := range bytes.Lines(b) {
		if s.Line(bytes.TrimRight(line, "\r\n"), &d) && d.Msg.Head().MMSI == withheld {
			continue
		}
		kept = append(kept, line...)
	}
	if err := os.WriteFile(filepath.Join(in, "ais.nmea"), kept, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCmd(t, "sar", "detect", filepath.Join(simDir, "sar-"+pass+".tif"), "--time", passTime,
		"--preset", "small", "--looks", "4", "--quiet", "--out", filepath.Join(in, "satellite-"+pass+".geojson"))
	if err != nil || !strings.Contains(stdout, "georeferenced, land masked") {
		t.Fatalf("sar detect: %q %v %s", stdout, err, stderr)
	}
	t.Log(stdout)
	if _, stderr, err := runCmd(t, "run", "--out", runDir, in); err != nil {
		t.Fatalf("run: %v %s", err, stderr)
	}
	// Where the withheld vessel was at the pass.
	var truth struct {
		Vessels []struct {
			MMSI    uint32 `json:"mmsi"`
			Samples []struct {
				T   string  `json:"t"`
				Lat float64 `json:"lat"`
				Lon float64 `json:"lon"`
			} `json:"samples"`
		} `json:"vessels"`
	}
	tb, err := os.ReadFile(filepath.Join(simDir, "truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(tb, &truth); err != nil {
		t.Fatal(err)
	}
	var wantLat, wantLon float64
	for _, v := range truth.Vessels {
		for _, smp := range v.Samples {
			if v.MMSI == withheld && smp.T == passTime {
				wantLat, wantLon = smp.Lat, smp.Lon
			}
		}
	}
	if wantLat == 0 {
		t.Fatal("withheld vessel not in the truth at the pass")
	}
	tr, err := os.ReadFile(filepath.Join(runDir, "tracks.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	dark := map[int]string{} // by track: tracks.jsonl holds each state change
	for line := range bytes.Lines(tr) {
		var st struct {
			ID      int      `json:"id"`
			Lat     float64  `json:"lat"`
			Lon     float64  `json:"lon"`
			Sensors []string `json:"sensors"`
			Dark    bool     `json:"dark"`
		}
		if err := json.Unmarshal(line, &st); err != nil {
			t.Fatal(err)
		}
		if st.Dark && slices.Equal(st.Sensors, []string{"satellite"}) {
			d := geo.Distance(st.Lat, st.Lon, wantLat, wantLon)
			dark[st.ID] = fmt.Sprintf("%.5f,%.5f (%.0f m from MAR AZUL)", st.Lat, st.Lon, d)
			if d > 200 {
				t.Errorf("dark satellite track at %.5f,%.5f, %.0f m from the withheld vessel", st.Lat, st.Lon, d)
			}
		}
	}
	if len(dark) != 1 {
		t.Errorf("%d dark satellite tracks, want 1: %v", len(dark), dark)
	}
	t.Logf("dark satellite tracks: %v", dark)
}

// TestSARDetectNoData runs pharos sar detect on GeoTIFF scenes with a
// block of no data beside a ship: NaN in a float32 scene, GDAL's no-data
// value in a 16-bit one. Neither model may panic or take the block for a
// ship; the ship is found.
func TestSARDetectNoData(t *testing.T) {
	syn := sar.Synth{W: 300, H: 300, Looks: 4, Nu: 4, Mean: 100, Max: 65535,
		Ships: []sar.SynthShip{sar.HullAt(200, 200, 150, 30, 45, 25, 10)}}
	g := syn.Render(1)
	const nd = 65535
	block := func(set func(i int)) {
		for y := 20; y < 80; y++ {
			for x := 20; x < 80; x++ {
				set(y*g.W + x)
			}
		}
	}
	dir := t.TempDir()
	f32 := slices.Clone(g.Pix)
	block(func(i int) { f32[i] = float32(math.NaN()) })
	u16 := make([]uint16, len(g.Pix))
	for i, v := range g.Pix {
		u16[i] = uint16(v)
	}
	block(func(i int) { u16[i] = nd })
	write := func(name string, w func(f *os.File) error) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := w(f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ndv := float64(nd)
	scenes := []string{
		write("nan.tif", func(f *os.File) error { return geotiff.Write(f, g.W, g.H, f32, geotiff.WriteOptions{}) }),
		write("nodata.tif", func(f *os.File) error {
			return geotiff.Write(f, g.W, g.H, u16, geotiff.WriteOptions{NoData: &ndv})
		}),
	}
	for _, scene := range scenes {
		for _, model := range []string{"gaussian", "k"} {
			out := filepath.Join(dir, "det.geojson")
			stdout, stderr, err := runCmd(t, "sar", "detect", scene, "--model", model, "--looks", "4", "--quiet", "--out", out)
			if err != nil {
				t.Fatalf("%s, %s: %v %s", filepath.Base(scene), model, err, stderr)
			}
			if !strings.Contains(stdout, " 1 detections") {
				t.Errorf("%s, %s: %s", filepath.Base(scene), model, stdout)
			}
		}
	}
}

// TestSARDetectFlags checks that detector options out of range are
// refused with a message naming them, before any image is read.
func TestSARDetectFlags(t *testing.T) {
	out := filepath.Join(t.TempDir(), "det.geojson")
	for _, c := range []struct{ flag, value, want string }{
		{"--land-buffer", "0", "--land-buffer"},
		{"--land-buffer", "-10", "--land-buffer"},
		{"--land-buffer", "NaN", "--land-buffer"},
	} {
		_, _, err := runCmd(t, "sar", "detect", "no-such.tif", "--out", out, c.flag, c.value)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: %v, want an error naming %s", c.flag, c.value, err, c.want)
		}
	}
}
