package node

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"pharos/internal/detect"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/store/sqlite"
)

// TestRestorePicture rebuilds a picture from a store: a detection left
// open by a stopped node ends at its last evidence, marked; the
// configuration's watchlist joins the analysis layer once.
func TestRestorePicture(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "pharos.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	open := model.Event{ID: "go_fast-000001", Type: "go_fast", Start: t0,
		Evidence: []model.Evidence{{Time: t0}, {Time: t0.Add(4 * time.Minute)}}}
	if err := st.SaveDetection(ctx, open); err != nil {
		t.Fatal(err)
	}
	cfg := &Config{Node: "ESP-NCC", Watchlist: []detect.WatchEntry{{ID: "SIS-1", Name: "SEA FALCON", Impact: model.ImpactHigh}}}
	areas, err := cfg.AreaSet()
	if err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		pic, err := restorePicture(ctx, cfg, areas, st)
		if err != nil {
			t.Fatal(err)
		}
		ev, ok := pic.Detection("go_fast-000001")
		if !ok || !ev.End.Equal(t0.Add(4*time.Minute)) || ev.Details["interrupted"] != true {
			t.Errorf("round %d: the detection left open: %+v", round, ev)
		}
		if items := pic.Items(picture.KindWatchlist); len(items) != 1 || items[0].By != "configuration" {
			t.Errorf("round %d: watchlist %+v", round, items)
		}
	}
	kept, _ := st.Items(ctx, picture.KindWatchlist)
	if len(kept) != 1 {
		t.Errorf("stored watchlist %+v", kept)
	}
}
