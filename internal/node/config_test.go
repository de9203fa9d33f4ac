package node

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pharos/internal/detect"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/server/auth"
	"pharos/internal/store"
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

func TestConfigDetectionSettings(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "sections.geojson"), `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"id":"ES-ALG","name":"Algeciras","kind":"border_section","impact":"high"},
		 "geometry":{"type":"Polygon","coordinates":[[[-5.6,36.0],[-5.3,36.0],[-5.3,36.2],[-5.6,36.2],[-5.6,36.0]]]}}]}`)
	path := filepath.Join(dir, "node.yaml")
	writeFile(t, path, `areas: [sections.geojson]
watchlist:
  - {id: SIS-7, mmsi: 224123450, reason: "drugs, discreet check", impact: high}
risk_weights:
  go_fast: {drugs: 3}
detectors:
  go_fast: {minspeed: 35, minduration: 2m}
`)
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	areas, err := c.AreaSet()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := areas.Lookup("ES-ALG"); !ok || areas.Len() < 200 {
		t.Errorf("areas: %d, section found %v", areas.Len(), ok)
	}
	dets, err := c.DetectorSet(nil, areas)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dets {
		switch d := d.(type) {
		case *detect.GoFast:
			if d.MinSpeed != 35 || d.MinDuration != 2*time.Minute {
				t.Errorf("go_fast parameters %v %v", d.MinSpeed, d.MinDuration)
			}
		case *detect.Watchlist:
			if len(d.Entries) != 1 || d.Entries[0].Impact != model.ImpactHigh {
				t.Errorf("watchlist %+v", d.Entries)
			}
		}
	}
	a := c.Assessor()
	a.Event(&model.Event{Type: "go_fast", TrackIDs: []uint64{1}})
	if r := a.Assess(1); r.Threats["drugs"] < 0.95 {
		t.Errorf("risk with a go-fast weight of 3: %+v", r)
	}
}

// TestExampleConfig keeps examples/node.yaml true: it loads, every part of
// it is used, and its demo user logs in with the password it documents.
func TestExampleConfig(t *testing.T) {
	c, err := LoadConfig("../../examples/node.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.NodeName() != "ESP-NCC" || len(c.Sites()) != 1 || len(c.OwnAssets) != 1 || len(c.Watchlist) != 1 ||
		len(c.CoTOut) != 1 || c.Retention[store.KindTrackStates] != 720*time.Hour || c.PersonalData[store.KindDetections] != 2160*time.Hour {
		t.Errorf("example: %+v", c)
	}
	areas, err := c.AreaSet()
	if err != nil {
		t.Fatal(err)
	}
	if i, ok := areas.Lookup("ES-SEA-STRAIT"); !ok || areas.Area(i).Kind != geo.KindBorderSection {
		t.Error("the example's border section is not among the areas")
	}
	if _, err := c.DetectorSet(nil, areas); err != nil {
		t.Error(err)
	}
	var users auth.Users
	for _, u := range c.Users {
		if err := users.AddHashed(u.Name, auth.Role(u.Role), u.PasswordHash); err != nil {
			t.Fatal(err)
		}
	}
	if _, p, err := users.Login("duty", "a demo password only", time.Now()); err != nil || p.Role != auth.Operator {
		t.Errorf("the example's user: %+v, %v", p, err)
	}
}

func TestConfigRejectsBadUsers(t *testing.T) {
	dir := t.TempDir()
	for _, users := range []string{
		"users: [{name: a, role: root, password_hash: x}]",
		"users: [{name: a, role: operator, password_hash: 'not a hash'}]",
		"users: [{role: operator}]",
	} {
		path := filepath.Join(dir, "node.yaml")
		if err := os.WriteFile(path, []byte(users+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadConfig(path); err == nil {
			t.Errorf("accepted %s", users)
		}
	}
}

func TestConfigRejectsBadRetention(t *testing.T) {
	dir := t.TempDir()
	for _, bad := range []string{
		"retention: {tracks: 24h}",
		"retention: {track_states: -1h}",
		"personal_data: {incidents: 24h}",
		"personal_data: {detections: soon}",
	} {
		path := filepath.Join(dir, "node.yaml")
		writeFile(t, path, bad+"\n")
		if _, err := LoadConfig(path); err == nil {
			t.Errorf("%s: loaded", bad)
		}
	}
}
