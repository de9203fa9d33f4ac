package detect

import (
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// gapSpan is a stretch of a synthetic scene, as offsets from its start.
type gapSpan struct{ from, to time.Duration }

func (s gapSpan) holds(dt time.Duration) bool { return dt >= s.from && dt < s.to }

func gapIn(spans []gapSpan, dt time.Duration) bool {
	for _, s := range spans {
		if s.holds(dt) {
			return true
		}
	}
	return false
}

// gapStatic is static data a synthetic target sends at an offset.
type gapStatic struct {
	at time.Duration
	s  model.VesselStatic
}

// gapTarget is a synthetic vessel for the tests of this file and of the
// encounter, identity and watchlist tests: the harness's target, with AIS
// that can fall silent, radar that sees it only at times, and static data
// sent when wanted.
type gapTarget struct {
	target
	aisEvery time.Duration // default 60 s
	aisPhase time.Duration // offset of its reports within aisEvery
	aisOff   []gapSpan     // the AIS is silent
	// radar: the radar plots it (every 3 s) during these; nil: always for
	// a target without AIS, never for one with.
	radar   []gapSpan
	statics []gapStatic
}

// gapScene generates the observations of targets from start for dur,
// second by second. SOG and COG come with each AIS report.
func gapScene(start time.Time, dur time.Duration, targets ...gapTarget) []model.Observation {
	var obs []model.Observation
	for sec := time.Duration(0); sec <= dur; sec += time.Second {
		ts := start.Add(sec)
		for i, g := range targets {
			lat, lon, sog, cog := g.at(sec)
			every := g.aisEvery
			if every == 0 {
				every = time.Minute
			}
			for _, st := range g.statics {
				if st.at == sec {
					o := model.NewObservation(ts, "ais", model.SensorAIS)
					o.MMSI = g.mmsi
					s := st.s
					o.Static = &s
					obs = append(obs, o)
				}
			}
			if g.mmsi != 0 && sec%every == g.aisPhase && !gapIn(g.aisOff, sec) {
				o := model.NewObservation(ts, "ais", model.SensorAIS)
				o.MMSI, o.Lat, o.Lon, o.SOG, o.COG = g.mmsi, lat, lon, sog, cog
				obs = append(obs, o)
			}
			seen := g.radar == nil && g.mmsi == 0 || gapIn(g.radar, sec)
			if seen && sec%(3*time.Second) == time.Duration(i%3)*time.Second {
				o := model.NewObservation(ts, testRadar.ID, model.SensorRadar)
				o.Lat, o.Lon, o.PosError = lat, lon, 20
				obs = append(obs, o)
			}
		}
	}
	return obs
}

// gapStill is a target lying still with AIS from the start of the scene.
func gapStill(lat, lon float64, mmsi uint32) gapTarget {
	return gapTarget{target: target{lat: lat, lon: lon, mmsi: mmsi}}
}

func gapTypes(events []model.Event, typ string) []model.Event {
	var out []model.Event
	for _, e := range events {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func TestAISGapLong(t *testing.T) {
	land, err := geo.LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	const mmsi = 224001001
	far := [2]float64{36.0, -12.0}   // 157 nm out in the Atlantic
	inside := [2]float64{36.0, -7.0} // 45 nm off the Gulf of Cádiz
	// clock is a vessel elsewhere that keeps event time going while the
	// other is silent, as any real feed does.
	clock := gapStill(36.0, -16.0, 224009999)
	clock.aisEvery = 5 * time.Minute
	silent := func(from, to time.Duration) []gapSpan { return []gapSpan{{from, to}} }
	tests := []struct {
		name   string
		det    AISGap
		at     [2]float64
		legs   []leg
		off    []gapSpan
		dur    time.Duration
		want   int
		open   bool // still open at the end
		detail map[string]any
	}{
		{name: "13 h far offshore", at: far, off: silent(90*time.Minute, 14*time.Hour+30*time.Minute),
			dur: 15 * time.Hour, want: 1, detail: map[string]any{"in_sight": false, "gap_h": 13.0}},
		{name: "11 h far offshore is under 12 h", at: far, off: silent(90*time.Minute, 12*time.Hour+30*time.Minute),
			dur: 13 * time.Hour, want: 0},
		{name: "13 h within 50 nm of shore", at: inside, off: silent(90*time.Minute, 14*time.Hour+30*time.Minute),
			dur: 15 * time.Hour, want: 0},
		{name: "starts 78 nm out, ends within 50 nm of shore", at: [2]float64{36.0, -10.0}, legs: []leg{{15 * time.Hour, 9, 70}},
			off: silent(90*time.Minute, 14*time.Hour+30*time.Minute), dur: 15 * time.Hour, want: 0},
		{name: "starts 78 nm out, ends further out", at: [2]float64{36.0, -10.0}, legs: []leg{{15 * time.Hour, 9, 270}},
			off: silent(90*time.Minute, 14*time.Hour+30*time.Minute), dur: 15 * time.Hour, want: 1},
		{name: "reception below MinReception", det: AISGap{MinReception: 100}, at: far,
			off: silent(90*time.Minute, 14*time.Hour+30*time.Minute), dur: 15 * time.Hour, want: 0},
		{name: "reception above MinReception", det: AISGap{MinReception: 30}, at: far,
			off: silent(90*time.Minute, 14*time.Hour+30*time.Minute), dur: 15 * time.Hour, want: 1},
		{name: "too little history to know the reception", at: far, off: silent(30*time.Minute, 13*time.Hour+30*time.Minute),
			dur: 14 * time.Hour, want: 0},
		{name: "still silent at the end: open", at: far, off: silent(90*time.Minute, 20*time.Hour),
			dur: 14 * time.Hour, want: 1, open: true},
		{name: "forgotten after Forget", det: AISGap{Forget: 13 * time.Hour}, at: far, off: silent(90*time.Minute, 20*time.Hour),
			dur: 15 * time.Hour, want: 1, detail: map[string]any{"still_silent": true}},
		{name: "20 min in a border section", det: AISGap{Sections: func(lat, lon float64) bool { return lon > -8 && lon < -6 }},
			at: inside, off: silent(90*time.Minute, 110*time.Minute), dur: 3 * time.Hour, want: 1,
			detail: map[string]any{"in_section": true, "in_sight": false}},
		{name: "8 min in a border section is under ShortGap", det: AISGap{Sections: func(lat, lon float64) bool { return true }},
			at: inside, off: silent(90*time.Minute, 98*time.Minute), dur: 3 * time.Hour, want: 0},
		{name: "20 min outside the border sections", det: AISGap{Sections: func(lat, lon float64) bool { return false }},
			at: inside, off: silent(90*time.Minute, 110*time.Minute), dur: 3 * time.Hour, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := gapStill(tt.at[0], tt.at[1], mmsi)
			g.legs, g.aisOff = tt.legs, tt.off
			if tt.legs != nil { // the premise: it starts offshore and ends where the name says
				lat, lon, _, _ := g.at(tt.off[0].from)
				lat2, lon2, _, _ := g.at(tt.off[0].to)
				start, end := land.DistanceToShore(lat, lon)/geo.NauticalMile, land.DistanceToShore(lat2, lon2)/geo.NauticalMile
				if start < 50 || (end < 50) != (tt.want == 0) || land.Contains(lat2, lon2) {
					t.Fatalf("premise: the gap runs from %.1f to %.1f nm from shore", start, end)
				}
			}
			d := tt.det
			d.Land = land
			events := gapTypes(detectEvents(t, gapScene(t0, tt.dur, g, clock), &d), "ais_gap")
			if len(events) != tt.want {
				t.Fatalf("%d events, want %d: %+v", len(events), tt.want, events)
			}
			if tt.want == 0 {
				return
			}
			ev := events[0]
			// The last report before the silence and the first after.
			wantStart := t0.Add(tt.off[0].from - time.Minute)
			if !ev.Start.Equal(wantStart) {
				t.Errorf("start %v, want %v", ev.Start, wantStart)
			}
			switch {
			case tt.open:
				if !ev.End.IsZero() {
					t.Errorf("end %v, want still open", ev.End)
				}
			case ev.Details["still_silent"] == true:
				if ev.End.Before(ev.Start.Add(d.Forget)) {
					t.Errorf("end %v, want at least Forget after the start", ev.End)
				}
			default:
				if wantEnd := t0.Add(tt.off[0].to); !ev.End.Equal(wantEnd) {
					t.Errorf("end %v, want %v", ev.End, wantEnd)
				}
			}
			for k, v := range tt.detail {
				if ev.Details[k] != v {
					t.Errorf("details[%s] = %v, want %v (%v)", k, ev.Details[k], v, ev.Details)
				}
			}
			if len(ev.MMSI) != 1 || ev.MMSI[0] != mmsi || ev.Category != model.CategoryOther || len(ev.Evidence) == 0 {
				t.Errorf("mmsi %v category %s evidence %d", ev.MMSI, ev.Category, len(ev.Evidence))
			}
			if tt.det.Sections != nil && ev.Impact != model.ImpactHigh {
				t.Errorf("impact %v in a section, want high", ev.Impact)
			}
		})
	}
}

func TestAISGapInSight(t *testing.T) {
	const mmsi = 224002002
	// A fishing vessel near the test radar, seen by it all along.
	base := gapTarget{target: target{lat: 36.05, lon: -5.5, mmsi: mmsi, legs: []leg{{3 * time.Hour, 4, 90}}}}
	always := []gapSpan{{0, 3 * time.Hour}}
	tests := []struct {
		name    string
		off     []gapSpan
		radar   []gapSpan
		want    int
		wantEnd time.Duration // 0: the first report after the silence
	}{
		{name: "20 min silent in sight", off: []gapSpan{{70 * time.Minute, 90 * time.Minute}}, radar: always, want: 1},
		{name: "8 min silent in sight is under DarkWhileSeen", off: []gapSpan{{70 * time.Minute, 78 * time.Minute}}, radar: always, want: 0},
		{name: "the radar loses it as the AIS stops", off: []gapSpan{{70 * time.Minute, 90 * time.Minute}},
			radar: []gapSpan{{0, 70 * time.Minute}}, want: 0},
		{name: "the radar loses it 15 min into the silence: ends when last seen",
			off: []gapSpan{{70 * time.Minute, 120 * time.Minute}}, radar: []gapSpan{{0, 85 * time.Minute}},
			want: 1, wantEnd: 85 * time.Minute},
		{name: "seen again only long after the AIS stopped", off: []gapSpan{{70 * time.Minute, 3 * time.Hour}},
			radar: []gapSpan{{0, 70 * time.Minute}, {90 * time.Minute, 3 * time.Hour}}, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := base
			g.aisOff, g.radar = tt.off, tt.radar
			events := gapTypes(detectEvents(t, gapScene(t0, 150*time.Minute, g), &AISGap{}), "ais_gap")
			if len(events) != tt.want {
				t.Fatalf("%d events, want %d: %+v", len(events), tt.want, events)
			}
			if tt.want == 0 {
				return
			}
			ev := events[0]
			if ev.Details["in_sight"] != true {
				t.Errorf("in_sight %v", ev.Details["in_sight"])
			}
			if want := t0.Add(tt.off[0].from - time.Minute); !ev.Start.Equal(want) {
				t.Errorf("start %v, want %v", ev.Start, want)
			}
			wantEnd := t0.Add(tt.off[0].to)
			if tt.wantEnd != 0 {
				wantEnd = t0.Add(tt.wantEnd)
			}
			if d := ev.End.Sub(wantEnd); d < -15*time.Second || d > 15*time.Second {
				t.Errorf("end %v, want %v", ev.End, wantEnd)
			}
			if len(ev.Evidence) < 3 {
				t.Errorf("%d evidence", len(ev.Evidence))
			}
		})
	}
}

// TestAISGapReceptionGrid checks the reception measure on its own: reports
// over the vessel-hours spent around a cell.
func TestAISGapReceptionGrid(t *testing.T) {
	d := &AISGap{}
	d.defaults()
	now := t0
	c := d.cell(36.1, -12.1, now)
	c.reports, c.hours = 30, 2
	if rec, ok := d.reception(36.2, -11.9, now); !ok || rec != 15 {
		t.Errorf("reception %v %v, want 15 from the same cell", rec, ok)
	}
	if rec, ok := d.reception(36.7, -12.1, now); !ok || rec != 15 {
		t.Errorf("reception %v %v, want 15 from the neighbouring cell", rec, ok)
	}
	if _, ok := d.reception(37.2, -12.1, now); ok {
		t.Error("reception known two cells away")
	}
	// A month later the counts have faded, their ratio not.
	later := now.Add(30 * 24 * time.Hour)
	if rec, ok := d.reception(36.1, -12.1, later); ok {
		t.Errorf("reception %v still known after a month (hours %.2f)", rec, d.cell(36.1, -12.1, later).hours)
	}
	// Across the antimeridian, cells are neighbours.
	e := d.cell(10, 179.9, now)
	e.reports, e.hours = 10, 2
	if rec, ok := d.reception(10, -179.9, now); !ok || rec != 5 {
		t.Errorf("reception %v %v across the antimeridian", rec, ok)
	}
}
