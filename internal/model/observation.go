package model

import (
	"math"
	"time"
)

// Sensor names the kind of sensor an observation comes from.
type Sensor uint8

// Sensors known to a node.
const (
	SensorUnknown Sensor = iota
	SensorAIS
	SensorRadar
	SensorSatellite
	SensorAsset
)

var sensorNames = [...]string{"unknown", "ais", "radar", "satellite", "asset"}

func (s Sensor) String() string {
	if int(s) < len(sensorNames) {
		return sensorNames[s]
	}
	return "unknown"
}

// Observation is one report about one target at one event time: the unit
// that decode hands to tracking. Kinematic fields that the sensor did not
// report are NaN (use the Has… methods); identity fields are zero when
// unknown.
type Observation struct {
	Time   time.Time // event time: when the sensor saw the target
	Source string    // id of the input (file, feed, receiver station)
	Sensor Sensor

	MMSI uint32 // 0 when the sensor gives no MMSI

	Lat, Lon float64 // degrees WGS 84; NaN when absent
	SOG      float64 // speed over ground, knots; NaN when absent
	COG      float64 // course over ground, degrees true; NaN when absent
	Heading  float64 // true heading, degrees; NaN when absent

	NavStatus int8 // AIS navigational status 0–15; -1 when absent

	// Static is set when the report carries identity or voyage data.
	Static *VesselStatic
}

// NewObservation returns an observation with every kinematic field absent.
func NewObservation(t time.Time, source string, sensor Sensor) Observation {
	nan := math.NaN()
	return Observation{Time: t, Source: source, Sensor: sensor, Lat: nan, Lon: nan, SOG: nan, COG: nan, Heading: nan, NavStatus: -1}
}

// HasPosition reports whether the observation carries a position.
func (o *Observation) HasPosition() bool { return !math.IsNaN(o.Lat) && !math.IsNaN(o.Lon) }

// VesselStatic is what a vessel says about itself: identity, type, size and
// voyage. Zero values mean unknown.
type VesselStatic struct {
	IMO         uint32
	Name        string
	CallSign    string
	ShipType    uint8 // ITU-R M.1371 type of ship and cargo
	ToBow       uint16
	ToStern     uint16
	ToPort      uint8
	ToStarboard uint8
	Draught     float64 // metres
	Destination string
}

// Length is the overall length in metres from the reference-point offsets,
// or 0 when unknown.
func (v *VesselStatic) Length() int { return int(v.ToBow) + int(v.ToStern) }

// Beam is the overall width in metres, or 0 when unknown.
func (v *VesselStatic) Beam() int { return int(v.ToPort) + int(v.ToStarboard) }
