package eval

import (
	"cmp"
	"math"
	"slices"
	"time"

	"pharos/internal/geo"
)

// Defaults of Options.
const (
	DefaultCutoff = 500.0       // metres
	DefaultOrder  = 2.0         // p
	DefaultMaxAge = time.Minute // staleness allowed to a track's last state: two class B reporting intervals
)

// Alpha is GOSPA's α. It is fixed at 2, the value for which GOSPA splits
// into localisation, missed and false terms.
const Alpha = 2

// maxGrid bounds the number of grid times taken from start, end and step;
// a truth file whose grid would be larger is scored at its sample times
// only, rather than spending hours on a mistyped step.
const maxGrid = 1 << 22

// Options set the scoring parameters. A zero or invalid field (a cut-off
// not above zero, an order below 1, a non-finite value, a MaxAge not above
// zero) takes its default; Result reports the values used.
type Options struct {
	Cutoff float64       // c, metres
	Order  float64       // p ≥ 1
	MaxAge time.Duration // how stale a track's last state may be and still count
}

func (o Options) withDefaults() Options {
	if !(o.Cutoff > 0) || math.IsInf(o.Cutoff, 0) {
		o.Cutoff = DefaultCutoff
	}
	if !(o.Order >= 1) || math.IsInf(o.Order, 0) {
		o.Order = DefaultOrder
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	return o
}

// Result is the score of one run. Means are over the scored times and are
// 0 when there are none; ratios whose denominator is zero are nil (null in
// JSON).
type Result struct {
	Samples int     `json:"samples"` // grid times scored
	CutoffM float64 `json:"cutoff_m"`
	Order   float64 `json:"order"`
	Alpha   float64 `json:"alpha"`
	MaxAgeS float64 `json:"max_age_s"`

	TruthInstances int `json:"truth_instances"` // Σ|X(s)|
	TrackInstances int `json:"track_instances"` // Σ|Y(s)|
	Tracks         int `json:"tracks"`          // distinct track ids in the input
	TracksScored   int `json:"tracks_scored"`   // distinct ids in at least one Y(s)

	// GOSPA is the mean over time of GOSPA(s), metres; GOSPAMax its largest.
	GOSPA    float64 `json:"gospa"`
	GOSPAMax float64 `json:"gospa_max"`
	// The decomposition, each the p-th root of the mean over time of its
	// term of GOSPA(s)ᵖ: (mean Σdᵖ)^(1/p), (mean cᵖ/2·missed)^(1/p),
	// (mean cᵖ/2·false)^(1/p). Their p-th powers add up to the mean of
	// GOSPA(s)ᵖ (not to the mean of GOSPA(s)).
	GOSPALocalisation float64 `json:"gospa_localisation"`
	GOSPAMissed       float64 `json:"gospa_missed"`
	GOSPAFalse        float64 `json:"gospa_false"`

	OSPA    float64 `json:"ospa"` // mean over time of OSPA(s), metres
	OSPAMax float64 `json:"ospa_max"`

	Assigned int `json:"assigned"` // Σ pairs closer than the cut-off
	Missed   int `json:"missed"`   // Σ truth instances left unassigned
	False    int `json:"false"`    // Σ estimates left unassigned
	// MeanErrorM is the mean distance of the assigned pairs.
	MeanErrorM *float64 `json:"mean_error_m"`

	IDSwitches     int `json:"id_switches"`
	Fragmentations int `json:"fragmentations"`

	Dark Dark `json:"dark_target"`
	// Events scores detected events by type (see EvaluateEvents); nil
	// when the run has no events file.
	Events map[string]EventScore `json:"events,omitempty"`
}

// Dark scores dark-target detection: vessels at sea without AIS that a
// sensor covers, against tracks the tracker flags dark.
type Dark struct {
	// Instance level, over all grid times.
	Precision      *float64    `json:"precision"`
	Recall         *float64    `json:"recall"`
	TruthInstances int         `json:"truth_instances"` // Σ|D(s)|
	TrackInstances int         `json:"track_instances"` // Σ|Ydark(s)|
	Objects        DarkObjects `json:"objects"`
}

// DarkObjects scores dark-target detection per vessel and per track.
type DarkObjects struct {
	Precision *float64 `json:"precision"` // Correct / Tracks
	Recall    *float64 `json:"recall"`    // Detected / Truth
	Truth     int      `json:"truth"`     // vessels with at least one covered dark sample
	Detected  int      `json:"detected"`  // of which assigned to a dark track for ≥ half of those samples
	Tracks    int      `json:"tracks"`    // track ids flagged dark in at least one Y(s)
	Correct   int      `json:"correct"`   // of which assigned to a non-AIS vessel for ≥ half of those instances
}

// stateKey orders track states by time, then by their place in the input
// (a stable sort, at the price of an unstable one).
type stateKey struct {
	t int64 // Unix nanoseconds
	i int
}

// slot follows one track id through the sweep over time.
type slot struct {
	id        uint64
	state     int  // index of its latest state with t ≤ s
	live      bool // in the live list
	scored    bool // appeared in some Y(s)
	dark      int  // instances in Ydark(s)
	darkRight int  // of which assigned to a vessel without AIS
}

// vesselScore follows one truth vessel through time.
type vesselScore struct {
	last         uint64 // track id of its latest assignment
	everAssigned bool
	assigned     bool // at its latest scored time
	coveredDark  int
	darkHits     int
}

// Evaluate scores tracks against the truth; see the package documentation
// for the exact definitions. It does not modify its arguments.
func Evaluate(tr *Truth, tracks []TrackState, opt Options) Result {
	opt = opt.withDefaults()
	c, p := opt.Cutoff, opt.Order
	res := Result{CutoffM: c, Order: p, Alpha: Alpha, MaxAgeS: opt.MaxAge.Seconds()}

	times := gridTimes(tr)
	res.Samples = len(times)

	// Truth samples bucketed by time (CSR: samples of time t are
	// at[first[t]:first[t+1]], each a vessel and a sample index).
	type ref struct{ v, s int }
	index := make(map[int64]int, len(times))
	for i, t := range times {
		index[t] = i
	}
	first := make([]int, len(times)+1)
	for _, v := range tr.Vessels {
		for _, s := range v.Samples {
			first[index[s.T.UnixNano()]+1]++
		}
	}
	for i := range times {
		first[i+1] += first[i]
	}
	at := make([]ref, first[len(times)])
	fill := slices.Clone(first[:len(times)])
	for vi, v := range tr.Vessels {
		for si, s := range v.Samples {
			t := index[s.T.UnixNano()]
			at[fill[t]] = ref{vi, si}
			fill[t]++
		}
	}

	// Track states in time order; a stable sort keeps processing order
	// among states of the same time, so the last one written wins.
	order := make([]stateKey, len(tracks))
	for i := range tracks {
		order[i] = stateKey{tracks[i].T.UnixNano(), i}
	}
	slices.SortFunc(order, func(a, b stateKey) int {
		return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.i, b.i))
	})

	var (
		slots  []slot
		slotOf = make(map[uint64]int)
		live   []int
		next   int

		m       = newMatcher(c, p)
		xs, ys  []point
		xRef    []ref
		ySlot   []int
		vessels = make([]vesselScore, len(tr.Vessels))

		sumG, sumL, sumM, sumF, sumO, sumD         float64
		darkTruth, darkTrack, recallHits, precHits int
	)
	maxAge := opt.MaxAge.Nanoseconds()
	for ti, now := range times {
		for ; next < len(order) && order[next].t <= now; next++ {
			st := &tracks[order[next].i]
			k, ok := slotOf[st.ID]
			if !ok {
				k = len(slots)
				slotOf[st.ID] = k
				slots = append(slots, slot{id: st.ID})
			}
			slots[k].state = order[next].i
			if !slots[k].live {
				slots[k].live = true
				live = append(live, k)
			}
		}

		// Estimates: live tracks whose latest state is scored and fresh.
		// A track that fails either stays out until its next state, as
		// time only moves on.
		ys, ySlot = ys[:0], ySlot[:0]
		kept := live[:0]
		for _, k := range live {
			st := &tracks[slots[k].state]
			age := now - st.T.UnixNano()
			if !st.Status.scored() || age > maxAge {
				slots[k].live = false
				continue
			}
			kept = append(kept, k)
			slots[k].scored = true
			ys = append(ys, deadReckon(st, age))
			ySlot = append(ySlot, k)
		}
		live = kept

		xs, xRef = xs[:0], xRef[:0]
		for _, r := range at[first[ti]:first[ti+1]] {
			s := &tr.Vessels[r.v].Samples[r.s]
			xs = append(xs, point{s.Lat, s.Lon})
			xRef = append(xRef, r)
		}

		m.match(xs, ys)

		var loc float64
		assigned := 0
		for i, r := range xRef {
			vs := &vessels[r.v]
			s := &tr.Vessels[r.v].Samples[r.s]
			dark := !s.AIS && s.Covered
			if dark {
				darkTruth++
				vs.coveredDark++
			}
			j := m.yOf[i]
			if j < 0 {
				vs.assigned = false
				continue
			}
			assigned++
			d := m.dOf[i]
			loc += m.pow(d)
			sumD += d
			id := slots[ySlot[j]].id
			if vs.everAssigned && id != vs.last {
				res.IDSwitches++
			}
			if vs.everAssigned && !vs.assigned {
				res.Fragmentations++
			}
			vs.last, vs.everAssigned, vs.assigned = id, true, true
			if dark && tracks[slots[ySlot[j]].state].Dark {
				recallHits++
				vs.darkHits++
			}
		}
		for j, k := range ySlot {
			if !tracks[slots[k].state].Dark {
				continue
			}
			darkTrack++
			slots[k].dark++
			if i := m.xOf[j]; i >= 0 && !tr.Vessels[xRef[i].v].Samples[xRef[i].s].AIS {
				precHits++
				slots[k].darkRight++
			}
		}

		nx, ny := len(xs), len(ys)
		missed, false_ := nx-assigned, ny-assigned
		mis := m.cp / 2 * float64(missed)
		fal := m.cp / 2 * float64(false_)
		g := math.Pow(loc+mis+fal, 1/p)
		var o float64
		if n := max(nx, ny); n > 0 {
			o = math.Pow((loc+m.cp*float64(n-assigned))/float64(n), 1/p)
		}
		sumG, sumL, sumM, sumF, sumO = sumG+g, sumL+loc, sumM+mis, sumF+fal, sumO+o
		res.GOSPAMax = max(res.GOSPAMax, g)
		res.OSPAMax = max(res.OSPAMax, o)
		res.Assigned += assigned
		res.Missed += missed
		res.False += false_
		res.TruthInstances += nx
		res.TrackInstances += ny
	}

	if n := float64(len(times)); n > 0 {
		res.GOSPA = sumG / n
		res.OSPA = sumO / n
		res.GOSPALocalisation = math.Pow(sumL/n, 1/p)
		res.GOSPAMissed = math.Pow(sumM/n, 1/p)
		res.GOSPAFalse = math.Pow(sumF/n, 1/p)
	}
	res.MeanErrorM = ratio(sumD, float64(res.Assigned))

	ids := make(map[uint64]struct{}, len(slotOf))
	for i := range tracks {
		ids[tracks[i].ID] = struct{}{}
	}
	res.Tracks = len(ids)

	dk := &res.Dark
	dk.TruthInstances, dk.TrackInstances = darkTruth, darkTrack
	dk.Recall = ratio(float64(recallHits), float64(darkTruth))
	dk.Precision = ratio(float64(precHits), float64(darkTrack))
	for _, vs := range vessels {
		if vs.coveredDark == 0 {
			continue
		}
		dk.Objects.Truth++
		if 2*vs.darkHits >= vs.coveredDark {
			dk.Objects.Detected++
		}
	}
	for _, s := range slots {
		if s.scored {
			res.TracksScored++
		}
		if s.dark == 0 {
			continue
		}
		dk.Objects.Tracks++
		if 2*s.darkRight >= s.dark {
			dk.Objects.Correct++
		}
	}
	dk.Objects.Recall = ratio(float64(dk.Objects.Detected), float64(dk.Objects.Truth))
	dk.Objects.Precision = ratio(float64(dk.Objects.Correct), float64(dk.Objects.Tracks))
	return res
}

// gridTimes lists, in order and without repeats, the times to score (Unix
// nanoseconds): the grid start + k·step up to end, and every sample time
// (which the simulator puts on that grid; one off it is scored too).
func gridTimes(tr *Truth) []int64 {
	var ts []int64
	step := time.Duration(math.Round(tr.StepSeconds * 1e9))
	if step > 0 && !tr.Start.IsZero() && !tr.End.Before(tr.Start) {
		if n := tr.End.Sub(tr.Start) / step; n < maxGrid {
			start := tr.Start.UnixNano()
			for k := range int64(n) + 1 {
				ts = append(ts, start+k*int64(step))
			}
		}
	}
	for _, v := range tr.Vessels {
		for _, s := range v.Samples {
			ts = append(ts, s.T.UnixNano())
		}
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// deadReckon moves a track state on by age nanoseconds along its course
// at its speed over ground.
func deadReckon(st *TrackState, age int64) point {
	if age <= 0 || !(st.SOG > 0) {
		return point{st.Lat, st.Lon}
	}
	lat, lon := geo.Destination(st.Lat, st.Lon, st.COG, st.SOG*geo.Knot*float64(age)/1e9)
	return point{lat, lon}
}

func ratio(num, den float64) *float64 {
	if den == 0 {
		return nil
	}
	r := num / den
	return &r
}
