package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log"
	"slices"
	"sync"
	"time"

	"pharos/internal/detect"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/node"
	"pharos/internal/picture"
	"pharos/internal/store"
	"pharos/internal/track"
)

// historyBatch is how many track states the live pipeline stores at once;
// it also stores whatever it holds every historyEvery.
const (
	historyBatch = 1000
	historyEvery = time.Second
)

// livePipeline runs a served node's live inputs through the tracker and
// the detectors into the picture and the store, on one goroutine. Lines
// without a time of their own are stamped when they arrive.
type livePipeline struct {
	feeds   []*liveFeed
	obs     chan model.Observation
	tracker *track.Tracker
	engine  *detect.Engine
	pic     *picture.Picture
	st      store.Store
	errLog  *log.Logger
	history []model.TrackState
	mu      sync.RWMutex
	current map[uint64]model.TrackState // live tracks' latest states
}

func newLivePipeline(cfg *node.Config, pic *picture.Picture, st store.Store, errLog *log.Logger) (*livePipeline, error) {
	land, err := geo.LoadLand()
	if err != nil {
		return nil, err
	}
	areas, err := cfg.AreaSet()
	if err != nil {
		return nil, err
	}
	dets, err := cfg.DetectorSet(land, areas)
	if err != nil {
		return nil, err
	}
	p := &livePipeline{obs: make(chan model.Observation, 4096), pic: pic, st: st, errLog: errLog,
		current: map[uint64]model.TrackState{}}
	p.engine = detect.NewEngine(p.detected, dets...)
	p.tracker = track.New(track.Config{Radars: cfg.Sites(), OwnAssets: cfg.OwnAssets}, p.updated)
	return p, nil
}

// open opens the live inputs, reporting each one's address on status;
// run then reads them.
func (p *livePipeline) open(inputs []string, cfg *node.Config, status io.Writer) error {
	for _, in := range inputs {
		f, err := newLiveFeed(in, cfg, func(addr string) { fmt.Fprintf(status, "input %s on %s\n", in, addr) })
		if err != nil {
			return err
		}
		p.feeds = append(p.feeds, f)
	}
	return nil
}

// run reads the open feeds and processes what they deliver until ctx
// ends, then stores the history it holds.
func (p *livePipeline) run(ctx context.Context) {
	feedCtx, stopFeeds := context.WithCancel(ctx)
	defer stopFeeds()
	var feeds sync.WaitGroup
	errs := make(chan error, len(p.feeds))
	for _, f := range p.feeds {
		send := func(o model.Observation) {
			if o.Time.IsZero() {
				o.Time = time.Now().UTC()
			}
			select {
			case p.obs <- o:
			case <-feedCtx.Done():
			}
		}
		feeds.Go(func() {
			if f.cot != nil {
				errs <- f.cot.Serve(feedCtx, send)
				return
			}
			errs <- f.run(feedCtx, func(line []byte) {
				if o, _, ok := f.dec.Line(line); ok {
					send(o)
				}
			})
		})
	}
	tick := time.NewTicker(historyEvery)
	defer tick.Stop()
	for {
		select {
		case o := <-p.obs:
			p.tracker.Add(&o)
			p.engine.Advance(p.tracker.Now())
		case <-tick.C:
			p.storeHistory()
		case err := <-errs:
			if err != nil && ctx.Err() == nil {
				p.errLog.Printf("input: %v", err)
			}
		case <-ctx.Done():
			stopFeeds()
			feeds.Wait()
			p.storeHistory()
			return
		}
	}
}

// updated takes a track's change: its state for the live list and the
// history, then the detectors.
func (p *livePipeline) updated(t *track.Track) {
	st := trackState(t)
	p.mu.Lock()
	if t.Status == track.Dropped {
		delete(p.current, t.ID)
	} else if t.Status == track.Confirmed {
		p.current[t.ID] = st
	}
	p.mu.Unlock()
	if t.Status == track.Confirmed {
		p.pic.TrackChanged(st)
		p.history = append(p.history, st)
		if len(p.history) >= historyBatch {
			p.storeHistory()
		}
	}
	p.engine.Observe(t)
}

func trackState(t *track.Track) model.TrackState {
	st := model.TrackState{Time: t.Updated, TrackID: t.ID, Dark: t.Dark(), Sensors: t.Sensors.Names()}
	st.Lat, st.Lon = t.Position()
	st.SOG, st.COG = t.Velocity()
	if t.Identity != nil {
		st.MMSI, st.Name = t.Identity.MMSI, t.Identity.Name
	}
	return st
}

// storeHistory stores the track states held.
func (p *livePipeline) storeHistory() {
	if len(p.history) == 0 {
		return
	}
	if err := p.st.AddTrackStates(context.Background(), p.history); err != nil {
		p.errLog.Printf("track history: %v", err)
	}
	p.history = p.history[:0]
}

// detected puts a detection into the picture and the store, with the
// incident it opened or changed.
func (p *livePipeline) detected(ev *model.Event) {
	ctx := context.Background()
	if err := p.st.SaveDetection(ctx, *ev); err != nil {
		p.errLog.Printf("detection %s: %v", ev.ID, err)
	}
	if id := p.pic.Detect(*ev); id != "" {
		if in, ok := p.pic.Incident(id); ok {
			if err := p.st.SaveIncident(ctx, in); err != nil {
				p.errLog.Printf("incident %s: %v", id, err)
			}
		}
	}
}

// tracks returns the live tracks' latest states, by track ID.
func (p *livePipeline) tracks() []model.TrackState {
	p.mu.RLock()
	defer p.mu.RUnlock()
	list := make([]model.TrackState, 0, len(p.current))
	for _, st := range p.current {
		list = append(list, st)
	}
	slices.SortFunc(list, func(a, b model.TrackState) int { return cmp.Compare(a.TrackID, b.TrackID) })
	return list
}
