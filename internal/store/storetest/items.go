package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"pharos/internal/store"
)

// item is an item whose value is v marshalled.
func item(kind, id string, updated time.Time, v any) store.Item {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // the tests' own values
	}
	return store.Item{Kind: kind, ID: id, Updated: updated, Value: b}
}

// checkItems checks that got holds want's items in order: the same kind,
// ID and Updated, exactly (to the nanosecond, in UTC), and the same JSON
// value, which an engine may respace or reorder.
func checkItems(t *testing.T, what string, got, want []store.Item) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: nil, want a list", what)
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d items, want %d: %s", what, len(got), len(want), itemIDs(got))
		return
	}
	for i := range want {
		g, w := got[i], want[i]
		// == rather than Equal: the location (UTC) and the nanoseconds
		// must come back as they were.
		if g.Kind != w.Kind || g.ID != w.ID || g.Updated != w.Updated.UTC() {
			t.Errorf("%s, item %d: %s/%s updated %v, want %s/%s updated %v", what, i, g.Kind, g.ID, g.Updated,
				w.Kind, w.ID, w.Updated.UTC())
		}
		var gv, wv any
		if err := json.Unmarshal(g.Value, &gv); err != nil {
			t.Errorf("%s, item %s: value %s: %v", what, g.ID, g.Value, err)
		}
		if err := json.Unmarshal(w.Value, &wv); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(gv, wv) {
			t.Errorf("%s, item %s: value %s, want %s", what, g.ID, g.Value, w.Value)
		}
	}
}

func itemIDs(list []store.Item) []string {
	ids := make([]string, len(list))
	for i, it := range list {
		ids[i] = it.Kind + "/" + it.ID
	}
	return ids
}

func testItems(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	// Nanoseconds, and a zone other than UTC, to come back in UTC.
	at := time.Date(2026, 3, 14, 3, 30, 0, 123456789, time.FixedZone("CET", 3600))
	area := map[string]any{"name": "Bahía de Algeciras \"interior\" <à>", "level": "high",
		"ring": [][]float64{{36.1, -5.4}, {36.2, -5.4}, {36.2, -5.3}, {36.1, -5.4}}}
	b10, a2 := item("area", "a10", at, area), item("area", "a-2", time.Time{}, []any{1, "two", nil, true})
	upper := store.Item{Kind: "area", ID: "Z", Updated: at.Add(time.Nanosecond), Value: json.RawMessage(` { "z" : 1 , "a" : [ ] } `)}
	asset := item("own_asset", "a10", at, map[string]any{"callsign": "GUARDAMAR CALÍOPE", "kind": "patrol_vessel"})
	for _, it := range []store.Item{b10, asset, a2, upper} {
		if err := s.SaveItem(ctx, it); err != nil {
			t.Fatalf("save %s/%s: %v", it.Kind, it.ID, err)
		}
	}
	// Bytewise order: upper case before lower case, "-" before digits.
	got, err := s.Items(ctx, "area")
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, "areas", got, []store.Item{upper, a2, b10})

	area["level"] = "critical" // the same item again: replaced
	b10 = item("area", "a10", at.Add(time.Minute), area)
	if err := s.SaveItem(ctx, b10); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Items(ctx, "area")
	checkItems(t, "areas after replacing a10", got, []store.Item{upper, a2, b10})
	got, _ = s.Items(ctx, "own_asset")
	checkItems(t, "own assets", got, []store.Item{asset})

	// Deleting a10 of one kind leaves a10 of the other.
	if err := s.DeleteItem(ctx, "area", "a10"); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Items(ctx, "area")
	checkItems(t, "areas after deleting a10", got, []store.Item{upper, a2})
	got, _ = s.Items(ctx, "own_asset")
	checkItems(t, "own assets after deleting area a10", got, []store.Item{asset})

	for _, tc := range []struct{ kind, id string }{{"area", "a10"}, {"area", "nowhere"}, {"token", "a-2"}, {"", ""}} {
		if err := s.DeleteItem(ctx, tc.kind, tc.id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("delete %q/%q: %v, want ErrNotFound", tc.kind, tc.id, err)
		}
	}
	got, err = s.Items(ctx, "user")
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, "users, none saved", got, nil)
}

func testItemsRefused(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	ok := store.Item{Kind: "watchlist", ID: "W-1", Updated: t0, Value: json.RawMessage(`{"imo":9074729}`)}
	if err := s.SaveItem(ctx, ok); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(*store.Item)
	}{
		{"no kind", func(it *store.Item) { it.Kind = "" }},
		{"no id", func(it *store.Item) { it.ID = "" }},
		{"no value", func(it *store.Item) { it.Value = nil }},
		{"blank value", func(it *store.Item) { it.Value = json.RawMessage("  ") }},
		{"unclosed object", func(it *store.Item) { it.Value = json.RawMessage(`{"imo":1`) }},
		{"trailing comma", func(it *store.Item) { it.Value = json.RawMessage(`[1,]`) }},
		{"two values", func(it *store.Item) { it.Value = json.RawMessage(`{} {}`) }},
		{"single quotes", func(it *store.Item) { it.Value = json.RawMessage(`{'imo':1}`) }},
		{"before 1678", func(it *store.Item) { it.Updated = time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := ok
			tc.edit(&it)
			if err := s.SaveItem(ctx, it); err == nil {
				t.Errorf("saved %+v (value %q)", it, it.Value)
			}
		})
	}
	got, err := s.Items(ctx, "watchlist")
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, "watchlist after the refusals", got, []store.Item{ok})
}

func testItemsReopen(t *testing.T, s store.Store, reopen func() store.Store) {
	ctx := context.Background()
	want := []store.Item{
		item("rfi", "RFI-1", t0.Add(time.Nanosecond), map[string]any{"question": "who owns MAR AZUL?"}),
		item("rfi", "RFI-2", time.Time{}, "open"),
	}
	for _, it := range want {
		if err := s.SaveItem(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = reopen()
	got, err := s.Items(ctx, "rfi")
	if err != nil {
		t.Fatal(err)
	}
	checkItems(t, "after reopening", got, want)
}

// testItemsConcurrent has writers save items of their own and replace one
// they share, while readers list them.
func testItemsConcurrent(t *testing.T, s store.Store, _ func() store.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 4 {
		wg.Go(func() {
			for i := range 25 {
				it := item("operation", fmt.Sprintf("OP-%d-%02d", w, i), t0, map[string]int{"w": w, "i": i})
				shared := item("operation", "OP-shared", t0.Add(time.Duration(i)), map[string]int{"w": w, "i": i})
				for _, it := range []store.Item{it, shared} {
					if err := s.SaveItem(ctx, it); err != nil {
						errs <- err
						return
					}
				}
				if i%5 == 0 {
					if err := s.DeleteItem(ctx, "operation", fmt.Sprintf("OP-%d-%02d", w, i)); err != nil {
						errs <- err
						return
					}
				}
				if _, err := s.Items(ctx, "operation"); err != nil {
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
	got, err := s.Items(ctx, "operation")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4*20+1 {
		t.Errorf("%d operations from 4 writers × (25 − 5 deleted) + 1 shared, want 81", len(got))
	}
	if last := got[len(got)-1]; last.ID != "OP-shared" || last.Updated != t0.Add(24) {
		t.Errorf("the shared item: %s updated %v, want the last a writer saved, updated %v", last.ID, last.Updated, t0.Add(24))
	}
}
