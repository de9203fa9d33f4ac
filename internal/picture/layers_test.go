package picture

import (
	"errors"
	"strings"
	"testing"
)

func TestPutChecksEachKind(t *testing.T) {
	ring := `[[-5.7,35.9],[-5.3,35.9],[-5.3,36.1],[-5.7,36.1],[-5.7,35.9]]`
	tests := []struct {
		kind, value string
		err         string // "" accepted; else a part of the error
	}{
		{KindAsset, `{"id":"PV-1","name":"Rio Tajo","type":"patrol_vessel","status":"available","mmsi":224000999}`, ""},
		{KindAsset, `{"id":"PV-1","name":"Rio Tajo","type":"submarine","status":"available"}`, "type"},
		{KindAsset, `{"id":"PV-1","name":"Rio Tajo","type":"patrol_vessel","status":"available","lat":91}`, "position"},
		{KindOperation, `{"id":"OP-INDALO","name":"Indalo","start":"2026-06-01T00:00:00Z","area":` + ring + `}`, ""},
		{KindOperation, `{"id":"OP-X","name":"X","start":"2026-06-01T00:00:00Z","end":"2026-05-01T00:00:00Z","area":` + ring + `}`, "ends before"},
		{KindOperation, `{"id":"OP-X","name":"X","start":"2026-06-01T00:00:00Z","area":[[0,0],[1,1]]}`, "polygon"},
		{KindEnvironment, `{"id":"WX-1","kind":"sea_state","lat":36,"lon":-5.5,"time":"2026-11-27T03:00:00Z","values":{"wave_height_m":1.5}}`, ""},
		{KindEnvironment, `{"id":"WX-1","kind":"sea_state","lat":36,"lon":-5.5}`, "time"},
		{KindArea, `{"id":"A-1","name":"Barbate beach","kind":"area_of_interest","polygon":` + ring + `,"events":["zone_entry"],"impact":"high"}`, ""},
		{KindArea, `{"id":"A-1","name":"B","kind":"area_of_interest","polygon":` + ring + `,"events":["go_fast"]}`, "event"},
		{KindRiskProduct, `{"id":"RP-1","title":"Go-fasts off Cádiz","from":"2026-11-01T00:00:00Z","to":"2026-11-30T00:00:00Z","threats":["drugs"],"level":"high","summary":"Landings at night."}`, ""},
		{KindRiskProduct, `{"id":"RP-1","title":"T","from":"2026-11-01T00:00:00Z","to":"2026-10-30T00:00:00Z","threats":["drugs"],"summary":"S"}`, "period"},
		{KindWatchlist, `{"id":"SIS-0001","name":"SEA FALCON","reason":"discreet check","impact":"high"}`, ""},
		{KindWatchlist, `{"id":"SIS-0002","reason":"no identifier"}`, "required"},
		{KindRFI, `{"id":"RFI-1","from":"ESP-NCC","to":"MAR-NCC","subject":"Vessel SEA FALCON","text":"Last port?","status":"open"}`, ""},
		{KindRFI, `{"id":"RFI-1","from":"ESP-NCC","to":"MAR-NCC","subject":"S","status":"answered"}`, "answer"},
		{KindImagery, `{"id":"S1A-1","source":"sentinel-1","time":"2026-11-27T06:18:00Z","footprint":` + ring + `,"uri":"file:///scenes/s1a.tif","detections":4}`, ""},
		{KindImagery, `{"id":"S1A-1","source":"sentinel-1","footprint":` + ring + `}`, "required"},
		{"ufo", `{"id":"X"}`, "kind"},
		{KindAsset, `{"id":"PV-1","name":"R","type":"aircraft","status":"available","colour":"red"}`, "unknown field"},
		{KindAsset, `{"id":"../etc","name":"R","type":"aircraft","status":"available"}`, "id"},
		{KindAsset, `{"id":"PV-1",`, "unexpected EOF"},
	}
	for _, tc := range tests {
		p := New("ESP-NCC")
		it, err := p.Put(tc.kind, []byte(tc.value), "analyst1", t0)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s %s: %v", tc.kind, tc.value, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrInvalid)):
			t.Errorf("%s %s: error %v, want one about %q", tc.kind, tc.value, err, tc.err)
		case tc.err == "" && (it.Layer != LayerOf(tc.kind) || it.Layer == "" || it.By != "analyst1"):
			t.Errorf("%s: item %+v", tc.kind, it)
		}
	}
}

func TestItemsLifeCycle(t *testing.T) {
	p := New("ESP-NCC")
	changes, stop := p.Watch(8)
	defer stop()
	put := func(kind, value string) Item {
		t.Helper()
		it, err := p.Put(kind, []byte(value), "admin", t0)
		if err != nil {
			t.Fatal(err)
		}
		return it
	}
	put(KindWatchlist, `{"id":"SIS-2","mmsi":224123450,"impact":"medium"}`)
	put(KindWatchlist, `{"id":"SIS-1","name":"SEA FALCON","impact":"high"}`)
	put(KindAsset, `{"id":"PV-1","name":"Rio Tajo","type":"patrol_vessel","status":"available"}`)
	it := put(KindWatchlist, `{"id":"SIS-2","mmsi":224123451,"impact":"medium"}`) // replaces
	var w WatchEntry
	if err := it.Decode(&w); err != nil || w.MMSI != 224123451 {
		t.Errorf("decoded %+v, %v", w, err)
	}
	var ids []string
	for _, it := range p.Items(KindWatchlist) {
		ids = append(ids, it.ID)
	}
	if strings.Join(ids, ",") != "SIS-1,SIS-2" || len(p.Items("")) != 3 {
		t.Errorf("watchlist %v, all %d", ids, len(p.Items("")))
	}
	if err := p.Delete(KindWatchlist, "SIS-1"); err != nil {
		t.Fatal(err)
	}
	if err := p.Delete(KindWatchlist, "SIS-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, ok := p.Item(KindWatchlist, "SIS-1"); ok {
		t.Error("deleted item still there")
	}
	var got []string
	for len(changes) > 0 {
		c := <-changes
		switch {
		case c.Item != nil:
			got = append(got, "put "+c.Item.ID)
		case c.Deleted != nil:
			got = append(got, "deleted "+c.Deleted.ID+" "+string(c.Deleted.Layer))
		}
	}
	if want := "put SIS-2,put SIS-1,put PV-1,put SIS-2,deleted SIS-1 analysis"; strings.Join(got, ",") != want {
		t.Errorf("changes %q, want %q", strings.Join(got, ","), want)
	}
	q := New("ESP-NCC")
	if err := q.RestoreItems(p.Items("")); err != nil || len(q.Items("")) != 2 {
		t.Errorf("restored %d items, %v", len(q.Items("")), err)
	}
	if err := q.RestoreItems([]Item{{Kind: "ufo", ID: "x"}}); err == nil {
		t.Error("restored an item of an unknown kind")
	}
}
