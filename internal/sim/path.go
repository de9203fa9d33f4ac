package sim

import (
	"math"
	"sort"
	"time"

	"pharos/internal/geo"
)

// leg is a stretch of a trajectory at constant course and speed (speed 0:
// lying still).
type leg struct {
	t0       time.Time
	dur      time.Duration
	lat, lon float64
	course   float64 // degrees true
	speed    float64 // m/s
}

// path is a vessel's whole trajectory: legs back to back from its first
// appearance to its last.
type path struct{ legs []leg }

func (p *path) begin() time.Time { return p.legs[0].t0 }

func (p *path) end() time.Time {
	l := p.legs[len(p.legs)-1]
	return l.t0.Add(l.dur)
}

// present reports whether the vessel exists at t.
func (p *path) present(t time.Time) bool {
	return len(p.legs) > 0 && !t.Before(p.begin()) && !t.After(p.end())
}

// at returns position, speed (knots) and course at t, which must be within
// the path.
func (p *path) at(t time.Time) (lat, lon, sog, cog float64) {
	i := sort.Search(len(p.legs), func(i int) bool { return p.legs[i].t0.After(t) }) - 1
	i = max(i, 0)
	l := p.legs[i]
	dt := t.Sub(l.t0).Seconds()
	lat, lon = geo.Destination(l.lat, l.lon, l.course, l.speed*dt)
	return lat, lon, l.speed / geo.Knot, l.course
}

// pathBuilder appends legs.
type pathBuilder struct {
	legs     []leg
	t        time.Time
	lat, lon float64
}

func (b *pathBuilder) moveTo(lat, lon, knots float64) {
	d := geo.Distance(b.lat, b.lon, lat, lon)
	if d < 1 || knots <= 0 {
		return
	}
	speed := knots * geo.Knot
	dur := time.Duration(d / speed * float64(time.Second))
	b.legs = append(b.legs, leg{t0: b.t, dur: dur, lat: b.lat, lon: b.lon,
		course: geo.Bearing(b.lat, b.lon, lat, lon), speed: speed})
	b.t = b.t.Add(dur)
	b.lat, b.lon = lat, lon
}

// The last approachRun metres to a stop are run at approachSpeed knots.
const approachRun, approachSpeed = 500.0, 4.0

// approach moves to a point where the vessel will stop: at its speed until
// the last approachRun metres, then slowly, as vessels take way off before
// a berth or a meeting instead of stopping dead.
func (b *pathBuilder) approach(lat, lon, knots float64) {
	d := geo.Distance(b.lat, b.lon, lat, lon)
	if knots <= approachSpeed || d <= 2*approachRun {
		b.moveTo(lat, lon, knots)
		return
	}
	slowLat, slowLon := geo.Destination(b.lat, b.lon, geo.Bearing(b.lat, b.lon, lat, lon), d-approachRun)
	b.moveTo(slowLat, slowLon, knots)
	b.moveTo(lat, lon, approachSpeed)
}

func (b *pathBuilder) wait(d time.Duration) {
	if d <= 0 {
		return
	}
	b.legs = append(b.legs, leg{t0: b.t, dur: d, lat: b.lat, lon: b.lon})
	b.t = b.t.Add(d)
}

// buildPath lays out a vessel's trajectory from start: its route at its
// speed with its waits, back and forth if it loops, until end; a drift
// replaces whatever follows the engine failure.
func buildPath(v *Vessel, start, end time.Time) path {
	b := pathBuilder{t: start.Add(v.Begin.D()), lat: v.Route[0].lat(), lon: v.Route[0].lon()}
	waits := map[int]time.Duration{}
	for _, w := range v.Waits {
		waits[w.At] += w.For.D()
	}
	route, forward := v.Route, true
	for pass := 0; ; pass++ {
		for k := range route {
			idx := k
			if !forward {
				idx = len(route) - 1 - k
			}
			last := k == len(route)-1
			stops := waits[idx] > 0 || (last && !v.Loop && !v.Leave)
			if k > 0 {
				if stops {
					b.approach(route[k].lat(), route[k].lon(), v.Speed)
				} else {
					b.moveTo(route[k].lat(), route[k].lon(), v.Speed)
				}
			} else if pass > 0 {
				continue // the turning point: its wait was taken on arrival
			}
			b.wait(waits[idx])
		}
		if !v.Loop || !b.t.Before(end) || len(route) < 2 {
			break
		}
		route, forward = reversed(route), !forward
	}
	if !v.Leave || len(b.legs) == 0 {
		b.wait(end.Sub(b.t)) // lies at its last waypoint until the end
	}
	p := path{legs: b.legs}
	if v.Drift != nil {
		p.drift(start.Add(v.Drift.After.D()), v.Drift.Speed, v.Drift.Course, end)
	}
	return p
}

func reversed(r []Point) []Point {
	out := make([]Point, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// drift cuts the path at t and continues it adrift until end.
func (p *path) drift(t time.Time, knots, course float64, end time.Time) {
	if !p.present(t) {
		return
	}
	lat, lon, _, _ := p.at(t)
	i := sort.Search(len(p.legs), func(i int) bool { return p.legs[i].t0.After(t) }) - 1
	p.legs = p.legs[:i+1]
	p.legs[i].dur = t.Sub(p.legs[i].t0)
	p.legs = append(p.legs, leg{t0: t, dur: end.Sub(t), lat: lat, lon: lon, course: course, speed: knots * geo.Knot})
}

// clip ends the path at the first moment it would touch land, as a boat
// that drifts ashore stops there.
func (p *path) clip(land Land) {
	if land == nil {
		return
	}
	for i, l := range p.legs {
		if l.speed == 0 {
			continue
		}
		lat, lon := geo.Destination(l.lat, l.lon, l.course, l.speed*l.dur.Seconds())
		if !land.CrossesLand(l.lat, l.lon, lat, lon) {
			continue
		}
		// Bisect for the last point at sea.
		lo, hi := 0.0, l.dur.Seconds()
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			la, lo2 := geo.Destination(l.lat, l.lon, l.course, l.speed*mid)
			if land.CrossesLand(l.lat, l.lon, la, lo2) {
				hi = mid
			} else {
				lo = mid
			}
		}
		p.legs[i].dur = time.Duration(math.Floor(lo)) * time.Second
		p.legs = p.legs[:i+1]
		return
	}
}
