package track

import (
	"math"

	"pharos/internal/geo"
	"pharos/internal/lap"
	"pharos/internal/model"
)

// Satellite scene matching follows the method Global Fishing Watch
// published for matching SAR detections to AIS: every track is placed at
// the acquisition time by interpolating between its pings around it (or
// dead reckoning from the nearest), with an uncertainty that grows with the
// time to the nearest ping; detections and tracks are then matched one to
// one by the likelihood of the distance, helped by agreement of length.

const (
	// driftSpeed is how fast, m/s, a position estimated from a ping gap
	// drifts from the truth regardless of speed (currents, turns).
	driftSpeed = 0.5
	// reckonError is the fraction of the distance run since the nearest
	// ping that dead reckoning or interpolation may be off.
	reckonError = 0.15
	// sceneGate is the largest squared normalised distance (4 σ) at which
	// a detection may still be a track.
	sceneGate = 16.0
	// sceneMargin widens the footprint when choosing candidate tracks.
	sceneMargin = 5e3
)

// processScene matches a satellite scene's detections with the tracks.
func (t *Tracker) processScene(b *sceneBatch) {
	dets := b.dets
	t.cands = t.cands[:0]
	for _, tr := range t.tracks {
		lat, lon, speed, gap, ok := tr.at(b.time)
		if !ok {
			continue
		}
		if b.scene != nil && len(b.scene.Footprint) > 2 && !geo.InRing(lat, lon, b.scene.Footprint) &&
			!nearAny(dets, lat, lon, sceneMargin) {
			continue
		}
		sigma := driftSpeed*gap.Seconds() + reckonError*speed*gap.Seconds()
		t.cands = append(t.cands, candidate{t: tr, lat: lat, lon: lon, sigma: sigma})
	}

	n, m := len(dets), len(t.cands)
	cols := m + n
	t.cost = lap.Resize(t.cost, n*cols)
	t.out = lap.ResizeInt(t.out, n)
	for i := range dets {
		d := &dets[i]
		detSigma := t.cfg.SatSigma
		if d.PosError > 0 {
			detSigma = d.PosError
		}
		row := t.cost[i*cols : (i+1)*cols]
		for j := range t.cands {
			c := &t.cands[j]
			sigma := math.Hypot(detSigma, c.sigma)
			z2 := sq(geo.Distance(d.Lat, d.Lon, c.lat, c.lon) / sigma)
			lt := lengthTerm(d.Length, c.t.BestLength())
			if z2 > sceneGate || lt > 9 {
				row[j] = lap.Forbidden
				continue
			}
			row[j] = z2 + lt
		}
		for j := m; j < cols; j++ {
			row[j] = lap.Forbidden
		}
		row[m+i] = sceneGate
	}
	t.asg.Solve(t.cost, n, cols, t.out)

	for i, j := range t.out {
		d := &dets[i]
		if j < m {
			tr := t.cands[j].t
			t.Stats.SatMatched++
			t.supported(tr, model.SensorSatellite, b.time)
			if tr.Length == 0 && !math.IsNaN(d.Length) {
				tr.Length = d.Length
			}
			if tr.Status != Tentative {
				t.emit(tr)
			}
			continue
		}
		if !math.IsNaN(d.Confidence) && d.Confidence < t.cfg.SatMinConfidence {
			t.Stats.SatLowConfidence++
			continue
		}
		if t.inRadarCover(d.Lat, d.Lon) {
			// A radar watching this water saw no boat here, scan after
			// scan: the detection is more likely a false alarm (a wave
			// crest, a buoy, an azimuth ghost) than a boat it missed.
			t.Stats.SatUnexplained++
			continue
		}
		t.Stats.SatDark++
		tr := t.newDarkTrack(d, model.SensorSatellite)
		// A hull seen from orbit is a target in its own right, not a
		// plot waiting for confirmation.
		tr.Status = Confirmed
		tr.Created, tr.Updated = b.time, b.time
		t.emit(tr)
	}
}

// inRadarCover reports whether a configured radar covers the point.
func (t *Tracker) inRadarCover(lat, lon float64) bool {
	for _, rs := range t.radars {
		if rs.site.Range > 0 && geo.Distance(rs.site.Lat, rs.site.Lon, lat, lon) <= rs.site.Range {
			return true
		}
	}
	return false
}

// BestLength is the length of the target in metres: from its AIS
// dimensions, else from radar or satellite estimates; 0 when unknown.
func (tr *Track) BestLength() float64 {
	if tr.Identity != nil && tr.Identity.Length > 0 {
		return float64(tr.Identity.Length)
	}
	return tr.Length
}

// lengthTerm penalises disagreement between a detection's estimated length
// and a track's, in squared units of the detection's expected error (about
// a quarter of the length, plus 10 m); 0 when either is unknown.
func lengthTerm(det, track float64) float64 {
	if math.IsNaN(det) || det <= 0 || track <= 0 {
		return 0
	}
	return sq((det - track) / (0.25*track + 10))
}
