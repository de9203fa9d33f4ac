package detect

import (
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/source"
	"pharos/internal/track"
)

// spoofEvents is detectEvents that also hands every AIS report the tracker
// refuses, with the track it was refused for, to the detectors that want
// it: what the tracker hook RejectedObserver asks for will do.
func spoofEvents(t *testing.T, obs []model.Observation, hook bool, dets ...Detector) []model.Event {
	t.Helper()
	var events []model.Event
	eng := NewEngine(func(ev *model.Event) { events = append(events, *ev) }, dets...)
	tr := track.New(track.Config{Radars: []source.RadarSite{testRadar}}, eng.Observe)
	for i := range obs {
		o := &obs[i]
		var claimed *track.Track
		if hook && o.Sensor == model.SensorAIS && o.HasPosition() {
			for _, x := range tr.Tracks() {
				if x.Identity != nil && x.Identity.MMSI == o.MMSI && x.Status != track.Dropped {
					claimed = x
				}
			}
		}
		rejected := tr.Stats.AISRejected
		tr.Add(o)
		if claimed != nil && tr.Stats.AISRejected > rejected {
			eng.Advance(o.Time)
			for _, d := range dets {
				if ro, ok := d.(RejectedObserver); ok {
					ro.ObserveRejected(o, claimed, &eng.rec)
				}
			}
		}
		eng.Advance(tr.Now())
	}
	tr.Flush()
	eng.Flush()
	return events
}

// spoofMoving is an AIS target off Tarifa at a speed, reporting every 10 s.
func spoofMoving(mmsi uint32, speed float64, legs ...leg) gapTarget {
	g := gapTarget{target: target{lat: 36.0, lon: -5.5, mmsi: mmsi}, aisEvery: 10 * time.Second}
	g.legs = legs
	if legs == nil {
		g.legs = []leg{{time.Hour, speed, 90}}
	}
	return g
}

func TestIdentitySpoofMoving(t *testing.T) {
	tests := []struct {
		name string
		g    gapTarget
		want string        // the kind, or "" for none
		end  time.Duration // 0: still moving at the end
	}{
		{name: "unallocated MID under way", g: spoofMoving(200123456, 10), want: "invalid_mmsi"},
		{name: "invalid MMSI drifting at 1 kn", g: spoofMoving(123456789, 1)},
		{name: "invalid MMSI under way for 4 min", g: spoofMoving(123456789, 0, leg{4 * time.Minute, 10, 90}, leg{time.Hour, 0, 0})},
		{name: "invalid MMSI under way for 6 min", g: spoofMoving(123456789, 0, leg{6 * time.Minute, 10, 90}, leg{time.Hour, 0, 0}),
			want: "invalid_mmsi", end: 6 * time.Minute},
		{name: "aid to navigation at 6 kn", g: spoofMoving(992241234, 6), want: "non_vessel_moving"},
		{name: "aid to navigation drifting at 2 kn", g: spoofMoving(992241234, 2)},
		{name: "coast station at 8 kn", g: spoofMoving(2241234, 8), want: "non_vessel_moving"},
		{name: "SART at 5 kn", g: spoofMoving(970123456, 5), want: "non_vessel_moving"},
		{name: "SAR aircraft at 10 kn", g: spoofMoving(111224123, 10), want: "non_vessel_moving"},
		{name: "SAR aircraft flying at 120 kn", g: spoofMoving(111224123, 120)},
		{name: "a ship under way", g: spoofMoving(224004004, 12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			events := gapTypes(spoofEvents(t, gapScene(t0, 30*time.Minute, tt.g), true, &IdentitySpoof{}), "identity_spoof")
			if tt.want == "" {
				if len(events) != 0 {
					t.Fatalf("%d events, want none: %+v", len(events), events)
				}
				return
			}
			if len(events) != 1 {
				t.Fatalf("%d events, want 1: %+v", len(events), events)
			}
			ev := events[0]
			if ev.Details["kind"] != tt.want || ev.MMSI[0] != tt.g.mmsi || ev.Category != model.CategoryOther {
				t.Errorf("kind %v mmsi %v category %s", ev.Details["kind"], ev.MMSI, ev.Category)
			}
			if d := ev.Start.Sub(t0); d < 0 || d > time.Minute {
				t.Errorf("start %v, want when it began to move", ev.Start)
			}
			switch {
			case tt.end == 0 && !ev.End.IsZero():
				t.Errorf("end %v, want still open", ev.End)
			case tt.end != 0 && (ev.End.Before(t0.Add(tt.end-time.Minute)) || ev.End.After(t0.Add(tt.end+time.Minute))):
				t.Errorf("end %v, want %v", ev.End, t0.Add(tt.end))
			}
		})
	}
}

func TestIdentitySpoofTwoPlaces(t *testing.T) {
	const mmsi = 224005005
	original := gapTarget{target: target{lat: 36.0, lon: -5.5, mmsi: mmsi, legs: []leg{{3 * time.Hour, 0, 0}}}, aisEvery: 10 * time.Second}
	// The clone, 50 km away, transmits the same MMSI from 10 min on.
	clone := gapTarget{target: target{lat: 36.3, lon: -5.0, mmsi: mmsi, legs: []leg{{3 * time.Hour, 8, 45}}},
		aisEvery: 10 * time.Second, aisPhase: 5 * time.Second, aisOff: []gapSpan{{0, 10 * time.Minute}}}
	tests := []struct {
		name    string
		targets []gapTarget
		det     IdentitySpoof
		hook    bool
		dur     time.Duration
		want    bool
		near    *gapTarget // an evidence point must lie within 1 km of it
		start   time.Duration
	}{
		{name: "a clone 50 km away, refused reports passed on", targets: []gapTarget{original, clone}, hook: true,
			dur: 40 * time.Minute, want: true, near: &clone, start: 10 * time.Minute},
		{name: "a clone 50 km away, refused reports not passed on", targets: []gapTarget{original, clone},
			dur: 40 * time.Minute},
		{name: "no clone", targets: []gapTarget{original}, hook: true, dur: 40 * time.Minute},
		{name: "the MMSI back after 70 min 150 km away", det: IdentitySpoof{MinConflicts: 1},
			targets: spoofReturn(150e3, 8), dur: 2 * time.Hour, want: true, start: 80 * time.Minute},
		{name: "the MMSI back after 70 min 150 km away, once, under MinConflicts",
			targets: spoofReturn(150e3, 8), dur: 2 * time.Hour},
		{name: "the MMSI back after 70 min 40 km away", det: IdentitySpoof{MinConflicts: 1},
			targets: spoofReturn(40e3, 8), dur: 2 * time.Hour},
		{name: "a fast boat at 60 kn silent for 7 min", det: IdentitySpoof{MinConflicts: 1}, targets: []gapTarget{{
			target:   target{lat: 36.0, lon: -5.5, mmsi: 224006006, legs: []leg{{time.Hour, 60, 90}}},
			aisEvery: 10 * time.Second, aisOff: []gapSpan{{5 * time.Minute, 12 * time.Minute}}}},
			dur: 20 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.det
			events := gapTypes(spoofEvents(t, gapScene(t0, tt.dur, tt.targets...), tt.hook, &d), "identity_spoof")
			if !tt.want {
				if len(events) != 0 {
					t.Fatalf("%d events, want none: %+v", len(events), events)
				}
				return
			}
			if len(events) != 1 {
				t.Fatalf("%d events, want 1: %+v", len(events), events)
			}
			ev := events[0]
			if ev.Details["kind"] != "two_places" || ev.Impact != model.ImpactHigh {
				t.Errorf("kind %v impact %v", ev.Details["kind"], ev.Impact)
			}
			if d := ev.Start.Sub(t0.Add(tt.start)); d < 0 || d > time.Minute {
				t.Errorf("start %v, want %v", ev.Start, t0.Add(tt.start))
			}
			if tt.near != nil {
				found := false
				for _, e := range ev.Evidence {
					lat, lon, _, _ := tt.near.at(e.Time.Sub(t0))
					found = found || geo.Distance(lat, lon, e.Lat, e.Lon) < 1000
				}
				if !found {
					t.Errorf("no evidence of the other place: %+v", ev.Evidence)
				}
			}
		})
	}
}

// spoofReturn is a vessel whose AIS falls silent at 10 min, long enough
// for its track to be dropped, and whose MMSI is heard again at 80 min,
// dist metres east of where it fell silent.
func spoofReturn(dist, speed float64) []gapTarget {
	const mmsi = 224007007
	a := gapTarget{target: target{lat: 36.0, lon: -5.5, mmsi: mmsi, legs: []leg{{3 * time.Hour, speed, 90}}},
		aisEvery: 10 * time.Second, aisOff: []gapSpan{{10 * time.Minute, 3 * time.Hour}}}
	lat, lon, _, _ := a.at(10 * time.Minute)
	lat, lon = geo.Destination(lat, lon, 90, dist)
	b := gapTarget{target: target{lat: lat, lon: lon, mmsi: mmsi, legs: []leg{{80 * time.Minute, 0, 0}, {3 * time.Hour, speed, 90}}},
		aisEvery: 10 * time.Second, aisOff: []gapSpan{{0, 80 * time.Minute}}}
	return []gapTarget{a, b}
}

func TestIdentitySpoofIdentityChange(t *testing.T) {
	const mmsi = 224008008
	named := func(at time.Duration, name string, shipType uint8) gapStatic {
		return gapStatic{at: at, s: model.VesselStatic{Name: name, ShipType: shipType, CallSign: "EA1234"}}
	}
	tests := []struct {
		name    string
		statics []gapStatic
		want    map[string]any
	}{
		{name: "renamed after 70 min", statics: []gapStatic{named(0, "MAR AZUL", 30), named(70*time.Minute, "SEA STAR", 30)},
			want: map[string]any{"old_name": "MAR AZUL", "new_name": "SEA STAR"}},
		{name: "renamed after 30 min, not yet stable", statics: []gapStatic{named(0, "MAR AZUL", 30), named(30*time.Minute, "SEA STAR", 30)}},
		{name: "the same name, spelt alike", statics: []gapStatic{named(0, "MAR AZUL", 30), named(70*time.Minute, "Mar-Azul ", 30)}},
		{name: "ship type changed after 70 min", statics: []gapStatic{named(0, "MAR AZUL", 30), named(70*time.Minute, "MAR AZUL", 70)},
			want: map[string]any{"old_ship_type": 30, "new_ship_type": 70}},
		{name: "ship type first known after 70 min", statics: []gapStatic{named(0, "MAR AZUL", 0), named(70*time.Minute, "MAR AZUL", 70)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := spoofMoving(mmsi, 8)
			g.statics = tt.statics
			events := gapTypes(spoofEvents(t, gapScene(t0, 100*time.Minute, g), true, &IdentitySpoof{}), "identity_spoof")
			if tt.want == nil {
				if len(events) != 0 {
					t.Fatalf("%d events, want none: %+v", len(events), events)
				}
				return
			}
			if len(events) != 1 {
				t.Fatalf("%d events, want 1: %+v", len(events), events)
			}
			ev := events[0]
			if ev.Details["kind"] != "identity_change" {
				t.Errorf("kind %v", ev.Details["kind"])
			}
			for k, v := range tt.want {
				if ev.Details[k] != v {
					t.Errorf("details[%s] = %v, want %v", k, ev.Details[k], v)
				}
			}
			if d := ev.Start.Sub(t0.Add(tt.statics[1].at)); d < 0 || d > 15*time.Second {
				t.Errorf("start %v, want at the change", ev.Start)
			}
		})
	}
}
