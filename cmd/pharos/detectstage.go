package main

import (
	"time"

	"pharos/internal/model"
	"pharos/internal/track"
)

// detectStage runs detection and risk on a goroutine of their own, fed in
// batches with copies of the tracker's output in the order it happened, so
// that tracking and detecting use both cores and the result is the same
// as in one goroutine.
type detectStage struct {
	batch []stageItem
	full  chan []stageItem
	free  chan []stageItem
	done  chan struct{}
}

// stageItem is one thing that happened: a track changed (with copies of
// the track and its identity, which the tracker goes on changing), the
// tracker refused an AIS report for a track, or event time moved on.
type stageItem struct {
	kind stageKind
	t    track.Track
	id   track.Identity
	obs  model.Observation
	now  time.Time
}

type stageKind uint8

const (
	stageTrack stageKind = iota
	stageRejected
	stageAdvance
)

const stageBatch = 256

// handler receives the items on the stage's goroutine.
type stageHandler interface {
	track(t *track.Track)
	rejected(o *model.Observation, t *track.Track)
	advance(now time.Time)
}

func newDetectStage(h stageHandler) *detectStage {
	s := &detectStage{full: make(chan []stageItem, 4), free: make(chan []stageItem, 4), done: make(chan struct{})}
	s.batch = make([]stageItem, 0, stageBatch)
	go func() {
		defer close(s.done)
		for batch := range s.full {
			for i := range batch {
				it := &batch[i]
				switch it.kind {
				case stageTrack:
					h.track(&it.t)
				case stageRejected:
					h.rejected(&it.obs, &it.t)
				case stageAdvance:
					h.advance(it.now)
				}
			}
			select {
			case s.free <- batch[:0]:
			default:
			}
		}
	}()
	return s
}

// next returns the next free item of the batch.
func (s *detectStage) next(kind stageKind) *stageItem {
	if len(s.batch) == cap(s.batch) {
		s.full <- s.batch
		select {
		case s.batch = <-s.free:
		default:
			s.batch = make([]stageItem, 0, stageBatch)
		}
	}
	s.batch = s.batch[:len(s.batch)+1]
	it := &s.batch[len(s.batch)-1]
	it.kind = kind
	return it
}

// copyTrack copies t into the item, identity included.
func (it *stageItem) copyTrack(t *track.Track) {
	it.t = *t
	if t.Identity != nil {
		it.id = *t.Identity
		it.t.Identity = &it.id
	}
}

func (s *detectStage) track(t *track.Track) { s.next(stageTrack).copyTrack(t) }

func (s *detectStage) rejected(o *model.Observation, t *track.Track) {
	it := s.next(stageRejected)
	it.obs = *o
	it.copyTrack(t)
}

func (s *detectStage) advance(now time.Time) { s.next(stageAdvance).now = now }

// close hands over what is left and waits until the stage has handled it.
func (s *detectStage) close() {
	s.full <- s.batch
	close(s.full)
	<-s.done
}
