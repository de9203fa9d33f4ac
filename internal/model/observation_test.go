package model

import (
	"testing"
	"time"
)

func TestNewObservation(t *testing.T) {
	o := NewObservation(time.Unix(0, 0), "feed", SensorRadar)
	if o.HasPosition() || o.NavStatus != -1 || o.Sensor.String() != "radar" {
		t.Errorf("new observation %+v", o)
	}
	o.Lat, o.Lon = 36, -5.6
	if !o.HasPosition() {
		t.Error("HasPosition false with a position")
	}
	if Sensor(99).String() != "unknown" {
		t.Error("an unknown sensor must name itself unknown")
	}
	v := VesselStatic{ToBow: 80, ToStern: 20, ToPort: 8, ToStarboard: 10}
	if v.Length() != 100 || v.Beam() != 18 {
		t.Errorf("length %d beam %d", v.Length(), v.Beam())
	}
}

func TestImpactLevelText(t *testing.T) {
	for l := ImpactLow; l <= ImpactVeryHigh; l++ {
		b, _ := l.MarshalText()
		var back ImpactLevel
		if err := back.UnmarshalText(b); err != nil || back != l {
			t.Errorf("%v: round trip gave %v, %v", l, back, err)
		}
	}
	var l ImpactLevel
	if l.UnmarshalText([]byte("critical")) == nil {
		t.Error("an incident has no critical level")
	}
}
