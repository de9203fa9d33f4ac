package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConfigRoundTrip(t *testing.T) {
	c := Config{
		Radars:    []Radar{{ID: "tarifa", Lat: 36.0143, Lon: -5.6044, RangeM: 40000, Period: 3 * time.Second, SigmaRange: 25, SigmaBearing: 0.3}},
		OwnAssets: []uint32{224000001},
	}
	path := filepath.Join(t.TempDir(), "node.yaml")
	if err := c.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Radars) != 1 || got.Radars[0] != c.Radars[0] || got.OwnAssets[0] != 224000001 {
		t.Errorf("round trip gave %+v", got)
	}
	if s := got.Sites()[0]; s.Range != 40000 || s.Period != 3*time.Second {
		t.Errorf("site %+v", s)
	}
}

func TestConfigRejectsUnknownKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "node.yaml")
	writeFile(t, path, "radars:\n  - id: tarifa\n    lat: 36\n    lon: -5.6\n    rnge_m: 40000\n")
	_, err := LoadConfig(path)
	if err == nil || !strings.Contains(err.Error(), "line 5") {
		t.Errorf("LoadConfig = %v, want an error naming line 5", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
