package main

import (
	"slices"
	"testing"
)

func TestCutAntimeridian(t *testing.T) {
	g, err := newGrid(1e-3, 1e-3, -180, -90) // x = 0 at 180° W, 360000 a turn
	if err != nil {
		t.Fatal(err)
	}
	lat := func(d float64) int64 { return int64((d + 90) * 1e3) }
	tests := []struct {
		name  string
		ring  []pt
		w     int64
		parts [][]pt
	}{
		{
			name:  "away from 180°",
			ring:  []pt{{1000, lat(10)}, {2000, lat(10)}, {2000, lat(11)}, {1000, lat(10)}},
			parts: [][]pt{{{1000, lat(10)}, {2000, lat(10)}, {2000, lat(11)}}},
		},
		{
			name: "across 180°",
			ring: []pt{{359500, lat(-17)}, {500, lat(-17)}, {500, lat(-16)}, {359500, lat(-16)}},
			parts: [][]pt{
				{{359500, lat(-17)}, {360000, lat(-17)}, {360000, lat(-16)}, {359500, lat(-16)}},
				{{0, lat(-17)}, {500, lat(-17)}, {500, lat(-16)}, {0, lat(-16)}},
			},
		},
		{
			name: "round the South Pole",
			ring: []pt{{0, lat(-70)}, {90000, lat(-70)}, {180000, lat(-70)}, {270000, lat(-70)}},
			w:    1,
			parts: [][]pt{{
				{0, lat(-70)}, {90000, lat(-70)}, {180000, lat(-70)}, {270000, lat(-70)},
				{360000, lat(-70)}, {360000, 0}, {0, 0},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts, w, _ := g.cutAntimeridian(tt.ring)
			if w != tt.w {
				t.Errorf("w = %d, want %d", w, tt.w)
			}
			if !slices.EqualFunc(parts, tt.parts, slices.Equal) {
				t.Errorf("parts = %v\nwant %v", parts, tt.parts)
			}
		})
	}
}

func TestDecodeTopoJSON(t *testing.T) {
	// Two arcs, delta-encoded: a triangle drawn as arc 0 then arc 1
	// reversed (~1 = -2).
	const topo = `{"type":"Topology",
		"transform":{"scale":[0.5,0.25],"translate":[-180,-90]},
		"arcs":[[[0,0],[2,0],[0,2]],[[0,0],[2,2]]],
		"objects":{"land":{"type":"GeometryCollection","geometries":[
			{"type":"MultiPolygon","arcs":[[[0,-2]]]}]}}}`
	g, rings, err := decodeTopoJSON([]byte(topo), "land")
	if err != nil {
		t.Fatal(err)
	}
	if g.turn != 720 {
		t.Errorf("turn = %d, want 720", g.turn)
	}
	want := [][]pt{{{0, 0}, {2, 0}, {2, 2}, {0, 0}}}
	if !slices.EqualFunc(rings, want, slices.Equal) {
		t.Errorf("rings = %v, want %v", rings, want)
	}
}
