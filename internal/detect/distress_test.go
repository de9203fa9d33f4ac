package detect

import (
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// distressCoast is a beach west of Ksar es-Seghir, 1.9 km from the shore
// as the land data draws it; boats leave it northwards for Tarifa.
var distressCoast = target{lat: 35.85, lon: -5.62}

// distressDuration is how long a target's legs last.
func distressDuration(g target) time.Duration {
	var dur time.Duration
	for _, l := range g.legs {
		dur += l.dur
	}
	return dur
}

// distressEnd is where a target is when its legs are over.
func distressEnd(g target) (lat, lon float64) {
	lat, lon, _, _ = g.at(distressDuration(g))
	return lat, lon
}

// distressBeside is a vessel with AIS lying still dist metres north of
// where g ends.
func distressBeside(g target, dist float64) target {
	lat, lon := distressEnd(g)
	lat, lon = geo.Destination(lat, lon, 0, dist)
	b := target{lat: lat, lon: lon, mmsi: 224777770, legs: []leg{{3 * time.Hour, 0, 0}}}
	b.static = &model.VesselStatic{Name: "MAR AZUL", ShipType: 30, ToBow: 20, ToStern: 8}
	return b
}

// distressPassing is a ship with AIS that steams west at 12 kn past where
// g ends, 300 m north of it, 45 min into g's legs.
func distressPassing(g target) target {
	lat, lon := distressEnd(g)
	lat, lon = geo.Destination(lat, lon, 0, 300)
	lat, lon = geo.Destination(lat, lon, 90, 12*geo.Knot*45*60)
	p := target{lat: lat, lon: lon, mmsi: 538005555, legs: []leg{{3 * time.Hour, 12, 270}}}
	p.static = &model.VesselStatic{Name: "PASSING", ShipType: 70, ToBow: 150, ToStern: 30}
	return p
}

func TestDistress(t *testing.T) {
	land, err := geo.LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	minute := time.Minute
	crossing := func(legs ...leg) target {
		return with(distressCoast, append([]leg{{30 * minute, 5, 0}}, legs...)...)
	}
	adrift := crossing(leg{40 * minute, 1.2, 80})
	stopped := crossing(leg{40 * minute, 0, 0})
	// Into the coast south of Tarifa's radar, stopping 1 km off it.
	offBeach := with(target{lat: 35.95, lon: -5.62}, leg{64 * minute, 6, 180}, leg{30 * minute, 0.5, 90})
	tests := []struct {
		name    string
		targets []target
		land    *geo.Land
		length  float64 // radar length estimate of the boat, metres; 0 none
		want    int
		check   func(*testing.T, model.Event)
	}{
		{name: "engine fails after half an hour", targets: []target{adrift}, want: 1,
			check: func(t *testing.T, ev model.Event) {
				if d := ev.Start.Sub(t0.Add(30 * minute)); d < -4*minute || d > 2*minute {
					t.Errorf("start %v from the engine failure, want within a few minutes", d)
				}
				if ev.Category != model.CategoryUnauthorisedCrossing || ev.Impact != model.ImpactVeryHigh {
					t.Errorf("category %s impact %v", ev.Category, ev.Impact)
				}
				if ev.Details["left_coast"] != true || ev.Confidence < 0.8 || len(ev.MMSI) != 0 {
					t.Errorf("details %v confidence %v mmsi %v", ev.Details, ev.Confidence, ev.MMSI)
				}
				if s := ev.Details["speed_kn"].(float64); s < 0.8 || s > 1.6 {
					t.Errorf("drift speed %v kn, want about 1.2", s)
				}
			}},
		{name: "picked up mid-crossing, far from any coast", targets: []target{with(target{lat: 36.0, lon: -4.0},
			leg{30 * minute, 5, 0}, leg{40 * minute, 1.2, 80})}, want: 1,
			check: func(t *testing.T, ev model.Event) {
				if ev.Details["left_coast"] != false || ev.Confidence > 0.8 {
					t.Errorf("details %v confidence %v", ev.Details, ev.Confidence)
				}
			}},
		{name: "drifting just under the speed", targets: []target{crossing(leg{40 * minute, 1.7, 80})}, want: 1},
		{name: "slow, but above the speed", targets: []target{crossing(leg{40 * minute, 2.4, 80})}, want: 0},
		{name: "stopped dead", targets: []target{stopped}, want: 1},
		{name: "a pause shorter than the minimum", targets: []target{crossing(leg{9 * minute, 0, 0}, leg{20 * minute, 5, 0})}, want: 0},
		{name: "a stop longer than the minimum, then under way again", targets: []target{crossing(leg{25 * minute, 0, 0}, leg{20 * minute, 5, 0})}, want: 1,
			check: func(t *testing.T, ev model.Event) {
				if ev.End.IsZero() || ev.End.After(t0.Add(60*minute)) {
					t.Errorf("end %v, want when it made way again", ev.End.Sub(t0))
				}
			}},
		{name: "never made way", targets: []target{with(distressCoast, leg{30 * minute, 2.5, 0}, leg{40 * minute, 1, 80})}, want: 0},
		{name: "made way just fast enough", targets: []target{with(distressCoast, leg{30 * minute, 3.5, 0}, leg{40 * minute, 1, 80})}, want: 1},
		{name: "a boat turning back and forth at 3 kn", targets: []target{crossing(leg{10 * minute, 3, 0}, leg{10 * minute, 3, 180},
			leg{10 * minute, 3, 0}, leg{10 * minute, 3, 180})}, want: 0},
		{name: "a small boat the radar measures", targets: []target{adrift}, length: 15, want: 1},
		{name: "a vessel too long", targets: []target{adrift}, length: 30, want: 0},
		{name: "a boat with AIS", targets: []target{func() target { g := adrift; g.mmsi = 224000999; return g }()}, want: 0},
		{name: "lying a kilometre off a beach", targets: []target{offBeach}, want: 0},
		{name: "lying off a beach, no land data", targets: []target{offBeach}, land: nil, want: 1},
		{name: "beside a fishing vessel", targets: []target{stopped, distressBeside(stopped, 300)}, want: 0},
		{name: "a fishing vessel 1.5 km off", targets: []target{stopped, distressBeside(stopped, 1500)}, want: 1},
		{name: "a go-fast waiting at sea", targets: []target{with(distressCoast, leg{8 * minute, 25, 0}, leg{40 * minute, 0, 0})}, want: 0},
		{name: "a boat that made 12 kn", targets: []target{with(distressCoast, leg{20 * minute, 12, 0}, leg{40 * minute, 0, 0})}, want: 0},
		{name: "a boat that made 8 kn", targets: []target{with(distressCoast, leg{20 * minute, 8, 0}, leg{40 * minute, 0, 0})}, want: 1},
		{name: "a ship passing close at 12 kn", targets: []target{stopped, distressPassing(stopped)}, want: 1},
	}
	if lat, lon := distressEnd(offBeach); land.DistanceToShore(lat, lon) > 1800 {
		t.Fatalf("off-beach fixture ends %.0f m from shore, want under 2 km", land.DistanceToShore(lat, lon))
	}
	if lat, lon := distressEnd(adrift); land.DistanceToShore(lat, lon) < 3000 {
		t.Fatalf("drift fixture ends %.0f m from shore, want well over 2 km", land.DistanceToShore(lat, lon))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := land
			if tt.name == "lying off a beach, no land data" {
				l = tt.land
			}
			obs := scene(tt.targets, distressDuration(tt.targets[0]), 10*time.Second)
			if tt.length > 0 {
				for i := range obs {
					if obs[i].Sensor == model.SensorRadar {
						obs[i].Length = tt.length
					}
				}
			}
			events := detectEvents(t, obs, &Distress{Land: l})
			if len(events) != tt.want {
				t.Fatalf("%d events, want %d: %+v", len(events), tt.want, events)
			}
			if tt.check != nil && len(events) > 0 {
				tt.check(t, events[0])
			}
		})
	}
}
