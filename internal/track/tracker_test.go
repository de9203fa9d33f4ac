package track

import (
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/shareddata"
	"pharos/internal/source"
)

// readSolent returns the observations of the real Solent AIS archive.
func readSolent(t testing.TB) []model.Observation {
	t.Helper()
	f, err := os.Open(shareddata.Path("ais-csv", "stonesoup_SolentAIS_20160112_130211.csv"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing in CI: %v", err)
		}
		t.Skipf("shared data not present: %v", err)
	}
	defer f.Close()
	r, err := source.NewCSVReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var obs []model.Observation
	for {
		o, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		obs = append(obs, o)
	}
	return obs
}

// TestSolent tracks the real Solent archive: one track per vessel, never
// an identity switch, and the one impossible row (a longitude of 54.8°
// for a vessel moored at -1.09°) rejected by the kinematic check rather
// than plotted.
func TestSolent(t *testing.T) {
	obs := readSolent(t)
	ids := map[uint32]map[uint64]bool{}
	var outlierPlotted bool
	tr := New(Config{}, func(tr *Track) {
		if tr.Identity == nil {
			t.Fatalf("track %d without identity from AIS-only input", tr.ID)
		}
		m := tr.Identity.MMSI
		if ids[m] == nil {
			ids[m] = map[uint64]bool{}
		}
		ids[m][tr.ID] = true
		if _, lon := tr.Position(); lon > 10 {
			outlierPlotted = true
		}
	})
	for i := range obs {
		tr.Add(&obs[i])
	}
	tr.Flush()
	if outlierPlotted {
		t.Error("the outlier position was plotted")
	}
	if tr.Stats.AISRejected != 1 {
		t.Errorf("%d reports rejected by the kinematic check, want exactly the 1 outlier", tr.Stats.AISRejected)
	}
	switches := 0
	for _, set := range ids {
		switches += len(set) - 1
	}
	if switches != 0 {
		t.Errorf("%d identity switches", switches)
	}
	if len(ids) != 91 {
		t.Errorf("%d vessels tracked, want 91", len(ids))
	}
	t.Logf("Solent: %d observations, %d vessels, stats %+v", len(obs), len(ids), tr.Stats)
}

// TestDeterministic runs the same input twice and requires the same output.
func TestDeterministic(t *testing.T) {
	obs := scenarioObservations(42)
	run := func() string {
		var b strings.Builder
		tr := New(testConfig(), func(tr *Track) {
			lat, lon := tr.Position()
			fmt.Fprintf(&b, "%d %s %.7f %.7f %v\n", tr.ID, tr.Status, lat, lon, tr.Sensors.Names())
		})
		for i := range obs {
			tr.Add(&obs[i])
		}
		tr.Flush()
		return b.String()
	}
	a, b := run(), run()
	if a != b {
		t.Error("two runs over the same input differ")
	}
	if len(a) == 0 {
		t.Error("no output")
	}
}

var tarifa = source.RadarSite{ID: "tarifa", Lat: 36.0143, Lon: -5.6044, Range: 40e3, Period: 3 * time.Second}

func testConfig() Config {
	return Config{Radars: []source.RadarSite{tarifa}, SceneDelay: 10 * time.Minute}
}

// target is a simulated vessel on a straight course.
type target struct {
	lat, lon, speed, course float64 // start; knots; degrees
	mmsi                    uint32  // 0: sends no AIS
}

func (g target) at(dt float64) (lat, lon float64) {
	return geo.Destination(g.lat, g.lon, g.course, g.speed*geo.Knot*dt)
}

// scenarioObservations simulates ten minutes in the strait: an AIS ferry
// seen by radar, a dark go-fast crossing at 45 kn, an AIS report from a
// vessel the radar should see but never does, and radar clutter.
func scenarioObservations(seed uint64) []model.Observation {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b9))
	start := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	targets := []target{
		{lat: 35.95, lon: -5.75, speed: 18, course: 75, mmsi: 224123450}, // ferry
		{lat: 35.88, lon: -5.45, speed: 45, course: 345},                 // go-fast, dark
	}
	ghost := target{lat: 35.92, lon: -5.55, speed: 10, course: 270, mmsi: 224999990}
	var obs []model.Observation
	for sec := 0; sec < 600; sec++ {
		ts := start.Add(time.Duration(sec) * time.Second)
		if sec%3 == 0 { // one radar scan
			for k, g := range targets {
				if rng.Float64() > 0.9 {
					continue // missed detection
				}
				lat, lon := g.at(float64(sec))
				lat, lon = geo.Destination(lat, lon, rng.Float64()*360, math.Abs(rng.NormFloat64())*40)
				o := model.NewObservation(ts.Add(time.Duration(k)*100*time.Millisecond), tarifa.ID, model.SensorRadar)
				o.Lat, o.Lon, o.PosError = lat, lon, 40
				obs = append(obs, o)
			}
			if rng.Float64() < 0.3 { // clutter
				lat, lon := geo.Destination(tarifa.Lat, tarifa.Lon, rng.Float64()*360, rng.Float64()*35e3)
				o := model.NewObservation(ts.Add(500*time.Millisecond), tarifa.ID, model.SensorRadar)
				o.Lat, o.Lon = lat, lon
				obs = append(obs, o)
			}
		}
		if sec%10 == 5 { // AIS every 10 s
			for _, g := range append([]target{targets[0]}, ghost) {
				lat, lon := g.at(float64(sec))
				o := model.NewObservation(ts, "ais", model.SensorAIS)
				o.MMSI, o.Lat, o.Lon, o.SOG, o.COG = g.mmsi, lat, lon, g.speed, g.course
				obs = append(obs, o)
			}
		}
	}
	return obs
}

// TestFusion checks the scenario: the ferry is one AIS track corroborated
// by radar, the go-fast one confirmed dark track following it, the ghost
// marked unconfirmed, and clutter never confirmed.
func TestFusion(t *testing.T) {
	obs := scenarioObservations(1)
	tr := New(testConfig(), func(*Track) {})
	for i := range obs {
		tr.Add(&obs[i])
	}
	var ferry, ghost *Track
	var dark []*Track
	for _, x := range tr.Tracks() {
		switch {
		case x.Identity != nil && x.Identity.MMSI == 224123450:
			ferry = x
		case x.Identity != nil && x.Identity.MMSI == 224999990:
			ghost = x
		case x.Dark() && x.Status != Tentative:
			dark = append(dark, x)
		}
	}
	if ferry == nil || !ferry.Sensors.Has(model.SensorRadar) || ferry.Unconfirmed {
		t.Fatalf("ferry track %+v: want AIS corroborated by radar", ferry)
	}
	if ghost == nil || !ghost.Unconfirmed {
		t.Errorf("ghost track %+v: want unconfirmed (inside radar coverage, never seen)", ghost)
	}
	if len(dark) != 1 {
		for _, d := range dark {
			lat, lon := d.Position()
			t.Logf("dark track %d at %.4f %.4f, created %v", d.ID, lat, lon, d.Created)
		}
		t.Fatalf("%d confirmed dark tracks, want 1 (the go-fast)", len(dark))
	}
	gofast := target{lat: 35.88, lon: -5.45, speed: 45, course: 345}
	lat, lon := gofast.at(599)
	plat, plon := dark[0].Position()
	if d := geo.Distance(lat, lon, plat, plon); d > 300 {
		t.Errorf("go-fast track %.0f m from the truth", d)
	}
	if sog, cog := dark[0].Velocity(); math.Abs(sog-45) > 5 || math.Abs(cog-345) > 10 {
		t.Errorf("go-fast velocity %.1f kn %.0f°, want 45 kn 345°", sog, cog)
	}
}

// TestSatelliteScene matches a scene against AIS by interpolation: a
// detection where the AIS vessel was at the acquisition time matches it,
// one where nobody reported starts a dark track.
func TestSatelliteScene(t *testing.T) {
	start := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	ship := target{lat: 36.5, lon: -3.0, speed: 12, course: 90, mmsi: 224555550}
	var obs []model.Observation
	for sec := 0; sec <= 1800; sec += 180 { // AIS every 3 minutes
		lat, lon := ship.at(float64(sec))
		o := model.NewObservation(start.Add(time.Duration(sec)*time.Second), "ais", model.SensorAIS)
		o.MMSI, o.Lat, o.Lon, o.SOG, o.COG = ship.mmsi, lat, lon, ship.speed, ship.course
		obs = append(obs, o)
	}
	acq := start.Add(1000 * time.Second) // between two pings
	scene := &model.Scene{ID: "S1A_test", Time: acq, Footprint: [][2]float64{{-3.5, 36}, {-2, 36}, {-2, 37}, {-3.5, 37}, {-3.5, 36}}}
	lat, lon := ship.at(1000)
	lat, lon = geo.Destination(lat, lon, 30, 120) // detection error
	det := model.NewObservation(acq, "sat", model.SensorSatellite)
	det.Lat, det.Lon, det.Scene, det.Length = lat, lon, scene, 95
	dark := model.NewObservation(acq, "sat", model.SensorSatellite)
	dark.Lat, dark.Lon, dark.Scene, dark.Length = 36.3, -2.5, scene, 14
	// Insert the detections in event-time order.
	var all []model.Observation
	for _, o := range obs {
		if !o.Time.Before(acq) && det.Scene != nil {
			all = append(all, det, dark)
			det.Scene = nil
		}
		all = append(all, o)
	}
	var emitted []string
	tr := New(Config{SceneDelay: 10 * time.Minute}, func(x *Track) {
		if x.Sensors.Has(model.SensorSatellite) {
			emitted = append(emitted, fmt.Sprintf("%v dark=%v", x.Sensors.Names(), x.Dark()))
		}
	})
	for i := range all {
		tr.Add(&all[i])
	}
	tr.Flush()
	if tr.Stats.SatMatched != 1 || tr.Stats.SatDark != 1 {
		t.Errorf("matched %d, dark %d; want 1 and 1 (emitted %v)", tr.Stats.SatMatched, tr.Stats.SatDark, emitted)
	}
}

func TestOwnAsset(t *testing.T) {
	ts := time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)
	var got *Track
	tr := New(Config{OwnAssets: []uint32{224000001}}, func(x *Track) { got = x })
	o := model.NewObservation(ts, "cot", model.SensorAsset)
	o.Lat, o.Lon, o.TargetID, o.SOG, o.COG = 36, -5.5, "PATROL-1", 20, 90
	o.Static = &model.VesselStatic{Name: "RIO TAJO"}
	tr.Add(&o)
	if got == nil || !got.OwnAsset || got.AssetUID != "PATROL-1" || got.Identity.Name != "RIO TAJO" {
		t.Fatalf("CoT asset track %+v", got)
	}
	a := model.NewObservation(ts, "ais", model.SensorAIS)
	a.MMSI, a.Lat, a.Lon = 224000001, 36.1, -5.4
	tr.Add(&a)
	if !got.OwnAsset || got.Dark() {
		t.Errorf("AIS of an own MMSI: own asset %v, dark %v", got.OwnAsset, got.Dark())
	}
}

// TestTwinTakesOverSilentMMSI: two vessels send one MMSI 111 km apart; the
// first falls silent. The second keeps its own track, and the silent one
// is not dragged to it.
func TestTwinTakesOverSilentMMSI(t *testing.T) {
	start := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	tr := New(Config{}, func(*Track) {})
	report := func(sec int, lat float64) {
		o := model.NewObservation(start.Add(time.Duration(sec)*time.Second), "ais", model.SensorAIS)
		o.MMSI, o.Lat, o.Lon, o.SOG, o.COG = 224555000, lat, -5.0, 0.5, 0
		tr.Add(&o)
	}
	for sec := 0; sec < 360; sec += 10 { // both report, interleaved
		report(sec, 50)
		report(sec+5, 51)
	}
	for sec := 360; sec < 660; sec += 10 { // only the second
		report(sec, 51)
	}
	var first, second *Track
	for _, x := range tr.Tracks() {
		if lat, _ := x.Position(); lat < 50.5 {
			first = x
		} else {
			second = x
		}
	}
	if first == nil || second == nil {
		t.Fatalf("tracks %v: want one at each place", tr.Tracks())
	}
	if !second.Updated.Equal(start.Add(650 * time.Second)) {
		t.Errorf("second vessel's track last updated %v", second.Updated)
	}
	if first.Updated.After(start.Add(360 * time.Second)) {
		t.Errorf("the silent first track was updated at %v", first.Updated)
	}
}
