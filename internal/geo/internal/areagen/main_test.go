package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const sample = `{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"isoA3":"MLT","isoA2":"MT"},"geometry":{"type":"GeometryCollection","geometries":[
  {"type":"Polygon","coordinates":[[[14.1,35.8],[14.6,35.8],[14.6,36.1],[14.1,36.1],[14.1,35.8]]]}]}},
 {"type":"Feature","properties":{"isoA3":"CUW"},"geometry":{"type":"GeometryCollection","geometries":[
  {"type":"MultiPolygon","coordinates":[[[[-69.2,12.0],[-68.7,12.0],[-68.7,12.4],[-69.2,12.0]],[[-69.0,12.1],[-68.9,12.1],[-68.9,12.2],[-69.0,12.1]]],
   [[[-68.0,12.0],[-68.0,12.0],[-68.000001,12.000001],[-68.0,12.0]]]]}]}}
]}`

func TestDecode(t *testing.T) {
	g, err := newGrid(1e-5)
	if err != nil {
		t.Fatal(err)
	}
	areas, err := decode([]byte(sample), g, "TW-", "territorial_waters", " territorial waters")
	if err != nil {
		t.Fatal(err)
	}
	if len(areas) != 2 || areas[0].id != "TW-CUW" || areas[1].id != "TW-MLT" {
		t.Fatalf("areas not sorted by id: %+v", areas)
	}
	cuw := areas[0]
	if cuw.a2 != "CW" || cuw.name != "Curaçao territorial waters" || cuw.kind != "territorial_waters" {
		t.Errorf("CUW = %+v", cuw)
	}
	// The sliver collapses to fewer than three grid vertices and is dropped.
	if len(cuw.polys) != 1 || len(cuw.polys[0]) != 2 || cuw.dropped != 1 {
		t.Errorf("CUW polygons %v, dropped %d", cuw.polys, cuw.dropped)
	}
	want := []pt{g.snap(14.1, 35.8), g.snap(14.6, 35.8), g.snap(14.6, 36.1), g.snap(14.1, 36.1)}
	if got := areas[1].polys[0][0]; !slices.Equal(got, want) {
		t.Errorf("MLT ring %v, want %v (open, on the grid)", got, want)
	}
}

func TestDecodeRejects(t *testing.T) {
	g, _ := newGrid(1e-5)
	for name, in := range map[string]string{
		"unknown country": strings.Replace(sample, `"MLT"`, `"XYZ"`, 1),
		"alpha-2 differs": strings.Replace(sample, `"MT"`, `"MX"`, 1),
		"a line":          strings.Replace(sample, `"Polygon"`, `"LineString"`, 1),
		"outside globe":   strings.Replace(sample, `14.6,36.1`, `194.6,36.1`, 1),
	} {
		if _, err := decode([]byte(in), g, "TW-", "k", ""); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestRunDeterministic runs the whole conversion twice on a local file:
// the same bytes both times.
func TestRunDeterministic(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.geo.json")
	if err := os.WriteFile(in, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	var outs [][]byte
	for i := range 2 {
		out := filepath.Join(dir, "out"+string(rune('0'+i))+".bin.gz")
		if err := run([]string{"-in", in, "-o", out}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("two runs differ")
	}
}
