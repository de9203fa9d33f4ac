package detect

import (
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// loiterShip is a reefer with AIS in the Alborán Sea; the scenes start on
// the hour, as GFW's hourly blocks do.
func loiterShip(lat, lon float64, legs ...leg) target {
	g := target{lat: lat, lon: lon, mmsi: 636019876, legs: legs}
	g.static = &model.VesselStatic{Name: "POLAR STAR", ShipType: 70, ToBow: 100, ToStern: 40}
	return g
}

func TestLoitering(t *testing.T) {
	land, err := geo.LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	const (
		far  = 36.0  // latitude on 4° W some 43 nm off the Spanish coast
		in18 = 36.42 // about 18 nm off
		in22 = 36.36 // about 22 nm off
	)
	hour := time.Hour
	// A port 15 km south of the loitering position: GFW keeps no distance
	// from ports, MinPortDistance can.
	plat, plon := geo.Destination(far, -4, 180, 15e3)
	port := geo.NewPorts([]geo.Port{{LOCODE: "XXTST", Name: "Test", Lat: plat, Lon: plon}})
	tests := []struct {
		name  string
		g     target
		land  *geo.Land
		det   Loitering
		want  int
		check func(*testing.T, model.Event)
	}{
		{name: "four hours at half a knot", g: loiterShip(far, -4, leg{4 * hour, 0.5, 90}), land: land, want: 1,
			check: func(t *testing.T, ev model.Event) {
				if !ev.Start.Equal(t0) || len(ev.MMSI) != 1 || ev.MMSI[0] != 636019876 {
					t.Errorf("start %v mmsi %v", ev.Start.Sub(t0), ev.MMSI)
				}
				if ev.Details["avg_shore_nm"].(float64) < 40 || ev.Details["avg_speed_kn"].(float64) > 0.6 ||
					ev.Details["duration_h"].(float64) < 3.9 {
					t.Errorf("details %v", ev.Details)
				}
			}},
		{name: "just under the speed", g: loiterShip(far, -4, leg{4 * hour, 1.8, 90}), land: land, want: 1},
		{name: "just over the speed", g: loiterShip(far, -4, leg{4 * hour, 2.3, 90}), land: land, want: 0},
		{name: "stopped three slow hours, then under way", g: loiterShip(far, -4, leg{3 * hour, 0, 0}, leg{hour + 10*time.Minute, 10, 270}),
			land: land, want: 1,
			check: func(t *testing.T, ev model.Event) {
				if ev.End.IsZero() || ev.End.Before(t0.Add(2*hour+50*time.Minute)) || ev.End.After(t0.Add(3*hour)) {
					t.Errorf("end %v, want at the last slow position before 3 h", ev.End.Sub(t0))
				}
			}},
		{name: "two slow hours are under two hours from the first position", g: loiterShip(far, -4, leg{2 * hour, 0, 0},
			leg{2*hour + 10*time.Minute, 10, 270}), land: land, want: 0},
		{name: "two slow hours after one under way run from the last position before them", g: loiterShip(far, -4,
			leg{hour, 10, 270}, leg{2 * hour, 0, 0}, leg{10 * time.Minute, 10, 270}), land: land, want: 1},
		{name: "slow hours broken by an hour under way", g: loiterShip(far, -4, leg{2 * hour, 0, 0}, leg{hour, 10, 270},
			leg{hour + 10*time.Minute, 0, 0}), land: land, want: 0},
		{name: "18 nm from shore", g: loiterShip(in18, -4, leg{4 * hour, 0.5, 90}), land: land, want: 0},
		{name: "22 nm from shore", g: loiterShip(in22, -4, leg{4 * hour, 0.5, 90}), land: land, want: 1},
		{name: "no land data", g: loiterShip(far, -4, leg{4 * hour, 0.5, 90}), land: nil, want: 0},
		{name: "a dark target", g: with(target{lat: far, lon: -4}, leg{4 * hour, 0.5, 90}), land: land, want: 1},
		{name: "15 km from a port, which GFW does not exclude", g: loiterShip(far, -4, leg{4 * hour, 0.5, 90}), land: land,
			det: Loitering{Ports: port}, want: 1,
			check: func(t *testing.T, ev model.Event) {
				if ev.Details["nearest_port"] != "Test (XXTST)" || ev.Details["nearest_port_km"].(float64) < 15 || ev.Details["nearest_port_km"].(float64) > 16 {
					t.Errorf("details %v", ev.Details)
				}
			}},
		{name: "15 km from a port, MinPortDistance 14 km", g: loiterShip(far, -4, leg{4 * hour, 0.5, 90}), land: land,
			det: Loitering{Ports: port, MinPortDistance: 14e3}, want: 1},
		{name: "15 km from a port, MinPortDistance 16 km", g: loiterShip(far, -4, leg{4 * hour, 0.5, 90}), land: land,
			det: Loitering{Ports: port, MinPortDistance: 16e3}, want: 0},
		{name: "MinPortDistance without a port table", g: loiterShip(far, -4, leg{4 * hour, 0.5, 90}), land: land,
			det: Loitering{MinPortDistance: 16e3}, want: 1},
	}
	for lat, want := range map[float64][2]float64{in18: {17, 19}, in22: {21, 23}} {
		if d := land.DistanceToShore(lat, -4) / geo.NauticalMile; d < want[0] || d > want[1] {
			t.Fatalf("fixture at %v° N is %.1f nm from shore, want %v", lat, d, want)
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dur := time.Duration(0)
			for _, l := range tt.g.legs {
				dur += l.dur
			}
			d := tt.det
			d.Land = tt.land
			events := detectEvents(t, scene([]target{tt.g}, dur, time.Minute), &d)
			if len(events) != tt.want {
				t.Fatalf("%d events, want %d: %+v", len(events), tt.want, events)
			}
			for _, ev := range events {
				if ev.Type != "loitering" || ev.Category != model.CategoryOther || ev.Confidence < 0.5 {
					t.Errorf("event %+v", ev)
				}
			}
			if tt.check != nil && len(events) > 0 {
				tt.check(t, events[0])
			}
		})
	}
}
