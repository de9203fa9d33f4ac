package sar

import (
	"sync"
	"testing"

	"pharos/internal/geo"
)

var landOnce = sync.OnceValues(geo.LoadLand)

func loadLand(t testing.TB) *geo.Land {
	t.Helper()
	land, err := landOnce()
	if err != nil {
		t.Fatal(err)
	}
	return land
}

// scoreSynth detects ships in every chip of set, the land masked, and
// scores them with ScoreChip.
func scoreSynth(t testing.TB, set []SynthChip, p Params, land *geo.Land) Tally {
	t.Helper()
	var s Tally
	for i, c := range set {
		g := c.Synth.Render(uint64(i))
		objs, err := DetectScene(g, p, SceneOptions{Place: c.Synth.Place, Land: land})
		if err != nil {
			t.Fatal(err)
		}
		s = s.Add(ScoreChip(objs, c.Record(), land))
	}
	return s
}

// TestSynthSet scores the detector on synthetic 16-bit scenes and 8-bit
// chips of 10 m pixels whose ships are known exactly, with SNAP's defaults
// and with the small-craft settings, which were chosen on the set of
// seed 1; these are seeds 2 and 3, 24 chips. With the small-craft
// settings the offshore F1 must reach 0.85 and no false object may appear.
func TestSynthSet(t *testing.T) {
	land := loadLand(t)
	for _, c := range []struct {
		name   string
		maxAmp float64
		p      Params
		check  bool
	}{
		{"16-bit, SNAP defaults", 65535, Params{Spacing: SynthSpacing}, false},
		{"16-bit, small craft", 65535, SmallCraft(SynthSpacing, SynthLooks), true},
		{"8-bit, SNAP defaults", 255, Params{Spacing: SynthSpacing}, false},
		{"8-bit, small craft", 255, SmallCraft(SynthSpacing, SynthLooks), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s Tally
			for seed := uint64(2); seed <= 3; seed++ {
				s = s.Add(scoreSynth(t, SynthSet(seed, 12, land, c.maxAmp), c.p, land))
			}
			for _, part := range []struct {
				name string
				m    Match
			}{{"offshore", s.Offshore}, {"near-shore", s.NearShore}, {"all", s.Offshore.Add(s.NearShore)}} {
				p, r, f1 := part.m.PRF()
				t.Logf("%s, %s: TP %d FP %d FN %d; precision %.2f recall %.2f F1 %.2f (centres within 200 m)", c.name, part.name, part.m.TP, part.m.FP, part.m.FN, p, r, f1)
			}
			if !c.check {
				return
			}
			if _, _, f1 := s.Offshore.PRF(); f1 < 0.85 {
				t.Errorf("offshore F1 %.2f, want >= 0.85", f1)
			}
			if fp := s.Offshore.FP + s.NearShore.FP; fp > 0 {
				t.Errorf("%d false objects", fp)
			}
		})
	}
}
