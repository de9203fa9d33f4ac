package main

import (
	"encoding/json"
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
