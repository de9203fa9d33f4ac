package sim

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"pharos/internal/ais"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/nmea"
)

// line is one output line with the event time it is sorted by.
type line struct {
	t    time.Time
	text []byte
}

func sortLines(ls []line) {
	slices.SortStableFunc(ls, func(a, b line) int { return a.t.Compare(b.t) })
}

// rngFor gives every sensor its own random stream, so that adding a radar
// does not change what the AIS receivers hear.
func rngFor(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// activeSpan is the part of an actor's life inside the scenario.
func (w *world) activeSpan(a *actor) (from, to time.Time, ok bool) {
	if len(a.path.legs) == 0 {
		return time.Time{}, time.Time{}, false
	}
	from, to = maxTime(a.path.begin(), w.start), minTime(a.path.end(), w.end)
	return from, to, from.Before(to)
}

// aisLines simulates every transponder and the shore stations hearing it.
func (w *world) aisLines(seed uint64) []line {
	rng := rngFor(seed, "ais")
	rx := w.sc.Sensors.AIS
	byMMSI := map[uint32]*actor{}
	for _, a := range w.actors {
		if a.MMSI != 0 {
			byMMSI[a.MMSI] = a
		}
	}
	var out []line
	for _, a := range w.actors {
		from, to, ok := w.activeSpan(a)
		if !ok || (a.MMSI == 0 && a.AIS.CloneOf == 0) || a.AIS.Mode == "off" {
			continue
		}
		classB := a.Class == "B"
		period := a.AIS.Period.D()
		if period <= 0 {
			period = 10 * time.Second
			if classB {
				period = 30 * time.Second
			}
		}
		ident := a
		if a.AIS.Mode == "clone" && byMMSI[a.AIS.CloneOf] != nil {
			ident = byMMSI[a.AIS.CloneOf] // a clone copies the identity too
		}
		phase := time.Duration(rng.Float64() * float64(period))
		nextStatic := from.Add(time.Duration(rng.Float64() * float64(rx.Static.D())))
		for t := from.Add(phase); t.Before(to); t = t.Add(period) {
			if !a.transmits(t, w.start) || (a.AIS.Mode == "intermittent" && rng.Float64() < a.AIS.Loss) {
				continue
			}
			if !t.Before(nextStatic) {
				nextStatic = t.Add(rx.Static.D())
				for _, m := range staticMessages(ident, a.aisMMSI(), classB) {
					if rng.Float64() >= rx.Drop {
						out = append(out, line{t, aisSentences(m, t, rx.Station)})
					}
				}
			}
			if rng.Float64() < rx.Drop {
				continue
			}
			lat, lon, sog, cog := a.path.at(t)
			if a.AIS.Mode == "spoof_position" {
				p := geo.NewPlane(lat, lon)
				lat, lon = p.Unproject(a.AIS.Offset[0], a.AIS.Offset[1])
			}
			out = append(out, line{t, aisSentences(positionMessage(a.aisMMSI(), classB, t, lat, lon, sog, cog), t, rx.Station)})
		}
	}
	sortLines(out)
	return out
}

func positionMessage(mmsi uint32, classB bool, t time.Time, lat, lon, sog, cog float64) ais.Message {
	rawSOG := uint16(math.Round(sog * 10))
	rawCOG := uint16(math.Round(cog*10)) % 3600
	heading := uint16(math.Round(cog)) % 360
	rawLat, rawLon := int32(math.Round(lat*600000)), int32(math.Round(lon*600000))
	if classB {
		m := &ais.ClassBPosition{}
		m.Type, m.MMSI, m.SOG, m.COG, m.Heading, m.Lat, m.Lon = 18, mmsi, rawSOG, rawCOG, heading, rawLat, rawLon
		m.Second, m.CS = uint8(t.Second()), true
		m.Radio.State = 0x60006 // carrier-sense units send this fill
		return m
	}
	status := uint8(0) // under way using engine
	if sog < 0.1 {
		status = 1 // at anchor
	}
	return &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: mmsi}, NavStatus: status, SOG: rawSOG,
		Lat: rawLat, Lon: rawLon, COG: rawCOG, Heading: heading, Second: uint8(t.Second()), ROT: 0}
}

func staticMessages(a *actor, mmsi uint32, classB bool) []ais.Message {
	bow := uint16(a.Length * 2 / 3)
	dims := ais.Dimensions{ToBow: bow, ToStern: uint16(a.Length) - bow, ToPort: uint16(a.Beam / 2), ToStarboard: uint16(a.Beam - a.Beam/2)}
	if classB {
		pa := &ais.StaticData{Header: ais.Header{Type: 24, MMSI: mmsi}, Part: 0, Name: a.Name}
		pb := &ais.StaticData{Header: ais.Header{Type: 24, MMSI: mmsi}, Part: 1, ShipType: a.ShipType,
			CallSign: a.CallSign, Dimensions: dims, VendorID: "PHS"}
		return []ais.Message{pa, pb}
	}
	return []ais.Message{&ais.StaticVoyage{Header: ais.Header{Type: 5, MMSI: mmsi}, IMO: a.IMO, CallSign: a.CallSign,
		Name: a.Name, ShipType: a.ShipType, Dimensions: dims, EPFD: 1}}
}

// aisSentences writes a message as sentences, each behind a tag block with
// the receiving station and the time in milliseconds.
func aisSentences(m ais.Message, t time.Time, station string) []byte {
	payload, fill, err := ais.AppendPayload(nil, m)
	if err != nil {
		panic(fmt.Sprintf("sim: encoding its own message: %v", err)) // a bug, not input
	}
	frags := nmea.AppendVDM(nil, "AI", "VDM", payload, fill, int(t.Unix()%10), 'A')
	tag := tagFields(station, t)
	var out []byte
	for len(frags) > 0 {
		end := slices.Index(frags, '\n') + 1
		out = nmea.AppendTagBlock(out, tag)
		out = append(out, frags[:end]...)
		frags = frags[end:]
	}
	return out
}

func tagFields(station string, t time.Time) []byte {
	b := append([]byte("s:"), station...)
	b = append(b, ",c:"...)
	return strconv.AppendInt(b, t.UnixMilli(), 10)
}

// radarLines simulates each coastal radar: one plot per target per
// rotation, at the moment the beam passes its bearing, with range and
// bearing noise, missed detections and sea clutter.
func (w *world) radarLines(seed uint64, land Land) []line {
	var out []line
	for _, r := range w.sc.Sensors.Radars {
		rng := rngFor(seed, "radar/"+r.ID)
		rangeM := r.RangeKm * 1000
		period := r.Period.D()
		numbers := map[string]int{}
		next := 1
		number := func(key string) int {
			n, ok := numbers[key]
			if !ok {
				n = next
				numbers[key] = n
				next = next%999 + 1
			}
			return n
		}
		for t0 := w.start.Add(time.Duration(rng.Float64() * float64(period))); t0.Before(w.end); t0 = t0.Add(period) {
			for _, a := range w.actors {
				if !a.path.present(t0) {
					continue
				}
				lat, lon, _, _ := a.path.at(t0)
				brg := geo.Bearing(r.Site.lat(), r.Site.lon(), lat, lon)
				t := t0.Add(time.Duration(brg / 360 * float64(period)))
				if !a.path.present(t) {
					continue
				}
				lat, lon, _, _ = a.path.at(t)
				dist := geo.Distance(r.Site.lat(), r.Site.lon(), lat, lon)
				pd := r.Pd
				if a.Length < 20 {
					pd = r.PdSmall
				}
				if dist > rangeM || rng.Float64() >= pd {
					continue
				}
				brg = geo.Bearing(r.Site.lat(), r.Site.lon(), lat, lon)
				measR := math.Max(dist+rng.NormFloat64()*r.SigmaRange, 0)
				measB := math.Mod(brg+rng.NormFloat64()*r.SigmaBearing+360, 360)
				out = append(out, line{t, ttm(r.ID, number(a.ID), measR, measB, t)})
			}
			// Sea clutter: Poisson-many false plots, uniform over the disc.
			for k := poisson(rng, r.Clutter); k > 0; k-- {
				d := rangeM * math.Sqrt(rng.Float64())
				b := rng.Float64() * 360
				lat, lon := geo.Destination(r.Site.lat(), r.Site.lon(), b, d)
				if land != nil && land.Contains(lat, lon) {
					continue
				}
				t := t0.Add(time.Duration(b / 360 * float64(period)))
				out = append(out, line{t, ttm(r.ID, number(fmt.Sprintf("clutter/%d", rng.Uint64())), d, b, t)})
			}
		}
	}
	sortLines(out)
	return out
}

// ttm writes a tracked-target message as a radar's plot extractor sends it:
// range in nautical miles and a true bearing, no target speed, tagged with
// the site and the time.
func ttm(site string, n int, rangeM, bearing float64, t time.Time) []byte {
	out := nmea.AppendTagBlock(nil, tagFields(site, t))
	body := fmt.Appendf(nil, "RATTM,%02d,%.3f,%.1f,T,,,T,,,N,,T,,%s,A",
		n, rangeM/geo.NauticalMile, bearing, t.UTC().Format("150405.00"))
	return nmea.AppendSentence(out, '$', body)
}

func poisson(rng *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// pass is one satellite acquisition with its detections.
type pass struct {
	scene model.Scene
	dets  []model.Observation
}

// satellitePasses simulates each pass: the vessels inside the footprint
// are detected with a probability by size, placed with an error, their
// length estimated roughly; false alarms are scattered over the sea.
func (w *world) satellitePasses(seed uint64, land Land) []pass {
	var out []pass
	for _, s := range w.sc.Sensors.Satellites {
		rng := rngFor(seed, "sat/"+s.ID)
		t := w.start.Add(s.At.D())
		ring := footprintRing(s.Footprint)
		p := pass{scene: model.Scene{ID: s.ID, Time: t, Sensor: s.Sensor, Footprint: ring}}
		for _, a := range w.actors {
			if !a.path.present(t) {
				continue
			}
			lat, lon, _, _ := a.path.at(t)
			if !geo.InRing(lat, lon, ring) {
				continue
			}
			pd := s.Pd
			if a.Length < 20 {
				pd = s.PdSmall
			}
			if rng.Float64() >= pd {
				continue
			}
			pl := geo.NewPlane(lat, lon)
			dlat, dlon := pl.Unproject(rng.NormFloat64()*s.Sigma, rng.NormFloat64()*s.Sigma)
			d := model.NewObservation(t, s.ID, model.SensorSatellite)
			d.Lat, d.Lon = dlat, dlon
			d.Length = math.Max(3, a.Length*(1+rng.NormFloat64()*s.LengthError))
			d.Confidence = 0.7 + 0.3*rng.Float64()
			d.TargetID = fmt.Sprintf("%s-%03d", s.ID, len(p.dets)+1)
			p.dets = append(p.dets, d)
		}
		south, west, north, east := bounds(ring)
		for k := poisson(rng, s.FalseAlarms); k > 0; k-- {
			lat, lon := south+rng.Float64()*(north-south), west+rng.Float64()*(east-west)
			if !geo.InRing(lat, lon, ring) || (land != nil && land.Contains(lat, lon)) {
				continue
			}
			d := model.NewObservation(t, s.ID, model.SensorSatellite)
			d.Lat, d.Lon = lat, lon
			d.Length = 5 + rng.Float64()*35
			d.Confidence = 0.3 + 0.5*rng.Float64()
			d.TargetID = fmt.Sprintf("%s-%03d", s.ID, len(p.dets)+1)
			p.dets = append(p.dets, d)
		}
		out = append(out, p)
	}
	return out
}

// footprintRing turns [lat, lon] points into a closed lon, lat ring.
func footprintRing(pts []Point) [][2]float64 {
	ring := make([][2]float64, 0, len(pts)+1)
	for _, p := range pts {
		ring = append(ring, [2]float64{p.lon(), p.lat()})
	}
	if len(ring) > 0 && ring[0] != ring[len(ring)-1] {
		ring = append(ring, ring[0])
	}
	return ring
}

func bounds(ring [][2]float64) (south, west, north, east float64) {
	south, west, north, east = 90, 180, -90, -180
	for _, p := range ring {
		west, east = min(west, p[0]), max(east, p[0])
		south, north = min(south, p[1]), max(north, p[1])
	}
	return
}

// assetEvents simulates the own assets' Cursor-on-Target reports.
func (w *world) assetObservations() []model.Observation {
	var out []model.Observation
	for _, a := range w.actors {
		if a.Own == nil {
			continue
		}
		from, to, ok := w.activeSpan(a)
		if !ok {
			continue
		}
		period := cmp.Or(a.Own.Period.D(), 5*time.Second)
		for t := from; t.Before(to); t = t.Add(period) {
			lat, lon, sog, cog := a.path.at(t)
			o := model.NewObservation(t, "cot", model.SensorAsset)
			o.Lat, o.Lon, o.SOG, o.COG = lat, lon, sog, cog
			o.TargetID, o.AssetType, o.PosError = cmp.Or(a.Own.UID, a.ID), cmp.Or(a.Own.Type, "a-f-S-X-L"), 10
			o.Static = &model.VesselStatic{Name: a.Name}
			out = append(out, o)
		}
	}
	slices.SortStableFunc(out, func(a, b model.Observation) int { return a.Time.Compare(b.Time) })
	return out
}
