package picture

import (
	"slices"

	"pharos/internal/model"
)

// Change is one change of the picture: an incident's new state, a
// section's, a detection's, or a live track's.
type Change struct {
	Incident *Incident         `json:"incident,omitempty"`
	Section  *Section          `json:"section,omitempty"`
	Track    *model.TrackState `json:"track,omitempty"`
	// TrackGone is the ID of a live track the tracker dropped.
	TrackGone uint64 `json:"track_gone,omitempty"`
	// Detection is a detection's new state: open (no end) while the
	// behaviour goes on, then ended.
	Detection *model.Event `json:"detection,omitempty"`
	// Withdrawn is the ID of an open detection that turned out to be none.
	Withdrawn string `json:"withdrawn,omitempty"`
	// Item is a record of the operational or analysis layer, new or
	// changed; Deleted names one taken out.
	Item    *Item    `json:"item,omitempty"`
	Deleted *ItemRef `json:"deleted,omitempty"`
	// Dropped counts the changes this watcher missed just before this one
	// because it did not keep up; the watcher should read the picture
	// afresh.
	Dropped int `json:"dropped,omitempty"`
}

// watcher is one subscriber to changes.
type watcher struct {
	ch      chan Change
	keep    func(*Change) bool // nil: every change
	dropped int
}

// Watch returns a channel of the picture's changes from now on, holding
// up to buffer of them, and a function that stops them and closes the
// channel. A change that finds the channel full is dropped for that
// watcher alone, and the next change it gets says how many it missed: a
// slow reader never holds up the picture.
func (p *Picture) Watch(buffer int) (<-chan Change, func()) {
	return p.WatchOnly(buffer, nil)
}

// WatchOnly is Watch for the changes keep accepts: a watcher of incidents
// alone is not flooded, and made to drop, by thousands of track changes.
func (p *Picture) WatchOnly(buffer int, keep func(*Change) bool) (<-chan Change, func()) {
	w := &watcher{ch: make(chan Change, buffer), keep: keep}
	p.mu.Lock()
	if p.watchers == nil {
		p.watchers = map[*watcher]struct{}{}
	}
	p.watchers[w] = struct{}{}
	p.mu.Unlock()
	return w.ch, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if _, ok := p.watchers[w]; ok {
			delete(p.watchers, w)
			close(w.ch)
		}
	}
}

// TrackChanged tells the watchers of a live track's new state. The
// picture does not keep tracks (the tracker does); it passes them on.
func (p *Picture) TrackChanged(st model.TrackState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.watchers) > 0 {
		st.Sensors = slices.Clone(st.Sensors)
		p.notify(Change{Track: &st})
	}
}

// TrackGone tells the watchers that a live track ended: the tracker
// dropped it.
func (p *Picture) TrackGone(id uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.watchers) > 0 {
		p.notify(Change{TrackGone: id})
	}
}

// incidentChanged tells the watchers of an incident's new state; the
// caller holds the lock.
func (p *Picture) incidentChanged(in *Incident) {
	if len(p.watchers) > 0 {
		c := in.clone()
		p.notify(Change{Incident: &c})
	}
}

// notify hands a change to every watcher without waiting; the caller
// holds the lock.
func (p *Picture) notify(c Change) {
	for w := range p.watchers {
		if w.keep != nil && !w.keep(&c) {
			continue
		}
		c.Dropped = w.dropped
		select {
		case w.ch <- c:
			w.dropped = 0
		default:
			w.dropped++
		}
	}
}
