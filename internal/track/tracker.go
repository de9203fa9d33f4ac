package track

import (
	"math"
	"math/bits"
	"slices"
	"time"

	"pharos/internal/ais"
	"pharos/internal/geo"
	"pharos/internal/lap"
	"pharos/internal/model"
	"pharos/internal/source"
)

// sweepEvery is how often, in event time, the tracker ages every track.
const sweepEvery = 10 * time.Second

// defaultRadarPeriod is a typical coastal radar's rotation, for radars the
// configuration does not describe.
const defaultRadarPeriod = 3 * time.Second

// lateTolerance is how far an observation may lag the tracker's clock:
// feeds merged from several receivers are a little out of order.
const lateTolerance = 2 * time.Minute

// Stats counts what the tracker did with its observations.
type Stats struct {
	Observations                       int
	Late                               int // older than the tracker's clock allows
	NoPosition                         int // kinematic reports without a position
	AISUpdates                         int
	AISRejected                        int // reports failing the kinematic check
	AISReinit                          int // tracks restarted after a long silence or repeated jumps
	AISTwins                           int // second tracks started for an MMSI heard in two places
	RadarPlots                         int
	RadarScans                         int
	RadarNew                           int // plots that started a track
	SatDetections, SatMatched, SatDark int
	SatLowConfidence                   int // unmatched detections too uncertain to start a dark track
	SatUnexplained                     int // unmatched detections inside radar cover that no radar saw
	AssetUpdates                       int
	Merged                             int // dark tracks found to be an AIS vessel seen before its AIS was heard
	Dropped                            int
}

// Tracker turns observations, in event-time order, into tracks. Its output
// is the callback given to New, called with every track that changed; the
// same input always gives the same calls in the same order.
type Tracker struct {
	cfg   Config
	emit  func(*Track)
	Stats Stats
	// Rejected, when set, is called with each AIS report the kinematic
	// check refuses and the track it was refused for: one MMSI in two
	// places is news for the detectors.
	Rejected func(o *model.Observation, t *Track)

	now       time.Time
	nextSweep time.Time
	nextID    uint64
	tracks    []*Track // live tracks in creation order
	byMMSI    map[uint32]*Track
	byUID     map[string]*Track
	identity  map[uint32]*Identity
	own       map[uint32]bool
	radars    []*radarState // by site id
	scenes    []*sceneBatch // waiting for SceneDelay

	asg   lap.Solver
	cost  []float64
	out   []int
	cands []candidate
}

type radarState struct {
	site  source.RadarSite
	plots []model.Observation
	start time.Time
}

type sceneBatch struct {
	scene *model.Scene
	time  time.Time
	dets  []model.Observation
}

// candidate is a track considered for a scan, with its state predicted to
// the scan's time.
type candidate struct {
	t        *Track
	f        filter
	lat, lon float64
	sigma    float64 // satellite matching: 1-sigma of the estimated position, metres
	covered  bool    // inside the sensor's coverage, so it should have been seen
	used     bool
}

// New returns a tracker. emit is called, from the calling goroutine, with
// every track that is created (once confirmed), updated, changes status or
// is dropped; the track is only valid during the call.
func New(cfg Config, emit func(*Track)) *Tracker {
	cfg = cfg.withDefaults()
	t := &Tracker{
		cfg:      cfg,
		emit:     emit,
		byMMSI:   map[uint32]*Track{},
		byUID:    map[string]*Track{},
		identity: map[uint32]*Identity{},
		own:      map[uint32]bool{},
	}
	for _, m := range cfg.OwnAssets {
		t.own[m] = true
	}
	for _, s := range cfg.Radars {
		if s.Period <= 0 {
			s.Period = defaultRadarPeriod
		}
		t.radars = append(t.radars, &radarState{site: s})
	}
	slices.SortFunc(t.radars, func(a, b *radarState) int {
		return compareStrings(a.site.ID, b.site.ID)
	})
	return t
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Tracks returns the live tracks in creation order.
func (t *Tracker) Tracks() []*Track { return t.tracks }

// Now is the tracker's clock: the latest event time it has seen.
func (t *Tracker) Now() time.Time { return t.now }

// Add takes one observation. Observations must come in event-time order,
// give or take a couple of minutes; older ones are counted as late.
func (t *Tracker) Add(o *model.Observation) {
	t.Stats.Observations++
	if !t.now.IsZero() && o.Time.Before(t.now.Add(-lateTolerance)) {
		t.Stats.Late++
		return
	}
	t.advance(o.Time)
	switch o.Sensor {
	case model.SensorAIS:
		t.ais(o)
	case model.SensorRadar:
		t.radarPlot(o)
	case model.SensorSatellite:
		t.satellite(o)
	case model.SensorAsset:
		t.asset(o)
	}
}

// Flush processes what waits (radar scans, satellite scenes) as at the end
// of the input, and ages the tracks to the last event time.
func (t *Tracker) Flush() {
	for _, rs := range t.radars {
		if len(rs.plots) > 0 {
			t.processScan(rs)
		}
	}
	for _, b := range t.scenes {
		t.processScene(b)
	}
	t.scenes = t.scenes[:0]
	t.sweep()
}

// advance moves the clock and does the work that falls due: scans whose
// period has ended, scenes whose delay has passed, the periodic sweep.
func (t *Tracker) advance(ts time.Time) {
	if !ts.After(t.now) {
		return
	}
	t.now = ts
	for _, rs := range t.radars {
		if len(rs.plots) > 0 && !ts.Before(rs.start.Add(rs.site.Period)) {
			t.processScan(rs)
		}
	}
	for len(t.scenes) > 0 && !ts.Before(t.scenes[0].time.Add(t.cfg.SceneDelay)) {
		t.processScene(t.scenes[0])
		t.scenes = t.scenes[1:]
	}
	if t.nextSweep.IsZero() {
		t.nextSweep = ts.Add(sweepEvery)
	}
	if !ts.Before(t.nextSweep) {
		t.sweep()
		t.nextSweep = ts.Add(sweepEvery)
	}
}

// sweep ages every track: coasting after a silence, dropped after a longer
// one.
func (t *Tracker) sweep() {
	live := t.tracks[:0]
	for _, tr := range t.tracks {
		coast, drop := t.cfg.DarkCoast, t.cfg.DarkDrop
		if !tr.Dark() {
			coast, drop = t.cfg.AISCoast, t.cfg.AISDrop
		}
		age := t.now.Sub(tr.Updated)
		switch {
		case age > drop || (tr.Status == Tentative && age > coast):
			t.drop(tr)
			continue
		case age > coast && tr.Status == Confirmed:
			tr.Status = Coasting
			t.emit(tr)
		}
		live = append(live, tr)
	}
	clear(t.tracks[len(live):])
	t.tracks = live
}

func (t *Tracker) drop(tr *Track) {
	wasShown := tr.Status != Tentative
	tr.Status, tr.Ended = Dropped, t.now
	t.Stats.Dropped++
	if tr.Identity != nil && t.byMMSI[tr.Identity.MMSI] == tr {
		delete(t.byMMSI, tr.Identity.MMSI)
		if tr.twin != nil {
			t.byMMSI[tr.Identity.MMSI] = tr.twin
		}
	}
	if tr.twin != nil {
		tr.twin.twin, tr.twin = nil, nil
	}
	if tr.AssetUID != "" && t.byUID[tr.AssetUID] == tr {
		delete(t.byUID, tr.AssetUID)
	}
	if wasShown {
		t.emit(tr)
	}
}

func (t *Tracker) newTrack(ts time.Time, lat, lon, q float64) *Track {
	t.nextID++
	tr := &Track{ID: t.nextID, Created: ts, Updated: ts, plane: geo.NewPlane(lat, lon), q: q}
	t.tracks = append(t.tracks, tr)
	return tr
}

// identityOf returns the identity record of an MMSI, shared by its tracks
// over time, so that static data received before any position is kept.
func (t *Tracker) identityOf(mmsi uint32) *Identity {
	id := t.identity[mmsi]
	if id == nil {
		id = &Identity{MMSI: mmsi, Flag: ais.Flag(mmsi)}
		t.identity[mmsi] = id
	}
	return id
}

// ais handles an AIS report: static data goes to the identity, a position
// updates the MMSI's track after a kinematic check.
func (t *Tracker) ais(o *model.Observation) {
	if o.Static != nil {
		id := t.identityOf(o.MMSI)
		s := o.Static
		if s.IMO != 0 {
			id.IMO = s.IMO
		}
		if s.Name != "" {
			id.Name = s.Name
		}
		if s.CallSign != "" {
			id.CallSign = s.CallSign
		}
		if s.ShipType != 0 {
			id.ShipType = s.ShipType
		}
		if s.Length() > 0 {
			id.Length, id.Beam = s.Length(), s.Beam()
		}
	}
	if !o.HasPosition() {
		if o.Static == nil {
			t.Stats.NoPosition++
		}
		return
	}
	tr := t.byMMSI[o.MMSI]
	if tr != nil && tr.twin != nil && t.now.Sub(tr.Updated) > t.cfg.AISCoast {
		// The first vessel on this MMSI fell silent while its twin went
		// on: the MMSI is the twin's now, and the silent track coasts to
		// its drop instead of being dragged to the twin's place.
		t.byMMSI[o.MMSI], tr = tr.twin, tr.twin
	}
	if tr != nil && t.now.Sub(tr.Updated) > t.cfg.AISCoast {
		// Long silent: the vessel may be anywhere now. Start afresh.
		t.Stats.AISReinit++
		t.restart(tr, o)
		return
	}
	if tr == nil && t.own[o.MMSI] {
		// An own asset whose Cursor-on-Target reports came first.
		tr = t.ownNear(o, func(c *Track) bool { return c.Identity == nil || c.Identity.MMSI == 0 })
		if tr != nil {
			name := ""
			if tr.Identity != nil {
				name = tr.Identity.Name
			}
			tr.Identity = t.identityOf(o.MMSI)
			if tr.Identity.Name == "" {
				tr.Identity.Name = name
			}
			t.byMMSI[o.MMSI] = tr
		}
	}
	if tr == nil {
		tr = t.newTrack(o.Time, o.Lat, o.Lon, t.cfg.QShip)
		tr.Identity = t.identityOf(o.MMSI)
		tr.OwnAsset = t.own[o.MMSI]
		t.byMMSI[o.MMSI] = tr
		t.startFilter(tr, o, t.cfg.AISSigma)
		t.supported(tr, model.SensorAIS, o.Time)
		// A vessel that names itself is a target from its first report;
		// the kinematic check guards its later ones.
		tr.Status = Confirmed
		t.emit(tr)
		return
	}
	if tw := tr.twin; tw != nil && !t.consistent(tr, o) && t.consistent(tw, o) {
		tr = tw // the report is the twin's: the other vessel using this MMSI
	} else if !t.kinematicOK(tr, o) {
		return
	}
	t.updateCooperative(tr, o, t.cfg.AISSigma)
	t.Stats.AISUpdates++
}

// consistent reports whether the track could have reached the report's
// position: less than MaxSpeed from its last one, or within 500 m.
func (t *Tracker) consistent(tr *Track, o *model.Observation) bool {
	x, y := tr.plane.Project(o.Lat, o.Lon)
	d2 := sq(x-tr.f.x[0]) + sq(y-tr.f.x[1])
	dt := max(o.Time.Sub(tr.Updated).Seconds(), 1)
	return d2 <= sq(t.cfg.MaxSpeed*geo.Knot*dt) || d2 < sq(500)
}

// kinematicOK rejects a report that would need an impossible speed from
// the track's last position, unless the same happens three times running:
// then the track, not the report, is wrong.
func (t *Tracker) kinematicOK(tr *Track, o *model.Observation) bool {
	if t.consistent(tr, o) {
		tr.rejects = 0
		return true
	}
	tr.rejects++
	if t.Rejected != nil {
		t.Rejected(o, tr)
	}
	if tr.rejects < 3 {
		t.Stats.AISRejected++
		return false
	}
	// Three in a row: a second vessel sends this MMSI (a clone, a
	// misconfigured transponder), or the first one really jumped. Follow
	// the new place on a twin track, so that neither vessel's track is
	// dragged to the other's place; if the first falls silent, it is
	// dropped and the twin carries on.
	tr.rejects = 0
	if tr.twin != nil {
		t.Stats.AISReinit++
		t.restart(tr.twin, o)
		return false
	}
	t.Stats.AISTwins++
	tw := t.newTrack(o.Time, o.Lat, o.Lon, tr.q)
	tw.Identity, tw.OwnAsset = tr.Identity, tr.OwnAsset
	tw.twin, tr.twin = tr, tw
	t.startFilter(tw, o, t.cfg.AISSigma)
	t.supported(tw, model.SensorAIS, o.Time)
	tw.Status = Confirmed
	t.emit(tw)
	return false
}

// restart puts a track's filter on a new position, keeping its id and
// identity.
func (t *Tracker) restart(tr *Track, o *model.Observation) {
	tr.plane = geo.NewPlane(o.Lat, o.Lon)
	tr.rejects = 0
	tr.nhist = 0
	t.startFilter(tr, o, t.cfg.AISSigma)
	tr.Updated = o.Time
	t.supported(tr, o.Sensor, o.Time)
	if tr.Status == Coasting {
		tr.Status = Confirmed
	}
	tr.remember()
	if tr.Status != Tentative {
		t.emit(tr)
	}
}

func (t *Tracker) startFilter(tr *Track, o *model.Observation, sigma float64) {
	x, y := tr.plane.Project(o.Lat, o.Lon)
	vx, vy, velVar := 0.0, 0.0, 100.0
	if !math.IsNaN(o.SOG) && !math.IsNaN(o.COG) {
		vx, vy = velocityFrom(o.SOG*geo.Knot, o.COG)
		velVar = t.cfg.AISVelSigma * t.cfg.AISVelSigma * 4
	}
	tr.f.init(x, y, vx, vy, sigma*sigma, velVar)
	tr.Updated = o.Time
	heard(tr, o)
	tr.remember()
}

// updateCooperative applies a report that names its target (AIS, an own
// asset's CoT): no association needed, position and velocity both used.
func (t *Tracker) updateCooperative(tr *Track, o *model.Observation, sigma float64) {
	dt := o.Time.Sub(tr.Updated).Seconds()
	if dt > 0 {
		tr.f.predict(dt, tr.q)
		tr.Updated = o.Time
	}
	heard(tr, o)
	x, y := tr.plane.Project(o.Lat, o.Lon)
	tr.f.updatePos(x, y, sigma*sigma)
	if !math.IsNaN(o.SOG) && !math.IsNaN(o.COG) && o.SOG < 102 {
		vx, vy := velocityFrom(o.SOG*geo.Knot, o.COG)
		r := t.cfg.AISVelSigma * t.cfg.AISVelSigma
		if o.SOG < 1 {
			r *= 10 // course is noise at rest
		}
		tr.f.updateVel(vx, vy, r)
	}
	tr.recentre()
	tr.remember()
	t.supported(tr, o.Sensor, o.Time)
	if tr.Status != Confirmed {
		tr.Status = Confirmed
	}
	t.emit(tr)
}

// heard keeps an AIS report's own values on the track.
func heard(tr *Track, o *model.Observation) {
	if o.Sensor == model.SensorAIS {
		tr.AIS = AISReport{Time: o.Time, SOG: o.SOG, COG: o.COG, Heading: o.Heading, NavStatus: o.NavStatus}
	}
}

// supported records that a sensor saw the track at ts.
func (t *Tracker) supported(tr *Track, s model.Sensor, ts time.Time) {
	if s == model.SensorAIS && !tr.Seen[s].IsZero() {
		if gap := ts.Sub(tr.Seen[s]).Seconds(); gap > 0 {
			if tr.aisInterval == 0 {
				tr.aisInterval = float32(gap)
			}
			tr.aisInterval += (float32(gap) - tr.aisInterval) / 8
		}
	}
	tr.Sensors.add(s)
	if ts.After(tr.Seen[s]) {
		tr.Seen[s] = ts
	}
	if s == model.SensorRadar {
		tr.Unconfirmed = false
	}
}

// ownNearDistance is how close an own asset's AIS and Cursor-on-Target
// reports must be to be taken for the same vessel.
const ownNearDistance = 500.0

// ownNear finds a current own-asset track within ownNearDistance of the
// report that the filter accepts.
func (t *Tracker) ownNear(o *model.Observation, accept func(*Track) bool) *Track {
	for _, c := range t.tracks {
		if !c.OwnAsset || !accept(c) || o.Time.Sub(c.Updated) > time.Minute {
			continue
		}
		lat, lon := c.Position()
		if geo.Distance(lat, lon, o.Lat, o.Lon) <= ownNearDistance {
			return c
		}
	}
	return nil
}

// asset handles an own asset's Cursor-on-Target report, keyed by its uid.
func (t *Tracker) asset(o *model.Observation) {
	if !o.HasPosition() {
		t.Stats.NoPosition++
		return
	}
	t.Stats.AssetUpdates++
	sigma := t.cfg.AISSigma
	if o.PosError > 0 {
		sigma = o.PosError
	}
	tr := t.byUID[o.TargetID]
	if tr == nil {
		tr = t.ownNear(o, func(c *Track) bool { return c.AssetUID == "" })
		if tr != nil {
			// The asset's AIS track already shows it: one vessel, one track.
			tr.AssetUID = o.TargetID
			t.byUID[o.TargetID] = tr
		}
	}
	if tr == nil {
		tr = t.newTrack(o.Time, o.Lat, o.Lon, t.cfg.QShip)
		tr.OwnAsset, tr.AssetUID = true, o.TargetID
		if o.Static != nil && o.Static.Name != "" {
			tr.Identity = &Identity{Name: o.Static.Name}
		}
		t.byUID[o.TargetID] = tr
		t.startFilter(tr, o, sigma)
		t.supported(tr, model.SensorAsset, o.Time)
		tr.Status = Confirmed
		t.emit(tr)
		return
	}
	t.updateCooperative(tr, o, sigma)
}

func (t *Tracker) radarPlot(o *model.Observation) {
	if !o.HasPosition() {
		t.Stats.NoPosition++
		return
	}
	t.Stats.RadarPlots++
	rs := t.radarFor(o.Source)
	if len(rs.plots) > 0 && !o.Time.Before(rs.start.Add(rs.site.Period)) {
		t.processScan(rs)
	}
	if len(rs.plots) == 0 {
		rs.start = o.Time
	}
	rs.plots = append(rs.plots, *o)
}

// radarFor finds a radar by site id. A radar the configuration does not
// name is still tracked, with a typical period and no known coverage.
func (t *Tracker) radarFor(id string) *radarState {
	i, found := slices.BinarySearchFunc(t.radars, id, func(r *radarState, id string) int {
		return compareStrings(r.site.ID, id)
	})
	if !found {
		t.radars = slices.Insert(t.radars, i, &radarState{site: source.RadarSite{ID: id, Period: defaultRadarPeriod}})
	}
	return t.radars[i]
}

// processScan associates one scan's plots with the tracks near the radar,
// one to one, by minimum total Mahalanobis distance; plots no track claims
// start dark tracks.
func (t *Tracker) processScan(rs *radarState) {
	plots := rs.plots
	rs.plots = rs.plots[:0]
	t.Stats.RadarScans++
	site := rs.site
	scanTime := plots[len(plots)-1].Time

	// Candidates: live tracks near the plots, predicted to the scan time.
	t.cands = t.cands[:0]
	reach := site.Range
	for _, tr := range t.tracks {
		lat, lon := tr.Position()
		if reach > 0 && geo.Distance(site.Lat, site.Lon, lat, lon) > reach+5e3 {
			continue
		}
		if reach == 0 && !nearAny(plots, lat, lon, 20e3) {
			continue
		}
		c := candidate{t: tr, f: tr.f}
		if dt := scanTime.Sub(tr.Updated).Seconds(); dt > 0 {
			c.f.predict(dt, tr.q)
		}
		c.lat, c.lon = tr.plane.Unproject(c.f.x[0], c.f.x[1])
		c.covered = reach > 0 && geo.Distance(site.Lat, site.Lon, c.lat, c.lon) <= reach
		t.cands = append(t.cands, c)
	}

	// Cost matrix: plots × (candidates + one "new track" column per plot).
	n, m := len(plots), len(t.cands)
	cols := m + n
	t.cost = lap.Resize(t.cost, n*cols)
	t.out = lap.ResizeInt(t.out, n)
	for i := range plots {
		p := &plots[i]
		r := plotVar(p, t.cfg.RadarSigma)
		row := t.cost[i*cols : (i+1)*cols]
		for j := range t.cands {
			c := &t.cands[j]
			x, y := c.t.plane.Project(p.Lat, p.Lon)
			_, _, s00, s01, s11, d2 := c.f.innovation(x, y, r)
			if d2 > t.cfg.Gate {
				row[j] = lap.Forbidden
				continue
			}
			// The negative log-likelihood, less that of a perfect track:
			// of two tracks a plot fits, the more certain one wins, so a
			// plot goes to the AIS track rather than to a radar track
			// that shadows it.
			row[j] = d2 + math.Log((s00*s11-s01*s01)/(r*r))
		}
		for j := m; j < cols; j++ {
			row[j] = lap.Forbidden
		}
		row[m+i] = t.cfg.Gate
	}
	t.asg.Solve(t.cost, n, cols, t.out)

	for j := range t.cands {
		t.cands[j].t.hits <<= 1
	}
	for i, j := range t.out {
		p := &plots[i]
		if j >= m {
			t.newDarkTrack(p, model.SensorRadar)
			continue
		}
		c := &t.cands[j]
		c.used = true
		t.plotUpdate(c.t, p)
	}
	t.seenApart()
	for j := range t.cands {
		c := &t.cands[j]
		if c.used {
			continue
		}
		if c.t.Dark() && c.t.Status != Dropped {
			if u := t.shadowedBy(c); u != nil {
				if c.t.shadowed++; c.t.shadowed >= shadowScans {
					// One object, two tracks: keep the older id, which
					// the picture has shown longer.
					t.Stats.Merged++
					if u.Dark() && u.ID > c.t.ID {
						t.dropNow(u)
					} else {
						t.dropNow(c.t)
						continue
					}
				}
			}
		}
		if c.covered {
			t.missed(c.t, site)
		}
	}
}

// shadowScans is how many scans a dark track must sit on another, plotless
// while the other gets the plot, before the two are taken for one object:
// a convoy's boat the radar missed once is not merged into its neighbour.
const shadowScans = 3

// seenApart clears the shadow count of close tracks that both got a plot
// in this scan: the radar resolved them, so they are two objects.
func (t *Tracker) seenApart() {
	for i := range t.cands {
		a := &t.cands[i]
		if !a.used || a.t.shadowed == 0 {
			continue
		}
		for j := range t.cands {
			if b := &t.cands[j]; j != i && b.used && closeTo(a, b, t.cfg.Gate) {
				a.t.shadowed = 0
				break
			}
		}
	}
}

// closeTo reports whether two candidates' predicted positions are within
// the gate of their combined uncertainty.
func closeTo(a, b *candidate, gate float64) bool {
	x, y := a.t.plane.Project(b.lat, b.lon)
	ex, ey := x-a.f.x[0], y-a.f.x[1]
	s00 := a.f.P[0][0] + b.f.P[0][0]
	s01 := a.f.P[0][1] + b.f.P[0][1]
	s11 := a.f.P[1][1] + b.f.P[1][1]
	det := s00*s11 - s01*s01
	return det > 0 && (ex*ex*s11-2*ex*ey*s01+ey*ey*s00)/det <= gate
}

// shadowedBy returns the track a dark candidate that got no plot sits on:
// one that did get a plot, within the gate of the two estimates' combined
// uncertainty. The radar sees one object there, so the candidate is that
// object tracked twice — an AIS vessel seen before its AIS was heard, or a
// dark boat whose plots strayed far enough once to start a second track.
func (t *Tracker) shadowedBy(dark *candidate) *Track {
	for j := range t.cands {
		c := &t.cands[j]
		if c.used && c != dark && c.t.Status != Dropped && closeTo(dark, c, t.cfg.Gate) {
			return c.t
		}
	}
	return nil
}

func nearAny(plots []model.Observation, lat, lon, d float64) bool {
	for i := range plots {
		if geo.Distance(plots[i].Lat, plots[i].Lon, lat, lon) <= d {
			return true
		}
	}
	return false
}

// plotVar is a plot's position variance.
func plotVar(o *model.Observation, def float64) float64 {
	s := def
	if o.PosError > 0 {
		s = o.PosError
	}
	return s * s
}

// plotUpdate applies an associated radar plot. A track whose AIS is
// current is only corroborated: its own reports are far more precise than
// the plot. Once its AIS falls silent, the radar keeps it where it is.
func (t *Tracker) plotUpdate(tr *Track, p *model.Observation) {
	cooperative := tr.aisCurrent(p.Time) || tr.Seen[model.SensorAsset].After(p.Time.Add(-aisFresh))
	if !cooperative && tr.Identity != nil && tr.Seen[model.SensorRadar].Before(p.Time.Add(-aisFresh)) {
		// An AIS track no radar has followed: a plot that gates with it
		// after its AIS fell silent is more likely clutter or another
		// boat than the vessel, which has likely left. It neither moves
		// the track nor counts as a sighting.
		return
	}
	tr.hits |= 1
	t.supported(tr, model.SensorRadar, p.Time)
	if !math.IsNaN(p.Length) && tr.Length == 0 {
		tr.Length = p.Length
	}
	if cooperative {
		return
	}
	if dt := p.Time.Sub(tr.Updated).Seconds(); dt > 0 {
		tr.f.predict(dt, tr.q)
		tr.Updated = p.Time
	}
	x, y := tr.plane.Project(p.Lat, p.Lon)
	tr.f.updatePos(x, y, plotVar(p, t.cfg.RadarSigma))
	tr.recentre()
	tr.remember()
	switch tr.Status {
	case Tentative:
		if bits.OnesCount16(tr.hits&(1<<t.cfg.ConfirmN-1)) >= t.cfg.ConfirmM {
			tr.Status = Confirmed
		}
	case Coasting:
		tr.Status = Confirmed
	}
	if tr.Status != Tentative {
		t.emit(tr)
	}
}

// missed handles a track inside a radar's coverage that the scan did not
// see: a tentative track that can no longer reach M of N is dropped; an
// AIS track unseen for several scans while reporting is unconfirmed.
func (t *Tracker) missed(tr *Track, site source.RadarSite) {
	switch {
	case tr.Status == Tentative && tr.Dark():
		scans := min(int(t.now.Sub(tr.Created)/max(site.Period, time.Second))+1, t.cfg.ConfirmN)
		hits := bits.OnesCount16(tr.hits & (1<<t.cfg.ConfirmN - 1))
		if hits+(t.cfg.ConfirmN-scans) < t.cfg.ConfirmM {
			t.dropNow(tr)
		}
	case !tr.Dark() && !tr.Unconfirmed && tr.Status == Confirmed:
		quiet := time.Duration(t.cfg.UnconfirmedScans) * site.Period
		lastSeen := tr.Seen[model.SensorRadar]
		if lastSeen.Before(tr.Created) {
			lastSeen = tr.Created
		}
		if t.now.Sub(lastSeen) >= quiet && t.now.Sub(tr.Updated) < quiet {
			tr.Unconfirmed = true
			t.emit(tr)
		}
	}
}

// dropNow removes a track at once, outside the sweep.
func (t *Tracker) dropNow(tr *Track) {
	t.drop(tr)
	if i := slices.Index(t.tracks, tr); i >= 0 {
		t.tracks = slices.Delete(t.tracks, i, i+1)
	}
}

// newDarkTrack starts a track from a plot or detection no track claimed.
func (t *Tracker) newDarkTrack(p *model.Observation, s model.Sensor) *Track {
	tr := t.newTrack(p.Time, p.Lat, p.Lon, t.cfg.QSmall)
	def := t.cfg.RadarSigma
	if s == model.SensorSatellite {
		def = t.cfg.SatSigma
	}
	// Unknown velocity: a small boat may do 60 kn.
	tr.f.init(0, 0, 0, 0, plotVar(p, def), sq(15))
	tr.hits = 1
	if !math.IsNaN(p.Length) {
		tr.Length = p.Length
	}
	t.supported(tr, s, p.Time)
	tr.remember()
	if s == model.SensorRadar {
		t.Stats.RadarNew++
	}
	return tr
}

func sq(v float64) float64 { return v * v }

func (t *Tracker) satellite(o *model.Observation) {
	if !o.HasPosition() {
		t.Stats.NoPosition++
		return
	}
	t.Stats.SatDetections++
	if n := len(t.scenes); n > 0 && t.scenes[n-1].scene == o.Scene && o.Scene != nil {
		t.scenes[n-1].dets = append(t.scenes[n-1].dets, *o)
		return
	}
	ts := o.Time
	if o.Scene != nil && !o.Scene.Time.IsZero() {
		ts = o.Scene.Time
	}
	t.scenes = append(t.scenes, &sceneBatch{scene: o.Scene, time: ts, dets: []model.Observation{*o}})
}
