package tak

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"pharos/internal/model"
	"pharos/internal/source"
)

var t0 = time.Date(2026, 11, 27, 3, 15, 12, 345_678_901, time.UTC)

// decode reads b back with the node's own CoT input.
func decode(t *testing.T, b []byte) ([]model.Observation, source.CoTStats) {
	t.Helper()
	d := &source.CoTDecoder{Source: "tak"}
	var got []model.Observation
	d.Feed(b, func(o model.Observation) { got = append(got, o) })
	d.Flush()
	return got, d.Stats()
}

// cotDoc is what the tests read of an event with encoding/xml.
type cotDoc struct {
	UID   string `xml:"uid,attr"`
	Type  string `xml:"type,attr"`
	How   string `xml:"how,attr"`
	Time  string `xml:"time,attr"`
	Start string `xml:"start,attr"`
	Stale string `xml:"stale,attr"`
	Point struct {
		Lat float64 `xml:"lat,attr"`
		Lon float64 `xml:"lon,attr"`
	} `xml:"point"`
	Detail struct {
		Contact struct {
			Callsign string `xml:"callsign,attr"`
		} `xml:"contact"`
		Color struct {
			ARGB string `xml:"argb,attr"`
		} `xml:"color"`
		UserIcon struct {
			Path string `xml:"iconsetpath,attr"`
		} `xml:"usericon"`
		Remarks string `xml:"remarks"`
	} `xml:"detail"`
}

func parseDoc(t *testing.T, b []byte) cotDoc {
	t.Helper()
	var d cotDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return d
}

func TestAppendTrackRoundTrip(t *testing.T) {
	tests := []struct {
		name     string
		st       model.TrackState
		typ      string
		callsign string
		cog      float64 // NaN: none expected
		remarks  string
	}{
		{"AIS vessel",
			model.TrackState{Time: t0, TrackID: 7, Lat: 36.0123456, Lon: -5.6, SOG: 12.3, COG: 270.5, MMSI: 224123456,
				Name: "GUARDAMAR TALIA", Sensors: []string{"ais", "radar"}},
			TypeTrack, "GUARDAMAR TALIA", 270.5, "track 7, MMSI 224123456, sensors ais+radar"},
		{"MMSI, no name",
			model.TrackState{Time: t0, TrackID: 8, Lat: 35.9, Lon: -5.3, SOG: 0, COG: 0, MMSI: 224123456, Sensors: []string{"ais"}},
			TypeTrack, "224123456", 0, "track 8, MMSI 224123456, sensors ais"},
		{"dark radar contact",
			model.TrackState{Time: t0, TrackID: 9, Lat: 36.1, Lon: -5.4, SOG: 38, COG: 15, Dark: true, Sensors: []string{"radar"}},
			TypeDarkTrack, "TRACK 9", 15, "track 9, sensors radar, dark: no AIS"},
		{"gone dark with an MMSI",
			model.TrackState{Time: t0, TrackID: 10, Lat: 36.2, Lon: -5.5, SOG: 5, COG: 90, MMSI: 224000001, Name: "NOCHE", Dark: true},
			TypeDarkTrack, "NOCHE", 90, "track 10, MMSI 224000001, dark: no AIS"},
		{"name needing escapes",
			model.TrackState{Time: t0, TrackID: 11, Lat: 36, Lon: -5, SOG: 1, COG: 1, Name: `<&"'> A&B`, Sensors: []string{`a<b`}},
			TypeTrack, `<&"'> A&B`, 1, "track 11, sensors a<b"},
		{"south-west, course below 0",
			model.TrackState{Time: t0, TrackID: 12, Lat: -33.9, Lon: -18.4, SOG: 7, COG: -10},
			TypeTrack, "TRACK 12", 350, "track 12"},
		{"course beyond 360",
			model.TrackState{Time: t0, TrackID: 13, Lat: 0, Lon: 179.9999999, SOG: 7, COG: 720.5},
			TypeTrack, "TRACK 13", 0.5, "track 13"},
		{"no kinematics",
			model.TrackState{Time: t0, TrackID: 14, Lat: 36, Lon: -5, SOG: math.NaN(), COG: math.NaN()},
			TypeTrack, "TRACK 14", math.NaN(), "track 14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := AppendTrack(nil, tt.st, 0)
			obs, stats := decode(t, b)
			if len(obs) != 1 {
				t.Fatalf("%d observations, stats %+v, from %s", len(obs), stats, b)
			}
			o := obs[0]
			wantUID := "pharos-track-" + strconv.FormatUint(tt.st.TrackID, 10)
			if o.TargetID != wantUID || o.AssetType != tt.typ {
				t.Errorf("uid %q type %q, want %q %q", o.TargetID, o.AssetType, wantUID, tt.typ)
			}
			if !o.Time.Equal(t0.Truncate(time.Millisecond)) {
				t.Errorf("time %v", o.Time)
			}
			if math.Abs(o.Lat-tt.st.Lat) > 5e-8 || math.Abs(o.Lon-tt.st.Lon) > 5e-8 {
				t.Errorf("position %v %v, want %v %v", o.Lat, o.Lon, tt.st.Lat, tt.st.Lon)
			}
			if math.IsNaN(tt.cog) != math.IsNaN(o.COG) || math.Abs(o.COG-tt.cog) > 0.05 {
				t.Errorf("course %v, want %v", o.COG, tt.cog)
			}
			// Speed goes out in m/s to 0.01: back in knots within 0.01.
			if math.IsNaN(tt.st.SOG) != math.IsNaN(o.SOG) || math.Abs(o.SOG-tt.st.SOG) > 0.01 {
				t.Errorf("speed %v, want %v", o.SOG, tt.st.SOG)
			}
			if o.Static == nil || o.Static.Name != tt.callsign {
				t.Errorf("callsign %+v, want %q", o.Static, tt.callsign)
			}
			d := parseDoc(t, b)
			if d.How != "m-g" || d.Detail.Remarks != tt.remarks {
				t.Errorf("how %q remarks %q, want m-g %q", d.How, d.Detail.Remarks, tt.remarks)
			}
			if d.Stale != "2026-11-27T03:17:12.345Z" {
				t.Errorf("stale %q", d.Stale)
			}
		})
	}
}

func TestAppendTrackStale(t *testing.T) {
	st := model.TrackState{Time: t0, TrackID: 1, Lat: 36, Lon: -5}
	d := parseDoc(t, AppendTrack(nil, st, 30*time.Second))
	if d.Time != "2026-11-27T03:15:12.345Z" || d.Start != d.Time || d.Stale != "2026-11-27T03:15:42.345Z" {
		t.Errorf("time %q start %q stale %q", d.Time, d.Start, d.Stale)
	}
}

func TestAppendTrackInvalid(t *testing.T) {
	ok := model.TrackState{Time: t0, TrackID: 1, Lat: 36, Lon: -5}
	tests := []struct {
		name string
		edit func(*model.TrackState)
	}{
		{"NaN latitude", func(s *model.TrackState) { s.Lat = math.NaN() }},
		{"latitude 91", func(s *model.TrackState) { s.Lat = 91 }},
		{"longitude -181", func(s *model.TrackState) { s.Lon = -181 }},
		{"infinite longitude", func(s *model.TrackState) { s.Lon = math.Inf(1) }},
		{"no time", func(s *model.TrackState) { s.Time = time.Time{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := ok
			tt.edit(&st)
			if b := AppendTrack([]byte("x"), st, 0); string(b) != "x" {
				t.Errorf("appended %s", b)
			}
		})
	}
}

func TestAppendEvent(t *testing.T) {
	end := t0.Add(40 * time.Minute)
	tests := []struct {
		name     string
		ev       model.Event
		time     string
		stale    string
		callsign string
		argb     string
		remarks  []string // each must appear
	}{
		{"open go-fast with risk",
			model.Event{ID: "go_fast-000012", Type: "go_fast", Category: model.CategoryCrossBorderCrime, Start: t0,
				Lat: 36.05, Lon: -5.35, MMSI: []uint32{224123456}, TrackIDs: []uint64{42}, Confidence: 0.853, Impact: model.ImpactHigh,
				Details: map[string]any{"speed_kn": 38.5, "heading": "shore"},
				Risk:    &model.Risk{Score: 0.72, Explanation: "fast, dark, heading for the coast"}},
			"2026-11-27T03:15:12.345Z", "2026-11-27T04:15:12.345Z", "go_fast 224123456", "-65536",
			[]string{"go_fast (cross_border_crime), impact high, confidence 0.85", "\nMMSI 224123456", "\ntracks 42",
				"\nrisk 0.72: fast, dark, heading for the coast", "\nheading=shore, speed_kn=38.5", "\nfrom 2026-11-27T03:15:12Z, open"}},
		{"closed encounter of two vessels",
			model.Event{ID: "encounter-000003", Type: "encounter", Category: model.CategoryOther, Start: t0, End: end,
				Lat: 35.8, Lon: -4.9, MMSI: []uint32{224123456, 636000001}, TrackIDs: []uint64{1, 2}, Confidence: 0.6, Impact: model.ImpactMedium},
			"2026-11-27T03:55:12.345Z", "2026-11-27T04:55:12.345Z", "encounter 224123456 +1", "-32768",
			[]string{"impact medium", "\nMMSI 224123456 636000001", "\ntracks 1 2", "\nfrom 2026-11-27T03:15:12Z to 2026-11-27T03:55:12Z"}},
		{"dark target, tracks only",
			model.Event{ID: "dark_target-000001", Type: "dark_target", Start: t0, Lat: 36, Lon: -5.5,
				TrackIDs: []uint64{9}, Confidence: 1, Impact: model.ImpactVeryHigh},
			"2026-11-27T03:15:12.345Z", "2026-11-27T04:15:12.345Z", "dark_target track 9", "-65281",
			[]string{"dark_target, impact very_high, confidence 1.00\ntracks 9\nfrom"}},
		{"escapes in ID and details",
			model.Event{ID: `x"<&>'`, Type: "distress", Start: t0, Lat: 36, Lon: -5, Impact: model.ImpactLow,
				Details: map[string]any{"note": `a<b & "c"`}},
			"2026-11-27T03:15:12.345Z", "2026-11-27T04:15:12.345Z", "distress", "-256",
			[]string{`note=a<b & "c"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := AppendEvent(nil, tt.ev, 0)
			d := parseDoc(t, b)
			if d.UID != "pharos-event-"+tt.ev.ID || d.Type != TypeEvent || d.How != "m-f" {
				t.Errorf("uid %q type %q how %q", d.UID, d.Type, d.How)
			}
			if d.Time != tt.time || d.Start != "2026-11-27T03:15:12.345Z" || d.Stale != tt.stale {
				t.Errorf("time %q start %q stale %q, want %q … %q", d.Time, d.Start, d.Stale, tt.time, tt.stale)
			}
			if d.Point.Lat != tt.ev.Lat || d.Point.Lon != tt.ev.Lon {
				t.Errorf("point %+v", d.Point)
			}
			if d.Detail.Contact.Callsign != tt.callsign {
				t.Errorf("callsign %q, want %q", d.Detail.Contact.Callsign, tt.callsign)
			}
			if d.Detail.Color.ARGB != tt.argb || d.Detail.UserIcon.Path != "COT_MAPPING_SPOTMAP/b-m-p-s-m/"+tt.argb {
				t.Errorf("color %q icon %q, want %q", d.Detail.Color.ARGB, d.Detail.UserIcon.Path, tt.argb)
			}
			for _, r := range tt.remarks {
				if !strings.Contains(d.Detail.Remarks, r) {
					t.Errorf("remarks %q lack %q", d.Detail.Remarks, r)
				}
			}
			// A marker is no position report: a node reading this CoT
			// does not turn detections into tracks.
			if obs, stats := decode(t, b); len(obs) != 0 || stats.Rejects[source.RejectCoTNotAtom] != 1 {
				t.Errorf("decoded %+v, stats %+v", obs, stats)
			}
		})
	}
}

func TestAppendEventInvalid(t *testing.T) {
	ok := model.Event{ID: "e-1", Type: "t", Start: t0, Lat: 36, Lon: -5}
	tests := []struct {
		name string
		edit func(*model.Event)
	}{
		{"no ID", func(e *model.Event) { e.ID = "" }},
		{"NaN longitude", func(e *model.Event) { e.Lon = math.NaN() }},
		{"latitude -90.5", func(e *model.Event) { e.Lat = -90.5 }},
		{"no start", func(e *model.Event) { e.Start = time.Time{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := ok
			tt.edit(&ev)
			if b := AppendEvent([]byte("x"), ev, 0); string(b) != "x" {
				t.Errorf("appended %s", b)
			}
		})
	}
}

func TestAppendEventRemarksCapped(t *testing.T) {
	ev := model.Event{ID: "e-1", Type: "t", Start: t0, Lat: 36, Lon: -5,
		Risk: &model.Risk{Score: 1, Explanation: strings.Repeat("é&", 3000)}}
	d := parseDoc(t, AppendEvent(nil, ev, 0))
	r := d.Detail.Remarks
	if len(r) > maxRemarks || !utf8.ValidString(r) || !strings.HasSuffix(r, "é…") && !strings.HasSuffix(r, "&…") {
		t.Errorf("%d bytes, valid %v, ends %q", len(r), utf8.ValidString(r), r[max(0, len(r)-10):])
	}
}

func FuzzAppendTrack(f *testing.F) {
	f.Add("GUARDAMAR TALIA", "ais", 36.0, -5.6, 270.5, 12.3)
	f.Add(`<&"'>`, "radar", -90.0, 180.0, math.Copysign(0, -1), 0.0)
	f.Add("\x00\xff\ufffe\t\r\n", "", 1e-9, -1e-9, 1e300, -1.0)
	f.Fuzz(func(t *testing.T, name, sensor string, lat, lon, cog, sog float64) {
		st := model.TrackState{Time: t0, TrackID: 5, Lat: lat, Lon: lon, COG: cog, SOG: sog, Name: name, Sensors: []string{sensor}}
		b := AppendTrack(nil, st, 0)
		if !validPosition(lat, lon) {
			if len(b) != 0 {
				t.Fatalf("invalid position written: %s", b)
			}
			return
		}
		obs, stats := decode(t, b)
		if len(obs) != 1 {
			t.Fatalf("%d observations, stats %+v, from %q", len(obs), stats, b)
		}
		o := obs[0]
		if o.TargetID != "pharos-track-5" || math.Abs(o.Lat-lat) > 5e-8 || math.Abs(o.Lon-lon) > 5e-8 {
			t.Errorf("%+v from %q", o, b)
		}
		if c := o.COG; !math.IsNaN(c) && (c < 0 || c >= 360) {
			t.Errorf("course %v from %q", c, b)
		}
	})
}

func BenchmarkAppendTrack(b *testing.B) {
	st := model.TrackState{Time: t0, TrackID: 123456, Lat: 36.0123456, Lon: -5.6123456, SOG: 12.3, COG: 270.5,
		MMSI: 224123456, Name: "GUARDAMAR TALIA", Sensors: []string{"ais", "radar"}}
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendTrack(buf[:0], st, 0)
	}
	b.SetBytes(int64(len(buf)))
}

func BenchmarkAppendEvent(b *testing.B) {
	ev := model.Event{ID: "go_fast-000012", Type: "go_fast", Category: model.CategoryCrossBorderCrime, Start: t0,
		Lat: 36.05, Lon: -5.35, MMSI: []uint32{224123456}, TrackIDs: []uint64{42}, Confidence: 0.85, Impact: model.ImpactHigh,
		Details: map[string]any{"speed_kn": 38.5, "landfall_lat": 36.1, "landfall_lon": -5.3},
		Risk:    &model.Risk{Score: 0.72, Explanation: "fast, dark, heading for the coast"}}
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendEvent(buf[:0], ev, 0)
	}
	b.SetBytes(int64(len(buf)))
}
