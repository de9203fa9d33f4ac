package detect

import (
	"math"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// driftShip is a ship with AIS that steams east at 12 kn for ten minutes
// and then moves as the legs say.
func driftShip(shipType uint8, length uint16, legs ...leg) target {
	g := speedChangeShip(shipType, length)
	g.legs = append([]leg{{10 * time.Minute, 12, 90}}, legs...)
	return g
}

func TestDrift(t *testing.T) {
	const cargo, fishing, tug, pleasure = 70, 30, 52, 37
	minute := time.Minute
	tests := []struct {
		name  string
		g     target
		want  int
		check func(*testing.T, model.Event)
	}{
		{name: "set sideways at 2 kn for 20 min", g: driftShip(cargo, 150, leg{20 * minute, 2, 180}), want: 1,
			check: func(t *testing.T, ev model.Event) {
				if d := ev.Start.Sub(t0.Add(10 * minute)); d < 0 || d > minute {
					t.Errorf("start %v after the engine stopped, want under a minute", d)
				}
				if ev.Details["heading_source"] != "course_before_slowing" || ev.Confidence > 0.67 {
					t.Errorf("details %v confidence %v", ev.Details, ev.Confidence)
				}
				if !ev.End.IsZero() && ev.End.Before(t0.Add(29*minute)) {
					t.Errorf("end %v", ev.End.Sub(t0))
				}
				if len(ev.MMSI) != 1 || ev.Category != model.CategoryOther {
					t.Errorf("event %+v", ev)
				}
			}},
		{name: "slow ahead is no drift", g: driftShip(cargo, 150, leg{20 * minute, 2, 90}), want: 0},
		{name: "slow astern is no drift", g: driftShip(cargo, 150, leg{20 * minute, 2, 270}), want: 0},
		{name: "course 40° off the heading", g: driftShip(cargo, 150, leg{20 * minute, 2, 130}), want: 0},
		{name: "course 50° off the heading", g: driftShip(cargo, 150, leg{20 * minute, 2, 140}), want: 1},
		{name: "course 50° off the reverse heading", g: driftShip(cargo, 150, leg{20 * minute, 2, 220}), want: 1},
		{name: "course 40° off the reverse heading", g: driftShip(cargo, 150, leg{20 * minute, 2, 230}), want: 0},
		{name: "below the minimum speed", g: driftShip(cargo, 150, leg{30 * minute, 0.8, 180}), want: 0},
		{name: "above the minimum speed", g: driftShip(cargo, 150, leg{30 * minute, 1.2, 180}), want: 1},
		{name: "at the maximum speed", g: driftShip(cargo, 150, leg{20 * minute, 4.8, 180}), want: 1},
		{name: "above the maximum speed", g: driftShip(cargo, 150, leg{20 * minute, 5.5, 180}), want: 0},
		{name: "drift shorter than the period", g: driftShip(cargo, 150, leg{8 * minute, 3, 180}, leg{20 * minute, 0, 180}), want: 0},
		{name: "drift longer than the period", g: driftShip(cargo, 150, leg{12 * minute, 3, 180}, leg{20 * minute, 0, 180}), want: 1},
		{name: "drift too short a distance", g: driftShip(cargo, 150, leg{12 * minute, 1.1, 180}, leg{20 * minute, 0, 180}), want: 0},
		{name: "drift long enough a distance", g: driftShip(cargo, 150, leg{20 * minute, 1.1, 180}, leg{20 * minute, 0, 180}), want: 1},
		{name: "drift, under way, drift again: two events", g: driftShip(cargo, 150, leg{15 * minute, 2, 180}, leg{10 * minute, 12, 90},
			leg{15 * minute, 2, 180}), want: 2},
		{name: "a fishing vessel of 80 m", g: driftShip(fishing, 80, leg{20 * minute, 2, 180}), want: 1},
		{name: "a fishing vessel of 60 m, neither very long nor a merchant ship", g: driftShip(fishing, 60, leg{20 * minute, 2, 180}), want: 0},
		{name: "a ship under the minimum length", g: driftShip(cargo, 45, leg{20 * minute, 2, 180}), want: 0},
		{name: "a tug", g: driftShip(tug, 80, leg{20 * minute, 2, 180}), want: 0},
		{name: "a yacht", g: driftShip(pleasure, 80, leg{20 * minute, 2, 180}), want: 0},
		{name: "the heading proxy ages", g: driftShip(cargo, 150, leg{70 * minute, 0, 90}, leg{20 * minute, 2, 180}), want: 0},
		{name: "a dark target", g: with(target{lat: 35.95, lon: -4.5}, leg{10 * minute, 12, 90}, leg{20 * minute, 2, 180}), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dur := time.Duration(0)
			for _, l := range tt.g.legs {
				dur += l.dur
			}
			events := detectEvents(t, scene([]target{tt.g}, dur+time.Minute, 10*time.Second), &Drift{})
			if len(events) != tt.want {
				t.Fatalf("%d events, want %d: %+v", len(events), tt.want, events)
			}
			for _, ev := range events {
				if ev.Type != "drift" || ev.Details["drifted_m"].(float64) <= 500 {
					t.Errorf("event %+v", ev)
				}
			}
			if tt.check != nil && len(events) > 0 {
				tt.check(t, events[0])
			}
		})
	}
}

// TestDriftAISHeading drives a ship whose AIS reports a heading 90° off
// its course at 2 kn: drift by AisAbnormal's own reading, from the first
// report, with the AIS heading as its source.
func TestDriftAISHeading(t *testing.T) {
	var obs []model.Observation
	for sec := 0; sec <= 20*60; sec += 10 {
		lat, lon := geo.Destination(36.2, -4.0, 90, 2*geo.Knot*float64(sec))
		o := model.NewObservation(t0.Add(time.Duration(sec)*time.Second), "ais", model.SensorAIS)
		o.MMSI, o.Lat, o.Lon, o.SOG, o.COG, o.Heading = 224111222, lat, lon, 2, 90, 0
		if sec == 0 {
			o.Static = &model.VesselStatic{Name: "ADRIFT", ShipType: 70, ToBow: 100, ToStern: 20}
		}
		obs = append(obs, o)
	}
	events := detectEvents(t, obs, &Drift{})
	if len(events) != 1 || events[0].Details["heading_source"] != "ais" {
		t.Fatalf("events %+v, want one drift from the AIS heading", events)
	}
}

// TestDriftReportedMotion judges drift on the speed and course the AIS
// reports carry, as AisAbnormal does: a ship whose positions move ahead
// at 2 kn but whose reports say it is set sideways drifts; one whose
// reports carry no speed or course is judged on the track's estimate.
func TestDriftReportedMotion(t *testing.T) {
	ship := func(sog, cog float64) []model.Observation {
		var obs []model.Observation
		for sec := 0; sec <= 20*60; sec += 10 {
			lat, lon := geo.Destination(36.2, -4.0, 0, 2*geo.Knot*float64(sec)) // ahead, north
			o := model.NewObservation(t0.Add(time.Duration(sec)*time.Second), "ais", model.SensorAIS)
			o.MMSI, o.Lat, o.Lon, o.SOG, o.COG, o.Heading = 224111222, lat, lon, sog, cog, 0
			if sec == 0 {
				o.Static = &model.VesselStatic{Name: "SET ASIDE", ShipType: 70, ToBow: 100, ToStern: 20}
			}
			obs = append(obs, o)
		}
		return obs
	}
	events := detectEvents(t, ship(2, 90), &Drift{})
	if len(events) != 1 || events[0].Details["motion_source"] != "ais" {
		t.Errorf("reported 2 kn at 90° off the heading: %+v, want a drift on the reported motion", events)
	}
	if events := detectEvents(t, ship(math.NaN(), math.NaN()), &Drift{}); len(events) != 0 {
		t.Errorf("no reported motion, moving ahead: %+v, want none", events)
	}
}
