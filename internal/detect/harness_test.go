package detect

import (
	"testing"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/source"
	"pharos/internal/track"
)

// t0 is the start of every synthetic scene.
var t0 = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

// leg is a stretch of a synthetic target's motion.
type leg struct {
	dur    time.Duration
	speed  float64 // knots
	course float64 // degrees
}

// target is a synthetic vessel: where it starts and how it moves.
type target struct {
	lat, lon float64
	mmsi     uint32 // 0: no AIS
	legs     []leg
	static   *model.VesselStatic // sent once with the first AIS report
}

// at returns the target's position, speed and course dt into its motion.
func (g target) at(dt time.Duration) (lat, lon, sog, cog float64) {
	lat, lon = g.lat, g.lon
	for _, l := range g.legs {
		step := min(dt, l.dur)
		lat, lon = geo.Destination(lat, lon, l.course, l.speed*geo.Knot*step.Seconds())
		sog, cog = l.speed, l.course
		if dt -= step; dt <= 0 {
			return
		}
	}
	return lat, lon, 0, cog // its motion is over: it lies still
}

// scene generates observations of targets: AIS every aisEvery for those
// with an MMSI, a perfect radar plot every 3 s for those without (radar at
// the given site covering everything), for the given duration.
func scene(targets []target, dur, aisEvery time.Duration) []model.Observation {
	var obs []model.Observation
	for sec := time.Duration(0); sec <= dur; sec += time.Second {
		ts := t0.Add(sec)
		for i, g := range targets {
			lat, lon, sog, cog := g.at(sec)
			switch {
			case g.mmsi != 0 && sec%aisEvery == 0:
				o := model.NewObservation(ts, "ais", model.SensorAIS)
				o.MMSI, o.Lat, o.Lon, o.SOG, o.COG = g.mmsi, lat, lon, sog, cog
				if sec == 0 {
					o.Static = g.static
				}
				obs = append(obs, o)
			case g.mmsi == 0 && sec%(3*time.Second) == time.Duration(i%3)*time.Second:
				o := model.NewObservation(ts, testRadar.ID, model.SensorRadar)
				o.Lat, o.Lon, o.PosError = lat, lon, 20
				obs = append(obs, o)
			}
		}
	}
	return obs
}

var testRadar = source.RadarSite{ID: "test", Lat: 36.0, Lon: -5.6, Range: 200e3, Period: 3 * time.Second}

// detectEvents runs observations through a tracker and the detectors and
// returns the events in the order they were handed out.
func detectEvents(t *testing.T, obs []model.Observation, dets ...Detector) []model.Event {
	t.Helper()
	var events []model.Event
	eng := NewEngine(func(ev *model.Event) { events = append(events, *ev) }, dets...)
	tr := track.New(track.Config{Radars: []source.RadarSite{testRadar}}, eng.Observe)
	for i := range obs {
		tr.Add(&obs[i])
		eng.Advance(tr.Now())
	}
	tr.Flush()
	eng.Flush()
	return events
}
