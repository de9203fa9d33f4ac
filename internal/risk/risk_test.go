package risk

import (
	"strings"
	"testing"
	"time"

	"pharos/internal/model"
)

func TestAssessFromEvents(t *testing.T) {
	tests := []struct {
		name       string
		events     []model.Event
		threat     string
		min, max   float64
		mentioning string
	}{
		{"a go-fast run is drugs first", []model.Event{{Type: "go_fast", TrackIDs: []uint64{1}}}, Drugs, 0.7, 0.8, "go-fast run"},
		{"distress is people smuggling", []model.Event{{Type: "distress", TrackIDs: []uint64{1}}}, PeopleSmuggling, 0.7, 0.8, "possible distress"},
		{"meeting a dark boat is graver than an encounter", []model.Event{{Type: "encounter", TrackIDs: []uint64{1, 2},
			Details: map[string]any{"dark": true}}}, Drugs, 0.6, 0.65, "encounter with a dark target"},
		{"repeats add less each time", []model.Event{{Type: "ais_gap", TrackIDs: []uint64{1}}, {Type: "ais_gap", TrackIDs: []uint64{1}}},
			IllegalFishing, 0.59, 0.61, "2× AIS gap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := New(nil)
			for i := range tt.events {
				a.Event(&tt.events[i])
			}
			r := a.Assess(1)
			if got := r.Threats[tt.threat]; got < tt.min || got > tt.max {
				t.Errorf("%s = %.3f, want %.2f–%.2f (%+v)", tt.threat, got, tt.min, tt.max, r)
			}
			if !strings.Contains(r.Explanation, tt.mentioning) {
				t.Errorf("explanation %q does not mention %q", r.Explanation, tt.mentioning)
			}
			if r.Score < r.Threats[tt.threat] {
				t.Errorf("score %.3f below a threat's %.3f", r.Score, r.Threats[tt.threat])
			}
		})
	}
}

func TestAssessUnknownTrack(t *testing.T) {
	if r := New(nil).Assess(42); r.Score != 0 || r.Explanation != "" {
		t.Errorf("unknown track assessed as %+v", r)
	}
}

func TestNight(t *testing.T) {
	tests := []struct {
		utc  string
		lon  float64
		want bool
	}{
		{"2026-11-27T01:00:00Z", -5.6, true},  // Strait of Gibraltar, 01 h
		{"2026-11-27T12:00:00Z", -5.6, false}, // noon
		{"2026-11-27T17:30:00Z", 15, false},   // 18:30 solar time at 15°E: not yet
		{"2026-11-27T18:30:00Z", 15, true},    // 19:30 solar time
	}
	for _, tt := range tests {
		ts, _ := time.Parse(time.RFC3339, tt.utc)
		if got := night(ts, tt.lon); got != tt.want {
			t.Errorf("night(%s, %v) = %v, want %v", tt.utc, tt.lon, got, tt.want)
		}
	}
}
