package sar

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDetectSceneTiles checks that tiling changes nothing: hulls placed
// across the edges and corners of 256-pixel tiles are each found once,
// where Detect on the whole grid finds them.
func TestDetectSceneTiles(t *testing.T) {
	ships := []ship{
		{x: 240, y: 100, l: 40, w: 8},             // across a vertical edge
		{x: 100, y: 500, l: 30, w: 6, rot: true},  // across a horizontal edge
		{x: 500, y: 500, l: 24, w: 6},             // on a corner
		{x: 700, y: 300, l: 60, w: 10, rot: true}, // inside a tile
	}
	g := synthChip(3, 900, 700, ships)
	whole, err := Detect(g, Params{})
	if err != nil {
		t.Fatal(err)
	}
	var calls, total int
	tiled, err := DetectScene(g, Params{}, SceneOptions{Tile: 256, Progress: func(done, n int) { calls, total = done, n }})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != len(ships) || len(tiled) != len(ships) {
		t.Fatalf("whole grid %d objects, tiled %d, want %d", len(whole), len(tiled), len(ships))
	}
	for i := range whole {
		a, b := whole[i], tiled[i]
		if math.Abs(a.X-b.X) > 0.01 || math.Abs(a.Y-b.Y) > 0.01 || a.Pixels != b.Pixels || a.Box() != b.Box() {
			t.Errorf("object %d: whole %+v, tiled %+v", i, a, b)
		}
	}
	if want := 4 * 3; calls != want || total != want {
		t.Errorf("progress %d of %d, want %d of %d", calls, total, want, want)
	}
	parallel, err := DetectScene(g, Params{}, SceneOptions{Tile: 256, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(parallel, tiled) {
		t.Errorf("3 workers found %+v, one %+v", parallel, tiled)
	}
}

// TestLandMaskKModel checks that land pixels are never detected nor taken
// as clutter under either model: a chip across the coast at Tarifa,
// land rendered bright and spiky, no ship.
func TestLandMaskKModel(t *testing.T) {
	land := loadLand(t)
	s := Synth{W: 400, H: 400, Looks: 4, Nu: 4, Mean: 100, Max: 65535, Land: land,
		Place: Georef{Lat: 36.03, Lon: -5.63, Spacing: 10}, Spacing: 10}
	g := s.Render(1)
	for _, m := range []Model{Gaussian, KDist} {
		p := SmallCraft(10, 4)
		p.Model = m
		objs, err := DetectScene(g, p, SceneOptions{Place: s.Place, Land: land})
		if err != nil {
			t.Fatal(err)
		}
		if len(objs) != 0 {
			t.Errorf("%v: %d objects on a chip without ships, first at %.0f,%.0f", m, len(objs), objs[0].X, objs[0].Y)
		}
	}
	if _, err := DetectScene(g, Params{}, SceneOptions{Place: s.Place, Land: land}); err == nil {
		t.Error("land mask without a spacing accepted")
	}
}

// TestCorrelationArea: independent pixels are one grain each; an image
// blown up twice by repeating pixels has grains of 2×2.
func TestCorrelationArea(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	g := NewGrid(400, 400)
	for i := range g.Pix {
		g.Pix[i] = float32(50 + 10*r.NormFloat64())
	}
	if a := correlationArea(g, 1e9); math.Abs(a-1) > 0.1 {
		t.Errorf("independent pixels: area %.2f, want 1", a)
	}
	big := NewGrid(800, 800)
	for y := range big.H {
		for x := range big.W {
			big.Set(x, y, g.At(x/2, y/2))
		}
	}
	if a := correlationArea(big, 1e9); math.Abs(a-4) > 0.4 {
		t.Errorf("pixels repeated 2×2: area %.2f, want 4", a)
	}
}

// TestIntensityInput: an intensity image (the amplitudes squared, and
// scaled as a calibrated σ0 of about 0.01 is) gives the K model the same
// detections as the amplitude image it came from (the image-wide outlier
// cut and the centroid's weights, taken on the values as given, move a
// few edge pixels); the Gaussian model, whose statistic differs between
// amplitude and intensity, finds the same ships.
func TestIntensityInput(t *testing.T) {
	s := Synth{W: 300, H: 300, Looks: 4, Nu: 4, Mean: 100, Max: 65535,
		Ships: []SynthShip{HullAt(100, 120, 60, 12, 30, 18, 10), HullAt(220, 200, 25, 5, 100, 14, 10)}}
	amp := s.Render(4)
	pow := NewGrid(amp.W, amp.H)
	for i, v := range amp.Pix {
		pow.Pix[i] = v * v * 1e-6
	}
	for _, model := range []Model{KDist, Gaussian} {
		p := SmallCraft(10, 4)
		p.Model = model
		a, err := Detect(amp, p)
		if err != nil {
			t.Fatal(err)
		}
		p.Intensity = true
		b, err := Detect(pow, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 2 || len(b) != len(a) {
			t.Fatalf("%v: amplitude: %d objects, intensity: %d, want 2", model, len(a), len(b))
		}
		for i := range a {
			same := math.Hypot(a[i].X-b[i].X, a[i].Y-b[i].Y) <= 1
			if model == KDist {
				same = a[i].Box() == b[i].Box() && math.Abs(float64(a[i].Pixels-b[i].Pixels)) <= 0.1*float64(a[i].Pixels) &&
					math.Hypot(a[i].X-b[i].X, a[i].Y-b[i].Y) <= 0.3
			}
			if !same {
				t.Errorf("%v, object %d: amplitude %+v, intensity %+v", model, i, a[i], b[i])
			}
		}
	}
}
