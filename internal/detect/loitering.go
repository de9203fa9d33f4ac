package detect

import (
	"fmt"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// Loitering finds a vessel that stays slow, far out, for hours: what a
// vessel meeting another that shows no AIS looks like, or one waiting at
// sea for a transhipment. The definition is Global Fishing Watch's
// (globalfishingwatch.org FAQ "What is a loitering event?", the GFW
// technical documentation's Loitering chapter, and its pipe-loitering
// pipeline):
//
//   - the track is cut into hourly blocks (Block, 1 h, on the clock's
//     hours as GFW groups positions by hour); a block's average speed is
//     the distance run between positions over the time they cover, the
//     step into the block from the last position before it included;
//   - a block is slow when that average is below MaxSpeed (2 kn);
//     consecutive slow blocks form one loitering run, which starts at the
//     last position before its first block;
//   - the run is an event when it lasts MinDuration (2 h, as Pharos
//     requires; GFW's carrier portal shows runs from 1 h) and its average
//     distance from shore, weighted by time, is at least MinShore (20 nm).
//
// Positions are taken SampleEvery (5 min) apart: GFW works on AIS, whose
// positions are good to metres, while a radar track's position wanders by
// tens of metres from scan to scan and summing every wander would make a
// still target look under way. The distance from shore is measured only
// on steps slower than three times MaxSpeed, the only ones that can belong
// to a slow block, so that ships under way cost no coast queries, and
// counts at most four times MinShore, which bounds the search.
//
// Ports. GFW's loitering events are not kept away from ports: the 20 nm
// from shore does that work, and its published events only report the
// distance from port at their start and end (GFW Events API,
// startDistanceFromPortKm and endDistanceFromPortKm). So Loitering
// names the nearest port within 100 km in the event's details
// ("nearest_port", "nearest_port_km") and, by default, excludes nothing;
// MinPortDistance, 0 by default, lets an operator also keep runs away
// from the ports of Ports, for a terminal or anchorage so far out that
// the 20 nm from shore does not exclude it: a run with a slow step nearer
// a port than that is no event.
//
// The event opens when the block that makes the run long enough ends, and
// closes with the first block that is not slow, a gap of more than a block
// between positions, or the track's loss. Without Land the distance from
// shore is unknown and the detector reports nothing: every ship at anchor
// off a port would otherwise loiter.
type Loitering struct {
	MaxSpeed    float64       // knots; default 2
	MinDuration time.Duration // default 2 h
	MinShore    float64       // metres; default 20 nm
	Block       time.Duration // default 1 h
	SampleEvery time.Duration // default 5 min
	// MinPortDistance is how far, metres, a run's slow steps must keep
	// from the nearest port of Ports; default 0, none (as GFW).
	MinPortDistance float64
	Land            *geo.Land  // nil: no events
	Ports           *geo.Ports // nil: no port named, none kept away from

	state     map[uint64]*loiterState
	nextBlock time.Time // when the blocks in progress end
}

type loiterFix struct {
	t        time.Time
	lat, lon float64
}

// loiterStats sum a stretch of track: distance run, time, and distance
// from shore integrated over the time it was measured for.
type loiterStats struct {
	path, secs        float64
	shoreInt, shoreTs float64
	nearPort          bool // a slow step within MinPortDistance of a port
}

func (a *loiterStats) add(b loiterStats) {
	a.path += b.path
	a.secs += b.secs
	a.shoreInt += b.shoreInt
	a.shoreTs += b.shoreTs
	a.nearPort = a.nearPort || b.nearPort
}

// speed is the average speed in knots.
func (a loiterStats) speed() float64 { return a.path / a.secs / geo.Knot }

type loiterState struct {
	mmsi     uint32
	lastSeen time.Time
	last     loiterFix // the last position sampled
	sampled  bool

	block      time.Time // start of the block in progress
	blockFrom  loiterFix // the position its first step starts from
	blockStats loiterStats

	run        loiterStats // the slow run, if any
	runFrom    loiterFix   // where and when it started
	runTo      time.Time   // its last position's time
	runBlocks  int
	inRun, hit bool // hit: the run is an event
}

func (d *Loitering) defaults() {
	if d.MaxSpeed == 0 {
		d.MaxSpeed = 2
	}
	if d.MinDuration == 0 {
		d.MinDuration = 2 * time.Hour
	}
	if d.MinShore == 0 {
		d.MinShore = 20 * geo.NauticalMile
	}
	if d.Block == 0 {
		d.Block = time.Hour
	}
	if d.SampleEvery == 0 {
		d.SampleEvery = 5 * time.Minute
	}
	if d.state == nil {
		d.state = map[uint64]*loiterState{}
	}
}

// Type implements Detector.
func (d *Loitering) Type() string { return "loitering" }

// Observe implements Detector.
func (d *Loitering) Observe(t *track.Track, r *Recorder) {
	if d.Land == nil {
		return
	}
	d.defaults()
	s := d.state[t.ID]
	if t.Status == track.Dropped {
		if s != nil {
			d.closeBlock(t.ID, s, r)
			d.endRun(t.ID, s, r)
			delete(d.state, t.ID)
		}
		return
	}
	if t.Status != track.Confirmed || t.OwnAsset {
		return
	}
	if s == nil {
		s = &loiterState{}
		d.state[t.ID] = s
	}
	s.lastSeen, s.mmsi = t.Updated, MMSIOf(t)
	if s.sampled && t.Updated.Sub(s.last.t) < d.SampleEvery {
		return
	}
	lat, lon := t.Position()
	fix := loiterFix{t.Updated, lat, lon}
	block := fix.t.Truncate(d.Block)
	switch {
	case !s.sampled:
		s.sampled, s.block, s.blockFrom = true, block, fix
	case fix.t.Sub(s.last.t) > d.Block:
		// Not seen for more than a block: what it did meanwhile is
		// unknown, so a run cannot bridge the gap.
		d.closeBlock(t.ID, s, r)
		d.endRun(t.ID, s, r)
		s.block, s.blockFrom, s.blockStats = block, fix, loiterStats{}
	default:
		if !block.Equal(s.block) {
			d.closeBlock(t.ID, s, r)
			s.block, s.blockFrom, s.blockStats = block, s.last, loiterStats{}
		}
		d.step(s, fix)
	}
	s.last = fix
	if next := block.Add(d.Block); d.nextBlock.IsZero() || next.Before(d.nextBlock) {
		d.nextBlock = next
	}
}

// step adds the step from the last sampled position to fix to the block in
// progress.
func (d *Loitering) step(s *loiterState, fix loiterFix) {
	dist := geo.Distance(s.last.lat, s.last.lon, fix.lat, fix.lon)
	secs := fix.t.Sub(s.last.t).Seconds()
	s.blockStats.path += dist
	s.blockStats.secs += secs
	if dist/secs < 3*d.MaxSpeed*geo.Knot {
		shore := offshore(d.Land, fix.lat, fix.lon, 4*d.MinShore)
		s.blockStats.shoreInt += shore * secs
		s.blockStats.shoreTs += secs
		if d.MinPortDistance > 0 && d.Ports != nil && !s.blockStats.nearPort {
			s.blockStats.nearPort = d.Ports.DistanceWithin(fix.lat, fix.lon, d.MinPortDistance) < d.MinPortDistance
		}
	}
}

// closeBlock ends the block in progress: a slow block extends the run, any
// other ends it.
func (d *Loitering) closeBlock(id uint64, s *loiterState, r *Recorder) {
	b := s.blockStats
	s.blockStats = loiterStats{}
	if b.secs == 0 {
		return // no step in it yet
	}
	if b.speed() >= d.MaxSpeed {
		d.endRun(id, s, r)
		return
	}
	if !s.inRun {
		s.inRun, s.runFrom, s.run, s.runBlocks = true, s.blockFrom, loiterStats{}, 0
	}
	s.run.add(b)
	s.runTo = s.last.t
	s.runBlocks++
	dur := s.runTo.Sub(s.runFrom.t)
	if dur < d.MinDuration || s.run.shoreTs == 0 || s.run.shoreInt/s.run.shoreTs < d.MinShore || s.run.nearPort {
		return
	}
	key := loiterKey(id)
	ev := r.Get(key)
	if ev == nil {
		ev = r.Open(key, model.Event{
			Type: "loitering", Category: model.CategoryOther, Start: s.runFrom.t, TrackIDs: []uint64{id},
			Impact: model.ImpactLow,
			Params: map[string]float64{"max_speed_kn": d.MaxSpeed, "min_duration_s": d.MinDuration.Seconds(),
				"min_shore_m": d.MinShore, "block_s": d.Block.Seconds(), "sample_s": d.SampleEvery.Seconds(),
				"min_port_distance_m": d.MinPortDistance},
		})
		ev.Evidence = append(ev.Evidence, model.Evidence{Time: s.runFrom.t, TrackID: id, Lat: s.runFrom.lat, Lon: s.runFrom.lon})
	}
	if s.mmsi != 0 && len(ev.MMSI) == 0 {
		ev.MMSI = []uint32{s.mmsi}
	}
	s.hit = true
	ev.Lat, ev.Lon = s.last.lat, s.last.lon
	ev.Confidence = max(0.5, min1(0.5+0.5*float64(dur-d.MinDuration)/float64(d.MinDuration)))
	ev.Details = map[string]any{"duration_h": round1(dur.Hours()), "avg_speed_kn": round1(s.run.speed()),
		"distance_nm": round1(s.run.path / geo.NauticalMile), "blocks": s.runBlocks,
		"avg_shore_nm": round1(s.run.shoreInt / s.run.shoreTs / geo.NauticalMile)}
	addNearestPort(ev.Details, d.Ports, ev.Lat, ev.Lon)
	if len(ev.Evidence) < maxEvidence {
		ev.Evidence = append(ev.Evidence, model.Evidence{Time: s.last.t, TrackID: id, Lat: s.last.lat, Lon: s.last.lon,
			SOG: round1(b.speed())})
	}
}

// endRun closes the run's event, if it became one, at the run's last
// position.
func (d *Loitering) endRun(id uint64, s *loiterState, r *Recorder) {
	if s.hit {
		r.Close(loiterKey(id), s.runTo)
	}
	s.inRun, s.hit = false, false
}

// Tick implements Detector: at the end of each block it closes the blocks
// in progress, so that a run becomes an event on the hour rather than at a
// vessel's next position; it forgets tracks not seen for two blocks.
func (d *Loitering) Tick(now time.Time, r *Recorder) {
	if d.Land == nil {
		return
	}
	d.defaults()
	if d.nextBlock.IsZero() || now.Before(d.nextBlock) {
		return
	}
	block := now.Truncate(d.Block)
	d.nextBlock = block.Add(d.Block)
	for _, id := range sortedKeys(d.state) {
		s := d.state[id]
		if now.Sub(s.lastSeen) > 2*d.Block {
			d.closeBlock(id, s, r)
			d.endRun(id, s, r)
			delete(d.state, id)
			continue
		}
		if s.sampled && s.block.Before(block) {
			d.closeBlock(id, s, r)
			s.block, s.blockFrom = block, s.last
		}
	}
}

func loiterKey(id uint64) string { return fmt.Sprint("loitering/", id) }
