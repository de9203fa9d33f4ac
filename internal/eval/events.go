package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"pharos/internal/geo"
	"pharos/internal/lap"
	"pharos/internal/model"
)

// Event scoring matches the events a run detected with the scenario's true
// events, type by type, one to one. True events during which no sensor
// covered any of their vessels are counted apart (Unseen) and not scored:
// no node could have seen them. A detected event can match a true one
// when their time windows overlap (each widened by EventSlack) and, at
// some moment of the overlap, the detected event's evidence (or, without
// evidence, its position at its start) lies within EventDistance of one of
// the true event's vessels. Among the possible pairs, the matching
// minimises the total difference of start times.
const (
	EventSlack    = 5 * time.Minute
	EventDistance = 2000.0 // metres
)

// EventScore is how well one event type was detected.
type EventScore struct {
	Truth       int      `json:"truth"`    // true events some sensor covered while they happened
	Unseen      int      `json:"unseen"`   // true events no sensor covered: not scored
	Detected    int      `json:"detected"` // events the run reported
	Matched     int      `json:"matched"`
	Precision   *float64 `json:"precision"`
	Recall      *float64 `json:"recall"`
	F1          *float64 `json:"f1"`
	StartErrorS *float64 `json:"start_error_s"` // mean |detected start − true start| of matched pairs
}

// ReadEvents reads events.jsonl, one event a line.
func ReadEvents(r io.Reader) ([]model.Event, error) {
	var out []model.Event
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var ev model.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		out = append(out, ev)
	}
	return out, sc.Err()
}

// EvaluateEvents scores detected events against the truth's events, for
// every type that either has.
func EvaluateEvents(tr *Truth, events []model.Event) map[string]EventScore {
	vessels := map[string]*Vessel{}
	for i := range tr.Vessels {
		vessels[tr.Vessels[i].ID] = &tr.Vessels[i]
	}
	types := map[string]bool{}
	for _, e := range tr.Events {
		types[e.Type] = true
	}
	for _, e := range events {
		types[e.Type] = true
	}
	out := map[string]EventScore{}
	var solver lap.Solver
	for typ := range types {
		var truth []Event
		var det []model.Event
		unseen := 0
		for _, e := range tr.Events {
			if e.Type != typ {
				continue
			}
			if !coveredDuring(&e, vessels, tr.End) {
				unseen++ // no sensor of the node could see it happen
				continue
			}
			truth = append(truth, e)
		}
		for _, e := range events {
			if e.Type == typ {
				det = append(det, e)
			}
		}
		sc := scoreType(truth, det, vessels, tr.End, &solver)
		sc.Unseen = unseen
		out[typ] = sc
	}
	return out
}

func scoreType(truth []Event, det []model.Event, vessels map[string]*Vessel, end time.Time, solver *lap.Solver) EventScore {
	s := EventScore{Truth: len(truth), Detected: len(det)}
	if len(truth) > 0 && len(det) > 0 {
		// Rows: true events; columns: detected events and one "missed"
		// column per true event.
		rows, cols := len(truth), len(det)+len(truth)
		cost := make([]float64, rows*cols)
		for i := range truth {
			for j := range det {
				cost[i*cols+j] = lap.Forbidden
				if eventsMatch(&truth[i], &det[j], vessels, end) {
					cost[i*cols+j] = math.Abs(det[j].Start.Sub(truth[i].Start).Seconds())
				}
			}
			for j := len(det); j < cols; j++ {
				cost[i*cols+j] = lap.Forbidden
			}
			cost[i*cols+len(det)+i] = lap.Forbidden / 2
		}
		assign := make([]int, rows)
		solver.Solve(cost, rows, cols, assign)
		var errSum float64
		for i, j := range assign {
			if j < len(det) && cost[i*cols+j] < lap.Forbidden/2 {
				s.Matched++
				errSum += cost[i*cols+j]
			}
		}
		if s.Matched > 0 {
			s.StartErrorS = ptr(errSum / float64(s.Matched))
		}
	}
	if s.Detected > 0 {
		s.Precision = ptr(float64(s.Matched) / float64(s.Detected))
	}
	if s.Truth > 0 {
		s.Recall = ptr(float64(s.Matched) / float64(s.Truth))
	}
	if s.Precision != nil && s.Recall != nil && *s.Precision+*s.Recall > 0 {
		s.F1 = ptr(2 * *s.Precision * *s.Recall / (*s.Precision + *s.Recall))
	}
	return s
}

func ptr(v float64) *float64 { return &v }

// eventsMatch reports whether a detected event can be the true one: their
// windows overlap, and the detection was where one of the true vessels was.
func eventsMatch(t *Event, d *model.Event, vessels map[string]*Vessel, end time.Time) bool {
	tEnd, dEnd := t.End, d.End
	if tEnd.IsZero() {
		tEnd = end
	}
	if dEnd.IsZero() {
		dEnd = end
	}
	if d.Start.After(tEnd.Add(EventSlack)) || dEnd.Before(t.Start.Add(-EventSlack)) {
		return false
	}
	points := d.Evidence
	if len(points) == 0 {
		points = []model.Evidence{{Time: d.Start, Lat: d.Lat, Lon: d.Lon}}
	}
	for _, id := range t.Vessels {
		v := vessels[id]
		if v == nil {
			continue
		}
		for _, p := range points {
			if s, ok := sampleNear(v, p.Time); ok && geo.Distance(s.Lat, s.Lon, p.Lat, p.Lon) <= EventDistance {
				return true
			}
		}
	}
	return false
}

// coveredDuring reports whether one of the event's vessels was covered by
// a sensor at some sample of the event's window.
func coveredDuring(e *Event, vessels map[string]*Vessel, end time.Time) bool {
	stop := e.End
	if stop.IsZero() {
		stop = end
	}
	for _, id := range e.Vessels {
		v := vessels[id]
		if v == nil {
			continue
		}
		for _, s := range v.Samples {
			if s.Covered && !s.T.Before(e.Start) && !s.T.After(stop) {
				return true
			}
		}
	}
	return false
}

// sampleNear returns the vessel's sample closest in time to t, within a
// minute.
func sampleNear(v *Vessel, t time.Time) (Sample, bool) {
	i := sort.Search(len(v.Samples), func(i int) bool { return !v.Samples[i].T.Before(t) })
	best, ok := Sample{}, false
	for _, k := range []int{i - 1, i} {
		if k < 0 || k >= len(v.Samples) {
			continue
		}
		if d := v.Samples[k].T.Sub(t).Abs(); d <= time.Minute && (!ok || d < best.T.Sub(t).Abs()) {
			best, ok = v.Samples[k], true
		}
	}
	return best, ok
}
