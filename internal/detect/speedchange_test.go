package detect

import (
	"math"
	"testing"
	"time"

	"pharos/internal/model"
)

// speedChangeShip is a vessel with AIS of the given type and length.
func speedChangeShip(shipType uint8, length uint16, legs ...leg) target {
	g := target{lat: 35.95, lon: -4.5, mmsi: 538001234, legs: legs}
	g.static = &model.VesselStatic{Name: "TEST SHIP", ShipType: shipType, ToBow: length - 10, ToStern: 10}
	return g
}

func TestSpeedChange(t *testing.T) {
	const cargo, passenger, fishing, tug = 70, 60, 30, 52
	minute := time.Minute
	tests := []struct {
		name  string
		g     target
		noSOG bool // the AIS reports give no speed
		want  int
		check func(*testing.T, model.Event)
	}{
		{name: "cargo ship stops dead from 12 kn", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{5 * minute, 0, 90}), want: 1,
			check: func(t *testing.T, ev model.Event) {
				drop := ev.End.Sub(ev.Start)
				if ev.Start.Before(t0.Add(4*minute+50*time.Second)) || ev.Start.After(t0.Add(5*minute+10*time.Second)) || drop > 50*time.Second {
					t.Errorf("window %v – %v, want from about 5 min, within 50 s", ev.Start.Sub(t0), ev.End.Sub(t0))
				}
				if len(ev.MMSI) != 1 || ev.MMSI[0] != 538001234 || ev.Impact != model.ImpactMedium {
					t.Errorf("mmsi %v impact %v", ev.MMSI, ev.Impact)
				}
				if ev.Details["speed_before_kn"].(float64) < 7 || ev.Details["speed_after_kn"].(float64) > 1 {
					t.Errorf("details %v", ev.Details)
				}
			}},
		{name: "from just above the high mark", g: speedChangeShip(cargo, 150, leg{5 * minute, 7.5, 90}, leg{5 * minute, 0, 90}), want: 1},
		{name: "from just below the high mark", g: speedChangeShip(cargo, 150, leg{5 * minute, 6.5, 90}, leg{5 * minute, 0, 90}), want: 0},
		{name: "down to just below the low mark", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{5 * minute, 0.8, 90}), want: 1},
		{name: "down to just above the low mark", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{5 * minute, 1.3, 90}), want: 0},
		{name: "slowing over two minutes is no sudden change", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90},
			leg{30 * time.Second, 9, 90}, leg{30 * time.Second, 6, 90}, leg{30 * time.Second, 3, 90}, leg{30 * time.Second, 1.5, 90},
			leg{5 * minute, 0, 90}), want: 0},
		{name: "a stop of 40 s is not sustained", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{40 * time.Second, 0, 90}, leg{7 * minute, 12, 90}), want: 0},
		{name: "a stop of 90 s is", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{90 * time.Second, 0, 90}, leg{7 * minute, 12, 90}), want: 1},
		// The reported speed, every 10 s: 12 kn at 5 min, 4 kn, then 0 at
		// 5 min 30 s, or at 5 min 40 s.
		{name: "reported drop in 30 s", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{20 * time.Second, 4, 90}, leg{5 * minute, 0, 90}), want: 1,
			check: func(t *testing.T, ev model.Event) {
				if ev.Details["drop_s"] != 30.0 || ev.Details["speed_source"] != "ais" || !ev.Start.Equal(t0.Add(5*minute)) {
					t.Errorf("start %v, details %v", ev.Start.Sub(t0), ev.Details)
				}
			}},
		{name: "reported drop in 40 s is over the decay time", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{30 * time.Second, 4, 90}, leg{5 * minute, 0, 90}), want: 0},
		{name: "a report at 1.5 kn 30 s after the drop ends it", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{30 * time.Second, 0, 90},
			leg{10 * time.Second, 1.5, 90}, leg{5 * minute, 0, 90}), want: 0},
		{name: "a report at 0.9 kn 30 s after the drop does not", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{30 * time.Second, 0, 90},
			leg{10 * time.Second, 0.9, 90}, leg{5 * minute, 0, 90}), want: 1},
		// Reports without a speed (102.3): the estimate stands in, with Lag.
		{name: "no reported speed: the estimate's drop", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{5 * minute, 0, 90}), noSOG: true, want: 1,
			check: func(t *testing.T, ev model.Event) {
				if ev.Details["speed_source"] != "estimate" {
					t.Errorf("details %v", ev.Details)
				}
			}},
		{name: "no reported speed: a drop in 40 s is within the lag", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90}, leg{30 * time.Second, 4, 90}, leg{5 * minute, 0, 90}), noSOG: true, want: 1},
		{name: "no reported speed: slowing over two minutes", g: speedChangeShip(cargo, 150, leg{5 * minute, 12, 90},
			leg{30 * time.Second, 9, 90}, leg{30 * time.Second, 6, 90}, leg{30 * time.Second, 3, 90}, leg{30 * time.Second, 1.5, 90},
			leg{5 * minute, 0, 90}), noSOG: true, want: 0},
		{name: "passenger ship", g: speedChangeShip(passenger, 60, leg{5 * minute, 12, 90}, leg{5 * minute, 0, 90}), want: 1},
		{name: "ship under the minimum length", g: speedChangeShip(cargo, 45, leg{5 * minute, 12, 90}, leg{5 * minute, 0, 90}), want: 0},
		{name: "ship at the minimum length", g: speedChangeShip(cargo, 50, leg{5 * minute, 12, 90}, leg{5 * minute, 0, 90}), want: 1},
		{name: "fishing vessels are not analysed", g: speedChangeShip(fishing, 80, leg{5 * minute, 12, 90}, leg{5 * minute, 0, 90}), want: 0},
		{name: "nor special craft", g: speedChangeShip(tug, 80, leg{5 * minute, 12, 90}, leg{5 * minute, 0, 90}), want: 0},
		{name: "nor dark targets", g: with(target{lat: 35.95, lon: -4.5}, leg{5 * minute, 12, 90}, leg{5 * minute, 0, 90}), want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obs := scene([]target{tt.g}, 12*time.Minute, 10*time.Second)
			if tt.noSOG {
				for i := range obs {
					obs[i].SOG = math.NaN()
				}
			}
			events := detectEvents(t, obs, &SpeedChange{})
			if len(events) != tt.want {
				t.Fatalf("%d events, want %d: %+v", len(events), tt.want, events)
			}
			for _, ev := range events {
				if ev.Type != "speed_change" || ev.End.IsZero() || ev.Category != model.CategoryOther {
					t.Errorf("event %+v", ev)
				}
			}
			if tt.check != nil && len(events) > 0 {
				tt.check(t, events[0])
			}
		})
	}
}
