package detect

import (
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

func TestGoFast(t *testing.T) {
	land, err := geo.LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	// From mid-strait north towards the Spanish coast west of Tarifa.
	start := target{lat: 35.93, lon: -5.70}
	tests := []struct {
		name  string
		g     target
		want  int
		check func(*testing.T, model.Event)
	}{
		{name: "dark boat at 45 kn for 7 min", g: with(start, leg{7 * time.Minute, 45, 350}), want: 1,
			check: func(t *testing.T, ev model.Event) {
				if ev.Details["landfall_km"] == nil || ev.Details["time_to_landfall_min"] == nil {
					t.Errorf("no landfall in %v", ev.Details)
				}
				if ev.Impact != model.ImpactHigh || ev.Category != model.CategoryCrossBorderCrime {
					t.Errorf("impact %v category %s", ev.Impact, ev.Category)
				}
			}},
		{name: "just under the speed", g: with(start, leg{7 * time.Minute, 28, 350}), want: 0},
		{name: "too short a burst", g: with(start, leg{30 * time.Second, 45, 350}, leg{5 * time.Minute, 10, 350}), want: 0},
		{name: "a large ship with AIS at 32 kn is no go-fast", g: withAIS(start, 224000111, 120, leg{7 * time.Minute, 32, 350}), want: 0},
		{name: "a run of four minutes is not sustained", g: with(start, leg{4 * time.Minute, 45, 350}, leg{5 * time.Minute, 0, 0}), want: 0},
		{name: "two runs with a stop between are two events", g: with(start, leg{7 * time.Minute, 45, 350},
			leg{20 * time.Second, 20, 350}, leg{6 * time.Minute, 0, 0},
			leg{30 * time.Second, 15, 170}, leg{30 * time.Second, 30, 170}, leg{7 * time.Minute, 45, 170}), want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := detectEvents(t, scene([]target{tt.g}, 24*time.Minute, 10*time.Second), &GoFast{Land: land})
			if len(events) != tt.want {
				t.Fatalf("%d events, want %d: %+v", len(events), tt.want, events)
			}
			if tt.check != nil && len(events) > 0 {
				tt.check(t, events[0])
			}
		})
	}
}

func with(g target, legs ...leg) target { g.legs = legs; return g }

func withAIS(g target, mmsi uint32, length uint16, legs ...leg) target {
	g.mmsi, g.legs = mmsi, legs
	g.static = &model.VesselStatic{Name: "BIG FERRY", ShipType: 60, ToBow: length - 20, ToStern: 20}
	return g
}
