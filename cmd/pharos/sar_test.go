package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
