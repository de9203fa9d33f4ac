package ais

import (
	"math"

	"pharos/internal/model"
)

// Observation turns a decoded message into what tracking consumes: a
// position report of a vessel or SAR aircraft, or a vessel's static data.
// Messages that say nothing about a target (base stations, aids to
// navigation, binary and management messages) give ok false.
func (d *Decoded) Observation(source string) (model.Observation, bool) {
	o := model.NewObservation(d.Time, source, model.SensorAIS)
	o.MMSI = d.Msg.Head().MMSI
	switch m := d.Msg.(type) {
	case *PositionReport:
		o.Lat, o.Lon, _ = m.Position()
		o.SOG, _ = m.SpeedKnots()
		o.COG, _ = m.CourseDegrees()
		o.Heading, _ = m.HeadingDegrees()
		o.NavStatus = int8(m.NavStatus)
	case *ClassBPosition:
		m.kinematics(&o)
	case *ClassBExtended:
		m.kinematics(&o)
		o.Static = &model.VesselStatic{Name: m.Name, ShipType: m.ShipType}
		m.Dimensions.fill(o.Static)
	case *LongRange:
		o.Lat, o.Lon, _ = m.Position()
		if m.SOG != 63 {
			o.SOG = float64(m.SOG)
		}
		if m.COG < 360 {
			o.COG = float64(m.COG)
		}
		o.NavStatus = int8(m.NavStatus)
	case *SARAircraft:
		o.Lat, o.Lon, _ = m.Position()
		if m.SOG != SOGNotAvailable {
			o.SOG = float64(m.SOG)
		}
		o.COG, _ = cogDegrees(m.COG)
	case *StaticVoyage:
		o.Static = &model.VesselStatic{IMO: m.IMO, Name: m.Name, CallSign: m.CallSign,
			ShipType: m.ShipType, Destination: m.Destination}
		if v, ok := m.DraughtMetres(); ok {
			o.Static.Draught = v
		}
		m.Dimensions.fill(o.Static)
	case *StaticData:
		o.Static = &model.VesselStatic{Name: m.Name, CallSign: m.CallSign, ShipType: m.ShipType}
		m.Dimensions.fill(o.Static)
	default:
		return o, false
	}
	if math.IsNaN(o.Lat) && o.Static == nil {
		return o, false
	}
	return o, true
}

func (m *classB) kinematics(o *model.Observation) {
	o.Lat, o.Lon, _ = m.Position()
	o.SOG, _ = m.SpeedKnots()
	o.COG, _ = m.CourseDegrees()
	o.Heading, _ = m.HeadingDegrees()
}

func (d *Dimensions) fill(v *model.VesselStatic) {
	v.ToBow, v.ToStern = d.ToBow, d.ToStern
	v.ToPort, v.ToStarboard = uint8(d.ToPort), uint8(d.ToStarboard)
}
