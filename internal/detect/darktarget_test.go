package detect

import (
	"math"
	"slices"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// darkScene is scene for one vessel that both radar and AIS see: radar
// plots every 3 s throughout, AIS every 10 s until aisOff (0: never on).
func darkScene(g target, mmsi uint32, aisOff, dur time.Duration) []model.Observation {
	var obs []model.Observation
	for sec := time.Duration(0); sec <= dur; sec += time.Second {
		ts := t0.Add(sec)
		lat, lon, sog, cog := g.at(sec)
		if sec < aisOff && sec%(10*time.Second) == 0 {
			o := model.NewObservation(ts, "ais", model.SensorAIS)
			o.MMSI, o.Lat, o.Lon, o.SOG, o.COG = mmsi, lat, lon, sog, cog
			if sec == 0 {
				o.Static = &model.VesselStatic{Name: "NOCHE", ShipType: 30, ToBow: 12, ToStern: 4}
			}
			obs = append(obs, o)
		}
		if sec%(3*time.Second) == 0 {
			o := model.NewObservation(ts, testRadar.ID, model.SensorRadar)
			o.Lat, o.Lon, o.PosError = lat, lon, 20
			obs = append(obs, o)
		}
	}
	return obs
}

// darkCorner is a dark boat at 10 kn heading south-east across the
// south-west corner of the test section (35.95° N, 5.60° W) on a chord it
// takes inside long to run, starting 1.5 km before it.
func darkCorner(inside time.Duration) target {
	chord := 10 * geo.Knot * inside.Seconds()
	// Enter the west side chord/√2 north of the corner.
	lat, lon := geo.Destination(35.95, -5.60, 0, chord/math.Sqrt2)
	lat, lon = geo.Destination(lat, lon, 315, 1500)
	return target{lat: lat, lon: lon, legs: []leg{{10 * time.Minute, 10, 135}}}
}

// darkOutAndBack is a dark boat 635 m inside the section's west side after
// 3 min, that runs west at 10 kn for west (out of the section once past
// 123 s), comes back and stays.
func darkOutAndBack(west time.Duration) target {
	return target{lat: 36.0, lon: -5.595, legs: []leg{{3 * time.Minute, 2, 90}, {west, 10, 270},
		{west, 10, 90}, {10 * time.Minute, 2, 90}}}
}

func TestDarkTarget(t *testing.T) {
	areas := zoneAreas()
	minute := time.Minute
	inside := target{lat: 36.0, lon: -5.56}
	tests := []struct {
		name  string
		obs   []model.Observation
		det   *DarkTarget
		want  []string // area of each event
		check func(*testing.T, []model.Event)
	}{
		{name: "dark boat in the section for 5 min", obs: scene([]target{with(inside, leg{5 * minute, 3, 0})}, 5*minute, 10*time.Second),
			det: &DarkTarget{}, want: []string{"ES-SEC-1"},
			check: func(t *testing.T, evs []model.Event) {
				ev := evs[0]
				if ev.Start.Sub(t0) > 30*time.Second || ev.Impact != model.ImpactHigh || ev.Category != model.CategoryOther {
					t.Errorf("start %v impact %v category %s", ev.Start.Sub(t0), ev.Impact, ev.Category)
				}
				if ev.Details["ais_silent"] != false || !slices.Equal(ev.Details["sensors"].([]string), []string{"radar"}) || len(ev.MMSI) != 0 {
					t.Errorf("details %v mmsi %v", ev.Details, ev.MMSI)
				}
			}},
		{name: "cuts the corner in 40 s, under MinDuration: nothing", obs: scene([]target{darkCorner(40 * time.Second)}, 8*minute, 10*time.Second),
			det: &DarkTarget{}, want: nil},
		{name: "cuts the corner in 40 s, MinDuration 20 s: one event", obs: scene([]target{darkCorner(40 * time.Second)}, 8*minute, 10*time.Second),
			det: &DarkTarget{MinDuration: 20 * time.Second}, want: []string{"ES-SEC-1"}},
		{name: "cuts the corner in 90 s, over MinDuration: one event", obs: scene([]target{darkCorner(90 * time.Second)}, 8*minute, 10*time.Second),
			det: &DarkTarget{}, want: []string{"ES-SEC-1"},
			check: func(t *testing.T, evs []model.Event) {
				if d := evs[0].End.Sub(evs[0].Start); d < 60*time.Second || d > 90*time.Second {
					t.Errorf("dark inside for %v, want 60–90 s", d)
				}
			}},
		{name: "AIS vessel in the section: nothing", obs: scene([]target{withAIS(inside, 224000333, 15, leg{5 * minute, 3, 0})}, 5*minute, 10*time.Second),
			det: &DarkTarget{}, want: nil},
		{name: "AIS switched off in the section", obs: darkScene(with(inside, leg{12 * minute, 4, 0}), 224000444, 3*minute, 12*minute),
			det: &DarkTarget{}, want: []string{"ES-SEC-1"},
			check: func(t *testing.T, evs []model.Event) {
				ev := evs[0]
				// Dark once AIS has been silent 2 min, reported a minute later.
				if s := ev.Start.Sub(t0); s < 4*minute || s > 6*minute {
					t.Errorf("start %v, want about 5 min", s)
				}
				if !slices.Equal(ev.MMSI, []uint32{224000444}) || ev.Details["ais_silent"] != true {
					t.Errorf("mmsi %v details %v", ev.MMSI, ev.Details)
				}
			}},
		{name: "AIS kept on: nothing", obs: darkScene(with(inside, leg{12 * minute, 4, 0}), 224000444, 13*minute, 12*minute),
			det: &DarkTarget{}, want: nil},
		// 635 m inside after 3 min, then west past the boundary and back.
		{name: "out for 30 s, under Settle: one visit, one event", obs: scene([]target{darkOutAndBack(138 * time.Second)}, 14*minute, 10*time.Second),
			det: &DarkTarget{}, want: []string{"ES-SEC-1"}},
		{name: "out for 3 min, over Settle: two visits, two events", obs: scene([]target{darkOutAndBack(213 * time.Second)}, 14*minute, 10*time.Second),
			det: &DarkTarget{}, want: []string{"ES-SEC-1", "ES-SEC-1"}},
		{name: "user area in the corner is no section", obs: scene([]target{with(target{lat: 36.04, lon: -5.51}, leg{5 * minute, 2, 0})}, 5*minute, 10*time.Second),
			det: &DarkTarget{}, want: []string{"ES-SEC-1"}},
		{name: "user areas as sections", obs: scene([]target{with(target{lat: 36.04, lon: -5.51}, leg{5 * minute, 2, 0})}, 5*minute, 10*time.Second),
			det: &DarkTarget{Kinds: []string{geo.KindUserArea}}, want: []string{"USER-1"},
			check: func(t *testing.T, evs []model.Event) {
				if evs[0].Impact != model.ImpactVeryHigh {
					t.Errorf("impact %v, want very_high from critical", evs[0].Impact)
				}
			}},
		{name: "dark boat outside every section: nothing", obs: scene([]target{with(zoneWest, leg{5 * minute, 3, 270})}, 5*minute, 10*time.Second),
			det: &DarkTarget{}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.det.Areas = areas
			events := detectEvents(t, tt.obs, tt.det)
			var got []string
			for _, ev := range events {
				if ev.Type != "dark_target" {
					t.Errorf("type %s", ev.Type)
				}
				got = append(got, ev.Details["area_id"].(string))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("events in %q, want %q: %+v", got, tt.want, events)
			}
			if tt.check != nil {
				tt.check(t, events)
			}
		})
	}
}

// TestDarkTargetTerritorialFallback: with no border section configured,
// the territorial waters stand in; with one, only it counts.
func TestDarkTargetTerritorialFallback(t *testing.T) {
	tw, err := geo.LoadTerritorialWaters()
	if err != nil {
		t.Fatal(err)
	}
	g := with(target{lat: 36.05, lon: -5.45}, leg{5 * time.Minute, 3, 90}) // off Algeciras
	obs := scene([]target{g}, 5*time.Minute, 10*time.Second)
	events := detectEvents(t, obs, &DarkTarget{Areas: tw})
	if len(events) == 0 {
		t.Fatal("no event in territorial waters")
	}
	for _, ev := range events {
		if ev.Details["area_kind"] != geo.KindTerritorialWaters || ev.Impact != model.ImpactMedium {
			t.Errorf("details %v impact %v", ev.Details, ev.Impact)
		}
	}
	far := geo.Area{ID: "GR-SEC", Kind: geo.KindBorderSection, Polygons: zoneBox(26, 36, 27, 37)}
	withSection := geo.NewAreas(append(slices.Clone(tw.List()), far))
	if events := detectEvents(t, obs, &DarkTarget{Areas: withSection}); len(events) != 0 {
		t.Errorf("%d events outside the only section", len(events))
	}
}
