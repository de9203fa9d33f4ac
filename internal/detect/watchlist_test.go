package detect

import (
	"slices"
	"testing"
	"time"

	"pharos/internal/model"
	"pharos/internal/track"
)

func TestWatchlistMatch(t *testing.T) {
	entries := []WatchEntry{
		{ID: "w-mmsi", MMSI: 224777770},
		{ID: "w-imo", IMO: 9412345},
		{ID: "w-call", CallSign: "EA7721"},
		{ID: "w-name", Name: "Mar Azul"},           // 7 letters: one edit
		{ID: "w-long", Name: "ATLANTIC STAR"},      // 12: two edits
		{ID: "w-nine", Name: "NORDICSEA"},          // 9: one edit only
		{ID: "w-ten", Name: "BALTICWAVE"},          // 10: two edits
		{ID: "w-four", Name: "LUNA"},               // 4: exact only
		{ID: "w-five", Name: "LUNAR"},              // 5: one edit
		{ID: "w-num", Name: "AQUILA 1"},            // sister ships differ by number
		{ID: "w-words", Name: "Stella Maris"},      // words in any order
		{ID: "w-one-word", Name: "POSEIDON"},       // one word: no word match
		{ID: "w-both", MMSI: 247123456, Name: "X"}, // matched on two identifiers
	}
	tests := []struct {
		name   string
		id     track.Identity
		want   []string // entry ids
		fields []string // of the first match
	}{
		{name: "MMSI", id: track.Identity{MMSI: 224777770, Name: "ANYTHING"}, want: []string{"w-mmsi"}, fields: []string{"mmsi"}},
		{name: "IMO", id: track.Identity{MMSI: 1, IMO: 9412345}, want: []string{"w-imo"}, fields: []string{"imo"}},
		{name: "call sign, spelt otherwise", id: track.Identity{CallSign: "ea-7721"}, want: []string{"w-call"}, fields: []string{"call_sign"}},
		{name: "no match", id: track.Identity{MMSI: 224000001, CallSign: "EA7722", Name: "OCEAN"}},
		{name: "name exact, case and spaces aside", id: track.Identity{Name: "MAR AZUL"}, want: []string{"w-name"}, fields: []string{"name"}},
		{name: "name one edit off", id: track.Identity{Name: "MAR AZUK"}, want: []string{"w-name"}, fields: []string{"name_fuzzy"}},
		{name: "name two edits off, short", id: track.Identity{Name: "MAR AXUK"}},
		{name: "long name two edits off", id: track.Identity{Name: "ATLANTIK STAP"}, want: []string{"w-long"}, fields: []string{"name_fuzzy"}},
		{name: "long name three edits off", id: track.Identity{Name: "ATLANTIK STOP"}},
		{name: "nine letters, two edits", id: track.Identity{Name: "NORDIKZEA"}},
		{name: "nine letters, one edit", id: track.Identity{Name: "NORDIKSEA"}, want: []string{"w-nine"}, fields: []string{"name_fuzzy"}},
		{name: "ten letters, two edits", id: track.Identity{Name: "BALTIKWAVS"}, want: []string{"w-ten"}, fields: []string{"name_fuzzy"}},
		{name: "four letters, one edit", id: track.Identity{Name: "LUNE"}},
		{name: "five letters, one edit", id: track.Identity{Name: "LUNAS"}, want: []string{"w-five"}, fields: []string{"name_fuzzy"}},
		{name: "sister ship", id: track.Identity{Name: "AQUILA 2"}},
		{name: "same number, one letter off", id: track.Identity{Name: "AQUILO 1"}, want: []string{"w-num"}, fields: []string{"name_fuzzy"}},
		{name: "words in another order, with more", id: track.Identity{Name: "MARIS STELLA II"}, want: []string{"w-words"}, fields: []string{"name_words"}},
		{name: "one word of a one-word name", id: track.Identity{Name: "POSEIDON EXPRESS"}},
		{name: "two identifiers of one entry", id: track.Identity{MMSI: 247123456, Name: "X"}, want: []string{"w-both"}, fields: []string{"mmsi", "name"}},
	}
	d := &Watchlist{Entries: entries}
	d.defaults()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := d.match(&tt.id)
			var got []string
			for _, m := range ms {
				got = append(got, entries[m.entry].ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("matched %v, want %v", got, tt.want)
			}
			if len(ms) > 0 && !slices.Equal(ms[0].fields, tt.fields) {
				t.Errorf("fields %v, want %v", ms[0].fields, tt.fields)
			}
		})
	}
	if m := d.match(&track.Identity{MMSI: 247123456, Name: "X"}); len(m) != 1 || m[0].conf < 0.96 {
		t.Errorf("two identifiers: confidence %v, want it above either's", m)
	}
}

func TestWatchlistHit(t *testing.T) {
	list := []WatchEntry{
		{ID: "sis-0042", Name: "MAR AZUL", Reason: "discreet check: suspected hashish run", Impact: model.ImpactHigh,
			Category: model.CategoryCrossBorderCrime},
		{ID: "sis-0043", MMSI: 224777770, Reason: "vessel of interest", Impact: model.ImpactMedium},
	}
	static := model.VesselStatic{Name: "MAR AZUL", CallSign: "EA7721", ShipType: 30}
	vessel := gapTarget{target: target{lat: 36.0, lon: -5.5, mmsi: 224777770, legs: []leg{{20 * time.Minute, 8, 90}}},
		statics: []gapStatic{{at: 5 * time.Minute, s: static}}}
	other := gapTarget{target: target{lat: 36.1, lon: -5.5, mmsi: 224000002, legs: []leg{{time.Hour, 8, 90}}},
		statics: []gapStatic{{at: 0, s: model.VesselStatic{Name: "OCEAN 2"}}}}
	dark := gapTarget{target: target{lat: 35.95, lon: -5.55, legs: []leg{{time.Hour, 5, 0}}}}
	// The vessel stops transmitting at 20 min; its track is dropped an hour
	// later, which ends its hits.
	vessel.aisOff = []gapSpan{{20 * time.Minute, 3 * time.Hour}}
	events := gapTypes(detectEvents(t, gapScene(t0, 90*time.Minute, vessel, other, dark), &Watchlist{Entries: list}), "watchlist_hit")
	if len(events) != 2 {
		t.Fatalf("%d events, want 2 (one per entry): %+v", len(events), events)
	}
	byEntry := map[string]model.Event{}
	for _, ev := range events {
		byEntry[ev.Details["entry"].(string)] = ev
	}
	mmsiHit, nameHit := byEntry["sis-0043"], byEntry["sis-0042"]
	if !mmsiHit.Start.Equal(t0) || mmsiHit.Impact != model.ImpactMedium || mmsiHit.Category != model.CategoryOther {
		t.Errorf("mmsi hit: start %v impact %v category %s", mmsiHit.Start, mmsiHit.Impact, mmsiHit.Category)
	}
	// The name comes with the static data at 5 min.
	if d := nameHit.Start.Sub(t0.Add(5 * time.Minute)); d < 0 || d > time.Minute {
		t.Errorf("name hit starts %v, want when the name was heard", nameHit.Start)
	}
	if nameHit.Impact != model.ImpactHigh || nameHit.Category != model.CategoryCrossBorderCrime ||
		nameHit.Details["action"] != "discreet_check" || nameHit.Details["reason"] != list[0].Reason {
		t.Errorf("name hit: %+v", nameHit)
	}
	for _, ev := range events {
		if want := t0.Add(19 * time.Minute); !ev.End.Equal(want) {
			t.Errorf("%s ends %v, want %v, the last report before the track was dropped", ev.Details["entry"], ev.End, want)
		}
		if len(ev.MMSI) != 1 || ev.MMSI[0] != 224777770 || len(ev.Evidence) == 0 {
			t.Errorf("%s: mmsi %v, %d evidence", ev.Details["entry"], ev.MMSI, len(ev.Evidence))
		}
	}
}

func TestWatchlistSetEntries(t *testing.T) {
	g := gapStill(36.0, -5.5, 224000003)
	obs := gapScene(t0, 10*time.Minute, g)
	var events []model.Event
	d := &Watchlist{}
	eng := NewEngine(func(ev *model.Event) { events = append(events, *ev) }, d)
	tr := track.New(track.Config{}, eng.Observe)
	for i := range obs {
		if obs[i].Time.Equal(t0.Add(5 * time.Minute)) {
			d.SetEntries([]WatchEntry{{ID: "new", MMSI: 224000003}})
		}
		tr.Add(&obs[i])
		eng.Advance(tr.Now())
	}
	tr.Flush()
	eng.Flush()
	if len(events) != 1 || !events[0].Start.Equal(t0.Add(5*time.Minute)) {
		t.Fatalf("events %+v, want one from the entry added at 5 min", events)
	}
}
