package geo

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const areaGoodGeoJSON = `{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"id":"ES-ALG-1","name":"Algeciras bay","kind":"border_section","impact":"high","isoA2":"ES","isoA3":"ESP"},
  "geometry":{"type":"Polygon","coordinates":[[[-5.45,36.05],[-5.3,36.05],[-5.3,36.2],[-5.45,36.2],[-5.45,36.05]]]}},
 {"type":"Feature","id":42,"properties":{"impact":"Critical"},
  "geometry":{"type":"MultiPolygon","coordinates":[[[[0,0,5],[1,0,5],[1,1,5]]],[[[2,0],[3,0],[3,1],[2,0]],[[2.5,0.1],[2.9,0.1],[2.9,0.5],[2.5,0.1]]]]}},
 {"type":"Feature","properties":{"id":"fiji-box","kind":"closed_area"},
  "geometry":{"type":"Polygon","coordinates":[[[179,-17],[-179,-17],[-179,-16],[179,-16],[179,-17]]]}}
]}`

func TestParseAreasGeoJSON(t *testing.T) {
	list, err := ParseAreasGeoJSON(strings.NewReader(areaGoodGeoJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 {
		t.Fatalf("%d areas, want 3", len(list))
	}
	s := list[0]
	if s.ID != "ES-ALG-1" || s.Name != "Algeciras bay" || s.Kind != KindBorderSection || s.Impact != AreaImpactHigh || s.ISOA2 != "ES" || s.ISOA3 != "ESP" {
		t.Errorf("section = %+v", s)
	}
	u := list[1]
	if u.ID != "42" || u.Name != "42" || u.Kind != KindUserArea || u.Impact != AreaImpactCritical || len(u.Polygons) != 2 || len(u.Polygons[1]) != 2 {
		t.Errorf("user area = %+v", u)
	}
	a := NewAreas(list)
	for _, tt := range []struct {
		lat, lon float64
		want     []int
	}{
		{36.1, -5.4, []int{0}},
		{0.2, 0.8, []int{1}},
		{0.05, 2.2, []int{1}},
		{0.3, 2.7, nil}, // in the hole
		{-16.5, 179.5, []int{2}},
		{-16.5, -179.5, []int{2}},
	} {
		if got := a.At(tt.lat, tt.lon, nil); !slices.Equal(got, tt.want) {
			t.Errorf("At(%g, %g) = %v, want %v", tt.lat, tt.lon, got, tt.want)
		}
	}

	one, err := ParseAreasGeoJSON(strings.NewReader(`{"type":"Feature","properties":{"id":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}`))
	if err != nil || len(one) != 1 || one[0].ID != "x" {
		t.Errorf("single feature: %v, %v", one, err)
	}
}

func TestParseAreasGeoJSONRejects(t *testing.T) {
	const sq = `[[[0,0],[1,0],[1,1],[0,1],[0,0]]]`
	feat := func(props, geom string) string {
		return `{"type":"FeatureCollection","features":[{"type":"Feature","properties":` + props + `,"geometry":` + geom + `}]}`
	}
	poly := func(coords string) string { return `{"type":"Polygon","coordinates":` + coords + `}` }
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", `{"type":`, "unexpected EOF"},
		{"wrong document type", `{"type":"Polygon","coordinates":[]}`, `type "Polygon", want FeatureCollection or Feature`},
		{"no id", feat(`{"name":"x"}`, poly(sq)), "feature 0: no id"},
		{"id an object", feat(`{"id":{"a":1}}`, poly(sq)), "neither a string nor a number"},
		{"no geometry", feat(`{"id":"a"}`, `null`), `feature 0 (id "a"): no geometry`},
		{"a line", feat(`{"id":"a"}`, `{"type":"LineString","coordinates":[[0,0],[1,1]]}`), `geometry "LineString", want Polygon or MultiPolygon`},
		{"a point", feat(`{"id":"a"}`, `{"type":"Point","coordinates":[0,0]}`), `geometry "Point"`},
		{"bad impact", feat(`{"id":"a","impact":"severe"}`, poly(sq)), `unknown impact level "severe"`},
		{"name a number", feat(`{"id":"a","name":3}`, poly(sq)), "properties:"},
		{"two-vertex ring", feat(`{"id":"a"}`, poly(`[[[0,0],[1,1],[0,0]]]`)), "polygon 0 ring 0: 2 distinct positions, need 3"},
		{"no ring", feat(`{"id":"a"}`, poly(`[]`)), "polygon 0: no ring"},
		{"empty multipolygon", feat(`{"id":"a"}`, `{"type":"MultiPolygon","coordinates":[]}`), "no polygon"},
		{"empty polygon in a multipolygon", feat(`{"id":"a"}`, `{"type":"MultiPolygon","coordinates":[`+sq+`,[]]}`), "polygon 1: no ring"},
		{"latitude 91", feat(`{"id":"a"}`, poly(`[[[0,0],[1,91],[1,1]]]`)), "position 1: [1, 91] is not a [lon, lat]"},
		{"one number", feat(`{"id":"a"}`, poly(`[[[0,0],[1],[1,1]]]`)), "position 1: 1 numbers"},
		{"coordinates a string", feat(`{"id":"a"}`, poly(`"x"`)), "polygon coordinates"},
		{"duplicate id", `{"type":"FeatureCollection","features":[
			{"type":"Feature","properties":{"id":"a"},"geometry":` + poly(sq) + `},
			{"type":"Feature","properties":{"id":"a"},"geometry":` + poly(sq) + `}]}`, `feature 1: id "a" already used by feature 0`},
		{"not a feature", `{"type":"FeatureCollection","features":[{"type":"Polygon","coordinates":[]}]}`, `type "Polygon", want Feature`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseAreasGeoJSON(strings.NewReader(tt.in))
			if !errors.Is(err, ErrAreaGeoJSON) {
				t.Fatalf("err = %v, want ErrAreaGeoJSON", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %q, want it to say %q", err, tt.want)
			}
		})
	}
}

func FuzzParseAreasGeoJSON(f *testing.F) {
	f.Add(areaGoodGeoJSON)
	f.Add(`{"type":"Feature","id":1,"geometry":{"type":"Polygon","coordinates":[[[170,0],[190,0],[190,1]]]}}`)
	f.Add(`{"type":"Feature","id":1,"geometry":{"type":"Polygon","coordinates":[[[0,80],[120,80],[-120,80]]]}}`)
	f.Add(`{"type":"FeatureCollection","features":[]}`)
	f.Fuzz(func(t *testing.T, in string) {
		list, err := ParseAreasGeoJSON(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrAreaGeoJSON) {
				t.Fatalf("error %v does not wrap ErrAreaGeoJSON", err)
			}
			return
		}
		a := NewAreas(list)
		for _, p := range [][2]float64{{0, 0}, {0.5, 0.5}, {-16.5, 179.9}, {85, 10}, {90, 0}} {
			for _, i := range a.At(p[0], p[1], nil) {
				if i < 0 || i >= a.Len() || !a.Contains(i, p[0], p[1]) {
					t.Fatalf("At(%v) gave %d", p, i)
				}
			}
		}
	})
}
