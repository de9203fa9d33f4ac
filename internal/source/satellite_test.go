package source

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pharos/internal/model"
)

const satS1Scene = "S1A_IW_GRDH_1SDV_20261127T062144_20261127T062209_066812_080F1A_5C2D"

func readSatFixture(t testing.TB, name string) []byte {
	t.Helper()
	p, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sameFloat is == with NaN equal to NaN.
func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func sameRejects(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestReadSatelliteGeoJSONFixture(t *testing.T) {
	obs, st, err := ReadSatelliteGeoJSON(bytes.NewReader(readSatFixture(t, "sat_s1_alboran.geojson")), "s1")
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 8 || st.Detections != 8 || st.Records != 8 || len(st.Rejects) != 0 {
		t.Fatalf("%d observations, stats %+v; want 8, no rejects", len(obs), st)
	}
	if len(st.Scenes) != 1 {
		t.Fatalf("%d scenes, want 1", len(st.Scenes))
	}
	sc := st.Scenes[0]
	sceneTime := time.Date(2026, 11, 27, 6, 21, 56, 512e6, time.UTC)
	if sc.ID != satS1Scene || !sc.Time.Equal(sceneTime) || sc.Sensor != "SAR" || len(sc.Footprint) != 5 {
		t.Errorf("scene %+v", *sc)
	}
	if sc.Footprint[1] != [2]float64{-3.551, 35.716} {
		t.Errorf("footprint[1] = %v", sc.Footprint[1])
	}
	for i, o := range obs {
		if o.Scene != sc {
			t.Errorf("obs %d: scene %p, want the shared %p", i, o.Scene, sc)
		}
		if o.Sensor != model.SensorSatellite || o.Source != "s1" || o.MMSI != 0 || o.NavStatus != -1 {
			t.Errorf("obs %d: %+v", i, o)
		}
	}
	o := obs[0]
	if o.TargetID != "S1A_066812_d0001" || o.Lat != 35.9821 || o.Lon != -5.6134 || o.Length != 187.4 ||
		o.Heading != 84 || o.Confidence != 0.99 || o.PosError != DefaultSARPosError || !o.Time.Equal(sceneTime) ||
		!math.IsNaN(o.SOG) || !math.IsNaN(o.COG) {
		t.Errorf("obs 0 = %+v", o)
	}
	if o := obs[2]; o.Length != 11.8 || o.Confidence != 0.71 || o.PosError != 80 || !math.IsNaN(o.Heading) {
		t.Errorf("numbers as strings: %+v", o)
	}
	if o := obs[4]; !o.Time.Equal(time.Date(2026, 11, 27, 6, 21, 49, 20e6, time.UTC)) {
		t.Errorf("own time: %v", o.Time)
	}
	if o := obs[6]; o.TargetID != satS1Scene+"#7" {
		t.Errorf("TargetID without id = %q", o.TargetID)
	}
	if o := obs[7]; !math.IsNaN(o.Length) || !math.IsNaN(o.Heading) || o.Confidence != 0.41 {
		t.Errorf("nulls: %+v", o)
	}
}

func TestReadSatelliteGeoJSONMultiScene(t *testing.T) {
	obs, st, err := ReadSatelliteGeoJSON(bytes.NewReader(readSatFixture(t, "sat_multiscene.geojson")), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 4 || len(st.Scenes) != 2 || st.Records != 6 || len(st.Rejects) != 0 {
		t.Fatalf("%d observations, stats %+v", len(obs), st)
	}
	s1, s2 := st.Scenes[0], st.Scenes[1]
	if s1.Sensor != "SAR" || s2.Sensor != "optical" || len(s1.Footprint) != 5 || len(s2.Footprint) != 5 {
		t.Errorf("scenes %+v %+v", *s1, *s2)
	}
	want := []struct {
		scene    *model.Scene
		id       string
		t        time.Time
		posError float64
	}{
		{s1, s1.ID + "#1", time.Date(2026, 11, 27, 6, 22, 21, 0, time.UTC), DefaultSARPosError},
		{s2, s2.ID + "#1", time.Date(2026, 11, 27, 10, 50, 29, 0, time.UTC), DefaultOpticalPosError},
		{s1, s1.ID + "#2", time.Date(2026, 11, 27, 6, 22, 21, 0, time.UTC), DefaultSARPosError},
		{s2, "17", time.Date(2026, 11, 27, 10, 50, 29, 0, time.UTC), 12},
	}
	for i, w := range want {
		o := obs[i]
		if o.Scene != w.scene || o.TargetID != w.id || !o.Time.Equal(w.t) || o.PosError != w.posError {
			t.Errorf("obs %d: scene %s id %q time %v error %v; want %s %q %v %v",
				i, o.Scene.ID, o.TargetID, o.Time, o.PosError, w.scene.ID, w.id, w.t, w.posError)
		}
	}
}

// satDoc wraps features into a collection with the given scene member.
func satDoc(scene string, features ...string) string {
	s := `{"type":"FeatureCollection"`
	if scene != "" {
		s += `,"scene":` + scene
	}
	return s + `,"features":[` + strings.Join(features, ",") + `]}`
}

func satPoint(lon, lat, props string) string {
	return `{"type":"Feature","geometry":{"type":"Point","coordinates":[` + lon + `,` + lat + `]},"properties":{` + props + `}}`
}

const satSceneJSON = `{"id":"A","time":"2026-11-27T06:00:00Z","sensor":"sar"}`

func TestReadSatelliteGeoJSON(t *testing.T) {
	t0 := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		doc     string
		n       int
		rejects map[string]int
		check   func(t *testing.T, obs []model.Observation, st SatelliteStats)
	}{
		{"scene without footprint", satDoc(satSceneJSON, satPoint("1", "2", ``)), 1, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if o := obs[0]; o.Scene.Footprint != nil || o.Scene.Sensor != "SAR" || !o.Time.Equal(t0) || o.TargetID != "A#1" ||
					o.Lat != 2 || o.Lon != 1 || !math.IsNaN(o.Length) || !math.IsNaN(o.Confidence) {
					t.Errorf("obs %+v scene %+v", o, *o.Scene)
				}
			}},
		{"footprint feature after its detections", `{"type":"FeatureCollection","features":[` +
			satPoint("1", "2", `"scene_id":"B"`) + `,` +
			`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[0,3]]]},"properties":{"kind":"footprint","id":"B","time":"2026-11-27T06:00:00Z","sensor":"optical"}}]}`,
			1, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				sc := obs[0].Scene
				if sc.ID != "B" || !sc.Time.Equal(t0) || len(sc.Footprint) != 5 || sc.Footprint[4] != [2]float64{0, 0} ||
					obs[0].PosError != DefaultOpticalPosError {
					t.Errorf("scene %+v (the open ring should be closed), pos error %v", *sc, obs[0].PosError)
				}
			}},
		{"no geometry", satDoc(satSceneJSON, `{"type":"Feature","properties":{}}`, `{"type":"Feature","geometry":null}`), 0,
			map[string]int{RejectSatBadGeometry: 2}, nil},
		{"not a point", satDoc(satSceneJSON, `{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}`), 0,
			map[string]int{RejectSatBadGeometry: 1}, nil},
		{"one coordinate", satDoc(satSceneJSON, `{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}`), 0,
			map[string]int{RejectSatBadGeometry: 1}, nil},
		{"coordinates not numbers", satDoc(satSceneJSON, satPoint(`"x"`, "2", ``), satPoint(`{}`, "2", ``), satPoint(`null`, "2", ``)), 0,
			map[string]int{RejectSatBadGeometry: 3}, nil},
		{"out of range", satDoc(satSceneJSON, satPoint("1", "95", ``), satPoint("-180.5", "2", ``), satPoint("180", "-90", ``)), 1,
			map[string]int{RejectSatBadPosition: 2}, nil},
		{"bad time", satDoc(satSceneJSON, satPoint("1", "2", `"time":"yesterday"`), satPoint("1", "2", `"time":"1969-12-31T23:00:00Z"`),
			satPoint("1", "2", `"time":true`)), 0,
			map[string]int{RejectSatBadTime: 3}, nil},
		{"no scene time", satDoc(`{"id":"A"}`, satPoint("1", "2", ``)), 0,
			map[string]int{RejectSatNoSceneTime: 1}, nil},
		{"no scene at all, no time", satDoc("", satPoint("1", "2", ``)), 0,
			map[string]int{RejectSatNoSceneTime: 1}, nil},
		{"scene takes its earliest detection's time", satDoc(`{"id":"A"}`,
			satPoint("1", "2", `"time":"2026-11-27T06:00:09Z"`), satPoint("1", "2", ``), satPoint("1", "2", `"time":"2026-11-27T06:00:03Z"`)), 3, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				want := time.Date(2026, 11, 27, 6, 0, 3, 0, time.UTC)
				if !obs[1].Time.Equal(want) || !st.Scenes[0].Time.Equal(want) {
					t.Errorf("times %v, scene %v; want %v", obs[1].Time, st.Scenes[0].Time, want)
				}
			}},
		{"no scene: one per time", satDoc("",
			satPoint("1", "2", `"time":"2026-11-27T06:00:00Z"`), satPoint("1", "2", `"time":"2026-11-27T07:00:00Z"`),
			satPoint("1", "2", `"time":"2026-11-27T06:00:00Z"`)), 3, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if len(st.Scenes) != 2 || obs[0].Scene != obs[2].Scene || obs[0].Scene.ID != "2026-11-27T06:00:00Z" ||
					obs[2].TargetID != "2026-11-27T06:00:00Z#2" || obs[1].Scene.ID != "2026-11-27T07:00:00Z" {
					t.Errorf("scenes %v, ids %q %q", st.Scenes, obs[0].Scene.ID, obs[2].TargetID)
				}
			}},
		{"scenes list and an undeclared scene id", `{"type":"FeatureCollection","scenes":[` + satSceneJSON + `,{"id":"B","time":"2026-11-27T07:00:00Z"}],"features":[` +
			satPoint("1", "2", `"scene_id":"B"`) + `,` + satPoint("1", "2", `"scene_id":"C","time":"2026-11-27T08:00:00Z"`) + `,` +
			satPoint("1", "2", `"scene_id":"A"`) + `]}`, 3, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if len(st.Scenes) != 3 || obs[0].Scene.ID != "B" || obs[0].Time.Hour() != 7 || obs[1].Scene.ID != "C" ||
					obs[1].Scene.Time.Hour() != 8 || obs[2].Scene.ID != "A" || obs[2].Time.Hour() != 6 {
					t.Errorf("scenes %v", st.Scenes)
				}
			}},
		{"several scenes, detection without scene id", `{"type":"FeatureCollection","scenes":[` + satSceneJSON + `,{"id":"B","time":"2026-11-27T07:00:00Z"}],"features":[` +
			satPoint("1", "2", ``) + `]}`, 0, map[string]int{RejectSatNoSceneTime: 1}, nil},
		{"numbers as strings", satDoc(`{"id":7,"time":"2026-11-27T06:00:00Z"}`, satPoint(`"1.5"`, `" 2.5 "`, `"length_m":"30","heading":"90","confidence":"0.5","position_error_m":"15","scene_id":7`)), 1, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				o := obs[0]
				if o.Lat != 2.5 || o.Lon != 1.5 || o.Length != 30 || o.Heading != 90 || o.Confidence != 0.5 || o.PosError != 15 || o.Scene.ID != "7" {
					t.Errorf("%+v", o)
				}
			}},
		{"bad fields", satDoc(satSceneJSON, satPoint("1", "2", `"length_m":"long"`), satPoint("1", "2", `"confidence":[1]`),
			satPoint("1", "2", `"width_m":"NaN"`), satPoint("1", "2", `"heading":{}`)), 0,
			map[string]int{RejectSatBadField: 4}, nil},
		{"out-of-range fields are absent", satDoc(satSceneJSON, satPoint("1", "2", `"length_m":-3,"confidence":1.7,"heading":360,"position_error_m":0`)), 1, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				o := obs[0]
				if !math.IsNaN(o.Length) || !math.IsNaN(o.Confidence) || !math.IsNaN(o.Heading) || o.PosError != DefaultSARPosError {
					t.Errorf("%+v", o)
				}
			}},
		{"bad footprint keeps the detections", satDoc(`{"id":"A","time":"2026-11-27T06:00:00Z","footprint":{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}}`,
			satPoint("1", "2", ``)), 1, map[string]int{RejectSatBadFootprint: 1},
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if obs[0].Scene.Footprint != nil {
					t.Errorf("footprint %v", obs[0].Scene.Footprint)
				}
			}},
		{"footprint out of range", satDoc(`{"id":"A","time":"2026-11-27T06:00:00Z","footprint":{"type":"Polygon","coordinates":[[[0,0],[1,91],[2,0],[0,0]]]}}`,
			satPoint("1", "2", ``)), 1, map[string]int{RejectSatBadFootprint: 1}, nil},
		{"WKT and MultiPolygon footprints", `{"type":"FeatureCollection","scenes":[` +
			`{"id":"A","time":"2026-11-27T06:00:00Z","footprint":"POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))"},` +
			`{"id":"B","time":"2026-11-27T06:00:00Z","footprint":{"type":"MultiPolygon","coordinates":[[[[5,5],[6,5],[6,6],[5,5]]],[[[7,7],[8,7],[8,8],[7,7]]]]}}],"features":[]}`,
			0, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if len(st.Scenes) != 2 || len(st.Scenes[0].Footprint) != 5 || st.Scenes[0].Footprint[2] != [2]float64{2, 2} ||
					len(st.Scenes[1].Footprint) != 4 || st.Scenes[1].Footprint[0] != [2]float64{5, 5} {
					t.Errorf("scenes %v %v", st.Scenes[0], st.Scenes[1])
				}
			}},
		{"a single feature", `{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"time":"2026-11-27T06:00:00Z","id":"x"}}`, 1, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if obs[0].TargetID != "x" || !obs[0].Time.Equal(t0) {
					t.Errorf("%+v", obs[0])
				}
			}},
		{"feature not an object", satDoc(satSceneJSON, `42`, `"x"`, `{"type":"Feature","geometry":{"type":7}}`, `{"properties":"p","geometry":{"type":"Point","coordinates":[1,2]}}`), 0,
			map[string]int{RejectSatBadFeature: 4}, nil},
		{"time spellings", satDoc(satSceneJSON, satPoint("1", "2", `"time":"2026-11-27 06:00:00.000000 UTC"`), satPoint("1", "2", `"time":1795759200`),
			satPoint("1", "2", `"time":"2026-11-27T07:00:00+01:00"`), satPoint("1", "2", `"time":"2026-11-27T06:00:00"`), satPoint("1", "2", `"timestamp":"2026-11-27T06:00:00.000Z"`)), 5, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				for i, o := range obs {
					if !o.Time.Equal(t0) || o.Time.Location() != time.UTC {
						t.Errorf("obs %d time %v", i, o.Time)
					}
				}
			}},
		{"bad scene time", satDoc(`{"id":"A","time":"noon"}`, satPoint("1", "2", `"time":"2026-11-27T06:00:00Z"`)), 1,
			map[string]int{RejectSatBadScene: 1}, nil},
		{"scene not an object", satDoc(`[1]`, satPoint("1", "2", `"time":"2026-11-27T06:00:00Z"`)), 1,
			map[string]int{RejectSatBadScene: 1}, nil},
		{"empty collection", `{"type":"FeatureCollection","features":[]}`, 0, nil, nil},
		{"collection without features", `{"type":"FeatureCollection"}`, 0, nil, nil},
		{"ids from detect_id and feature id", satDoc(satSceneJSON, satPoint("1", "2", `"detect_id":"d"`),
			`{"type":"Feature","id":"f","geometry":{"type":"Point","coordinates":[1,2]}}`), 2, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if obs[0].TargetID != "d" || obs[1].TargetID != "f" {
					t.Errorf("ids %q %q", obs[0].TargetID, obs[1].TargetID)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, st, err := SatelliteReader{PosError: 0}.ReadGeoJSON(strings.NewReader(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			if tt.rejects == nil {
				tt.rejects = map[string]int{}
			}
			if len(obs) != tt.n || st.Detections != tt.n || !sameRejects(st.Rejects, tt.rejects) {
				t.Fatalf("%d observations, rejects %v; want %d, %v", len(obs), st.Rejects, tt.n, tt.rejects)
			}
			if tt.check != nil {
				tt.check(t, obs, st)
			}
		})
	}
}

func TestReadSatelliteGeoJSONErrors(t *testing.T) {
	for _, doc := range []string{``, `not json`, `null`, `[1,2]`, `"x"`, `{"type":"Point","coordinates":[1,2]}`,
		`{"type":"FeatureCollection","features":{}}`, `{"type":"FeatureCollection","features":[`} {
		_, _, err := ReadSatelliteGeoJSON(strings.NewReader(doc), "")
		if !errors.Is(err, ErrSatelliteFormat) {
			t.Errorf("%q: err = %v, want ErrSatelliteFormat", doc, err)
		}
	}
}

func TestReaderPosError(t *testing.T) {
	obs, _, err := SatelliteReader{PosError: 120}.ReadGeoJSON(strings.NewReader(satDoc(satSceneJSON,
		satPoint("1", "2", ``), satPoint("1", "2", `"position_error_m":7`))))
	if err != nil {
		t.Fatal(err)
	}
	if obs[0].PosError != 120 || obs[1].PosError != 7 {
		t.Errorf("pos errors %v %v, want 120 7", obs[0].PosError, obs[1].PosError)
	}
}

func TestReadSatelliteCSVFixtures(t *testing.T) {
	t.Run("gfw", func(t *testing.T) {
		obs, st, err := ReadSatelliteCSV(bytes.NewReader(readSatFixture(t, "sat_gfw.csv")), "gfw")
		if err != nil {
			t.Fatal(err)
		}
		if len(obs) != 5 || len(st.Scenes) != 1 || st.Records != 5 || len(st.Rejects) != 0 {
			t.Fatalf("%d observations, stats %+v", len(obs), st)
		}
		sc := st.Scenes[0]
		if sc.Sensor != "SAR" || len(sc.Footprint) != 5 || sc.Footprint[0] != [2]float64{-6.9021, 35.1644} ||
			!sc.Time.Equal(time.Date(2026, 11, 28, 18, 15, 14, 0, time.UTC)) {
			t.Errorf("scene %+v", *sc)
		}
		o := obs[0]
		if o.TargetID != sc.ID+";-5.71853;36.01277" || o.Lat != 36.01277 || o.Lon != -5.71853 || o.Confidence != 0.9871 ||
			o.Length != 212.6 || o.Scene != sc || o.PosError != DefaultSARPosError || o.Source != "gfw" {
			t.Errorf("obs 0 = %+v", o)
		}
	})
	t.Run("own", func(t *testing.T) {
		obs, st, err := ReadSatelliteCSV(bytes.NewReader(readSatFixture(t, "sat_own.csv")), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(obs) != 4 || len(st.Scenes) != 2 || len(st.Rejects) != 0 {
			t.Fatalf("%d observations, stats %+v", len(obs), st)
		}
		s1, s2 := st.Scenes[0], st.Scenes[1]
		if len(s1.Footprint) != 5 || len(s2.Footprint) != 5 || s2.Sensor != "optical" || obs[3].PosError != DefaultOpticalPosError {
			t.Errorf("scenes %+v %+v", *s1, *s2)
		}
		if o := obs[1]; o.Scene != s1 || o.TargetID != s1.ID+"#2" || o.Heading != 263.5 || o.Length != 294 || o.Confidence != 0.98 {
			t.Errorf("obs 1 = %+v", o)
		}
	})
	t.Run("same as geojson", func(t *testing.T) {
		csvObs, _, err := ReadSatelliteCSV(bytes.NewReader(readSatFixture(t, "sat_own.csv")), "")
		if err != nil {
			t.Fatal(err)
		}
		gjObs, _, err := ReadSatelliteGeoJSON(bytes.NewReader(readSatFixture(t, "sat_s1_alboran.geojson")), "")
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			a, b := csvObs[i], gjObs[i]
			if a.Lat != b.Lat || a.Lon != b.Lon || !a.Time.Equal(b.Time) || a.Length != b.Length || a.Scene.ID != b.Scene.ID ||
				!sameFloat(a.Heading, b.Heading) || a.Scene.Footprint[2] != b.Scene.Footprint[2] {
				t.Errorf("row %d: csv %+v, geojson %+v", i, a, b)
			}
		}
	})
}

func TestReadSatelliteCSV(t *testing.T) {
	const header = "scene_id,time,lat,lon,length_m,confidence\n"
	tests := []struct {
		name    string
		csv     string
		n       int
		rejects map[string]int
		check   func(t *testing.T, obs []model.Observation, st SatelliteStats)
	}{
		{"good", header + "A,2026-11-27T06:00:00Z,36,-5,20,0.9\n", 1, nil, nil},
		{"short and long rows", header + "A,2026-11-27T06:00:00Z,36,-5,20\nA,2026-11-27T06:00:00Z,36,-5,20,0.9,x\n", 0,
			map[string]int{RejectSatShortRow: 1, RejectSatLongRow: 1}, nil},
		{"bad positions", header + "A,2026-11-27T06:00:00Z,,-5,20,0.9\nA,2026-11-27T06:00:00Z,x,-5,20,0.9\nA,2026-11-27T06:00:00Z,36,200,20,0.9\n", 0,
			map[string]int{RejectSatBadPosition: 3}, nil},
		{"bad time", header + "A,27/11/2026,36,-5,20,0.9\n", 0, map[string]int{RejectSatBadTime: 1}, nil},
		{"time from another row of the scene", header + "A,,36,-5,20,0.9\nA,2026-11-27T06:00:00Z,36,-5,20,0.9\n", 2, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if !obs[0].Time.Equal(obs[1].Time) {
					t.Errorf("times %v %v", obs[0].Time, obs[1].Time)
				}
			}},
		{"no time anywhere", header + "A,,36,-5,20,0.9\n,,36,-5,20,0.9\n", 0, map[string]int{RejectSatNoSceneTime: 2}, nil},
		{"bad field", header + "A,2026-11-27T06:00:00Z,36,-5,twenty,0.9\n", 0, map[string]int{RejectSatBadField: 1}, nil},
		{"bad footprint", "scene_id,time,lat,lon,footprint_wkt\nA,2026-11-27T06:00:00Z,36,-5,POINT (1 2)\nA,2026-11-27T06:00:00Z,36,-5,\"POLYGON ((0 0, 1 0, 1 1, 0 0))\"\n", 2,
			map[string]int{RejectSatBadFootprint: 1},
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if obs[0].Scene.Footprint != nil {
					t.Errorf("footprint %v: the first footprint of a scene wins, valid or not", obs[0].Scene.Footprint)
				}
			}},
		{"aliases and case", "\ufeffDETECT_TIMESTAMP, Latitude ,Longitude,inferred_length_m,score,Sensor\n2026-11-27T06:00:00Z,36,-5,20,0.5,optical\n", 1, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				o := obs[0]
				if o.Lat != 36 || o.Lon != -5 || o.Length != 20 || o.Confidence != 0.5 || o.Scene.Sensor != "optical" || o.PosError != DefaultOpticalPosError {
					t.Errorf("%+v %+v", o, *o.Scene)
				}
			}},
		{"presence preferred to match confidence", "time,lat,lon,confidence,presence\n2026-11-27T06:00:00Z,36,-5,high,0.8\n", 1, nil,
			func(t *testing.T, obs []model.Observation, st SatelliteStats) {
				if obs[0].Confidence != 0.8 {
					t.Errorf("confidence %v", obs[0].Confidence)
				}
			}},
		{"header only", header, 0, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs, st, err := ReadSatelliteCSV(strings.NewReader(tt.csv), "")
			if err != nil {
				t.Fatal(err)
			}
			if tt.rejects == nil {
				tt.rejects = map[string]int{}
			}
			if len(obs) != tt.n || !sameRejects(st.Rejects, tt.rejects) {
				t.Fatalf("%d observations, rejects %v; want %d, %v", len(obs), st.Rejects, tt.n, tt.rejects)
			}
			if tt.check != nil {
				tt.check(t, obs, st)
			}
		})
	}
}

func TestReadSatelliteCSVErrors(t *testing.T) {
	for _, doc := range []string{"", "scene_id,time,lon\nA,2026-11-27T06:00:00Z,1\n", "lat,lon\n1,2\n"} {
		if _, _, err := ReadSatelliteCSV(strings.NewReader(doc), ""); !errors.Is(err, ErrSatelliteFormat) {
			t.Errorf("%q: err = %v, want ErrSatelliteFormat", doc, err)
		}
	}
}

func TestSatParseWKT(t *testing.T) {
	tests := []struct {
		wkt  string
		n    int // points of the ring; -1 for an error
		last [2]float64
	}{
		{"POLYGON((0 0, 1 0, 1 1, 0 0))", 4, [2]float64{0, 0}},
		{"polygon ((0 0,1 0,1 1))", 4, [2]float64{0, 0}},
		{"POLYGON Z ((0 0 5, 1 0 5, 1 1 5, 0 0 5))", 4, [2]float64{0, 0}},
		{"POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))", 5, [2]float64{0, 0}},
		{"MULTIPOLYGON (((10 10, 11 10, 11 11, 10 10)), ((0 0, 1 0, 1 1, 0 0)))", 4, [2]float64{10, 10}},
		{"POLYGON EMPTY", 0, [2]float64{}},
		{"", 0, [2]float64{}},
		{"POINT (1 2)", -1, [2]float64{}},
		{"POLYGON ((0 0, 1 0))", -1, [2]float64{}},
		{"POLYGON ((0 0, 1 0, 1 1, 0 0)", 4, [2]float64{0, 0}}, // lenient: the outer ring is whole
		{"POLYGON (0 0, 1 0, 1 1, 0 0", -1, [2]float64{}},
		{"POLYGON ((0 0, 1 x, 1 1, 0 0))", -1, [2]float64{}},
		{"POLYGON ((0 0, 1, 1 1, 0 0))", -1, [2]float64{}},
		{"POLYGON ((0 0, 200 0, 1 1, 0 0))", -1, [2]float64{}},
		{"POLYGON", -1, [2]float64{}},
	}
	for _, tt := range tests {
		ring, ok := satParseWKT(tt.wkt)
		switch {
		case tt.n < 0 && ok:
			t.Errorf("%q: ring %v, want an error", tt.wkt, ring)
		case tt.n >= 0 && (!ok || len(ring) != tt.n):
			t.Errorf("%q: ring %v, %v; want %d points", tt.wkt, ring, ok, tt.n)
		case tt.n > 0 && ring[len(ring)-1] != tt.last:
			t.Errorf("%q: last point %v, want %v", tt.wkt, ring[len(ring)-1], tt.last)
		}
	}
}

func TestSatelliteRoundTrip(t *testing.T) {
	scene := model.Scene{
		ID: "S1C_IW_GRDH_1SDV_20261201T180102", Time: time.Date(2026, 12, 1, 18, 1, 2, 345678900, time.FixedZone("CET", 3600)),
		Sensor: "SAR", Footprint: [][2]float64{{-6.1, 35.2}, {-3.9, 35.6}, {-3.6, 37.1}, {-6.4, 36.7}, {-6.1, 35.2}},
	}
	var dets []model.Observation
	for i, d := range []struct {
		lat, lon, length, heading, conf, posErr float64
		id                                      string
		dt                                      time.Duration
	}{
		{35.9876543210123, -5.1234567890123, 187.25, 84.5, 0.9875, 50, "d1", 0},
		{36.1, -4.2, math.NaN(), math.NaN(), math.NaN(), 35, "", 1500 * time.Millisecond},
		{36.2, -4.9, 12, 0, 0, 50, `quote " and \ backslash <&>`, 0},
	} {
		o := model.NewObservation(scene.Time.Add(d.dt), "sim", model.SensorSatellite)
		o.Lat, o.Lon, o.Length, o.Heading, o.Confidence, o.PosError, o.TargetID = d.lat, d.lon, d.length, d.heading, d.conf, d.posErr, d.id
		if i == 1 {
			o.Time = time.Time{} // the scene's
		}
		dets = append(dets, o)
	}
	var buf bytes.Buffer
	if err := WriteSatelliteGeoJSON(&buf, scene, dets); err != nil {
		t.Fatal(err)
	}
	got, st, err := ReadSatelliteGeoJSON(&buf, "sim")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(dets) || len(st.Rejects) != 0 || len(st.Scenes) != 1 {
		t.Fatalf("%d observations, stats %+v; output:\n%s", len(got), st, buf.String())
	}
	sc := st.Scenes[0]
	if sc.ID != scene.ID || !sc.Time.Equal(scene.Time) || sc.Sensor != scene.Sensor || len(sc.Footprint) != len(scene.Footprint) {
		t.Errorf("scene %+v, want %+v", *sc, scene)
	}
	for i := range sc.Footprint {
		if sc.Footprint[i] != scene.Footprint[i] {
			t.Errorf("footprint[%d] = %v, want %v", i, sc.Footprint[i], scene.Footprint[i])
		}
	}
	for i, w := range dets {
		g := got[i]
		wantID, wantTime := w.TargetID, w.Time
		if wantID == "" {
			wantID = scene.ID + "#2"
		}
		if wantTime.IsZero() {
			wantTime = scene.Time
		}
		if g.Lat != w.Lat || g.Lon != w.Lon || !sameFloat(g.Length, w.Length) || !sameFloat(g.Heading, w.Heading) ||
			!sameFloat(g.Confidence, w.Confidence) || g.PosError != w.PosError || g.TargetID != wantID ||
			!g.Time.Equal(wantTime) || g.Scene != sc || g.Sensor != model.SensorSatellite {
			t.Errorf("detection %d: got %+v, want %+v", i, g, w)
		}
	}
}

func TestSatelliteFixtureRoundTrip(t *testing.T) {
	for _, name := range []string{"sat_s1_alboran.geojson", "sat_multiscene.geojson"} {
		obs, st, err := ReadSatelliteGeoJSON(bytes.NewReader(readSatFixture(t, name)), "")
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range st.Scenes {
			var dets []model.Observation
			for _, o := range obs {
				if o.Scene == sc {
					dets = append(dets, o)
				}
			}
			var buf bytes.Buffer
			if err := WriteSatelliteGeoJSON(&buf, *sc, dets); err != nil {
				t.Fatal(err)
			}
			got, _, err := ReadSatelliteGeoJSON(&buf, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(dets) {
				t.Fatalf("%s scene %s: %d detections back, want %d", name, sc.ID, len(got), len(dets))
			}
			for i := range got {
				a, b := got[i], dets[i]
				if a.TargetID != b.TargetID || a.Lat != b.Lat || a.Lon != b.Lon || !a.Time.Equal(b.Time) || !sameFloat(a.Length, b.Length) ||
					!sameFloat(a.Confidence, b.Confidence) || !sameFloat(a.Heading, b.Heading) || a.PosError != b.PosError ||
					a.Scene.ID != b.Scene.ID || a.Scene.Sensor != b.Scene.Sensor || len(a.Scene.Footprint) != len(b.Scene.Footprint) {
					t.Errorf("%s %d: got %+v, want %+v", name, i, a, b)
				}
			}
		}
	}
}

func TestWriteSatelliteGeoJSONErrors(t *testing.T) {
	noPos := model.NewObservation(time.Now(), "", model.SensorSatellite)
	noTime := model.NewObservation(time.Time{}, "", model.SensorSatellite)
	noTime.Lat, noTime.Lon = 1, 2
	for name, tc := range map[string]struct {
		scene model.Scene
		dets  []model.Observation
	}{
		"no position":        {model.Scene{ID: "A", Time: time.Now()}, []model.Observation{noPos}},
		"no time":            {model.Scene{ID: "A"}, []model.Observation{noTime}},
		"footprint infinite": {model.Scene{ID: "A", Footprint: [][2]float64{{math.Inf(1), 0}}}, nil},
	} {
		if err := WriteSatelliteGeoJSON(&bytes.Buffer{}, tc.scene, tc.dets); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func satFuzzSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		f.Add(readSatFixture(f, n))
	}
}

func FuzzSatelliteGeoJSON(f *testing.F) {
	satFuzzSeeds(f, "sat_s1_alboran.geojson", "sat_multiscene.geojson")
	f.Add([]byte(satDoc(satSceneJSON, satPoint(`"1"`, "2", `"time":"2026-11-27 06:00:00 UTC","length_m":"x"`))))
	f.Add([]byte(`{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"time":1795759200}}`))
	f.Add([]byte(`{"type":"FeatureCollection","scenes":[{"id":"A","footprint":"MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))"}],"features":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		obs, st, err := ReadSatelliteGeoJSON(bytes.NewReader(data), "fuzz")
		if err != nil {
			if !errors.Is(err, ErrSatelliteFormat) {
				t.Fatalf("error %v is not ErrSatelliteFormat", err)
			}
			return
		}
		checkSatObservations(t, obs, st)
	})
}

func FuzzSatelliteCSV(f *testing.F) {
	satFuzzSeeds(f, "sat_gfw.csv", "sat_own.csv")
	f.Add([]byte("time,lat,lon,confidence,presence,footprint_wkt\n2026-11-27T06:00:00Z,36,-5,high,0.8,POLYGON EMPTY\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		obs, st, err := ReadSatelliteCSV(bytes.NewReader(data), "fuzz")
		if err != nil {
			if !errors.Is(err, ErrSatelliteFormat) {
				t.Fatalf("error %v is not ErrSatelliteFormat", err)
			}
			return
		}
		checkSatObservations(t, obs, st)
	})
}

// checkSatObservations checks what every accepted detection must be, and
// that the writer writes each scene so that the reader reads it back.
func checkSatObservations(t *testing.T, obs []model.Observation, st SatelliteStats) {
	t.Helper()
	if len(obs) != st.Detections {
		t.Fatalf("%d observations, stats say %d", len(obs), st.Detections)
	}
	byScene := make(map[*model.Scene][]model.Observation)
	for _, o := range obs {
		if !(o.Lat >= -90 && o.Lat <= 90 && o.Lon >= -180 && o.Lon <= 180) || o.Time.IsZero() || o.Scene == nil ||
			o.TargetID == "" || o.PosError <= 0 || o.Sensor != model.SensorSatellite {
			t.Fatalf("bad observation %+v", o)
		}
		byScene[o.Scene] = append(byScene[o.Scene], o)
	}
	for _, sc := range st.Scenes {
		if fp := sc.Footprint; fp != nil && (len(fp) < 4 || fp[0] != fp[len(fp)-1]) {
			t.Fatalf("footprint %v is not a closed ring", fp)
		}
		dets := byScene[sc]
		if len(dets) == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := WriteSatelliteGeoJSON(&buf, *sc, dets); err != nil {
			t.Fatalf("write scene %q: %v", sc.ID, err)
		}
		back, bst, err := ReadSatelliteGeoJSON(&buf, "fuzz")
		if err != nil || len(back) != len(dets) || len(bst.Rejects) != 0 {
			t.Fatalf("scene %q written and read back: %d of %d detections, rejects %v, err %v\n%s",
				sc.ID, len(back), len(dets), bst.Rejects, err, buf.String())
		}
		for i := range back {
			if back[i].Lat != dets[i].Lat || back[i].Lon != dets[i].Lon || !back[i].Time.Equal(dets[i].Time) {
				t.Fatalf("detection %d of scene %q read back as %+v, want %+v", i, sc.ID, back[i], dets[i])
			}
		}
	}
}
