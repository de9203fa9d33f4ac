package model

import (
	"fmt"
	"time"
)

// ImpactLevel is EUROSUR's impact level of an incident.
type ImpactLevel uint8

// Impact levels of an incident, lowest first.
const (
	ImpactLow ImpactLevel = iota
	ImpactMedium
	ImpactHigh
	ImpactVeryHigh
)

var impactNames = [...]string{"low", "medium", "high", "very_high"}

func (l ImpactLevel) String() string {
	if int(l) < len(impactNames) {
		return impactNames[l]
	}
	return "unknown"
}

// MarshalText writes the level's name.
func (l ImpactLevel) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name.
func (l *ImpactLevel) UnmarshalText(b []byte) error {
	for i, n := range impactNames {
		if n == string(b) {
			*l = ImpactLevel(i)
			return nil
		}
	}
	return fmt.Errorf("unknown impact level %q", b)
}

// EUROSUR event categories.
const (
	CategoryUnauthorisedCrossing = "unauthorised_border_crossing" // including risk to life, distress
	CategoryCrossBorderCrime     = "cross_border_crime"           // drugs, smuggling, trafficking, illegal fishing, pollution
	CategoryCrisis               = "crisis_situation"
	CategoryOther                = "other" // unidentified or suspect vessel, craft or person
)

// Event is something a detector found in the tracks: a behaviour with a
// time window, a place, the targets involved and the evidence. It is the
// unit the picture, sharing and reports build on.
type Event struct {
	ID         string      `json:"id"`       // stable: type and a sequence number
	Type       string      `json:"type"`     // ais_gap, encounter, go_fast, … (the API's fixed names)
	Category   string      `json:"category"` // EUROSUR category
	Start      time.Time   `json:"start"`    // event time
	End        time.Time   `json:"end"`      // zero while open
	Lat        float64     `json:"lat"`
	Lon        float64     `json:"lon"`
	MMSI       []uint32    `json:"mmsi"`
	TrackIDs   []uint64    `json:"track_ids"`
	Confidence float64     `json:"confidence"` // 0–1
	Impact     ImpactLevel `json:"impact"`
	// Params are the thresholds the detector used, by name.
	Params map[string]float64 `json:"params,omitempty"`
	// Details are what the detector measured: heading, time to landfall,
	// distance to shore, the name that changed…
	Details map[string]any `json:"details,omitempty"`
	// Evidence are the states of the tracks that triggered the event.
	Evidence []Evidence `json:"evidence,omitempty"`
	// Risk is the assessment of the event's targets when it was reported.
	Risk *Risk `json:"risk,omitempty"`
}

// Risk is an assessment: a score in [0, 1] overall and by threat type,
// and the reasons, in words an operator reads.
type Risk struct {
	Score       float64            `json:"score"`
	Threats     map[string]float64 `json:"threats,omitempty"`
	Reasons     []string           `json:"reasons,omitempty"`
	Explanation string             `json:"explanation,omitempty"`
}

// Evidence is one observed state that supports an event.
type Evidence struct {
	Time    time.Time `json:"t"`
	TrackID uint64    `json:"track_id"`
	Lat     float64   `json:"lat"`
	Lon     float64   `json:"lon"`
	SOG     float64   `json:"sog"`
	COG     float64   `json:"cog"`
	Sensors []string  `json:"sensors,omitempty"`
}

// TrackState is a track's state at one time: what the live picture
// shows of it and what its stored history holds.
type TrackState struct {
	Time    time.Time `json:"t"`
	TrackID uint64    `json:"id"`
	Lat     float64   `json:"lat"`
	Lon     float64   `json:"lon"`
	SOG     float64   `json:"sog"` // knots
	COG     float64   `json:"cog"` // degrees true
	MMSI    uint32    `json:"mmsi,omitempty"`
	Name    string    `json:"name,omitempty"`
	Dark    bool      `json:"dark"`
	Sensors []string  `json:"sensors,omitempty"`
}
