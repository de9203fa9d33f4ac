package sar

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"pharos/internal/source"
)

func TestWriteGeoJSONRoundTrip(t *testing.T) {
	g := synthChip(3, 400, 300, []ship{{x: 100, y: 100, l: 40, w: 8}, {x: 300, y: 50, l: 20, w: 5, rot: true}})
	objs, err := Detect(g, Params{})
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 {
		t.Fatalf("%d objects", len(objs))
	}
	at := time.Date(2026, 11, 27, 6, 21, 44, 0, time.UTC)
	ref := &Georef{Lat: 36.10, Lon: -5.60, Spacing: 10}
	var buf bytes.Buffer
	if err := WriteGeoJSON(&buf, Scene{ID: "chip1", Time: at, W: g.W, H: g.H, Place: ref, Spacing: ref.Spacing}, objs); err != nil {
		t.Fatal(err)
	}
	obs, st, err := source.ReadSatelliteGeoJSON(bytes.NewReader(buf.Bytes()), "sar")
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 2 || len(st.Rejects) != 0 || len(st.Scenes) != 1 {
		t.Fatalf("read %d detections, rejects %v, %d scenes\n%s", len(obs), st.Rejects, len(st.Scenes), buf.Bytes())
	}
	sc := st.Scenes[0]
	if sc.ID != "chip1" || !sc.Time.Equal(at) {
		t.Errorf("scene %+v", sc)
	}
	for i, o := range obs {
		lat, lon := ref.LatLon(objs[i].X, objs[i].Y)
		if math.Abs(o.Lat-lat) > 1e-6 || math.Abs(o.Lon-lon) > 1e-6 {
			t.Errorf("detection %d at %.6f,%.6f, want %.6f,%.6f", i, o.Lat, o.Lon, lat, lon)
		}
		if math.Abs(o.Length-objs[i].Length*10) > 0.1 || !o.Time.Equal(at) {
			t.Errorf("detection %d length %.1f time %v", i, o.Length, o.Time)
		}
	}
	// 300 px × 10 m south of the corner is 3 km.
	lat, _ := ref.LatLon(0, 300)
	if d := (ref.Lat - lat) * math.Pi / 180 * earthRadius; math.Abs(d-3000) > 0.01 {
		t.Errorf("300 px south = %.2f m", d)
	}
	// The pixel properties are there with or without a georeference.
	buf.Reset()
	if err := WriteGeoJSON(&buf, Scene{ID: "chip1", W: g.W, H: g.H}, objs); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Features []struct {
			Geometry   any
			Properties struct {
				PX, PY float64
				BBox   []int
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	f := doc.Features[0]
	if f.Geometry != nil || len(f.Properties.BBox) != 4 || math.Abs(f.Properties.PX-objs[0].X) > 0.01 {
		t.Errorf("ungeoreferenced feature %+v", f)
	}
}

// TestFootprintCounterClockwise: the scene footprint is an exterior ring,
// counter-clockwise (positive signed area in lon, lat) as RFC 7946 asks.
func TestFootprintCounterClockwise(t *testing.T) {
	var buf bytes.Buffer
	ref := Georef{Lat: 36.1, Lon: -5.6, Spacing: 10}
	if err := WriteGeoJSON(&buf, Scene{ID: "s", W: 300, H: 200, Place: ref, Spacing: 10}, nil); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Scene struct {
			Footprint struct {
				Coordinates [][][2]float64
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	ring := doc.Scene.Footprint.Coordinates[0]
	var area float64
	for i := 0; i+1 < len(ring); i++ {
		area += ring[i][0]*ring[i+1][1] - ring[i+1][0]*ring[i][1]
	}
	if len(ring) != 5 || ring[0] != ring[4] || area <= 0 {
		t.Errorf("footprint %v: signed area %g, want a closed counter-clockwise ring", ring, area)
	}
}
