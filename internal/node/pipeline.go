package node

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"pharos/internal/detect"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/risk"
	"pharos/internal/store"
	"pharos/internal/tak"
	"pharos/internal/track"
)

// How the pipeline stores track history: in batches of historyBatch
// states, and whatever it holds every historyEvery. It shows the
// detections under way every openEvery.
const (
	historyBatch = 1000
	historyEvery = time.Second
	storeQueue   = 64 // writes waiting for the store
	openEvery    = time.Second
	// assetEvery is how often an own asset's position moves its record in
	// the operational layer (its track streams at every update).
	assetEvery = 10 * time.Second
)

// Pipeline runs a node's sources through the tracker, the detectors and
// the risk assessor into the picture and the store, on one goroutine.
// Observations without a time of their own are stamped when they arrive.
type Pipeline struct {
	sources  []Source
	obs      chan model.Observation
	tracker  *track.Tracker
	engine   *detect.Engine
	watch    *detect.Watchlist
	assessor *risk.Assessor
	pic      *picture.Picture
	st       store.Store
	errLog   *log.Logger
	history  []model.TrackState
	// toStore takes the pipeline's writes — batches of history,
	// detections, incidents, asset records — to the writer goroutine, in
	// order, so	// that the store's disk time is not the tracker's.
	toStore chan storeWrite
	// shown is what the picture was last shown of each open detection.
	shown     map[string]shownDetection
	watchlist chan []detect.WatchEntry
	// assetShown is when each own asset's track last moved its record.
	assetShown map[uint64]time.Time
	// cot are the Cursor-on-Target outputs; they never block.
	cot     []*tak.Sender
	cotURLs []string

	mu      sync.RWMutex
	current map[uint64]model.TrackState // live tracks' latest states

	observations prometheus.Counter
	trackUpdates prometheus.Counter
	detections   *prometheus.CounterVec
	storeErrors  prometheus.Counter
}

// shownDetection is what changes an open detection's look.
type shownDetection struct {
	lat, lon   float64
	impact     model.ImpactLevel
	confidence float64
	evidence   int
}

func newPipeline(cfg *Config, areas *geo.Areas, pic *picture.Picture, st store.Store, errLog *log.Logger) (*Pipeline, error) {
	land, err := geo.LoadLand()
	if err != nil {
		return nil, err
	}
	dets, err := cfg.DetectorSet(land, areas)
	if err != nil {
		return nil, err
	}
	p := &Pipeline{obs: make(chan model.Observation, 4096), pic: pic, st: st, errLog: errLog,
		assessor: cfg.Assessor(), shown: map[string]shownDetection{}, assetShown: map[uint64]time.Time{}, current: map[uint64]model.TrackState{},
		watchlist: make(chan []detect.WatchEntry, 1),
		observations: prometheus.NewCounter(prometheus.CounterOpts{Name: "pharos_observations_total",
			Help: "Observations the sources delivered to the pipeline."}),
		trackUpdates: prometheus.NewCounter(prometheus.CounterOpts{Name: "pharos_track_updates_total",
			Help: "Changes of confirmed tracks."}),
		detections: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pharos_detections_total",
			Help: "Detections that ended, by type."}, []string{"type"}),
		storeErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "pharos_store_errors_total",
			Help: "Writes of the pipeline the store refused."}),
	}
	for _, d := range dets {
		if w, ok := d.(*detect.Watchlist); ok {
			p.watch = w
		}
	}
	p.engine = detect.NewEngine(p.ended, dets...)
	p.tracker = track.New(track.Config{Radars: cfg.Sites(), OwnAssets: cfg.OwnAssets}, p.updated)
	p.tracker.Rejected = p.engine.ObserveRejected
	return p, nil
}

// Collectors are the pipeline's metrics.
func (p *Pipeline) Collectors() []prometheus.Collector {
	list := []prometheus.Collector{p.observations, p.trackUpdates, p.detections, p.storeErrors}
	for i, c := range p.cot {
		labels := prometheus.Labels{"output": p.cotURLs[i]}
		list = append(list,
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "pharos_cot_sent_total", ConstLabels: labels,
				Help: "Cursor-on-Target events sent."}, func() float64 { return float64(c.Stats().Sent) }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "pharos_cot_dropped_total", ConstLabels: labels,
				Help: "Cursor-on-Target events dropped because the output fell behind."}, func() float64 { return float64(c.Stats().Dropped) }))
	}
	return append(list,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "pharos_pipeline_queue",
			Help: "Observations waiting for the tracker."}, func() float64 { return float64(len(p.obs)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "pharos_live_tracks",
			Help: "Confirmed live tracks."}, func() float64 {
			p.mu.RLock()
			defer p.mu.RUnlock()
			return float64(len(p.current))
		}),
	)
}

// SetWatchlist replaces the watchlist the detectors look for; the
// pipeline takes it up between two observations.
func (p *Pipeline) SetWatchlist(entries []detect.WatchEntry) {
	select {
	case <-p.watchlist: // an older list not yet taken up
	default:
	}
	p.watchlist <- entries
}

// Run reads the sources and processes what they deliver until ctx ends,
// then stores the history it holds.
func (p *Pipeline) Run(ctx context.Context) {
	srcCtx, stopSources := context.WithCancel(ctx)
	defer stopSources()
	var sources sync.WaitGroup
	errs := make(chan error, len(p.sources))
	send := func(o model.Observation) {
		if o.Time.IsZero() {
			o.Time = time.Now().UTC()
		}
		select {
		case p.obs <- o:
		case <-srcCtx.Done():
		}
	}
	for _, s := range p.sources {
		sources.Go(func() { errs <- s.Run(srcCtx, send) })
	}
	p.toStore = make(chan storeWrite, storeQueue)
	stored := make(chan struct{})
	go func() { p.writeStore(); close(stored) }()
	defer func() { close(p.toStore); <-stored }()
	history := time.NewTicker(historyEvery)
	defer history.Stop()
	open := time.NewTicker(openEvery)
	defer open.Stop()
	for {
		select {
		case o := <-p.obs:
			p.observations.Inc()
			p.tracker.Add(&o)
			p.engine.Advance(p.tracker.Now())
		case entries := <-p.watchlist:
			if p.watch != nil {
				p.watch.SetEntries(entries)
			}
		case <-history.C:
			p.storeHistory()
		case <-open.C:
			p.showOpen()
		case err := <-errs:
			if err != nil && ctx.Err() == nil {
				p.errLog.Printf("input: %v", err)
			}
		case <-ctx.Done():
			stopSources()
			sources.Wait()
			p.storeHistory()
			return
		}
	}
}

// updated takes a track's change: its state for the live list and the
// history, then the detectors and the risk assessor.
func (p *Pipeline) updated(t *track.Track) {
	st := trackState(t)
	p.mu.Lock()
	gone := false
	if t.Status == track.Dropped {
		_, gone = p.current[t.ID]
		delete(p.current, t.ID)
	} else if t.Status == track.Confirmed {
		p.current[t.ID] = st
	}
	p.mu.Unlock()
	if gone {
		p.pic.TrackGone(t.ID)
	}
	if t.Status == track.Confirmed && t.OwnAsset {
		p.assetSeen(t, st)
	}
	if t.Status == track.Confirmed {
		p.trackUpdates.Inc()
		p.pic.TrackChanged(st)
		for _, c := range p.cot {
			c.Track(st)
		}
		p.history = append(p.history, st)
		if len(p.history) >= historyBatch {
			p.storeHistory()
		}
	}
	p.engine.Observe(t)
	p.assessor.Track(t)
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

// storeHistory hands the track states held to the writer.
func (p *Pipeline) storeHistory() {
	if len(p.history) == 0 {
		return
	}
	batch := p.history
	p.write("track history", func(ctx context.Context) error { return p.st.AddTrackStates(ctx, batch) })
	p.history = make([]model.TrackState, 0, historyBatch)
}

// storeWrite is one write the writer goroutine makes; what names it in
// the error log.
type storeWrite struct {
	what string
	do   func(context.Context) error
}

// write hands a write to the writer goroutine. When the store falls
// storeQueue writes behind, the pipeline waits for it: nothing is
// dropped.
func (p *Pipeline) write(what string, do func(context.Context) error) {
	p.toStore <- storeWrite{what, do}
}

// writeStore makes the writes it is handed, in order.
func (p *Pipeline) writeStore() {
	for w := range p.toStore {
		if err := w.do(context.Background()); err != nil {
			p.storeErrors.Inc()
			p.errLog.Printf("%s: %v", w.what, err)
		}
	}
}

// ended takes a detection that ended: assessed, into the picture and the
// store, with the incident it opened or changed.
func (p *Pipeline) ended(ev *model.Event) {
	p.detections.WithLabelValues(ev.Type).Inc()
	delete(p.shown, ev.ID)
	p.assessor.Event(ev)
	p.publish(*ev)
}

// showOpen puts into the picture the detections under way that are new or
// changed since last shown, and withdraws those that went without ending.
func (p *Pipeline) showOpen() {
	open := map[string]bool{}
	p.engine.EachOpen(func(ev *model.Event) {
		open[ev.ID] = true
		look := shownDetection{lat: ev.Lat, lon: ev.Lon, impact: ev.Impact, confidence: ev.Confidence, evidence: len(ev.Evidence)}
		if was, ok := p.shown[ev.ID]; ok && was == look {
			return
		}
		p.shown[ev.ID] = look
		p.publish(copyEvent(ev))
	})
	for id := range p.shown {
		if !open[id] {
			delete(p.shown, id)
			p.pic.Withdraw(id)
		}
	}
}

// publish assesses a detection's risk and puts it into the picture and
// the store, with the incident it opened or changed.
func (p *Pipeline) publish(ev model.Event) {
	r := p.assessor.AssessEvent(&ev)
	ev.Risk = &r
	p.write("detection "+ev.ID, func(ctx context.Context) error { return p.st.SaveDetection(ctx, ev) })
	for _, c := range p.cot {
		c.Event(ev)
	}
	if id := p.pic.Detect(ev); id != "" {
		// The incident as it stands when written: an operator may have
		// changed it since, through the API, which stores at once.
		p.write("incident "+id, func(ctx context.Context) error {
			if in, ok := p.pic.Incident(id); ok {
				return p.st.SaveIncident(ctx, in)
			}
			return nil
		})
	}
}

// copyEvent copies what a detector may go on changing in an open event.
func copyEvent(ev *model.Event) model.Event {
	c := *ev
	c.MMSI = slices.Clone(ev.MMSI)
	c.TrackIDs = slices.Clone(ev.TrackIDs)
	c.Params = maps.Clone(ev.Params)
	c.Details = maps.Clone(ev.Details)
	c.Evidence = slices.Clone(ev.Evidence)
	return c
}

// Tracks returns the live tracks' latest states, by track ID.
func (p *Pipeline) Tracks() []model.TrackState {
	p.mu.RLock()
	defer p.mu.RUnlock()
	list := make([]model.TrackState, 0, len(p.current))
	for _, st := range p.current {
		list = append(list, st)
	}
	slices.SortFunc(list, func(a, b model.TrackState) int { return cmp.Compare(a.TrackID, b.TrackID) })
	return list
}

// assetSeen moves an own asset's record in the operational layer to its
// track's place, at most every assetEvery: the record that names the
// track's MMSI or Cursor-on-Target uid, or a new one the node makes.
func (p *Pipeline) assetSeen(t *track.Track, st model.TrackState) {
	if last, ok := p.assetShown[t.ID]; ok && st.Time.Sub(last) < assetEvery {
		return
	}
	p.assetShown[t.ID] = st.Time
	var a picture.Asset
	found := false
	for _, it := range p.pic.Items(picture.KindAsset) {
		var c picture.Asset
		if it.Decode(&c) == nil && (c.MMSI != 0 && c.MMSI == st.MMSI || c.UID != "" && c.UID == t.AssetUID) {
			a, found = c, true
			break
		}
	}
	if !found {
		a = picture.Asset{ID: assetID(st.MMSI, t.AssetUID, t.ID), Type: "patrol_vessel", Status: "on_mission",
			MMSI: st.MMSI, UID: t.AssetUID}
		a.Name = cmp.Or(st.Name, t.AssetUID, a.ID)
	}
	a.Lat, a.Lon, a.Time, a.Track = st.Lat, st.Lon, st.Time, t.ID
	b, err := json.Marshal(a)
	if err != nil {
		return
	}
	it, err := p.pic.Put(picture.KindAsset, b, p.pic.Node, st.Time)
	if err != nil {
		p.errLog.Printf("asset %s: %v", a.ID, err)
		return
	}
	p.write("asset "+it.ID, func(ctx context.Context) error {
		if it, ok := p.pic.Item(picture.KindAsset, it.ID); ok { // as it stands when written
			return p.st.SaveItem(ctx, store.LayerItem(it))
		}
		return nil
	})
}

// assetID names the record of an own asset the node found itself.
func assetID(mmsi uint32, uid string, track uint64) string {
	if mmsi != 0 {
		return fmt.Sprintf("asset-%d", mmsi)
	}
	if uid != "" {
		uid = uid[:min(len(uid), 100)]
		return "asset-" + strings.Map(func(r rune) rune {
			if picture.IDRune(r) {
				return r
			}
			return '-'
		}, uid)
	}
	return fmt.Sprintf("asset-track-%d", track)
}
