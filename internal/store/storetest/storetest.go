// Package storetest is the suite every store engine passes: the same
// records written and read back, the same retention, the same errors.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"pharos/internal/audit"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/store"
)

var t0 = time.Date(2026, 3, 14, 2, 30, 0, 0, time.UTC)

// Run runs the suite; open returns a new, empty store for each test and
// a function that opens the same store again after Close.
func Run(t *testing.T, open func(t *testing.T) (s store.Store, reopen func() store.Store)) {
	for _, tc := range []struct {
		name string
		test func(*testing.T, store.Store, func() store.Store)
	}{
		{"Detections", testDetections},
		{"Incidents", testIncidents},
		{"Sections", testSections},
		{"TrackHistory", testTrackHistory},
		{"Prune", testPrune},
		{"Reopen", testReopen},
		{"Concurrent", testConcurrent},
		{"Audit", testAudit},
		{"Items", testItems},
		{"ItemsRefused", testItemsRefused},
		{"ItemsReopen", testItemsReopen},
		{"ItemsConcurrent", testItemsConcurrent},
		{"ExpirePersonalStates", testExpirePersonalStates},
		{"ExpirePersonalDetections", testExpirePersonalDetections},
		{"ExpirePersonalRefused", testExpirePersonalRefused},
		{"ExpirePersonalConcurrent", testExpirePersonalConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, reopen := open(t)
			tc.test(t, s, reopen)
		})
	}
}

func event(id string, start time.Time) model.Event {
	return model.Event{ID: id, Type: "go_fast", Category: model.CategoryCrossBorderCrime, Start: start,
		Lat: 36, Lon: -5.4, MMSI: []uint32{224000001}, TrackIDs: []uint64{7}, Confidence: 0.9,
		Impact: model.ImpactHigh, Params: map[string]float64{"min_speed_kn": 30},
		Details:  map[string]any{"heading": "north"},
		Evidence: []model.Evidence{{Time: start, TrackID: 7, Lat: 36, Lon: -5.4, SOG: 41, COG: 350, Sensors: []string{"radar"}}}}
}

func testDetections(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	a, b := event("go_fast-1", t0), event("go_fast-2", t0.Add(time.Hour))
	for _, ev := range []model.Event{b, a} {
		if err := s.SaveDetection(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	a.End = t0.Add(10 * time.Minute) // the detection closes: a new version
	if err := s.SaveDetection(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.Detections(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []model.Event{a, b}) {
		t.Errorf("detections:\n%+v\nwant\n%+v", got, []model.Event{a, b})
	}
	if got, _ = s.Detections(ctx, t0.Add(time.Minute)); len(got) != 1 || got[0].ID != b.ID {
		t.Errorf("detections since a minute on: %+v, want %s only", got, b.ID)
	}
}

func incident(id string, detected time.Time) picture.Incident {
	return picture.Incident{ID: id, Category: model.CategoryUnauthorisedCrossing, Title: "boat adrift",
		Impact: model.ImpactVeryHigh, Confidence: picture.Confidence{Reliability: "B", Credibility: 2},
		Originator: "ESP-NCC", Owner: "ESP-NCC", Lat: 35.9, Lon: -5.6, Detected: detected,
		Due: detected.Add(picture.FirstReportWithin), Events: []string{"distress-1"},
		Reports: []picture.Report{{Time: detected.Add(time.Hour), Author: "duty officer", Text: "12 people",
			Impact: model.ImpactVeryHigh, Confidence: picture.Confidence{Reliability: "A", Credibility: 1}}}}
}

func testIncidents(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	a, b := incident("INC-000002", t0.Add(time.Hour)), incident("INC-000001", t0)
	for _, in := range []picture.Incident{a, b} {
		if err := s.SaveIncident(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	a.Status, a.Closed = picture.StatusClosed, t0.Add(3*time.Hour)
	if err := s.SaveIncident(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := s.Incidents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, []picture.Incident{b, a}) {
		t.Errorf("incidents:\n%+v\nwant\n%+v", got, []picture.Incident{b, a})
	}
	one, err := s.Incident(ctx, a.ID)
	if err != nil || !reflect.DeepEqual(one, a) {
		t.Errorf("incident %s: %+v, %v", a.ID, one, err)
	}
	if _, err := s.Incident(ctx, "INC-999999"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown incident: %v, want ErrNotFound", err)
	}
}

func testSections(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	sec := picture.Section{ID: "ES-SEA-1", Name: "Strait of Gibraltar", Level: geo.AreaImpactHigh}
	if err := s.SaveSection(ctx, sec); err != nil {
		t.Fatal(err)
	}
	sec.History = append(sec.History, picture.SectionChange{Time: t0, By: "chief", From: geo.AreaImpactHigh,
		To: geo.AreaImpactCritical, Why: "mass departures"})
	sec.Level = geo.AreaImpactCritical
	if err := s.SaveSection(ctx, sec); err != nil {
		t.Fatal(err)
	}
	got, err := s.Sections(ctx)
	if err != nil || !reflect.DeepEqual(got, []picture.Section{sec}) {
		t.Errorf("sections %+v, %v; want [%+v]", got, err, sec)
	}
}

func states(id uint64, from time.Time, n int) []model.TrackState {
	list := make([]model.TrackState, n)
	for i := range list {
		list[i] = model.TrackState{Time: from.Add(time.Duration(i) * 10 * time.Second), TrackID: id,
			Lat: 36 + float64(i)*1e-4, Lon: -5.4, SOG: 12.5, COG: 90, MMSI: 224000001, Name: "MAR AZUL",
			Sensors: []string{"ais", "radar"}}
	}
	return list
}

func testTrackHistory(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	one, two := states(1, t0, 100), states(2, t0, 50)
	if err := s.AddTrackStates(ctx, append(one[:50:50], two...)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddTrackStates(ctx, one[50:]); err != nil {
		t.Fatal(err)
	}
	got, err := s.TrackHistory(ctx, 1, one[10].Time, one[19].Time)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, one[10:20]) {
		t.Errorf("history of track 1, states 10–19:\n%+v\nwant\n%+v", got, one[10:20])
	}
	if got, _ = s.TrackHistory(ctx, 3, t0, t0.Add(time.Hour)); len(got) != 0 {
		t.Errorf("history of an unknown track: %d states", len(got))
	}
}

func testPrune(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	if err := s.AddTrackStates(ctx, states(1, t0, 60)); err != nil { // 10 minutes
		t.Fatal(err)
	}
	open, closed := incident("INC-000001", t0), incident("INC-000002", t0)
	closed.Status, closed.Closed = picture.StatusClosed, t0.Add(time.Hour)
	for _, in := range []picture.Incident{open, closed} {
		if err := s.SaveIncident(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	for _, ev := range []model.Event{event("a", t0), event("b", t0.Add(2*time.Hour))} {
		if err := s.SaveDetection(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		kind   store.Kind
		before time.Time
		want   int64
	}{
		{store.KindTrackStates, t0.Add(5 * time.Minute), 30},
		{store.KindIncidents, t0.Add(2 * time.Hour), 1}, // the closed one only
		{store.KindDetections, t0.Add(time.Hour), 1},
	} {
		n, err := s.Prune(ctx, tc.kind, tc.before)
		if err != nil || n != tc.want {
			t.Errorf("prune %s before %v: %d, %v; want %d", tc.kind, tc.before, n, err, tc.want)
		}
	}
	if got, _ := s.TrackHistory(ctx, 1, t0, t0.Add(time.Hour)); len(got) != 30 {
		t.Errorf("%d states left, want 30", len(got))
	}
	if got, _ := s.Incidents(ctx); len(got) != 1 || got[0].ID != open.ID {
		t.Errorf("incidents left %+v, want the open one", got)
	}
	if _, err := s.Prune(ctx, "secrets", t0); err == nil {
		t.Error("pruned an unknown kind")
	}
}

func testReopen(t *testing.T, s store.Store, reopen func() store.Store) {
	ctx := context.Background()
	in := incident("INC-000001", t0)
	if err := s.SaveIncident(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = reopen()
	if got, err := s.Incident(ctx, in.ID); err != nil || !reflect.DeepEqual(got, in) {
		t.Errorf("after reopening: %+v, %v", got, err)
	}
}

func testConcurrent(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				if err := s.AddTrackStates(ctx, states(uint64(w), t0.Add(time.Duration(i)*time.Hour), 10)); err != nil {
					errs <- err
					return
				}
				if err := s.SaveDetection(ctx, event(fmt.Sprint(w, "-", i), t0)); err != nil {
					errs <- err
					return
				}
				if _, err := s.TrackHistory(ctx, uint64(w), t0, t0.Add(time.Hour)); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got, _ := s.Detections(ctx, t0); len(got) != 100 {
		t.Errorf("%d detections from 4 writers × 25, want 100", len(got))
	}
}

func testAudit(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for w := range 5 {
		wg.Go(func() {
			for i := range 10 {
				_, err := s.AppendAudit(ctx, audit.Entry{Time: t0.Add(time.Duration(i) * time.Second),
					Actor: fmt.Sprint("user", w), Action: "POST /api/incidents", Outcome: "ok"})
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all, err := s.AuditLog(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 50 {
		t.Fatalf("%d entries from 5 writers × 10, want 50", len(all))
	}
	if err := audit.Verify(nil, all); err != nil {
		t.Errorf("the chain concurrent appends made: %v", err)
	}
	page, err := s.AuditLog(ctx, 10, 5)
	if err != nil || len(page) != 5 || page[0].Seq != 11 || audit.Verify(&all[9], page) != nil {
		t.Errorf("entries 11–15: %+v, %v", page, err)
	}
}
