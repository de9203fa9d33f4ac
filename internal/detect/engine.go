package detect

import (
	"fmt"
	"slices"
	"time"

	"pharos/internal/model"
	"pharos/internal/track"
)

// Detector finds one type of event.
type Detector interface {
	// Type is the event type the detector reports (a fixed API name).
	Type() string
	// Observe sees a track after each change, in event-time order. The
	// track is valid only during the call: keep copies, not the pointer.
	Observe(t *track.Track, r *Recorder)
	// Tick lets event time pass, at least every TickEvery, so that a
	// detector can close events or notice what did not happen.
	Tick(now time.Time, r *Recorder)
}

// TickEvery is the longest stretch of event time between two Ticks: often
// enough for closing events on time, rare enough that visiting every
// track's state costs little.
const TickEvery = 30 * time.Second

// Engine runs detectors over a tracker's output.
type Engine struct {
	dets     []Detector
	rec      Recorder
	nextTick time.Time
}

// NewEngine runs the given detectors; sink receives every event once, when
// it closes (or at Flush for those still open).
func NewEngine(sink func(*model.Event), dets ...Detector) *Engine {
	return &Engine{dets: dets, rec: Recorder{sink: sink, open: map[string]*model.Event{}, seq: map[string]int{}}}
}

// Observe hands a changed track to every detector.
func (e *Engine) Observe(t *track.Track) {
	e.Advance(t.Updated)
	for _, d := range e.dets {
		d.Observe(t, &e.rec)
	}
}

// ObserveRejected hands an AIS report the tracker refused, with its track,
// to the detectors that want them (RejectedObserver).
func (e *Engine) ObserveRejected(o *model.Observation, t *track.Track) {
	e.Advance(o.Time)
	for _, d := range e.dets {
		if ro, ok := d.(RejectedObserver); ok {
			ro.ObserveRejected(o, t, &e.rec)
		}
	}
}

// Advance moves the event-time clock, ticking the detectors as it passes
// each TickEvery.
func (e *Engine) Advance(now time.Time) {
	if !now.After(e.rec.now) {
		return
	}
	e.rec.now = now
	if e.nextTick.IsZero() {
		e.nextTick = now.Add(TickEvery)
		return
	}
	if now.Before(e.nextTick) {
		return
	}
	for _, d := range e.dets {
		d.Tick(now, &e.rec)
	}
	e.nextTick = now.Add(TickEvery)
}

// Flush ticks the detectors a last time and hands out the events still
// open, in the order they opened, with no end.
func (e *Engine) Flush() {
	for _, d := range e.dets {
		d.Tick(e.rec.now, &e.rec)
	}
	for _, key := range e.rec.openKeys() {
		e.rec.sink(e.rec.open[key])
		delete(e.rec.open, key)
	}
	e.rec.order = nil
}

// EachOpen calls fn with each event still open, in the order they
// opened, so that a live node can show what is under way before it ends.
// The event is the detector's own: fn reads it during the call, and keeps
// a copy if anything.
func (e *Engine) EachOpen(fn func(*model.Event)) {
	for _, key := range e.rec.openKeys() {
		fn(e.rec.open[key])
	}
}

// Recorder keeps the open events of all detectors by key, so that a
// behaviour that goes on is one event, updated, not many.
type Recorder struct {
	sink  func(*model.Event)
	now   time.Time
	open  map[string]*model.Event
	order []string // keys in the order their events opened
	seq   map[string]int
}

// Now is the event-time clock.
func (r *Recorder) Now() time.Time { return r.now }

// Open starts an event under key unless one is open there already; either
// way it returns the open event, which the caller may update in place.
// The event's ID is set from its type and a sequence number.
func (r *Recorder) Open(key string, ev model.Event) *model.Event {
	if open, ok := r.open[key]; ok {
		return open
	}
	r.seq[ev.Type]++
	ev.ID = fmt.Sprintf("%s-%06d", ev.Type, r.seq[ev.Type])
	if ev.MMSI == nil {
		ev.MMSI = []uint32{} // a list, also when empty
	}
	if ev.TrackIDs == nil {
		ev.TrackIDs = []uint64{}
	}
	p := &ev
	r.open[key] = p
	r.order = append(r.order, key)
	return p
}

// Get returns the event open under key, or nil.
func (r *Recorder) Get(key string) *model.Event { return r.open[key] }

// Close ends the event open under key at end and hands it to the sink.
func (r *Recorder) Close(key string, end time.Time) {
	ev, ok := r.open[key]
	if !ok {
		return
	}
	ev.End = end
	delete(r.open, key)
	r.sink(ev)
	if len(r.order) > 4*len(r.open)+64 {
		r.compact()
	}
}

// Discard forgets the event open under key without reporting it: the
// behaviour did not last long enough to be one.
func (r *Recorder) Discard(key string) { delete(r.open, key) }

// openKeys returns the keys of the open events in the order the events
// opened. The opening order keeps the keys of ended events until it is
// compacted, so a key reopened since is in it more than once: its last
// place is the open event's.
func (r *Recorder) openKeys() []string {
	keys := make([]string, 0, len(r.open))
	seen := make(map[string]bool, len(r.open))
	for i := len(r.order) - 1; i >= 0; i-- {
		k := r.order[i]
		if _, ok := r.open[k]; ok && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	slices.Reverse(keys)
	return keys
}

// compact drops closed keys from the opening order.
func (r *Recorder) compact() {
	keep := r.order[:0]
	for _, k := range r.order {
		if _, ok := r.open[k]; ok {
			keep = append(keep, k)
		}
	}
	r.order = keep
}

// EvidenceOf is a track's current state as evidence.
func EvidenceOf(t *track.Track) model.Evidence {
	lat, lon := t.Position()
	sog, cog := t.Velocity()
	return model.Evidence{Time: t.Updated, TrackID: t.ID, Lat: lat, Lon: lon, SOG: sog, COG: cog, Sensors: t.Sensors.Names()}
}

// MMSIOf is the track's MMSI, or 0.
func MMSIOf(t *track.Track) uint32 {
	if t.Identity == nil {
		return 0
	}
	return t.Identity.MMSI
}
