package eval

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"pharos/internal/geo"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const step = 10 * time.Second

// at is the k-th grid time.
func at(k int) time.Time { return t0.Add(time.Duration(k) * step) }

// path gives a vessel's position at grid step k.
type path func(k int) (lat, lon float64)

// still stays at one place.
func still(lat, lon float64) path { return func(int) (float64, float64) { return lat, lon } }

// steaming leaves (lat, lon) on a great circle at cog, sog knots.
func steaming(lat, lon, cog, sog float64) path {
	return func(k int) (float64, float64) {
		return geo.Destination(lat, lon, cog, sog*geo.Knot*(time.Duration(k)*step).Seconds())
	}
}

// offset moves a path d metres towards bearing.
func offset(p path, bearing, d float64) path {
	return func(k int) (float64, float64) {
		lat, lon := p(k)
		return geo.Destination(lat, lon, bearing, d)
	}
}

// vessel builds a truth vessel present at steps from..to-1, transmitting
// AIS unless dark, always covered.
func vessel(id string, p path, from, to int, dark bool) Vessel {
	v := Vessel{ID: id, Kind: "test"}
	for k := from; k < to; k++ {
		lat, lon := p(k)
		v.Samples = append(v.Samples, Sample{T: at(k), Lat: lat, Lon: lon, AIS: !dark, Covered: true})
	}
	return v
}

// truth builds a truth on a grid of n steps.
func truth(n int, vs ...Vessel) *Truth {
	return &Truth{Scenario: "test", Start: at(0), End: at(n - 1), StepSeconds: step.Seconds(), Vessels: vs}
}

// follow writes confirmed states of track id along p at steps from..to-1.
func follow(id uint64, p path, from, to int, dark bool) []TrackState {
	var out []TrackState
	for k := from; k < to; k++ {
		lat, lon := p(k)
		out = append(out, TrackState{T: at(k), ID: id, Status: StatusConfirmed, Lat: lat, Lon: lon, Dark: dark})
	}
	return out
}

func cat(parts ...[]TrackState) []TrackState { return slices.Concat(parts...) }

// missedCost is GOSPA for one miss or one false track with c = 500, p = 2.
var missedCost = 500 / math.Sqrt2

var (
	home  = still(36, -5.5)
	away  = still(36.2, -5.3) // some 28 km from home
	east  = steaming(36, -5.6, 90, 12)
	north = steaming(35.99, -5.55, 0, 12)
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*max(1, math.Abs(b)) }

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name   string
		truth  *Truth
		tracks []TrackState
		opt    Options
		check  func(t *testing.T, r Result)
	}{
		{
			name:   "perfect",
			truth:  truth(10, vessel("a", home, 0, 10, false), vessel("b", east, 0, 10, true)),
			tracks: cat(follow(1, home, 0, 10, false), follow(2, east, 0, 10, true)),
			check: func(t *testing.T, r Result) {
				want(t, "gospa", r.GOSPA, 0)
				want(t, "ospa", r.OSPA, 0)
				want(t, "id_switches", r.IDSwitches, 0)
				want(t, "fragmentations", r.Fragmentations, 0)
				want(t, "assigned", r.Assigned, 20)
				want(t, "dark precision", *r.Dark.Precision, 1.0)
				want(t, "dark recall", *r.Dark.Recall, 1.0)
				want(t, "dark object precision", *r.Dark.Objects.Precision, 1.0)
				want(t, "dark object recall", *r.Dark.Objects.Recall, 1.0)
				want(t, "samples", r.Samples, 10)
				want(t, "tracks", r.Tracks, 2)
			},
		},
		{
			name:   "one missed target",
			truth:  truth(10, vessel("a", home, 0, 10, false), vessel("b", away, 0, 10, false)),
			tracks: follow(1, home, 0, 10, false),
			check: func(t *testing.T, r Result) {
				want(t, "gospa", r.GOSPA, missedCost)
				want(t, "gospa_max", r.GOSPAMax, missedCost)
				want(t, "gospa_missed", r.GOSPAMissed, missedCost)
				want(t, "gospa_false", r.GOSPAFalse, 0)
				want(t, "gospa_localisation", r.GOSPALocalisation, 0)
				want(t, "missed", r.Missed, 10)
				// OSPA: ((0 + 500²·1)/2)^½, the same number for p = 2.
				want(t, "ospa", r.OSPA, missedCost)
			},
		},
		{
			name:   "one false track",
			truth:  truth(10, vessel("a", home, 0, 10, false)),
			tracks: cat(follow(1, home, 0, 10, false), follow(2, away, 0, 10, false)),
			check: func(t *testing.T, r Result) {
				want(t, "gospa", r.GOSPA, missedCost)
				want(t, "gospa_false", r.GOSPAFalse, missedCost)
				want(t, "gospa_missed", r.GOSPAMissed, 0)
				want(t, "false", r.False, 10)
			},
		},
		{
			name:   "localisation error",
			truth:  truth(10, vessel("a", home, 0, 10, false)),
			tracks: follow(1, offset(home, 45, 100), 0, 10, false),
			check: func(t *testing.T, r Result) {
				want(t, "gospa", r.GOSPA, 100)
				want(t, "gospa_localisation", r.GOSPALocalisation, 100)
				want(t, "ospa", r.OSPA, 100)
				want(t, "mean_error_m", *r.MeanErrorM, 100)
			},
		},
		{
			name:   "beyond the cut-off: one missed and one false",
			truth:  truth(10, vessel("a", home, 0, 10, false)),
			tracks: follow(1, offset(home, 45, 600), 0, 10, false),
			check: func(t *testing.T, r Result) {
				want(t, "gospa", r.GOSPA, 500)
				want(t, "ospa", r.OSPA, 500)
				want(t, "assigned", r.Assigned, 0)
				if r.MeanErrorM != nil {
					t.Errorf("mean_error_m = %v, want null", *r.MeanErrorM)
				}
			},
		},
		{
			name:   "known values: two targets, one estimate 100 m off",
			truth:  truth(1, vessel("a", home, 0, 1, false), vessel("b", away, 0, 1, false)),
			tracks: follow(1, offset(home, 0, 100), 0, 1, false),
			check: func(t *testing.T, r Result) {
				want(t, "gospa", r.GOSPA, math.Sqrt(100*100+500*500/2))
				want(t, "ospa", r.OSPA, math.Sqrt((100*100+500*500)/2.0))
			},
		},
		{
			name:   "known values, p = 1",
			truth:  truth(1, vessel("a", home, 0, 1, false), vessel("b", away, 0, 1, false)),
			tracks: follow(1, offset(home, 0, 100), 0, 1, false),
			opt:    Options{Order: 1},
			check: func(t *testing.T, r Result) {
				want(t, "gospa", r.GOSPA, 100+250.0)
				want(t, "ospa", r.OSPA, (100+500)/2.0)
			},
		},
		{
			name: "known values: the optimal assignment is not the greedy one",
			// x1 — y1 is the closest pair (100 m), but pairing x1–y2 and
			// x2–y1 (200 m each) costs 80 000 against 100² + 500² = 260 000.
			truth: truth(1,
				vessel("x1", home, 0, 1, false),
				vessel("x2", offset(home, 90, 300), 0, 1, false)),
			tracks: cat(
				follow(1, offset(home, 90, 100), 0, 1, false),
				follow(2, offset(home, 270, 200), 0, 1, false)),
			check: func(t *testing.T, r Result) {
				want(t, "assigned", r.Assigned, 2)
				want(t, "gospa", r.GOSPA, math.Sqrt(200*200*2))
				want(t, "ospa", r.OSPA, math.Sqrt(200*200*2/2.0))
			},
		},
		{
			name:   "nothing at all at some grid times",
			truth:  truth(10, vessel("a", home, 0, 5, false)),
			tracks: follow(1, home, 0, 5, false),
			opt:    Options{MaxAge: time.Second},
			check: func(t *testing.T, r Result) {
				want(t, "samples", r.Samples, 10)
				want(t, "gospa", r.GOSPA, 0)
				want(t, "ospa", r.OSPA, 0)
			},
		},
		{
			name:   "a false track when no vessel exists",
			truth:  truth(10, vessel("a", home, 0, 5, false)),
			tracks: follow(1, home, 0, 10, false),
			opt:    Options{MaxAge: time.Second},
			check: func(t *testing.T, r Result) {
				want(t, "gospa", r.GOSPA, missedCost/2) // false at 5 of 10 times
				want(t, "ospa", r.OSPA, 250.0)          // c at 5 of 10 times
				want(t, "false", r.False, 5)
			},
		},
		{
			name: "crossing targets swap ids: two switches",
			truth: truth(20,
				vessel("a", east, 0, 20, false),
				vessel("b", north, 0, 20, false)),
			tracks: cat(
				follow(1, east, 0, 10, false), follow(2, north, 0, 10, false),
				follow(1, north, 10, 20, false), follow(2, east, 10, 20, false)),
			check: func(t *testing.T, r Result) {
				want(t, "id_switches", r.IDSwitches, 2)
				want(t, "fragmentations", r.Fragmentations, 0)
				want(t, "gospa", r.GOSPA, 0)
			},
		},
		{
			name:   "lost and found under the same id: one fragmentation",
			truth:  truth(20, vessel("a", east, 0, 20, false)),
			tracks: cat(follow(1, east, 0, 5, false), follow(1, east, 10, 20, false)),
			opt:    Options{MaxAge: time.Second},
			check: func(t *testing.T, r Result) {
				want(t, "id_switches", r.IDSwitches, 0)
				want(t, "fragmentations", r.Fragmentations, 1)
				want(t, "missed", r.Missed, 5)
			},
		},
		{
			name:   "lost and found under a new id: a switch and a fragmentation",
			truth:  truth(20, vessel("a", east, 0, 20, false)),
			tracks: cat(follow(1, east, 0, 5, false), follow(7, east, 10, 20, false)),
			opt:    Options{MaxAge: time.Second},
			check: func(t *testing.T, r Result) {
				want(t, "id_switches", r.IDSwitches, 1)
				want(t, "fragmentations", r.Fragmentations, 1)
			},
		},
		{
			name:   "a vessel that leaves and returns is no fragmentation",
			truth:  truth(20, vessel("a", east, 0, 5, false), vessel("a2", east, 10, 20, false)),
			tracks: cat(follow(1, east, 0, 5, false), follow(1, east, 10, 20, false)),
			opt:    Options{MaxAge: time.Second},
			check: func(t *testing.T, r Result) {
				want(t, "fragmentations", r.Fragmentations, 0)
				want(t, "gospa", r.GOSPA, 0)
			},
		},
		{
			name:   "staleness: a state counts up to MaxAge after its time",
			truth:  truth(10, vessel("a", home, 0, 10, false)),
			tracks: follow(1, home, 0, 1, false),
			opt:    Options{MaxAge: 30 * time.Second},
			check: func(t *testing.T, r Result) {
				// Counted at 0, 10, 20 and 30 s; missed at the 6 later times.
				want(t, "assigned", r.Assigned, 4)
				want(t, "gospa", r.GOSPA, missedCost*6/10)
			},
		},
		{
			name:  "dropped takes a track out until it comes back",
			truth: truth(10, vessel("a", home, 0, 10, false)),
			tracks: cat(
				follow(1, home, 0, 1, false),
				[]TrackState{{T: at(2), ID: 1, Status: StatusDropped, Lat: 36, Lon: -5.5}},
				follow(1, home, 5, 6, false)),
			opt: Options{MaxAge: time.Hour},
			check: func(t *testing.T, r Result) {
				// At 0, 1 (stale but within the hour), then 5 onwards.
				want(t, "assigned", r.Assigned, 7)
				want(t, "fragmentations", r.Fragmentations, 1)
			},
		},
		{
			name:  "tentative tracks are not scored",
			truth: truth(10, vessel("a", home, 0, 10, false)),
			tracks: func() []TrackState {
				ts := follow(1, home, 0, 10, false)
				for i := range 3 {
					ts[i].Status = StatusTentative
				}
				ts[9].Status = StatusCoasting
				return ts
			}(),
			check: func(t *testing.T, r Result) {
				want(t, "assigned", r.Assigned, 7)
				want(t, "tracks_scored", r.TracksScored, 1)
			},
		},
		{
			name:   "dead reckoning carries a stale state along its course",
			truth:  truth(30, vessel("a", east, 0, 30, false)),
			tracks: []TrackState{{T: at(0), ID: 1, Status: StatusConfirmed, Lat: 36, Lon: -5.6, SOG: 12, COG: 90}},
			opt:    Options{MaxAge: time.Hour},
			check: func(t *testing.T, r Result) {
				want(t, "assigned", r.Assigned, 30)
				if r.GOSPAMax > 1e-3 {
					t.Errorf("gospa_max = %g, want ≈ 0", r.GOSPAMax)
				}
			},
		},
		{
			name:   "without speed a stale state stays behind",
			truth:  truth(30, vessel("a", east, 0, 30, false)),
			tracks: []TrackState{{T: at(0), ID: 1, Status: StatusConfirmed, Lat: 36, Lon: -5.6, COG: 90}},
			opt:    Options{MaxAge: time.Hour},
			check: func(t *testing.T, r Result) {
				// 12 kn is 61.7 m per step: past the cut-off after 9 steps.
				want(t, "assigned", r.Assigned, 9)
			},
		},
		{
			name: "dark targets",
			truth: truth(10,
				// Dark and covered, tracked by a dark track for 6 of 10 times.
				vessel("d1", home, 0, 10, true),
				// Dark and covered, tracked by a track not flagged dark.
				vessel("d2", away, 0, 10, true),
				// Dark but covered only at 2 times, tracked dark at those.
				func() Vessel {
					v := vessel("d3", east, 0, 10, true)
					for i := range v.Samples {
						v.Samples[i].Covered = i < 2
					}
					return v
				}(),
				// With AIS, wrongly flagged dark by its track.
				vessel("a1", north, 0, 10, false)),
			tracks: cat(
				follow(1, home, 0, 6, true),
				follow(2, away, 0, 10, false),
				follow(3, east, 0, 10, true),
				follow(4, north, 0, 10, true)),
			opt: Options{MaxAge: time.Second},
			check: func(t *testing.T, r Result) {
				d := r.Dark
				want(t, "truth_instances", d.TruthInstances, 22)
				want(t, "track_instances", d.TrackInstances, 26)
				want(t, "recall", *d.Recall, 8/22.0)
				// Tracks 1 and 3 are on non-AIS vessels (3 also where
				// uncovered), track 4 is not.
				want(t, "precision", *d.Precision, 16/26.0)
				want(t, "objects.truth", d.Objects.Truth, 3)
				want(t, "objects.detected", d.Objects.Detected, 2)
				want(t, "objects.tracks", d.Objects.Tracks, 3)
				want(t, "objects.correct", d.Objects.Correct, 2)
			},
		},
		{
			name:   "no dark targets and no dark tracks: null ratios",
			truth:  truth(10, vessel("a", home, 0, 10, false)),
			tracks: follow(1, home, 0, 10, false),
			check: func(t *testing.T, r Result) {
				d := r.Dark
				if d.Precision != nil || d.Recall != nil || d.Objects.Precision != nil || d.Objects.Recall != nil {
					t.Errorf("dark ratios = %v %v %v %v, want all null", d.Precision, d.Recall, d.Objects.Precision, d.Objects.Recall)
				}
				b, err := json.Marshal(r)
				if err != nil {
					t.Fatal(err)
				}
				var back map[string]any
				if err := json.Unmarshal(b, &back); err != nil {
					t.Fatal(err)
				}
				if v, ok := back["dark_target"].(map[string]any)["precision"]; !ok || v != nil {
					t.Errorf("dark_target.precision in JSON = %v, want null", v)
				}
			},
		},
		{
			name:   "empty input",
			truth:  &Truth{},
			tracks: nil,
			check: func(t *testing.T, r Result) {
				want(t, "samples", r.Samples, 0)
				want(t, "gospa", r.GOSPA, 0)
				if _, err := json.Marshal(r); err != nil {
					t.Errorf("marshal: %v", err)
				}
			},
		},
		{
			name:  "defaults",
			truth: &Truth{},
			opt:   Options{Cutoff: -1, Order: 0.5, MaxAge: -time.Second},
			check: func(t *testing.T, r Result) {
				want(t, "cutoff_m", r.CutoffM, DefaultCutoff)
				want(t, "order", r.Order, DefaultOrder)
				want(t, "max_age_s", r.MaxAgeS, DefaultMaxAge.Seconds())
				want(t, "alpha", r.Alpha, 2.0)
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, Evaluate(tc.truth, tc.tracks, tc.opt))
		})
	}
}

func want[T int | float64](t *testing.T, name string, got, want T) {
	t.Helper()
	if !near(float64(got), float64(want)) {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}

// TestEvaluateOrderFree checks that the order in which the tracker wrote
// its states does not matter, and that the input is left alone.
func TestEvaluateOrderFree(t *testing.T) {
	tr := truth(20, vessel("a", east, 0, 20, false), vessel("b", north, 0, 20, true))
	tracks := cat(follow(1, east, 0, 20, false), follow(2, offset(north, 10, 50), 0, 20, true))
	ref := Evaluate(tr, tracks, Options{})
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		shuffled := slices.Clone(tracks)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		before := slices.Clone(shuffled)
		got := Evaluate(tr, shuffled, Options{})
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(ref)
		if string(a) != string(b) {
			t.Fatalf("shuffled input scored\n%s\nwant\n%s", a, b)
		}
		for i := range before {
			if !before[i].T.Equal(shuffled[i].T) || before[i].ID != shuffled[i].ID {
				t.Fatal("Evaluate reordered its input")
			}
		}
	}
}

// TestEvaluateDecomposition checks that the p-th powers of the GOSPA terms
// add up to the mean of GOSPA(s)ᵖ.
func TestEvaluateDecomposition(t *testing.T) {
	tr := truth(10, vessel("a", home, 0, 10, false), vessel("b", away, 0, 7, false), vessel("c", east, 3, 10, false))
	tracks := cat(follow(1, offset(home, 0, 120), 0, 10, false), follow(2, offset(east, 0, 300), 0, 10, false), follow(3, still(35, -5), 0, 4, false))
	for _, p := range []float64{1, 2, 3} {
		r := Evaluate(tr, tracks, Options{Order: p, MaxAge: time.Second})
		var mean float64
		for k := range 10 {
			one := sliceAt(tr, k)
			rk := Evaluate(one, tracks, Options{Order: p, MaxAge: time.Second})
			mean += math.Pow(rk.GOSPA, p) / 10
		}
		sum := math.Pow(r.GOSPALocalisation, p) + math.Pow(r.GOSPAMissed, p) + math.Pow(r.GOSPAFalse, p)
		if !near(sum, mean) {
			t.Errorf("p=%g: terms add up to %g, mean GOSPAᵖ is %g", p, sum, mean)
		}
	}
}

// sliceAt is tr reduced to its grid time k.
func sliceAt(tr *Truth, k int) *Truth {
	out := &Truth{Start: at(k), End: at(k), StepSeconds: tr.StepSeconds}
	for _, v := range tr.Vessels {
		for _, s := range v.Samples {
			if s.T.Equal(at(k)) {
				out.Vessels = append(out.Vessels, Vessel{ID: v.ID, Samples: []Sample{s}})
			}
		}
	}
	return out
}
