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

// synthScore is the outcome of a synthetic set, offshore and near-shore
// apart.
type synthScore struct{ off, near Match }

// scoreSynth detects ships in every chip of set, the land masked, and
// pairs them with the truth by xView3's rule: centres within 200 m. A
// detection no ship explains counts as near-shore when it lies within
// NearShoreM of the coastline.
func scoreSynth(t testing.TB, set []SynthChip, p Params, land *geo.Land) synthScore {
	t.Helper()
	var s synthScore
	for _, c := range set {
		g := c.Synth.Render(uint64(len(c.Name)) + uint64(c.Truth[0].X))
		objs, err := DetectScene(g, p, SceneOptions{Place: c.Synth.Place, Land: land})
		if err != nil {
			t.Fatal(err)
		}
		truth := make([][2]float64, len(c.Truth))
		for i, tr := range c.Truth {
			truth[i] = [2]float64{tr.X, tr.Y}
		}
		pair := PairCentres(objs, truth, 200/c.Synth.Spacing)
		found := make([]bool, len(truth))
		for i, j := range pair {
			if j >= 0 {
				found[j] = true
				continue
			}
			lat, lon := c.Synth.Place.LatLon(objs[i].X, objs[i].Y)
			if land.DistanceToShoreWithin(lat, lon, NearShoreM) < NearShoreM {
				s.near.FP++
			} else {
				s.off.FP++
			}
		}
		for j, tr := range c.Truth {
			m := &s.off
			if tr.NearShore {
				m = &s.near
			}
			if found[j] {
				m.TP++
			} else {
				m.FN++
				t.Logf("%s: missed %.0f m ship (SCR %.1f dB, near-shore %t) at %.0f,%.0f", c.Name, tr.LengthM, tr.SCR, tr.NearShore, tr.X, tr.Y)
			}
		}
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
			var s synthScore
			for seed := uint64(2); seed <= 3; seed++ {
				r := scoreSynth(t, SynthSet(seed, 12, land, c.maxAmp), c.p, land)
				s.off, s.near = s.off.Add(r.off), s.near.Add(r.near)
			}
			for _, part := range []struct {
				name string
				m    Match
			}{{"offshore", s.off}, {"near-shore", s.near}, {"all", s.off.Add(s.near)}} {
				p, r, f1 := part.m.PRF()
				t.Logf("%s, %s: TP %d FP %d FN %d; precision %.2f recall %.2f F1 %.2f (centres within 200 m)", c.name, part.name, part.m.TP, part.m.FP, part.m.FN, p, r, f1)
			}
			if !c.check {
				return
			}
			if _, _, f1 := s.off.PRF(); f1 < 0.85 {
				t.Errorf("offshore F1 %.2f, want >= 0.85", f1)
			}
			if fp := s.off.FP + s.near.FP; fp > 0 {
				t.Errorf("%d false objects", fp)
			}
		})
	}
}
