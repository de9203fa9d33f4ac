package eval

import (
	"strings"
	"testing"
	"time"

	"pharos/internal/model"
)

func TestEvaluateEvents(t *testing.T) {
	start := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return start.Add(time.Duration(m) * time.Minute) }
	// Two boats going north, one covered by a sensor, one not.
	boat := func(id string, lon float64, covered bool) Vessel {
		v := Vessel{ID: id}
		for m := 0; m <= 60; m++ {
			v.Samples = append(v.Samples, Sample{T: at(m), Lat: 36 + float64(m)*0.01, Lon: lon, Covered: covered})
		}
		return v
	}
	tr := &Truth{Start: start, End: at(60), Vessels: []Vessel{boat("seen", -5.5, true), boat("unseen", -5.0, false)},
		Events: []Event{
			{Type: "go_fast", Vessels: []string{"seen"}, Start: at(10), End: at(30)},
			{Type: "go_fast", Vessels: []string{"unseen"}, Start: at(10), End: at(30)},
			{Type: "distress", Vessels: []string{"seen"}, Start: at(40), End: at(60)},
		}}
	det := []model.Event{
		// Right boat, 2 min late: a match.
		{Type: "go_fast", Start: at(12), End: at(30), Evidence: []model.Evidence{{Time: at(15), Lat: 36.15, Lon: -5.5}}},
		// Right time, wrong place (the other boat is 45 km east): false.
		{Type: "go_fast", Start: at(12), End: at(30), Evidence: []model.Evidence{{Time: at(15), Lat: 36.15, Lon: -5.8}}},
		// A type the truth does not have.
		{Type: "drift", Start: at(5), Lat: 36.05, Lon: -5.5},
	}
	got := EvaluateEvents(tr, det)
	gf := got["go_fast"]
	if gf.Truth != 1 || gf.Unseen != 1 || gf.Detected != 2 || gf.Matched != 1 {
		t.Fatalf("go_fast %+v", gf)
	}
	if *gf.Precision != 0.5 || *gf.Recall != 1 || *gf.StartErrorS != 120 || *gf.F1 < 0.66 || *gf.F1 > 0.67 {
		t.Errorf("go_fast precision %v recall %v F1 %v start error %v", *gf.Precision, *gf.Recall, *gf.F1, *gf.StartErrorS)
	}
	if d := got["distress"]; d.Truth != 1 || d.Detected != 0 || *d.Recall != 0 || d.Precision != nil {
		t.Errorf("distress %+v", d)
	}
	if d := got["drift"]; d.Truth != 0 || d.Detected != 1 || *d.Precision != 0 || d.Recall != nil {
		t.Errorf("drift %+v", d)
	}
}

func TestReadEvents(t *testing.T) {
	in := `{"id":"go_fast-000001","type":"go_fast","start":"2026-11-27T01:20:00Z","end":"2026-11-27T01:40:00Z","impact":"high","mmsi":[],"track_ids":[7]}` + "\n\n" +
		`{"id":"distress-000001","type":"distress","start":"2026-11-27T02:00:00Z","impact":"very_high","mmsi":[],"track_ids":[9]}` + "\n"
	evs, err := ReadEvents(strings.NewReader(in))
	if err != nil || len(evs) != 2 || evs[1].Impact != model.ImpactVeryHigh || evs[0].TrackIDs[0] != 7 {
		t.Fatalf("ReadEvents = %+v, %v", evs, err)
	}
	if _, err := ReadEvents(strings.NewReader("{\"impact\":\"huge\"}\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad impact: %v", err)
	}
}
