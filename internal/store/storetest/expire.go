package storetest

import (
	"context"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/store"
)

func testExpirePersonalStates(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	named := states(1, t0, 60) // 10 minutes, MMSI and name
	dark := states(2, t0, 60)  // radar only: nothing to expire
	for i := range dark {
		dark[i].MMSI, dark[i].Name, dark[i].Dark, dark[i].Sensors = 0, "", true, []string{"radar"}
	}
	half := states(3, t0, 2) // one or the other
	half[0].Name, half[1].MMSI = "", 0
	for _, batch := range [][]model.TrackState{named, dark, half} {
		if err := s.AddTrackStates(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	before := t0.Add(5 * time.Minute) // named[:30] are older
	n, err := s.ExpirePersonal(ctx, store.KindTrackStates, before)
	if err != nil || n != 30+2 {
		t.Fatalf("expire states before %v: %d, %v; want 32 (30 named, 2 with an MMSI or a name)", before, n, err)
	}
	if n, err := s.ExpirePersonal(ctx, store.KindTrackStates, before); err != nil || n != 0 {
		t.Errorf("expire the same again: %d, %v; want 0", n, err)
	}

	want := slices.Clone(named)
	for i := range 30 {
		want[i].MMSI, want[i].Name = 0, ""
	}
	half[0].MMSI, half[1].Name = 0, ""
	for _, tc := range []struct {
		id   uint64
		want []model.TrackState
	}{{1, want}, {2, dark}, {3, half}} {
		got, err := s.TrackHistory(ctx, tc.id, t0, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("track %d after expiry:\n%+v\nwant\n%+v", tc.id, got, tc.want)
		}
	}

	if n, err := s.ExpirePersonal(ctx, store.KindTrackStates, t0.Add(time.Hour)); err != nil || n != 30 {
		t.Errorf("expire all: %d, %v; want the 30 left", n, err)
	}
}

func testExpirePersonalDetections(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	withDetails := func(ev model.Event, mmsi []uint32, details map[string]any) model.Event {
		ev.MMSI, ev.Details = mmsi, details
		return ev
	}
	// Details as JSON gives them back: numbers float64, lists []any.
	watch := withDetails(event("watchlist_hit-1", at(0)), []uint32{224000001, 224000002}, map[string]any{
		"entry": "W-1", "reason": `known "mother ship" <à>`, "action": "discreet_check", "matched": []any{"name", "mmsi"},
		"name": "MAR AZUL", "watch_name": "MAR  AZUL", "name_edits": 1.0})
	spoof := withDetails(event("identity_spoof-1", at(1)), []uint32{247000001}, map[string]any{
		"kind": "identity_change", "old_name": "STELLA", "new_name": "STELLA II", "changes": 2.0,
		"mid": 247.0, "mid_allocated": true})
	everyKey := withDetails(event("watchlist_hit-2", at(2)), nil, map[string]any{"speed_kn": 3.5})
	p, err := store.PersonalWhere(store.KindDetections)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range p.Details {
		everyKey.Details[k] = "identity"
	}
	onlyMMSI := withDetails(event("go_fast-1", at(3)), []uint32{224000003}, nil)
	dark := withDetails(event("dark_target-1", at(4)), nil, map[string]any{"speed_kn": 41.0, "ais_silent": false})
	emptied := withDetails(event("zone_entry-1", at(5)), []uint32{}, nil)
	recent := withDetails(event("watchlist_hit-3", at(120)), []uint32{224000009}, map[string]any{
		"entry": "W-2", "name": "NUEVO", "matched": []any{"name"}})
	all := []model.Event{watch, spoof, everyKey, onlyMMSI, dark, emptied, recent}
	for _, ev := range all {
		if err := s.SaveDetection(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}

	before := at(60)
	n, err := s.ExpirePersonal(ctx, store.KindDetections, before)
	if err != nil || n != 4 {
		t.Fatalf("expire detections before %v: %d, %v; want 4 (not the dark one, the emptied one, the recent one)", before, n, err)
	}
	if n, err := s.ExpirePersonal(ctx, store.KindDetections, before); err != nil || n != 0 {
		t.Errorf("expire the same again: %d, %v; want 0", n, err)
	}

	want := slices.Clone(all)
	for i := range 4 { // watch, spoof, everyKey, onlyMMSI
		want[i].MMSI = []uint32{}
		if want[i].Details != nil {
			want[i].Details = maps.Clone(want[i].Details)
			for _, k := range p.Details {
				delete(want[i].Details, k)
			}
		}
	}
	if len(want[2].Details) != 1 {
		t.Fatalf("the test's own expectation: %v", want[2].Details)
	}
	got, err := s.Detections(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("detections after expiry:\n%+v\nwant\n%+v", got, want)
	}
	// The keys the detectors write today, named here rather than taken
	// from PersonalWhere, so that dropping one from there fails.
	for _, ev := range got[:2] {
		for _, k := range []string{"name", "watch_name", "old_name", "new_name"} {
			if v, ok := ev.Details[k]; ok {
				t.Errorf("%s still has %s %v", ev.ID, k, v)
			}
		}
	}
}

func testExpirePersonalRefused(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	in := incident("INC-000001", t0)
	in.Status, in.Closed = picture.StatusClosed, t0.Add(time.Hour)
	if err := s.SaveIncident(ctx, in); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []store.Kind{store.KindIncidents, "secrets", ""} {
		if n, err := s.ExpirePersonal(ctx, kind, t0.Add(24*time.Hour)); err == nil {
			t.Errorf("expired %d records of kind %q", n, kind)
		}
	}
	if got, err := s.Incident(ctx, in.ID); err != nil || !reflect.DeepEqual(got, in) {
		t.Errorf("the incident after a refused expiry: %+v, %v", got, err)
	}
}

// testExpirePersonalConcurrent expires states while writers add more and
// while another expiry runs: every state counts once, whichever expiry
// changed it.
func testExpirePersonalConcurrent(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	before := t0.Add(24 * time.Hour)
	var writers, expirers sync.WaitGroup
	var done atomic.Bool
	var expired atomic.Int64
	errs := make(chan error, 8)
	for w := range 3 {
		writers.Go(func() {
			for i := range 20 {
				if err := s.AddTrackStates(ctx, states(uint64(w), t0.Add(time.Duration(i)*time.Minute), 10)); err != nil {
					errs <- fmt.Errorf("add states: %w", err)
					return
				}
			}
		})
	}
	for range 2 {
		expirers.Go(func() {
			for !done.Load() {
				n, err := s.ExpirePersonal(ctx, store.KindTrackStates, before)
				if err != nil {
					errs <- fmt.Errorf("expire: %w", err)
					return
				}
				expired.Add(n)
				// A pause, as a node's expiry has between runs: SQLite
				// writers wait for the lock by sleeping, and would
				// starve behind expiries back to back.
				time.Sleep(2 * time.Millisecond)
			}
		})
	}
	writers.Wait()
	done.Store(true)
	expirers.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	n, err := s.ExpirePersonal(ctx, store.KindTrackStates, before)
	if err != nil {
		t.Fatal(err)
	}
	if total := expired.Load() + n; total != 3*20*10 {
		t.Errorf("%d states expired in all (%d after the writers), want 600 from 3 writers × 20 batches × 10", total, n)
	}
	for w := range 3 {
		got, err := s.TrackHistory(ctx, uint64(w), t0, before)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range got {
			if st.MMSI != 0 || st.Name != "" {
				t.Fatalf("track %d still has %d %q at %v", w, st.MMSI, st.Name, st.Time)
			}
		}
	}
}
