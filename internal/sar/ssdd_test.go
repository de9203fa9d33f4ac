package sar

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pharos/internal/shareddata"
)

func ssddDir(t testing.TB) string {
	t.Helper()
	dir := shareddata.Path("sar", "ssdd_sample")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data absent in CI: %v", err)
		}
		t.Skipf("shared data absent: %v", err)
	}
	return dir
}

// ssddNearShore names the sample's chips with land in them (a coast with
// harbour works in 000015, rocks or coast along the top of 000006): SSDD
// splits its chips the same way, inshore and offshore.
var ssddNearShore = map[string]bool{"000006": true, "000015": true}

// ssddConfigs are the detector settings the sample is scored with: the
// defaults (SNAP's Gaussian two-parameter CFAR), the small-craft settings
// (K model, one look: the chips' looks are not known) and the K model
// testing single pixels.
var ssddConfigs = []struct {
	name string
	p    Params
}{
	{"gaussian, defaults", Params{}},
	{"small craft, 1 look", SmallCraft(0, 1)},
	{"K, 1 look, 1 px target", Params{Model: KDist, Looks: 1, Target: 1}},
}

// TestSSDDSample runs the detector, the same settings for every chip, on
// the SSDD sample and logs precision, recall and F1 under the MatchBoxes
// rule, offshore and near-shore apart.
func TestSSDDSample(t *testing.T) {
	dir := ssddDir(t)
	imgs, err := filepath.Glob(filepath.Join(dir, "images", "*.jpg"))
	if err != nil || len(imgs) == 0 {
		t.Fatalf("no chips in %s: %v", dir, err)
	}
	for _, cfg := range ssddConfigs {
		t.Run(cfg.name, func(t *testing.T) {
			var off, near Match
			for _, path := range imgs {
				name := strings.TrimSuffix(filepath.Base(path), ".jpg")
				g, truth := readSSDD(t, dir, name)
				objs, err := Detect(g, cfg.p)
				if err != nil {
					t.Fatal(err)
				}
				m := MatchBoxes(objs, truth)
				if ssddNearShore[name] {
					near = near.Add(m)
				} else {
					off = off.Add(m)
				}
				t.Logf("%s (%dx%d, near-shore %t): %d ships, %d detections: TP %d FP %d FN %d", name, g.W, g.H, ssddNearShore[name], len(truth), len(objs), m.TP, m.FP, m.FN)
				for _, o := range objs {
					t.Logf("  box %d,%d–%d,%d px %d len %.0f wid %.0f axis %.0f conf %.2f", o.MinX, o.MinY, o.MaxX, o.MaxY, o.Pixels, o.Length, o.Width, o.Heading, o.Confidence)
				}
			}
			for _, s := range []struct {
				name string
				m    Match
			}{{"offshore", off}, {"near-shore", near}, {"all", off.Add(near)}} {
				p, r, f1 := s.m.PRF()
				t.Logf("SSDD sample, %s: TP %d FP %d FN %d; precision %.2f recall %.2f F1 %.2f (IoU >= 0.3 or centre inside the true box)",
					s.name, s.m.TP, s.m.FP, s.m.FN, p, r, f1)
			}
			if off.TP == 0 {
				t.Error("no offshore ship found")
			}
		})
	}
}

func readSSDD(t *testing.T, dir, name string) (*Grid, []Box) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "images", name+".jpg"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	g, err := ReadChip(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "annotations", "voc", name+".xml"))
	if err != nil {
		t.Fatal(err)
	}
	truth, err := ReadVOC(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return g, truth
}

func TestMatchBoxes(t *testing.T) {
	truth := []Box{{MinX: 10, MinY: 10, MaxX: 29, MaxY: 19}, {MinX: 100, MinY: 100, MaxX: 109, MaxY: 109}}
	objs := []Object{
		{X: 20, Y: 15, MinX: 10, MinY: 10, MaxX: 29, MaxY: 19}, // exact
		{X: 25, Y: 15, MinX: 22, MinY: 12, MaxX: 28, MaxY: 18}, // fragment of the same ship
		{X: 300, Y: 300, MinX: 298, MinY: 298, MaxX: 302, MaxY: 302},
	}
	got := MatchBoxes(objs, truth)
	if want := (Match{TP: 1, FP: 2, FN: 1}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if iou := IoU(truth[0], truth[0]); iou != 1 {
		t.Errorf("IoU self %g", iou)
	}
}

func FuzzReadVOC(f *testing.F) {
	if b, err := os.ReadFile(shareddata.Path("sar", "ssdd_sample", "annotations", "voc", "000006.xml")); err == nil {
		f.Add(b)
	}
	f.Add([]byte("<annotation><object><name>ship</name><bndbox><xmin>1</xmin><ymin>2</ymin><xmax>3</xmax><ymax>4</ymax></bndbox></object></annotation>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		boxes, err := ReadVOC(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, x := range boxes {
			if x.MaxX < x.MinX || x.MaxY < x.MinY {
				t.Errorf("inverted box %+v accepted", x)
			}
		}
	})
}

// TestPairCentres: pairs are one to one and as many as the radius allows,
// where taking the strongest detection's nearest ship first would leave
// a ship unpaired.
func TestPairCentres(t *testing.T) {
	ships := [][2]float64{{0, 0}, {10, 0}}
	for _, c := range []struct {
		name string
		objs []Object
		want []int
	}{
		// The strongest lies between the ships, nearer the first; the
		// other sees only the first.
		{"most pairs", []Object{{X: 4, Y: 0}, {X: -3, Y: 0}}, []int{1, 0}},
		{"one to one", []Object{{X: 0, Y: 1}, {X: 0, Y: 2}}, []int{0, -1}},
		{"out of reach", []Object{{X: 30, Y: 0}}, []int{-1}},
		{"more detections than ships", []Object{{X: 11, Y: 0}, {X: 50, Y: 0}, {X: 1, Y: 0}}, []int{1, -1, 0}},
		{"none", nil, []int{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := PairCentres(c.objs, ships, 7); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}
