package sim

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"pharos/internal/geo"
)

func TestYear(t *testing.T) {
	land := loadLand(t)
	sc, err := Load(filepath.Join("..", "..", "scenarios", "gibraltar.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	run := func() ([]*YearEvent, YearSummary) {
		var evs []*YearEvent
		sum, err := Year(sc, YearOptions{Year: 2025, Years: 2, Land: land}, func(e *YearEvent) error {
			evs = append(evs, e)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return evs, sum
	}
	a, sum := run()
	b, _ := run()
	if len(a) != len(b) || len(a) != sum.Detections {
		t.Fatalf("%d and %d events, summary %d", len(a), len(b), sum.Detections)
	}
	ids := map[string]bool{}
	tracks := map[uint64]bool{}
	byMonth := map[string]map[time.Month]int{}
	for i, e := range a {
		ev := e.Detection
		if ev.ID != b[i].Detection.ID || !ev.Start.Equal(b[i].Detection.Start) || ev.Lat != b[i].Detection.Lat {
			t.Fatalf("event %d differs between two runs", i)
		}
		if ids[ev.ID] {
			t.Fatalf("ID %s twice", ev.ID)
		}
		ids[ev.ID] = true
		if y := ev.Start.Year(); y < 2024 || y > 2025 {
			t.Fatalf("%s starts in %d", ev.ID, y)
		}
		if len(e.Track) == 0 || len(e.Track) > 6 || len(ev.TrackIDs) != 1 || ev.TrackIDs[0] != e.Track[0].TrackID || tracks[ev.TrackIDs[0]] {
			t.Fatalf("%s: track %v of %d states", ev.ID, ev.TrackIDs, len(e.Track))
		}
		tracks[ev.TrackIDs[0]] = true
		for _, s := range e.Track {
			if land.Contains(s.Lat, s.Lon) {
				t.Fatalf("%s: track state on land at %.4f, %.4f", ev.ID, s.Lat, s.Lon)
			}
		}
		if byMonth[ev.Type] == nil {
			byMonth[ev.Type] = map[time.Month]int{}
		}
		byMonth[ev.Type][ev.Start.Month()]++
	}
	// Crossings follow the calm summer, hashish runs the long nights.
	if c := byMonth["dark_target"]; c[time.August] <= 2*c[time.January] {
		t.Errorf("crossings: August %d, January %d", c[time.August], c[time.January])
	}
	if g := byMonth["go_fast"]; g[time.December] <= g[time.July] {
		t.Errorf("go-fasts: December %d, July %d", g[time.December], g[time.July])
	}
	if sum.Incidents < 1000 || sum.ByType["go_fast"] == 0 || sum.ByType["distress"] == 0 || sum.ByType["encounter"] == 0 {
		t.Errorf("summary %+v", sum)
	}
	if _, err := Year(sc, YearOptions{Year: 1900}, func(*YearEvent) error { return nil }); err == nil {
		t.Error("year 1900 taken")
	}
}

func TestSections(t *testing.T) {
	waters, err := geo.LoadTerritorialWaters()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		scenario string
		want     []string
	}{
		{"gibraltar", []string{"ES-SEA-1", "ES-SEA-2", "GI-SEA-1", "MA-SEA-1", "MA-SEA-2"}},
		{"north-sea", []string{"DE-SEA-1", "NL-SEA-1", "NL-SEA-2", "NL-SEA-3"}},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			sc, err := Load(filepath.Join("..", "..", "scenarios", tc.scenario+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			secs := Sections(sc, waters)
			var ids []string
			for _, s := range secs {
				ids = append(ids, s.ID)
			}
			if len(ids) != len(tc.want) {
				t.Fatalf("sections %v, want %v", ids, tc.want)
			}
			for i := range ids {
				if ids[i] != tc.want[i] {
					t.Fatalf("sections %v, want %v", ids, tc.want)
				}
			}
			var b bytes.Buffer
			if err := WriteAreasGeoJSON(&b, secs); err != nil {
				t.Fatal(err)
			}
			back, err := geo.ParseAreasGeoJSON(&b)
			if err != nil {
				t.Fatal(err)
			}
			set := geo.NewAreas(back)
			// A point of each section's sea is in that section when read back.
			for i, s := range secs {
				if back[i].ID != s.ID || back[i].Kind != geo.KindBorderSection || back[i].Impact != geo.AreaImpactMedium {
					t.Errorf("read back %+v", back[i])
				}
			}
			if set.Len() != len(secs) {
				t.Errorf("%d areas read back", set.Len())
			}
		})
	}
}
