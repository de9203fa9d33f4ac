package detect

import (
	"math"
	"slices"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/source"
	"pharos/internal/track"
)

// zoneBox is a rectangle of [lon, lat], closed.
func zoneBox(lon0, lat0, lon1, lat1 float64) [][][][2]float64 {
	return [][][][2]float64{{{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}}}}
}

// zoneAreas are a border section east of the test radar, 9 km × 11 km with
// its west side on 5.60° W, a closed area far from it and a user area
// inside the section's north-east corner.
func zoneAreas() *geo.Areas {
	return geo.NewAreas([]geo.Area{
		{ID: "ES-SEC-1", Name: "Tarifa east", Kind: geo.KindBorderSection, Impact: geo.AreaImpactHigh, Polygons: zoneBox(-5.60, 35.95, -5.50, 36.05)},
		{ID: "CLOSED-1", Kind: geo.KindClosedArea, Polygons: zoneBox(-6.5, 35.0, -6.4, 35.1)},
		{ID: "USER-1", Kind: geo.KindUserArea, Impact: geo.AreaImpactCritical, Polygons: zoneBox(-5.52, 36.03, -5.50, 36.05)},
	})
}

// zoneWest is a dark boat 2,702 m west of the section at 10 kn heading
// east: it crosses 5.60° W 525 s after the start.
var zoneWest = target{lat: 36.0, lon: -5.63}

const zoneCross = 525 * time.Second

// zoneDetect is detectEvents with own assets: mmsi 0 for none.
func zoneDetect(t *testing.T, obs []model.Observation, own uint32, dets ...Detector) []model.Event {
	t.Helper()
	if own == 0 {
		return detectEvents(t, obs, dets...)
	}
	var events []model.Event
	eng := NewEngine(func(ev *model.Event) { events = append(events, *ev) }, dets...)
	tr := track.New(track.Config{Radars: []source.RadarSite{testRadar}, OwnAssets: []uint32{own}}, eng.Observe)
	for i := range obs {
		tr.Add(&obs[i])
		eng.Advance(tr.Now())
	}
	tr.Flush()
	eng.Flush()
	return events
}

// zoneTypes lists the events' types and areas, in order.
func zoneTypes(events []model.Event) []string {
	var out []string
	for _, ev := range events {
		out = append(out, ev.Type+" "+ev.Details["area_id"].(string))
	}
	return out
}

func TestZones(t *testing.T) {
	areas := zoneAreas()
	minute := time.Minute
	east := func(d time.Duration) leg { return leg{d, 10, 90} }
	west := func(d time.Duration) leg { return leg{d, 10, 270} }
	ais := func(g target) target {
		g.mmsi = 224111222
		g.static = &model.VesselStatic{Name: "PESCA UNO", ShipType: 30, ToBow: 15, ToStern: 5}
		return g
	}
	tests := []struct {
		name  string
		g     target
		dur   time.Duration
		det   *Zones
		own   uint32
		want  []string
		check func(*testing.T, []model.Event)
	}{
		{name: "dark boat enters the section", g: with(zoneWest, east(zoneCross+5*minute)), dur: zoneCross + 6*minute,
			det: &Zones{}, want: []string{"zone_entry ES-SEC-1"},
			check: func(t *testing.T, evs []model.Event) {
				ev := evs[0]
				if d := ev.Start.Sub(t0.Add(zoneCross)); d < -10*time.Second || d > 10*time.Second {
					t.Errorf("entry at %v, crossed at %v", ev.Start.Sub(t0), zoneCross)
				}
				if !ev.End.Equal(ev.Start) || math.Abs(ev.Lon-(-5.60)) > 0.001 || math.Abs(ev.Lat-36.0) > 0.001 {
					t.Errorf("end %v position %.5f, %.5f: want an instant at the boundary", ev.End.Sub(t0), ev.Lat, ev.Lon)
				}
				if ev.Impact != model.ImpactHigh || ev.Category != model.CategoryOther || ev.Details["dark"] != true {
					t.Errorf("impact %v category %s details %v", ev.Impact, ev.Category, ev.Details)
				}
				if len(ev.Evidence) < 2 || ev.Evidence[0].Lon > -5.60 || ev.Evidence[len(ev.Evidence)-1].Lon < -5.60 {
					t.Errorf("evidence %+v: want the fixes each side", ev.Evidence)
				}
			}},
		{name: "through the section: entry then exit", g: with(zoneWest, east(zoneCross+35*minute)), dur: zoneCross + 36*minute,
			det: &Zones{}, want: []string{"zone_entry ES-SEC-1", "zone_exit ES-SEC-1"},
			check: func(t *testing.T, evs []model.Event) {
				// 9,006 m across at 5.144 m/s: 1,751 s after the entry.
				if d := evs[1].Start.Sub(evs[0].Start) - 1751*time.Second; d < -10*time.Second || d > 10*time.Second {
					t.Errorf("exit %v after the entry", evs[1].Start.Sub(evs[0].Start))
				}
			}},
		{name: "in for 40 s, under Settle: nothing", g: with(zoneWest, east(zoneCross+20*time.Second), west(10*minute)),
			dur: zoneCross + 10*minute, det: &Zones{}, want: nil},
		{name: "in for 2 min, over Settle: entry and exit", g: with(zoneWest, east(zoneCross+minute), west(10*minute)),
			dur: zoneCross + 10*minute, det: &Zones{}, want: []string{"zone_entry ES-SEC-1", "zone_exit ES-SEC-1"}},
		{name: "first seen inside: no entry", g: with(target{lat: 36.0, lon: -5.55}, east(5*minute)), dur: 6 * minute,
			det: &Zones{}, want: nil},
		{name: "AIS vessel enters: all tracks by default", g: ais(with(zoneWest, east(zoneCross+5*minute))), dur: zoneCross + 6*minute,
			det: &Zones{}, want: []string{"zone_entry ES-SEC-1"},
			check: func(t *testing.T, evs []model.Event) {
				if !slices.Equal(evs[0].MMSI, []uint32{224111222}) || evs[0].Details["dark"] != false {
					t.Errorf("mmsi %v details %v", evs[0].MMSI, evs[0].Details)
				}
			}},
		{name: "AIS vessel, sections dark-only: nothing", g: ais(with(zoneWest, east(zoneCross+5*minute))), dur: zoneCross + 6*minute,
			det: &Zones{DarkOnly: []string{geo.KindBorderSection}}, want: nil},
		{name: "dark boat, sections dark-only: entry", g: with(zoneWest, east(zoneCross+5*minute)), dur: zoneCross + 6*minute,
			det: &Zones{DarkOnly: []string{geo.KindBorderSection}}, want: []string{"zone_entry ES-SEC-1"}},
		{name: "only closed areas watched: nothing", g: with(zoneWest, east(zoneCross+5*minute)), dur: zoneCross + 6*minute,
			det: &Zones{Kinds: []string{geo.KindClosedArea}}, want: nil},
		{name: "own asset: nothing", g: ais(with(zoneWest, east(zoneCross+5*minute))), dur: zoneCross + 6*minute,
			det: &Zones{}, own: 224111222, want: nil},
		{name: "into the user area at the north-east corner: critical", g: with(target{lat: 36.04, lon: -5.53}, east(5*minute)),
			dur: 6 * minute, det: &Zones{}, want: []string{"zone_entry USER-1"},
			check: func(t *testing.T, evs []model.Event) {
				if evs[0].Impact != model.ImpactVeryHigh {
					t.Errorf("impact %v, want very_high from critical", evs[0].Impact)
				}
			}},

		// Loitering inside the section (first seen inside, so no entry).
		{name: "40 min at 1 kn: loiter", g: with(target{lat: 36.0, lon: -5.56}, leg{40 * minute, 1, 45}), dur: 41 * minute,
			det: &Zones{}, want: []string{"zone_loiter ES-SEC-1"},
			check: func(t *testing.T, evs []model.Event) {
				ev := evs[0]
				// Still loitering when the scene ends: handed out open.
				if ev.Start.Sub(t0) > minute || !ev.End.IsZero() || ev.Details["duration_min"].(float64) < 39 ||
					ev.Details["avg_speed_kn"].(float64) > 1.3 {
					t.Errorf("start %v end %v details %v", ev.Start.Sub(t0), ev.End.Sub(t0), ev.Details)
				}
				if ev.Params["min_loiter_s"] != 1800 || ev.Params["max_loiter_speed_kn"] != 2 {
					t.Errorf("params %v", ev.Params)
				}
			}},
		{name: "25 min at 1 kn, under MinLoiter: only the exit", g: with(target{lat: 36.0, lon: -5.56}, leg{25 * minute, 1, 45}, leg{15 * minute, 20, 180}),
			dur: 41 * minute, det: &Zones{}, want: []string{"zone_exit ES-SEC-1"}},
		{name: "40 min at 2.5 kn, over MaxLoiterSpeed: nothing", g: with(target{lat: 36.0, lon: -5.56}, leg{40 * minute, 2.5, 0}),
			dur: 41 * minute, det: &Zones{}, want: nil},
		{name: "40 min at 1.8 kn: loiter", g: with(target{lat: 36.0, lon: -5.56}, leg{40 * minute, 1.8, 0}),
			dur: 41 * minute, det: &Zones{}, want: []string{"zone_loiter ES-SEC-1"}},
		{name: "slow 35 min then away: loiter ends at the last slow fix", g: with(target{lat: 36.0, lon: -5.56},
			leg{35 * minute, 0.5, 0}, leg{12 * minute, 20, 180}), dur: 48 * minute, det: &Zones{},
			want: []string{"zone_loiter ES-SEC-1", "zone_exit ES-SEC-1"},
			check: func(t *testing.T, evs []model.Event) {
				if e := evs[0].End.Sub(t0); e < 34*minute || e > 36*minute {
					t.Errorf("loiter ends at %v, want about 35 minute", e)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.det.Areas = areas
			events := zoneDetect(t, scene([]target{tt.g}, tt.dur, 10*time.Second), tt.own, tt.det)
			if got := zoneTypes(events); !slices.Equal(got, tt.want) {
				t.Fatalf("events %q, want %q", got, tt.want)
			}
			if tt.check != nil {
				tt.check(t, events)
			}
		})
	}
}

// TestZonesTerritorialWaters drives a dark boat north across Spain's 12 nm
// line in the Alborán Sea, against the embedded territorial waters.
func TestZonesTerritorialWaters(t *testing.T) {
	tw, err := geo.LoadTerritorialWaters()
	if err != nil {
		t.Fatal(err)
	}
	start := target{lat: 36.25, lon: -4.9} // outside, some 45 km off Marbella
	if got := tw.At(start.lat, start.lon, nil); len(got) != 0 {
		t.Fatalf("start is in %v", got)
	}
	g := with(start, leg{40 * time.Minute, 20, 0})
	events := detectEvents(t, scene([]target{g}, 41*time.Minute, 10*time.Second), &Zones{Areas: tw})
	if got := zoneTypes(events); !slices.Equal(got, []string{"zone_entry TW-ESP"}) {
		t.Fatalf("events %q", got)
	}
	ev := events[0]
	if ev.Impact != model.ImpactLow || ev.Details["area_kind"] != geo.KindTerritorialWaters || ev.Details["country"] != "ESP" {
		t.Errorf("impact %v details %v", ev.Impact, ev.Details)
	}
	if i, _ := tw.Lookup("TW-ESP"); !tw.Contains(i, ev.Lat+0.001, ev.Lon) || tw.Contains(i, ev.Lat-0.001, ev.Lon) {
		t.Errorf("entry at %.5f, %.5f is not on the boundary", ev.Lat, ev.Lon)
	}
}

// TestZonesNoLoiter: a boat lying 40 min 9 km off Málaga loiters in
// Spain's territorial waters only when NoLoiter lets it.
func TestZonesNoLoiter(t *testing.T) {
	tw, err := geo.LoadTerritorialWaters()
	if err != nil {
		t.Fatal(err)
	}
	obs := scene([]target{with(target{lat: 36.64, lon: -4.40}, leg{40 * time.Minute, 0.5, 90})}, 41*time.Minute, 10*time.Second)
	for _, tt := range []struct {
		name     string
		noLoiter []string
		want     []string
	}{
		{"default: not in territorial waters", nil, nil},
		{"NoLoiter empty: everywhere", []string{}, []string{"zone_loiter TW-ESP"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			events := detectEvents(t, obs, &Zones{Areas: tw, NoLoiter: tt.noLoiter})
			if got := zoneTypes(events); !slices.Equal(got, tt.want) {
				t.Errorf("events %q, want %q", got, tt.want)
			}
		})
	}
}

// TestZonesDeterministic runs a busy scene twice: the same events, in the
// same order, with the same IDs.
func TestZonesDeterministic(t *testing.T) {
	areas := zoneAreas()
	var targets []target
	for i := range 12 {
		targets = append(targets, with(target{lat: 35.96 + 0.007*float64(i), lon: -5.63 + 0.004*float64(i%3)},
			leg{time.Duration(8+i) * time.Minute, 10, 90}, leg{20 * time.Minute, 1, 0}))
	}
	obs := scene(targets, 35*time.Minute, 10*time.Second)
	run := func() []model.Event {
		return detectEvents(t, obs, &Zones{Areas: areas, MinLoiter: 10 * time.Minute}, &DarkTarget{Areas: areas})
	}
	a, b := run(), run()
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d and %d events", len(a), len(b))
	}
	for i := range a {
		if a[i].ID != b[i].ID || !a[i].Start.Equal(b[i].Start) || a[i].Lat != b[i].Lat {
			t.Errorf("event %d differs: %+v vs %+v", i, a[i], b[i])
		}
	}
}

func TestZonesNoAreas(t *testing.T) {
	events := detectEvents(t, scene([]target{with(zoneWest, leg{15 * time.Minute, 10, 90})}, 16*time.Minute, 10*time.Second),
		&Zones{}, &DarkTarget{})
	if len(events) != 0 {
		t.Errorf("%d events without areas", len(events))
	}
}

// BenchmarkZonesObserve is the cost per track update of Zones and
// DarkTarget against the territorial waters and 1,000 small areas, with
// tracks moving about the Strait of Gibraltar.
func BenchmarkZonesObserve(b *testing.B) {
	tw, err := geo.LoadTerritorialWaters()
	if err != nil {
		b.Fatal(err)
	}
	list := slices.Clone(tw.List())
	for i := range 1000 {
		lat, lon := 35.5+float64(i%40)*0.025, -6.5+float64(i/40)*0.08
		list = append(list, geo.Area{ID: "A" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Kind: geo.KindClosedArea,
			Polygons: zoneBox(lon, lat, lon+0.02, lat+0.015)})
	}
	areas := geo.NewAreas(list)
	var targets []target
	for i := range 50 {
		targets = append(targets, with(target{lat: 35.8 + 0.01*float64(i), lon: -5.9}, leg{time.Hour, 8 + float64(i%10), float64(i * 7)}))
	}
	obs := scene(targets, 20*time.Minute, 10*time.Second)
	var tracks []track.Track
	tr := track.New(track.Config{Radars: []source.RadarSite{testRadar}}, func(t *track.Track) {
		if t.Status == track.Confirmed {
			tracks = append(tracks, *t)
		}
	})
	for i := range obs {
		tr.Add(&obs[i])
	}
	eng := NewEngine(func(*model.Event) {}, &Zones{Areas: areas}, &DarkTarget{Areas: areas})
	i := 0
	for b.Loop() {
		eng.Observe(&tracks[i%len(tracks)])
		i++
	}
}
