package report

import (
	"bytes"
	"flag"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(g), len(w)) {
			var a, b string
			if i < len(g) {
				a = g[i]
			}
			if i < len(w) {
				b = w[i]
			}
			if a != b {
				t.Fatalf("%s differs at line %d:\ngot:  %s\nwant: %s\n(go test -update rewrites it)", name, i+1, a, b)
			}
		}
	}
}

// TestGolden writes the reports of the fixture as Markdown and their
// annexes: what the reports say, for review, kept in testdata.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Period
		doc  func(*Analysis) *Doc
	}{
		{"annual", Year(2025), func(a *Analysis) *Doc { return Annual(a, "the fixture") }},
		{"monthly", Month(2025, time.May), func(a *Analysis) *Doc { return Monthly(a, "the fixture") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := tc.doc(fixtureAnalysis(t, tc.p))
			doc.Annex = tc.name + ".csv"
			var md, csv bytes.Buffer
			if err := WriteMarkdown(&md, doc); err != nil {
				t.Fatal(err)
			}
			if err := doc.Figures.WriteCSV(&csv); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name+".golden.md", md.Bytes())
			golden(t, tc.name+".golden.csv", csv.Bytes())
		})
	}
}

// TestSameBytes: the same data gives the same PDF and HTML, byte for
// byte (event time only, no clock).
func TestSameBytes(t *testing.T) {
	var out [2][2]bytes.Buffer
	for i := range out {
		doc := Annual(fixtureAnalysis(t, Year(2025)), "the fixture")
		doc.Annex = "annual.csv"
		if err := WritePDF(&out[i][0], doc); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(&out[i][1], doc); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(out[0][0].Bytes(), out[1][0].Bytes()) {
		t.Error("two PDFs of the same data differ")
	}
	if !bytes.Equal(out[0][1].Bytes(), out[1][1].Bytes()) {
		t.Error("two HTML pages of the same data differ")
	}
}

// TestPDFRenders renders every page of the reports' PDFs with poppler's
// pdftoppm and reads their text back with pdftotext.
func TestPDFRenders(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing (apt-get install poppler-utils)", tool)
			}
			t.Skipf("%s is missing (apt-get install poppler-utils)", tool)
		}
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		doc  *Doc
	}{
		{"annual", Annual(fixtureAnalysis(t, Year(2025)), "the fixture")},
		{"monthly", Monthly(fixtureAnalysis(t, Month(2025, time.May)), "the fixture")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.doc.Annex = tc.name + ".csv"
			path := filepath.Join(dir, tc.name+".pdf")
			var b bytes.Buffer
			if err := WritePDF(&b, tc.doc); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			info, err := exec.Command("pdfinfo", path).CombinedOutput()
			if err != nil {
				t.Fatalf("pdfinfo: %v\n%s", err, info)
			}
			var pages int
			for _, l := range strings.Split(string(info), "\n") {
				if v, ok := strings.CutPrefix(l, "Pages:"); ok {
					pages, _ = strconv.Atoi(strings.TrimSpace(v))
				}
			}
			if pages < 2 {
				t.Fatalf("%d pages", pages)
			}
			out, err := exec.Command("pdftoppm", "-r", "30", "-png", path, filepath.Join(dir, tc.name)).CombinedOutput()
			if err != nil || len(bytes.TrimSpace(out)) > 0 {
				t.Fatalf("pdftoppm: %v\n%s", err, out)
			}
			pngs, _ := filepath.Glob(filepath.Join(dir, tc.name+"-*.png"))
			if len(pngs) != pages {
				t.Fatalf("pdftoppm rendered %d pages of %d", len(pngs), pages)
			}
			for _, p := range pngs {
				if st, err := os.Stat(p); err != nil || st.Size() < 1000 {
					t.Errorf("page %s is empty", p)
				}
			}
			txt, err := exec.Command("pdftotext", "-layout", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(txt, []byte(tc.doc.Title)) {
				t.Errorf("the text does not hold the title %q", tc.doc.Title)
			}
			// The first table's first figure, as the PDF prints it.
			for _, b := range tc.doc.Blocks {
				if b.Table != nil {
					f := b.Table.Rows[0][1]
					if !bytes.Contains(txt, []byte(f.String())) {
						t.Errorf("the text does not hold the first figure, %s", f.String())
					}
					break
				}
			}
		})
	}
}

func TestCrimeOf(t *testing.T) {
	tests := []struct {
		category, title string
		want            Crime
	}{
		{model.CategoryCrossBorderCrime, "go_fast", IllicitGoods},
		{model.CategoryCrossBorderCrime, "encounter", IllicitGoods},
		{model.CategoryUnauthorisedCrossing, "distress", HumanSmuggling},
		{model.CategoryUnauthorisedCrossing, "Migrant boat crossing", HumanSmuggling},
		{model.CategoryOther, "dark_target", NotCrime},
		{model.CategoryUnauthorisedCrossing, "dark_target", HumanSmuggling},
		{model.CategoryCrossBorderCrime, "Suspected trafficking in human beings on a migrant boat", HumanTrafficking},
		{model.CategoryOther, "THB victims landed at Almería", HumanTrafficking},
		{model.CategoryCrossBorderCrime, "Drug trafficking: 2 t of hashish", IllicitGoods}, // drug trafficking is not THB
		{model.CategoryCrossBorderCrime, "Cigarette smuggling by a fishing boat", IllicitGoods},
		{model.CategoryCrossBorderCrime, "Suspected fuel smuggling: transhipment at sea", IllicitGoods},
		{model.CategoryCrossBorderCrime, "Human smuggling network", HumanSmuggling},
		{model.CategoryCrossBorderCrime, "AIS switched off on the fishing grounds", OtherCrime},
		{model.CategoryCrossBorderCrime, "Oil spill from a tanker", OtherCrime},
		{model.CategoryCrossBorderCrime, "", OtherCrime},
		{model.CategoryCrisis, "Storm: ferry adrift", NotCrime},
		{model.CategoryOther, "identity_spoof", NotCrime},
	}
	for _, tc := range tests {
		t.Run(tc.title, func(t *testing.T) {
			if got := CrimeOf(tc.category, tc.title); got != tc.want {
				t.Errorf("CrimeOf(%q, %q) = %s, want %s", tc.category, tc.title, got, tc.want)
			}
		})
	}
}

func TestDetectionCrime(t *testing.T) {
	tests := []struct {
		name string
		ev   model.Event
		want Crime
	}{
		{"drugs", model.Event{Type: "go_fast", Risk: &model.Risk{Threats: map[string]float64{"drugs": 0.8, "people_smuggling": 0.3}}}, IllicitGoods},
		{"people", model.Event{Type: "go_fast", Risk: &model.Risk{Threats: map[string]float64{"drugs": 0.5, "people_smuggling": 0.7}}}, HumanSmuggling},
		{"a tie goes to the first threat", model.Event{Type: "x", Risk: &model.Risk{Threats: map[string]float64{"trafficking_in_human_beings": 0.6, "drugs": 0.6}}}, IllicitGoods},
		{"below the threshold: by type", model.Event{Type: "distress", Risk: &model.Risk{Threats: map[string]float64{"drugs": 0.4}}}, HumanSmuggling},
		{"fishing", model.Event{Type: "ais_gap", Category: model.CategoryOther, Risk: &model.Risk{Threats: map[string]float64{"illegal_fishing": 0.9}}}, OtherCrime},
		{"no risk", model.Event{Type: "loitering", Category: model.CategoryOther}, NotCrime},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectionCrime(&tc.ev); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
}

func TestHourIn(t *testing.T) {
	tests := []struct {
		h     int
		hours string
		want  bool
	}{
		{5, "", true}, {5, "05", true}, {6, "05", false}, {22, "20-05", true}, {3, "20-05", true},
		{12, "20-05", false}, {5, "20-05", true}, {6, "20-05", false}, {9, "08-17", true}, {18, "08-17", false},
	}
	for _, tc := range tests {
		if got := HourIn(tc.h, tc.hours); got != tc.want {
			t.Errorf("HourIn(%d, %q) = %v", tc.h, tc.hours, got)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Num(0), "0"}, {Num(999), "999"}, {Num(1000), "1,000"}, {Num(1234567), "1,234,567"}, {Num(-4200), "-4,200"},
		{Change(0, 0), "–"}, {Change(3, 0), "new"}, {Change(110, 100), "+10 %"}, {Change(90, 100), "−10 %"}, {Change(5, 5), "0 %"},
		{Share(1, 4), "25 %"}, {Share(1, 0), "–"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestParseBox(t *testing.T) {
	if b, err := ParseBox("35.5,-6.3,36.5,-4.5"); err != nil || b != (Box{35.5, -6.3, 36.5, -4.5}) {
		t.Errorf("got %v, %v", b, err)
	}
	for _, bad := range []string{"", "1,2,3", "36,-6,35,-4", "a,b,c,d", "0,0,91,1"} {
		if _, err := ParseBox(bad); err == nil {
			t.Errorf("ParseBox(%q) took it", bad)
		}
	}
}

func TestPeriods(t *testing.T) {
	y := Year(2025)
	if y.Name != "2025" || y.PrevName != "2024" || !y.Earliest().Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Year: %+v", y)
	}
	m := Month(2025, time.January)
	if m.PrevName != "2024-12" || m.YearAgoName != "2024-01" || !m.Earliest().Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Month: %+v", m)
	}
	if s := Span(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); s.Name != "2025" {
		t.Errorf("a calendar year as a span is named %q", s.Name)
	}
	if s := Span(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC)); !s.PrevFrom.Equal(time.Date(2025, 2, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Span: %+v", s)
	}
}

func TestLevelAt(t *testing.T) {
	at := func(m time.Month) time.Time { return time.Date(2025, m, 1, 0, 0, 0, 0, time.UTC) }
	s := picture.Section{Level: geo.AreaImpactCritical, History: []picture.SectionChange{
		{Time: at(3), From: geo.AreaImpactLow, To: geo.AreaImpactHigh},
		{Time: at(9), From: geo.AreaImpactHigh, To: geo.AreaImpactCritical},
	}}
	for _, tc := range []struct {
		at   time.Time
		want geo.AreaImpact
	}{{at(1), geo.AreaImpactLow}, {at(3), geo.AreaImpactLow}, {at(4), geo.AreaImpactHigh}, {at(12), geo.AreaImpactCritical}} {
		if got := LevelAt(s, tc.at); got != tc.want {
			t.Errorf("LevelAt(%v) = %s, want %s", tc.at, got, tc.want)
		}
	}
}

func TestLevels(t *testing.T) {
	for _, tc := range []struct {
		rate float64
		want geo.AreaImpact
	}{{0, geo.AreaImpactLow}, {1.9, geo.AreaImpactLow}, {2, geo.AreaImpactMedium}, {8, geo.AreaImpactHigh}, {30, geo.AreaImpactCritical}} {
		if got := DefaultLevels.level(tc.rate); got != tc.want {
			t.Errorf("level(%g) = %s, want %s", tc.rate, got, tc.want)
		}
	}
}

// TestGiStar checks the z-score against a hand computation: one busy
// cell among quiet ones.
func TestGiStar(t *testing.T) {
	study := map[[2]int32]bool{}
	for r := range int32(15) {
		for c := range int32(15) {
			study[[2]int32{r, c}] = true
		}
	}
	counts := map[[2]int32]int{{7, 7}: 10, {0, 0}: 1}
	z := giStar(counts, study)
	// n = 225, mean 11/225, S² = 101/225 - mean²; the busy cell's
	// neighbourhood: 9 cells summing to 10.
	n, w, mean := 225.0, 9.0, 11.0/225
	s := math.Sqrt(101/n - mean*mean)
	want := (10 - mean*w) / (s * math.Sqrt((n*w-w*w)/(n-1)))
	if math.Abs(z[[2]int32{7, 7}]-want) > 1e-9 {
		t.Errorf("Gi* = %g, want %g", z[[2]int32{7, 7}], want)
	}
	if want < HotZ {
		t.Errorf("the busy cell is not hot: %g", want)
	}
	// The corner cell has 4 neighbours in the area, itself included.
	w = 4
	want = (1 - mean*w) / (s * math.Sqrt((n*w-w*w)/(n-1)))
	if math.Abs(z[[2]int32{0, 0}]-want) > 1e-9 {
		t.Errorf("corner Gi* = %g, want %g", z[[2]int32{0, 0}], want)
	}
	// Alone in a small area, a busy cell is not a hotspot: its
	// neighbourhood is a third of the area.
	small := map[[2]int32]bool{}
	for r := range int32(3) {
		for c := range int32(9) {
			small[[2]int32{r, c}] = true
		}
	}
	if z := giStar(map[[2]int32]int{{1, 4}: 10}, small); z[[2]int32{1, 4}] >= HotZ {
		t.Errorf("Gi* %g in a small area", z[[2]int32{1, 4}])
	}
}

func TestClustersAndOutline(t *testing.T) {
	set := map[[2]int32]bool{{0, 0}: true, {0, 1}: true, {1, 1}: true, {5, 5}: true, {6, 6}: true}
	got := clusters(set)
	if len(got) != 3 || len(got[0]) != 3 {
		t.Fatalf("clusters: %v (corner to corner does not join)", got)
	}
	ring := cellOutline(got[0], 1)
	// An L of three cells: six corners, area 3.
	if len(ring) != 6 || math.Abs(ringArea(ring)-3) > 1e-9 {
		t.Errorf("outline %v, area %g", ring, ringArea(ring))
	}
}

func ringArea(r [][2]float64) float64 {
	var s float64
	for i := range r {
		j := (i + 1) % len(r)
		s += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return math.Abs(s) / 2
}

// TestLandRings: the traced coastline holds what the land data says is
// land, away from the coast by more than the grid's step.
func TestLandRings(t *testing.T) {
	l, _ := baseData(t)
	b := Box{35.6, -6.2, 36.6, -4.4}
	step := 0.01
	rings := landRings(l, b, step)
	if len(rings) < 2 {
		t.Fatalf("%d rings", len(rings))
	}
	inside := func(lat, lon float64) bool {
		in := false
		for _, r := range rings {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				a, c := r[i], r[j]
				if (a[1] > lat) != (c[1] > lat) && lon < (c[0]-a[0])*(lat-a[1])/(c[1]-a[1])+a[0] {
					in = !in
				}
			}
		}
		return in
	}
	rng := rand.New(rand.NewPCG(1, 2))
	checked, wrong := 0, 0
	for range 3000 {
		lat, lon := b.South+rng.Float64()*(b.North-b.South), b.West+rng.Float64()*(b.East-b.West)
		if l.DistanceToShore(lat, lon) < 3*step*111e3 {
			continue
		}
		checked++
		if inside(lat, lon) != l.Contains(lat, lon) {
			wrong++
		}
	}
	if checked < 1000 || wrong > 0 {
		t.Errorf("%d of %d points away from the coast on the wrong side", wrong, checked)
	}
}

func TestRouteOf(t *testing.T) {
	_, w := baseData(t)
	at := time.Date(2025, 7, 1, 1, 0, 0, 0, time.UTC)
	// From off Ksar es-Seghir to Tarifa; a go-fast's landfall off
	// Estepona, on a line of the grid (36.4°).
	hist := []model.TrackState{{Time: at, Lat: 35.87, Lon: -5.52}, {Time: at.Add(time.Hour), Lat: 36.03, Lon: -5.61}}
	goFast := &model.Event{Details: map[string]any{"landfall_lat": 36.40, "landfall_lon": -5.15}}
	tests := []struct {
		name     string
		hist     []model.TrackState
		ev       *model.Event
		pair     string
		from, to [2]float64
		ok       bool
	}{
		{"history", hist, &model.Event{}, "Morocco > Spain", [2]float64{35.9, -5.5}, [2]float64{36.1, -5.7}, true},
		{"a go-fast lands at its landfall", hist, goFast, "Morocco > Spain", [2]float64{35.9, -5.5}, [2]float64{36.5, -5.1}, true},
		{"evidence when there is no history", nil, &model.Event{Evidence: []model.Evidence{{Lat: 35.87, Lon: -5.52}, {Lat: 36.03, Lon: -5.61}}},
			"Morocco > Spain", [2]float64{35.9, -5.5}, [2]float64{36.1, -5.7}, true},
		{"open sea", []model.TrackState{{Lat: 35.9, Lon: -4.3}, {Lat: 36.3, Lon: -4.3}}, &model.Event{}, "open sea > open sea",
			[2]float64{35.9, -4.3}, [2]float64{36.3, -4.3}, true},
		{"nothing to go by", nil, &model.Event{}, "", [2]float64{}, [2]float64{}, false},
		{"one cell", []model.TrackState{{Lat: 35.91, Lon: -5.51}, {Lat: 35.92, Lon: -5.52}}, &model.Event{}, "", [2]float64{}, [2]float64{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := RouteOf(tc.hist, tc.ev, w)
			if ok != tc.ok {
				t.Fatalf("ok %v, want %v (%+v)", ok, tc.ok, r)
			}
			if !ok {
				return
			}
			if r.Pair != tc.pair || r.From.Lat != tc.from[0] || r.From.Lon != tc.from[1] || r.To.Lat != tc.to[0] || r.To.Lon != tc.to[1] {
				t.Errorf("got %s (%+v → %+v), want %s %v → %v", r.Pair, r.From, r.To, tc.pair, tc.from, tc.to)
			}
		})
	}
}

// TestProductsArePictureRecords: every product of the fixture is a
// record the analysis layer takes, with evidence in its summary.
func TestProductsArePictureRecords(t *testing.T) {
	a := fixtureAnalysis(t, Year(2025))
	prods := Products(a)
	if len(prods) < 5 {
		t.Fatalf("%d products", len(prods))
	}
	pic := picture.New("ncc-test")
	kinds := map[string]int{}
	for _, p := range prods {
		b, err := jsonMarshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pic.Put(picture.KindRiskProduct, b, "analyst", a.Period.To); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		if !strings.Contains(p.Summary, "figure") && !strings.Contains(p.Summary, "Figures") && !strings.Contains(p.Summary, "(F") {
			t.Errorf("%s: the summary names no figure: %s", p.ID, p.Summary)
		}
		kinds[strings.SplitN(strings.TrimPrefix(p.ID, "risk-2025-"), "-", 2)[0]]++
	}
	for _, k := range []string{"incidents", "route", "time"} {
		if kinds[k] == 0 {
			t.Errorf("no %s product among %v", k, kinds)
		}
	}
}

// TestNothingToReport: a node with no record yet still gets its reports,
// saying so, in every format.
func TestNothingToReport(t *testing.T) {
	l, w := baseData(t)
	for _, p := range []Period{Year(2025), Month(2025, time.June)} {
		d, err := Load(t.Context(), &memSource{}, Options{From: p.Earliest(), To: p.To, Sections: fixtureSections(), Waters: w, Land: l})
		if err != nil {
			t.Fatal(err)
		}
		a := Analyse(d, p)
		for _, doc := range []*Doc{Annual(a, "nothing"), Monthly(a, "nothing")} {
			for _, f := range []Format{FormatPDF, FormatHTML, FormatMarkdown} {
				var b bytes.Buffer
				if err := Write(&b, doc, f); err != nil || b.Len() == 0 {
					t.Errorf("%s %s: %v", doc.Title, f, err)
				}
			}
			for _, fig := range doc.Figures.List() {
				if fig.Value != 0 {
					t.Errorf("%s: %d from nothing", fig.Label, fig.Value)
				}
			}
		}
		if prods := Products(a); len(prods) != 0 {
			t.Errorf("%d products from nothing", len(prods))
		}
	}
	if _, err := Load(t.Context(), &memSource{}, Options{From: time.Unix(10, 0), To: time.Unix(10, 0)}); err == nil {
		t.Error("an empty period was taken")
	}
}
