package report

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
)

// memSource is a Source in memory.
type memSource struct {
	incidents  []picture.Incident
	detections []model.Event
	sections   []picture.Section
	tracks     map[uint64][]model.TrackState
}

func (m *memSource) Incidents(context.Context) ([]picture.Incident, error) { return m.incidents, nil }
func (m *memSource) Sections(context.Context) ([]picture.Section, error)   { return m.sections, nil }
func (m *memSource) Detections(_ context.Context, since time.Time) ([]model.Event, error) {
	var out []model.Event
	for _, ev := range m.detections {
		if !ev.Start.Before(since) {
			out = append(out, ev)
		}
	}
	return out, nil
}
func (m *memSource) TrackHistory(_ context.Context, id uint64, from, to time.Time) ([]model.TrackState, error) {
	var out []model.TrackState
	for _, s := range m.tracks[id] {
		if !s.Time.Before(from) && !s.Time.After(to) {
			out = append(out, s)
		}
	}
	return out, nil
}

// fixtureSections are two border sections off the Ebro delta.
func fixtureSections() []geo.Area {
	box := func(w, s, e, n float64) [][][][2]float64 {
		return [][][][2]float64{{{{w, s}, {e, s}, {e, n}, {w, n}}}}
	}
	return []geo.Area{
		{ID: "ES-SEA-EBRO", Name: "Ebro delta", Kind: geo.KindBorderSection, Impact: geo.AreaImpactMedium, ISOA2: "ES", Polygons: box(0.5, 40.2, 1.3, 40.9)},
		{ID: "ES-SEA-OPEN", Name: "Off the delta", Kind: geo.KindBorderSection, Impact: geo.AreaImpactHigh, ISOA2: "ES", Polygons: box(1.3, 40.2, 2.0, 40.9)},
	}
}

// fixture is a small, hand-made pair of years: every crime type, titles
// of each rule, incidents at night and by day, inside both sections and
// outside, with tracks for routes and a go-fast's landfall.
func fixture() *memSource {
	m := &memSource{tracks: map[uint64][]model.TrackState{}}
	kinds := []struct {
		typ, cat, title string
		impact          model.ImpactLevel
		threat          string
	}{
		{"go_fast", model.CategoryCrossBorderCrime, "go_fast", model.ImpactHigh, "drugs"},
		{"distress", model.CategoryUnauthorisedCrossing, "distress", model.ImpactVeryHigh, "people_smuggling"},
		{"dark_target", model.CategoryUnauthorisedCrossing, "Migrant boat crossing", model.ImpactMedium, "people_smuggling"},
		{"dark_target", model.CategoryCrossBorderCrime, "Suspected trafficking in human beings", model.ImpactMedium, "people_smuggling"},
		{"encounter", model.CategoryCrossBorderCrime, "Suspected transhipment of hashish", model.ImpactMedium, "drugs"},
		{"ais_gap", model.CategoryCrossBorderCrime, "AIS off on the fishing grounds", model.ImpactLow, "illegal_fishing"},
		{"identity_spoof", model.CategoryOther, "identity_spoof", model.ImpactMedium, ""},
	}
	n := 0
	for year := 2024; year <= 2025; year++ {
		count := 60
		if year == 2025 {
			count = 84 // growth
		}
		for i := range count {
			k := kinds[i%len(kinds)]
			if year == 2025 && i%5 == 0 {
				k = kinds[0] // more go-fasts in 2025
			}
			n++
			t := time.Date(year, time.Month(1+i%12), 1+i%27, (i*7)%24, (i*13)%60, 0, 0, time.UTC)
			// A departure off the coast and a landing further out, in
			// one of three lanes.
			// Each spread over a few cells of 0.1°.
			lane, dlat, dlon := float64(i%3), 0.045*float64(i%4), 0.05*float64(i%5)
			from := [2]float64{40.45 + 0.1*lane, 0.95}
			to := [2]float64{40.5 + 0.1*lane + dlat, 1.2 + 0.35*lane + dlon}
			id := uint64(n)
			var states []model.TrackState
			for s := range 4 {
				f := float64(s) / 3
				states = append(states, model.TrackState{Time: t.Add(time.Duration(s) * 20 * time.Minute), TrackID: id,
					Lat: from[0] + f*(to[0]-from[0]), Lon: from[1] + f*(to[1]-from[1]), Dark: true})
			}
			m.tracks[id] = states
			ev := model.Event{ID: fmt.Sprintf("%s-%06d", k.typ, n), Type: k.typ, Category: k.cat, Start: t, End: t.Add(time.Hour),
				Lat: states[2].Lat, Lon: states[2].Lon, TrackIDs: []uint64{id}, Confidence: 0.8, Impact: k.impact,
				Evidence: []model.Evidence{{Time: t, TrackID: id, Lat: from[0], Lon: from[1]}}}
			if k.threat != "" {
				ev.Risk = &model.Risk{Score: 0.7, Threats: map[string]float64{k.threat: 0.7}}
			}
			if k.typ == "go_fast" {
				ev.Details = map[string]any{"landfall_lat": 40.75, "landfall_lon": 0.85}
			}
			m.detections = append(m.detections, ev)
			if i%11 == 10 {
				continue // a detection nobody opened an incident for
			}
			m.incidents = append(m.incidents, picture.Incident{ID: fmt.Sprintf("INC-%06d", n), Category: k.cat, Title: k.title,
				Impact: k.impact, Originator: "ncc-test", Owner: "ncc-test", Lat: ev.Lat, Lon: ev.Lon, Detected: t, Events: []string{ev.ID}})
		}
	}
	sort.SliceStable(m.incidents, func(i, j int) bool { return m.incidents[i].Detected.Before(m.incidents[j].Detected) })
	sort.SliceStable(m.detections, func(i, j int) bool { return m.detections[i].Start.Before(m.detections[j].Start) })
	m.sections = []picture.Section{{ID: "ES-SEA-EBRO", Name: "Ebro delta", Level: geo.AreaImpactHigh,
		History: []picture.SectionChange{{Time: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), By: "admin",
			From: geo.AreaImpactMedium, To: geo.AreaImpactHigh, Why: "after the annual report"}}}}
	return m
}

// fixtureAnalysis analyses the fixture over a period.
func fixtureAnalysis(t testing.TB, p Period) *Analysis {
	t.Helper()
	l, w := baseData(t)
	d, err := Load(context.Background(), fixture(), Options{From: p.Earliest(), To: p.To, Sections: fixtureSections(), Waters: w, Land: l, Node: "ncc-test"})
	if err != nil {
		t.Fatal(err)
	}
	return Analyse(d, p)
}
