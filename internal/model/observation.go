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

	// What non-cooperative sensors and own assets add.
	TargetID   string  // the sensor's own label: radar target number, CoT uid, detection id
	Length     float64 // estimated length overall, metres; NaN when unknown
	Confidence float64 // detection confidence 0–1; NaN when not given
	PosError   float64 // 1-sigma position error, metres; 0 = the sensor's default
	Scene      *Scene  // the satellite scene a detection belongs to
	AssetType  string  // own assets: the Cursor-on-Target type, e.g. "a-f-S-X-L"
}

// Scene is one satellite acquisition: the detections it holds are all the
// vessels it saw inside its footprint at its time.
type Scene struct {
	ID        string
	Time      time.Time
	Sensor    string       // e.g. "SAR" or "optical"
	Footprint [][2]float64 // closed ring of lon, lat
}

// NewObservation returns an observation with every kinematic field absent.
func NewObservation(t time.Time, source string, sensor Sensor) Observation {
	nan := math.NaN()
	return Observation{Time: t, Source: source, Sensor: sensor, Lat: nan, Lon: nan, SOG: nan, COG: nan, Heading: nan,
		NavStatus: -1, Length: nan, Confidence: nan}
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
