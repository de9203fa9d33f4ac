package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// Scenario is a simulation as its YAML file describes it.
type Scenario struct {
	Name        string    `yaml:"name"`
	Description string    `yaml:"description"`
	Start       time.Time `yaml:"start"`
	Duration    Duration  `yaml:"duration"`
	Seed        uint64    `yaml:"seed"`
	Step        Duration  `yaml:"step"` // truth sampling step; default 10 s

	Vessels []Vessel  `yaml:"vessels"`
	Traffic []Traffic `yaml:"traffic"`
	Threats []Threat  `yaml:"threats"`
	Sensors Sensors   `yaml:"sensors"`
}

// Point is a position written [lat, lon].
type Point [2]float64

func (p Point) lat() float64 { return p[0] }
func (p Point) lon() float64 { return p[1] }

// Duration is a time.Duration written as "90s", "2h30m".
type Duration time.Duration

// UnmarshalYAML reads a duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Range is a [min, max] interval a value is drawn from uniformly.
type Range [2]float64

// Vessel is one simulated vessel.
type Vessel struct {
	ID       string  `yaml:"id"`
	Kind     string  `yaml:"kind"` // free label: cargo, ferry, fishing, go_fast, migrant_boat, patrol …
	MMSI     uint32  `yaml:"mmsi"`
	IMO      uint32  `yaml:"imo"`
	Name     string  `yaml:"name"`
	CallSign string  `yaml:"callsign"`
	ShipType uint8   `yaml:"ship_type"`
	Length   float64 `yaml:"length_m"`
	Beam     float64 `yaml:"beam_m"`
	Class    string  `yaml:"class"` // AIS class "A" (default) or "B"

	Route []Point  `yaml:"route"`
	Speed float64  `yaml:"speed_kn"`
	Begin Duration `yaml:"start"` // offset from the scenario start
	Loop  bool     `yaml:"loop"`  // back and forth along the route until the end
	// Leave makes the vessel leave the area at the end of its route, as
	// through traffic does; otherwise it stays there (moored, beached).
	Leave bool `yaml:"leave"`
	// Waits holds a stop at a waypoint: the vessel lies there before going on.
	Waits []Wait `yaml:"waits"`
	// Drift, when set, makes the vessel lose way at a time and drift.
	Drift *Drift `yaml:"drift"`

	AIS AIS `yaml:"ais"`
	// Own marks a patrol asset of the node, reported over Cursor-on-Target.
	Own *Own `yaml:"own"`
}

// Wait is a stop at a waypoint.
type Wait struct {
	At  int      `yaml:"at"` // waypoint index
	For Duration `yaml:"for"`
}

// Drift is an engine failure: from After (offset from the scenario start),
// the vessel moves with the wind and current only.
type Drift struct {
	After  Duration `yaml:"after"`
	Speed  float64  `yaml:"speed_kn"`
	Course float64  `yaml:"course"`
}

// AIS is what a vessel's transponder does.
type AIS struct {
	// Mode: "normal" (default when the vessel has an MMSI), "off" (never
	// transmits), "intermittent" (drops a share of reports), "clone"
	// (transmits CloneOf's MMSI and identity), "spoof_position" (reports a
	// position Offset away from its own).
	Mode    string     `yaml:"mode"`
	Period  Duration   `yaml:"period"`
	Off     []Window   `yaml:"off"` // windows with the transponder off
	CloneOf uint32     `yaml:"clone_of"`
	Offset  [2]float64 `yaml:"offset_m"` // spoof_position: east, north metres
	Loss    float64    `yaml:"loss"`     // intermittent: share of reports not sent
}

// Window is a time window, offsets from the scenario start.
type Window struct {
	From Duration `yaml:"from"`
	To   Duration `yaml:"to"`
}

// Own describes an own asset's Cursor-on-Target reporting.
type Own struct {
	UID    string   `yaml:"uid"`
	Type   string   `yaml:"type"` // CoT type, e.g. "a-f-S-X-L"
	Period Duration `yaml:"period"`
}

// Traffic generates background vessels along shipping lanes.
type Traffic struct {
	Kind     string    `yaml:"kind"`
	Count    int       `yaml:"count"`
	Lanes    [][]Point `yaml:"lanes"` // each travelled in either direction
	Speed    Range     `yaml:"speed_kn"`
	Length   Range     `yaml:"length_m"`
	ShipType uint8     `yaml:"ship_type"`
	Class    string    `yaml:"class"`
	MIDs     []int     `yaml:"mids"`     // flag states drawn for MMSIs
	NoAIS    float64   `yaml:"no_ais"`   // share that never transmits (small craft without AIS)
	Spread   float64   `yaml:"spread_m"` // lateral offset from the lane's centre line, metres
	// Loop keeps vessels going back and forth along their lane (fishing
	// grounds, a bay) instead of leaving at its end.
	Loop bool `yaml:"loop"`
}

// Threat is a pattern that expands into vessels and true events.
type Threat struct {
	Type string `yaml:"type"` // go_fast, rendezvous, distress, ais_off, clone
	ID   string `yaml:"id"`

	From   Point    `yaml:"from"`
	To     Point    `yaml:"to"`
	Via    []Point  `yaml:"via"`
	At     Point    `yaml:"at"`
	Begin  Duration `yaml:"start"`
	Speed  float64  `yaml:"speed_kn"`
	Length float64  `yaml:"length_m"`
	For    Duration `yaml:"for"`

	// rendezvous: the vessel with AIS that meets a dark boat.
	Mother *Vessel `yaml:"mother"`
	// distress: the drift after the engine fails.
	Drift *Drift `yaml:"drift"`
	// ais_off: which vessel falls silent, and when.
	Vessel string   `yaml:"vessel"`
	Window Window   `yaml:"window"`
	Of     uint32   `yaml:"of"` // clone: the MMSI copied
	Route  []Point  `yaml:"route"`
	Count  int      `yaml:"count"` // go_fast: boats in the run
	Gap    Duration `yaml:"gap"`   // go_fast: time between boats
}

// Sensors are the simulated sensors.
type Sensors struct {
	AIS        AISReception `yaml:"ais"`
	Radars     []Radar      `yaml:"radars"`
	Satellites []Satellite  `yaml:"satellites"`
}

// AISReception is how well shore stations hear AIS.
type AISReception struct {
	Drop    float64  `yaml:"drop_rate"` // share of reports lost
	Station string   `yaml:"station"`   // receiver id written in tag blocks
	Static  Duration `yaml:"static_period"`
}

// Radar is a coastal radar.
type Radar struct {
	ID           string   `yaml:"id"`
	Site         Point    `yaml:"site"`
	RangeKm      float64  `yaml:"range_km"`
	Period       Duration `yaml:"period"`
	Pd           float64  `yaml:"pd"`       // detection probability of a ship
	PdSmall      float64  `yaml:"pd_small"` // of a boat under 20 m
	SigmaRange   float64  `yaml:"sigma_range_m"`
	SigmaBearing float64  `yaml:"sigma_bearing_deg"`
	Clutter      float64  `yaml:"clutter_per_scan"` // mean false plots per scan
}

// Satellite is one satellite pass over the area.
type Satellite struct {
	ID          string   `yaml:"id"`
	Sensor      string   `yaml:"sensor"` // SAR or optical
	At          Duration `yaml:"at"`     // acquisition offset from the scenario start
	Footprint   []Point  `yaml:"footprint"`
	Pd          float64  `yaml:"pd"`
	PdSmall     float64  `yaml:"pd_small"`
	Sigma       float64  `yaml:"sigma_m"`
	FalseAlarms float64  `yaml:"false_alarms"` // mean false detections in the scene
	LengthError float64  `yaml:"length_error"` // relative 1-sigma error of the length estimate
	// Image, when set, asks for the pass's radar image of part of the
	// footprint, rendered as `pharos sar detect` reads it.
	Image *SatelliteImage `yaml:"image"`
}

// SatelliteImage is a north-up window of a pass, rendered as a 16-bit
// GeoTIFF: sea clutter, land and every vessel inside at the acquisition
// time (internal/sar's synthetic renderer).
type SatelliteImage struct {
	Centre  Point      `yaml:"centre"`
	SizeKm  [2]float64 `yaml:"size_km"`   // east-west, north-south
	Spacing float64    `yaml:"spacing_m"` // default 10, as Sentinel-1 IW GRD
}

// Load reads and checks a scenario file.
func Load(path string) (*Scenario, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Parse(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Parse reads a scenario, rejecting unknown fields, and fills defaults.
func Parse(r io.Reader) (*Scenario, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var s Scenario
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	if err := s.defaults(); err != nil {
		return nil, err
	}
	return &s, nil
}

// ErrScenario wraps what is wrong with a scenario's content.
var ErrScenario = errors.New("scenario")

func (s *Scenario) defaults() error {
	if s.Name == "" {
		return fmt.Errorf("%w: no name", ErrScenario)
	}
	if s.Start.IsZero() || s.Duration <= 0 {
		return fmt.Errorf("%w %s: start and a positive duration are required", ErrScenario, s.Name)
	}
	for i, t := range s.Traffic {
		if len(t.Lanes) == 0 || t.Speed[0] <= 0 || t.Count < 0 {
			return fmt.Errorf("%w %s: traffic %d (%s) needs lanes, a positive speed and a count", ErrScenario, s.Name, i, t.Kind)
		}
		for j, l := range t.Lanes {
			if len(l) < 2 {
				return fmt.Errorf("%w %s: traffic %d lane %d needs two points or more", ErrScenario, s.Name, i, j)
			}
		}
	}
	for _, v := range s.Vessels {
		if len(v.Route) > 1 && v.Speed <= 0 {
			return fmt.Errorf("%w %s: vessel %s has a route but no speed", ErrScenario, s.Name, v.ID)
		}
	}
	if s.Step <= 0 {
		s.Step = Duration(10 * time.Second)
	}
	if s.Sensors.AIS.Station == "" {
		s.Sensors.AIS.Station = "sim"
	}
	if s.Sensors.AIS.Static <= 0 {
		s.Sensors.AIS.Static = Duration(6 * time.Minute)
	}
	for i := range s.Sensors.Radars {
		r := &s.Sensors.Radars[i]
		if r.Period <= 0 {
			r.Period = Duration(3 * time.Second)
		}
		if r.Pd == 0 {
			r.Pd = 0.95
		}
		if r.PdSmall == 0 {
			r.PdSmall = r.Pd
		}
		if r.SigmaRange == 0 {
			r.SigmaRange = 25
		}
		if r.SigmaBearing == 0 {
			r.SigmaBearing = 0.3
		}
	}
	for i := range s.Sensors.Satellites {
		p := &s.Sensors.Satellites[i]
		if p.Sensor == "" {
			p.Sensor = "SAR"
		}
		if p.Pd == 0 {
			p.Pd = 0.95
		}
		if p.PdSmall == 0 {
			p.PdSmall = p.Pd
		}
		if p.Sigma == 0 {
			p.Sigma = 50
		}
		if p.LengthError == 0 {
			p.LengthError = 0.2
		}
		if im := p.Image; im != nil {
			if im.Spacing == 0 {
				im.Spacing = 10
			}
			px := im.SizeKm[0] * 1000 / im.Spacing * im.SizeKm[1] * 1000 / im.Spacing
			if im.Spacing < 1 || im.SizeKm[0] <= 0 || im.SizeKm[1] <= 0 || px > 1e8 {
				return fmt.Errorf("%w %s: satellite %s: image of %g × %g km at %g m: sizes must be positive, the spacing at least 1 m and the image under 100 megapixels",
					ErrScenario, s.Name, p.ID, im.SizeKm[0], im.SizeKm[1], im.Spacing)
			}
		}
	}
	return nil
}
