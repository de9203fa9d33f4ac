package detect

import (
	"slices"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// encSea is in the Alborán Sea, 80 km from the nearest coast and inside
// the test radar's range.
var encSea = [2]float64{36.0, -4.0}

// encRun is the dark boat's run to the meeting: 5 km at 20 kn.
const encRun = 486 * time.Second

// encBoat is a dark boat that runs 5 km north to lie off a point, east of
// it by off metres, stays, and runs back south.
func encBoat(at [2]float64, off float64, stay time.Duration) gapTarget {
	lat, lon := geo.Destination(at[0], at[1], 90, off)
	lat, lon = geo.Destination(lat, lon, 180, 5000)
	return gapTarget{target: target{lat: lat, lon: lon, legs: []leg{
		{encRun, 20, 0}, {stay, 0, 0}, {20 * time.Minute, 20, 180}}}}
}

// encAISPair is two AIS vessels off apart, lying still or moving together.
func encAISPair(at [2]float64, off float64, legs ...leg) (gapTarget, gapTarget) {
	a := gapStill(at[0], at[1], 224003001)
	lat, lon := geo.Destination(at[0], at[1], 0, off)
	b := gapStill(lat, lon, 224003002)
	a.legs, b.legs = legs, legs
	a.aisEvery, b.aisEvery = 10*time.Second, 10*time.Second
	b.aisPhase = 5 * time.Second
	return a, b
}

// encTwoMeetings: 30 min together, 15 min away to 4 km and 15 back, 30 min
// together, and away for good.
var encTwoMeetings = []leg{{30 * time.Minute, 0, 0}, {15 * time.Minute, 8.6, 0}, {15 * time.Minute, 8.6, 180},
	{30 * time.Minute, 0, 0}, {20 * time.Minute, 8.6, 0}}

func TestEncounter(t *testing.T) {
	land, err := geo.LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	mother := gapStill(encSea[0], encSea[1], 224003003)
	mother.aisEvery = 10 * time.Second
	still := func(d time.Duration) []leg { return []leg{{d, 0, 0}} }
	type result struct {
		start, end time.Duration // from the scene's start; end 0: not checked
		dark       bool
		mmsi       []uint32
		minTracks  int
		port       string // the nearest port the details name, if any
	}
	tests := []struct {
		name    string
		det     Encounter
		start   time.Time
		dur     time.Duration
		targets func() []gapTarget
		want    *result
	}{
		{name: "dark boat alongside for 40 min", dur: 80 * time.Minute,
			targets: func() []gapTarget { return []gapTarget{mother, encBoat(encSea, 80, 40*time.Minute)} },
			want:    &result{start: encRun, end: encRun + 40*time.Minute, dark: true, mmsi: []uint32{224003003}, minTracks: 2}},
		{name: "dark boat alongside for 20 min is under MinDuration", dur: 60 * time.Minute,
			targets: func() []gapTarget { return []gapTarget{mother, encBoat(encSea, 80, 20*time.Minute)} }},
		{name: "dark boat 400 m off", dur: 80 * time.Minute,
			targets: func() []gapTarget { return []gapTarget{mother, encBoat(encSea, 400, 40*time.Minute)} },
			want:    &result{start: encRun, dark: true, mmsi: []uint32{224003003}, minTracks: 2}},
		{name: "dark boat 700 m off is beyond MaxDistance", dur: 80 * time.Minute,
			targets: func() []gapTarget { return []gapTarget{mother, encBoat(encSea, 700, 40*time.Minute)} }},
		{name: "dark boat lost by the radar for 4 min and found again", dur: 80 * time.Minute,
			targets: func() []gapTarget {
				b := encBoat(encSea, 80, 40*time.Minute)
				b.radar = []gapSpan{{0, encRun + 15*time.Minute}, {encRun + 19*time.Minute, 80 * time.Minute}}
				return []gapTarget{mother, b}
			},
			want: &result{start: encRun, end: encRun + 40*time.Minute, dark: true, mmsi: []uint32{224003003}, minTracks: 3}},
		{name: "two dark boats are not paired", dur: 80 * time.Minute,
			targets: func() []gapTarget {
				m := mother
				m.mmsi = 0
				return []gapTarget{m, encBoat(encSea, 80, 40*time.Minute)}
			}},
		{name: "two AIS vessels lying still 100 m apart", dur: 45 * time.Minute,
			targets: func() []gapTarget { a, b := encAISPair(encSea, 100, still(time.Hour)...); return []gapTarget{a, b} },
			want:    &result{start: 0, mmsi: []uint32{224003001, 224003002}, minTracks: 2}},
		{name: "moving together at 1.5 kn", dur: 45 * time.Minute,
			targets: func() []gapTarget { a, b := encAISPair(encSea, 100, leg{time.Hour, 1.5, 90}); return []gapTarget{a, b} },
			want:    &result{start: 0, mmsi: []uint32{224003001, 224003002}, minTracks: 2}},
		{name: "moving together at 3 kn is over MaxSpeed", dur: 45 * time.Minute,
			targets: func() []gapTarget { a, b := encAISPair(encSea, 100, leg{time.Hour, 3, 90}); return []gapTarget{a, b} }},
		// A port off the Alborán Sea fixture, where the coast is 80 km
		// away: the two lie 9.5 km from it, or 10.5 km.
		{name: "lying still 9.5 km from a port", det: Encounter{Ports: encPortEast(9500)}, dur: 45 * time.Minute,
			targets: func() []gapTarget { a, b := encAISPair(encSea, 100, still(time.Hour)...); return []gapTarget{a, b} }},
		{name: "lying still 10.5 km from a port", det: Encounter{Ports: encPortEast(10500)}, dur: 45 * time.Minute,
			targets: func() []gapTarget { a, b := encAISPair(encSea, 100, still(time.Hour)...); return []gapTarget{a, b} },
			want:    &result{start: 0, mmsi: []uint32{224003001, 224003002}, minTracks: 2, port: "Test (XXTST)"}},
		{name: "a dark boat alongside 9.5 km from a port", det: Encounter{Ports: encPortEast(9500)}, dur: 80 * time.Minute,
			targets: func() []gapTarget { return []gapTarget{mother, encBoat(encSea, 80, 40*time.Minute)} }},
		{name: "MinPortDistance 5 km lets the meeting 9.5 km from a port count",
			det: Encounter{Ports: encPortEast(9500), MinPortDistance: 5000}, dur: 45 * time.Minute,
			targets: func() []gapTarget { a, b := encAISPair(encSea, 100, still(time.Hour)...); return []gapTarget{a, b} },
			want:    &result{start: 0, mmsi: []uint32{224003001, 224003002}, minTracks: 2, port: "Test (XXTST)"}},
		{name: "lying still 3 km from the coast", dur: 45 * time.Minute,
			targets: func() []gapTarget {
				a, b := encAISPair([2]float64{36.1, -5.37}, 100, still(time.Hour)...)
				return []gapTarget{a, b}
			}},
		{name: "across midnight is one event", start: time.Date(2026, 11, 27, 23, 40, 0, 0, time.UTC), dur: 60 * time.Minute,
			targets: func() []gapTarget {
				a, b := encAISPair(encSea, 100, still(40*time.Minute)...)
				b.legs = append(b.legs, leg{20 * time.Minute, 10, 0}) // and then she leaves
				return []gapTarget{a, b}
			},
			// She is 500 m off 78 s after she leaves.
			want: &result{start: 0, end: 40*time.Minute + 78*time.Second, mmsi: []uint32{224003001, 224003002}, minTracks: 2}},
		{name: "two meetings 30 min apart within MaxGap are one", det: Encounter{MinDuration: 45 * time.Minute, MaxGap: time.Hour},
			dur: 3 * time.Hour, targets: func() []gapTarget {
				a, b := encAISPair(encSea, 100, still(3*time.Hour)...)
				b.legs = encTwoMeetings
				return []gapTarget{a, b}
			},
			want: &result{start: 0, end: 90*time.Minute + 100*time.Second, mmsi: []uint32{224003001, 224003002}, minTracks: 2}},
		{name: "two meetings 30 min apart beyond MaxGap are none", det: Encounter{MinDuration: 45 * time.Minute, MaxGap: 20 * time.Minute},
			dur: 3 * time.Hour, targets: func() []gapTarget {
				a, b := encAISPair(encSea, 100, still(3*time.Hour)...)
				b.legs = encTwoMeetings
				return []gapTarget{a, b}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.det
			d.Land = land
			if d.MinDuration == 0 {
				d.MinDuration = 30 * time.Minute
			}
			if d.MaxGap == 0 {
				d.MaxGap = 15 * time.Minute
			}
			start := tt.start
			if start.IsZero() {
				start = t0
			}
			events := gapTypes(detectEvents(t, gapScene(start, tt.dur, tt.targets()...), &d), "encounter")
			want := 0
			if tt.want != nil {
				want = 1
			}
			if len(events) != want {
				t.Fatalf("%d events, want %d: %+v", len(events), want, events)
			}
			if tt.want == nil {
				return
			}
			ev, w := events[0], tt.want
			if d := ev.Start.Sub(start.Add(w.start)); d < -time.Minute || d > time.Minute {
				t.Errorf("start %v, want %v", ev.Start, start.Add(w.start))
			}
			if w.end != 0 {
				if d := ev.End.Sub(start.Add(w.end)); d < -time.Minute || d > time.Minute {
					t.Errorf("end %v, want %v", ev.End, start.Add(w.end))
				}
			}
			if ev.Details["dark"] != w.dark {
				t.Errorf("dark %v, want %v", ev.Details["dark"], w.dark)
			}
			if !slices.Equal(ev.MMSI, w.mmsi) {
				t.Errorf("mmsi %v, want %v", ev.MMSI, w.mmsi)
			}
			if len(ev.TrackIDs) < w.minTracks {
				t.Errorf("track ids %v, want at least %d", ev.TrackIDs, w.minTracks)
			}
			wantImpact := model.ImpactMedium
			if w.dark {
				wantImpact = model.ImpactHigh
			}
			if ev.Impact != wantImpact || ev.Category != model.CategoryCrossBorderCrime {
				t.Errorf("impact %v category %s", ev.Impact, ev.Category)
			}
			for _, k := range []string{"median_speed_kn", "min_distance_m", "mean_distance_m"} {
				if _, ok := ev.Details[k]; !ok {
					t.Errorf("no %s in %v", k, ev.Details)
				}
			}
			if len(ev.Evidence) == 0 {
				t.Error("no evidence")
			}
			if got, _ := ev.Details["nearest_port"].(string); got != w.port {
				t.Errorf("nearest port %q, want %q", got, w.port)
			}
			if ev.Params["min_port_distance_m"] != d.MinPortDistance {
				t.Errorf("params %v", ev.Params)
			}
		})
	}
}

// encPortEast is a table of one port, off east of encSea by dist metres.
func encPortEast(dist float64) *geo.Ports {
	lat, lon := geo.Destination(encSea[0], encSea[1], 90, dist)
	return geo.NewPorts([]geo.Port{{LOCODE: "XXTST", Name: "Test", Lat: lat, Lon: lon}})
}

// TestEncounterEmbeddedPorts runs the default detector, with the embedded
// port table, on two vessels lying together in Algeciras Bay, a port's
// anchorage, and east of Ceuta, where the Gibraltar scenario's meeting is.
// The shore check is turned down to 1 km, so that the port table alone
// decides.
func TestEncounterEmbeddedPorts(t *testing.T) {
	land, err := geo.LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	var enc *Encounter
	for _, d := range Defaults(land, nil) {
		if e, ok := d.(*Encounter); ok {
			enc = e
		}
	}
	if enc == nil || enc.Ports == nil || enc.Ports.Len() < 1000 {
		t.Fatalf("the default encounter detector has no port table: %+v", enc)
	}
	for _, tt := range []struct {
		name string
		at   [2]float64
		want int
	}{
		{"Algeciras Bay anchorage, 6 km from GIGIB", [2]float64{36.10, -5.40}, 0},
		{"east of Ceuta, 27 km from ESCEU", [2]float64{35.99, -5.05}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if off := offshore(land, tt.at[0], tt.at[1], 5e3); off < 1500 {
				t.Fatalf("the premise: %v is %.0f m offshore, want more than the 1 km checked", tt.at, off)
			}
			d := Encounter{Land: land, Ports: enc.Ports, MinShoreDistance: 1000, MinDuration: 30 * time.Minute, MaxGap: 15 * time.Minute}
			a, b := encAISPair(tt.at, 100, leg{time.Hour, 0, 0})
			events := gapTypes(detectEvents(t, gapScene(t0, 45*time.Minute, a, b), &d), "encounter")
			if len(events) != tt.want {
				t.Fatalf("%d events, want %d: %+v", len(events), tt.want, events)
			}
		})
	}
}
