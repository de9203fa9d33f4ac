package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Truth is the ground truth of one simulator run (truth.json).
type Truth struct {
	Scenario    string    `json:"scenario"`
	Seed        int64     `json:"seed"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	StepSeconds float64   `json:"step_seconds"`
	Vessels     []Vessel  `json:"vessels"`
	Events      []Event   `json:"events"`
}

// Vessel is one simulated vessel and its trajectory.
type Vessel struct {
	ID      string  `json:"id"`
	Kind    string  `json:"kind"`
	MMSI    uint32  `json:"mmsi"`               // 0: the vessel has no AIS at all
	AISMMSI uint32  `json:"ais_mmsi,omitempty"` // the MMSI its AIS transmits, when spoofed
	LengthM float64 `json:"length_m"`
	// Samples lie on the grid Start + k·Step at the times the vessel
	// exists, in time order.
	Samples []Sample `json:"samples"`
}

// Sample is a vessel's true state at one grid time.
type Sample struct {
	T   time.Time `json:"t"`
	Lat float64   `json:"lat"`
	Lon float64   `json:"lon"`
	SOG float64   `json:"sog"` // knots
	COG float64   `json:"cog"` // degrees true
	// AIS is true when the vessel transmits AIS at T.
	AIS bool `json:"ais"`
	// Covered is true when some sensor (radar range, a satellite
	// footprint at a scene time near T) covers the vessel at T.
	Covered bool `json:"covered"`
}

// Event is a scripted behaviour of the scenario (a go-fast run, a
// rendezvous…). Evaluate does not score events yet; they are carried for
// the event-level scores to come.
type Event struct {
	Type    string    `json:"type"`
	Vessels []string  `json:"vessels"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Lat     float64   `json:"lat"`
	Lon     float64   `json:"lon"`
}

// Status is the life-cycle state of a track as `pharos run` writes it.
type Status string

// Track statuses. Only confirmed and coasting tracks are scored.
const (
	StatusTentative Status = "tentative"
	StatusConfirmed Status = "confirmed"
	StatusCoasting  Status = "coasting"
	StatusDropped   Status = "dropped"
)

func (s Status) valid() bool {
	switch s {
	case StatusTentative, StatusConfirmed, StatusCoasting, StatusDropped:
		return true
	}
	return false
}

// scored reports whether a track in this status belongs to the estimate set.
func (s Status) scored() bool { return s == StatusConfirmed || s == StatusCoasting }

// TrackState is one track update, a line of tracks.jsonl.
type TrackState struct {
	T           time.Time `json:"t"`
	ID          uint64    `json:"id"`
	Status      Status    `json:"status"`
	Lat         float64   `json:"lat"`
	Lon         float64   `json:"lon"`
	SOG         float64   `json:"sog"` // knots
	COG         float64   `json:"cog"` // degrees true
	SigmaM      float64   `json:"sigma_m"`
	MMSI        uint32    `json:"mmsi,omitempty"`
	Name        string    `json:"name,omitempty"`
	Sensors     []string  `json:"sensors,omitempty"`
	Dark        bool      `json:"dark"`
	OwnAsset    bool      `json:"own_asset"`
	Unconfirmed bool      `json:"unconfirmed"`
}

// ReadTruth decodes a truth.json document and checks that it can be scored.
func ReadTruth(r io.Reader) (*Truth, error) {
	var tr Truth
	if err := json.NewDecoder(r).Decode(&tr); err != nil {
		return nil, fmt.Errorf("decode truth: %w", err)
	}
	if tr.StepSeconds < 0 {
		return nil, fmt.Errorf("%w: step_seconds %g is negative", ErrTruth, tr.StepSeconds)
	}
	seen := make(map[string]bool, len(tr.Vessels))
	for i, v := range tr.Vessels {
		if v.ID == "" {
			return nil, fmt.Errorf("%w: vessel %d has no id", ErrTruth, i)
		}
		if seen[v.ID] {
			return nil, fmt.Errorf("%w: vessel id %q appears twice", ErrTruth, v.ID)
		}
		seen[v.ID] = true
		for j, s := range v.Samples {
			if j > 0 && !s.T.After(v.Samples[j-1].T) {
				return nil, fmt.Errorf("%w: vessel %q sample %d: time %s not after the previous sample's", ErrTruth, v.ID, j, s.T.Format(time.RFC3339Nano))
			}
			if s.Lat < -90 || s.Lat > 90 || s.Lon < -180 || s.Lon > 180 {
				return nil, fmt.Errorf("%w: vessel %q sample %d: position %g, %g off the globe", ErrTruth, v.ID, j, s.Lat, s.Lon)
			}
		}
	}
	return &tr, nil
}

// maxLine bounds one line of tracks.jsonl; a track state is a few hundred
// bytes, so anything near this is not a track state.
const maxLine = 1 << 20

// ReadTracks decodes tracks.jsonl: one TrackState per line, in the order
// the tracker wrote them. Blank lines are skipped; any other line that is
// not a track state is an error naming the line.
func ReadTracks(r io.Reader) ([]TrackState, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var out []TrackState
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var st TrackState
		if err := json.Unmarshal(line, &st); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if !st.Status.valid() {
			return nil, fmt.Errorf("line %d: %w %q", n, ErrStatus, st.Status)
		}
		out = append(out, st)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read tracks: %w", err)
	}
	return out, nil
}
