package main

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"pharos/internal/ais"
	"pharos/internal/geo"
	"pharos/internal/nmea"
)

// box is the sea area the fleet sails in, in degrees.
type box struct{ minLon, minLat, maxLon, maxLat float64 }

func parseBox(s string) (box, error) {
	var b box
	if _, err := fmt.Sscanf(s, "%g,%g,%g,%g", &b.minLon, &b.minLat, &b.maxLon, &b.maxLat); err != nil {
		return b, fmt.Errorf("box %q: want min_lon,min_lat,max_lon,max_lat: %w", s, err)
	}
	if b.minLon >= b.maxLon || b.minLat >= b.maxLat {
		return b, fmt.Errorf("box %q: minimum not below maximum", s)
	}
	return b, nil
}

func (b box) contains(lat, lon float64) bool {
	return lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat
}

// mids are flag states common in the Strait, so that MMSIs look like real
// traffic's to the identity detectors.
var mids = []uint32{224, 225, 247, 255, 636, 538, 229, 256, 311, 215, 242, 209, 477, 370, 351}

// vessel is one simulated ship. A vessel belongs to one sender, which
// alone moves it and counts its reports.
type vessel struct {
	mmsi      uint32
	imo       uint32
	name      string
	callSign  string
	shipType  uint8
	dim       ais.Dimensions
	navStatus uint8
	lat, lon  float64
	sog, cog  float64 // knots, degrees
	last      time.Time
	reports   int // messages sent, position and static
	staticAt  int // a type 5 goes out when reports%staticEvery == staticAt
	positions int // position reports sent, for the loss count
}

// ship classes: what share of the fleet, type, speed range (knots).
var classes = []struct {
	share          float64
	shipType       uint8
	minSOG, maxSOG float64
	length         uint16
}{
	{0.40, 70, 10, 18, 190}, // cargo
	{0.20, 80, 9, 15, 240},  // tanker
	{0.08, 60, 15, 24, 150}, // passenger, the Tarifa–Tangier ferries
	{0.12, 30, 2, 9, 25},    // fishing
	{0.05, 52, 6, 12, 30},   // tug
	{0.05, 37, 4, 14, 12},   // pleasure craft
	{0.10, 70, 0, 0, 180},   // cargo at anchor off Algeciras and Ceuta
}

// newFleet places n vessels at sea in b, at least 2 km from the coast.
// The same seed gives the same fleet.
func newFleet(n int, b box, land *geo.Land, seed uint64, start time.Time) ([]*vessel, error) {
	rng := rand.New(rand.NewPCG(seed, 0x70a705))
	fleet := make([]*vessel, n)
	for i := range fleet {
		mid := mids[i%len(mids)]
		serial := 100000 + uint32(i/len(mids))
		if serial > 999999 {
			return nil, fmt.Errorf("%d vessels: MMSIs run out above %d", n, 900000*len(mids))
		}
		v := &vessel{mmsi: mid*1000000 + serial, imo: 9000000 + uint32(i), last: start,
			name: "PHAROS LOAD " + strconv.Itoa(i), callSign: "LD" + strconv.Itoa(i)}
		u, k := rng.Float64(), 0
		for ; k < len(classes)-1 && u >= classes[k].share; k++ {
			u -= classes[k].share
		}
		c := classes[k]
		v.shipType = c.shipType
		v.dim = ais.Dimensions{ToBow: c.length * 2 / 3, ToStern: c.length / 3, ToPort: c.length / 14, ToStarboard: c.length / 14}
		v.sog = c.minSOG + rng.Float64()*(c.maxSOG-c.minSOG)
		if v.sog == 0 {
			v.navStatus = 1 // at anchor
		}
		v.cog = rng.Float64() * 360
		for tries := 0; ; tries++ {
			if tries == 10000 {
				return nil, fmt.Errorf("box %+v: no sea room found", b)
			}
			v.lat = b.minLat + rng.Float64()*(b.maxLat-b.minLat)
			v.lon = b.minLon + rng.Float64()*(b.maxLon-b.minLon)
			if !land.Contains(v.lat, v.lon) && land.DistanceToShoreWithin(v.lat, v.lon, 2000) >= 2000 {
				break
			}
		}
		fleet[i] = v
	}
	return fleet, nil
}

// move advances the vessel to now: a steady course with a little wander,
// turning away from land and from the edge of the box. It stays put when
// no course within a turn keeps it at sea.
func (v *vessel) move(now time.Time, b box, land *geo.Land, rng *rand.Rand) {
	dt := now.Sub(v.last).Seconds()
	v.last = now
	if v.sog == 0 || dt <= 0 {
		return
	}
	v.cog = math.Mod(v.cog+rng.NormFloat64()*0.5+360, 360)
	dist := v.sog * geo.Knot * dt
	for try := range 8 {
		cog := v.cog
		if try > 0 { // blocked: a turn of 90–270°, as a ship would
			cog = math.Mod(v.cog+90+rng.Float64()*180, 360)
		}
		lat, lon := geo.Destination(v.lat, v.lon, cog, dist)
		if b.contains(lat, lon) && !land.Contains(lat, lon) {
			v.lat, v.lon, v.cog = lat, lon, cog
			return
		}
	}
}

// appendMessage appends the vessel's next message, stamped at now, as
// NMEA lines with a tag block: source src, time now in milliseconds. It is
// a type 5 static report once every staticEvery messages, otherwise a
// type 1 position report; position reports whether it was one.
func (v *vessel) appendMessage(dst []byte, src string, seqID int, now time.Time, staticEvery int) (out []byte, position bool) {
	tag := make([]byte, 0, 48)
	tag = append(tag, "s:"...)
	tag = append(tag, src...)
	tag = append(tag, ",c:"...)
	tag = strconv.AppendInt(tag, now.UnixMilli(), 10)
	var m ais.Message
	position = v.reports%staticEvery != v.staticAt
	v.reports++
	if position {
		v.positions++
		m = &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: v.mmsi}, NavStatus: v.navStatus, ROT: -128,
			SOG: uint16(math.Round(v.sog * 10)), Accuracy: true,
			Lon: int32(math.Round(v.lon * 600000)), Lat: int32(math.Round(v.lat * 600000)),
			COG: uint16(math.Round(v.cog*10)) % 3600, Heading: uint16(math.Round(v.cog)) % 360,
			Second: uint8(now.Second())}
	} else {
		eta := now.Add(30 * time.Hour)
		m = &ais.StaticVoyage{Header: ais.Header{Type: 5, MMSI: v.mmsi}, IMO: v.imo, CallSign: v.callSign,
			Name: v.name, ShipType: v.shipType, Dimensions: v.dim, EPFD: 1,
			ETA:     ais.ETA{Month: uint8(eta.Month()), Day: uint8(eta.Day()), Hour: uint8(eta.Hour()), Minute: uint8(eta.Minute())},
			Draught: uint8(v.dim.ToBow / 20), Destination: "ALGECIRAS"}
	}
	var payload [96]byte
	p, fill, err := ais.AppendPayload(payload[:0], m)
	if err != nil {
		panic(err) // the messages built above are all encodable
	}
	if len(p) <= 60 { // one sentence
		dst = nmea.AppendTagBlock(dst, tag)
		return nmea.AppendVDM(dst, "AI", "VDM", p, fill, seqID, 'A'), position
	}
	// Every fragment carries the tag block: its source keeps fragments of
	// different connections apart in the node's assembler.
	lines := nmea.AppendVDM(nil, "AI", "VDM", p, fill, seqID, 'A')
	for len(lines) > 0 {
		end := bytes.IndexByte(lines, '\n')
		dst = nmea.AppendTagBlock(dst, tag)
		dst = append(dst, lines[:end+1]...)
		lines = lines[end+1:]
	}
	return dst, position
}
