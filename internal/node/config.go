package node

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"go.yaml.in/yaml/v3"

	"pharos/internal/detect"
	"pharos/internal/geo"
	"pharos/internal/risk"
	"pharos/internal/server/auth"
	"pharos/internal/share"
	"pharos/internal/source"
	"pharos/internal/store"
)

// Config is what a node is told about its sensors and itself.
type Config struct {
	// Node names the node, e.g. its coordination centre ("ESP-NCC"): the
	// originator and owner of the incidents it opens. Default "pharos".
	Node string `yaml:"node,omitempty"`

	Radars    []Radar  `yaml:"radars"`
	OwnAssets []uint32 `yaml:"own_assets"` // MMSIs of the node's own patrol assets

	// Areas are GeoJSON files of border sections, closed areas and areas
	// drawn by users (see geo.ParseAreasGeoJSON), relative to the file.
	Areas []string `yaml:"areas,omitempty"`
	// Watchlist holds the alerts watchlist_hit looks for.
	Watchlist []detect.WatchEntry `yaml:"watchlist,omitempty"`
	// RiskWeights replace the default weights of the facts they name:
	// fact → threat → weight (see risk.DefaultWeights).
	RiskWeights map[string]map[string]float64 `yaml:"risk_weights,omitempty"`
	// Detectors override detector parameters, by event type; the keys are
	// the parameters' names in lower case ("minspeed: 35", "minduration:
	// 2m"). Zones are configured under zone_entry.
	Detectors map[string]yaml.Node `yaml:"detectors,omitempty"`

	// CoTOut are where the node sends its tracks and detections as
	// Cursor-on-Target: tcp://host[:port] (a TAK server, default port
	// 8087) or udp://host:port (unicast, or multicast such as ATAK's
	// 239.2.3.1:6969).
	CoTOut []string `yaml:"cot_out,omitempty"`

	// Retention is how long the store keeps each kind of data, by event
	// time: track_states, detections, incidents (closed ones, from their
	// closing). A kind not named is kept for ever.
	Retention map[store.Kind]time.Duration `yaml:"retention,omitempty"`
	// PersonalData is how long vessel identifiers (MMSI, name, IMO, call
	// sign) stay in the stored track_states and detections; after that
	// the records stay without them.
	PersonalData map[store.Kind]time.Duration `yaml:"personal_data,omitempty"`

	// Sharing is how the node shares with its peers (internal/share):
	// where it listens, its certificate, its peers and the agreements.
	Sharing *share.Settings `yaml:"sharing,omitempty"`

	// Users may log in to the API (pharos serve); each password_hash is
	// an argon2id PHC string from pharos passwd.
	Users []User `yaml:"users,omitempty"`

	dir string // the file's directory, for relative paths
}

// User is a user of the API as the configuration names them.
type User struct {
	Name         string `yaml:"name"`
	Role         string `yaml:"role"` // operator, analyst, administrator or auditor
	PasswordHash string `yaml:"password_hash"`
}

// NodeName returns the node's name, or "pharos" when none is set.
func (c *Config) NodeName() string {
	if c.Node == "" {
		return "pharos"
	}
	return c.Node
}

// DetectorSet returns every detector with the configuration's parameters
// and watchlist applied over the published defaults.
func (c *Config) DetectorSet(land *geo.Land, areas *geo.Areas) ([]detect.Detector, error) {
	dets := detect.Defaults(land, areas)
	for _, d := range dets {
		if n, ok := c.Detectors[d.Type()]; ok {
			if err := n.Decode(d); err != nil {
				return nil, fmt.Errorf("detectors: %s: %w", d.Type(), err)
			}
		}
		if w, ok := d.(*detect.Watchlist); ok && len(c.Watchlist) > 0 {
			w.Entries = c.Watchlist
		}
	}
	return dets, nil
}

// AreaSet returns the territorial waters plus the configured areas.
func (c *Config) AreaSet() (*geo.Areas, error) {
	tw, err := geo.LoadTerritorialWaters()
	if err != nil {
		return nil, err
	}
	if len(c.Areas) == 0 {
		return tw, nil
	}
	list := slices.Clone(tw.List())
	for _, name := range c.Areas {
		if !filepath.IsAbs(name) {
			name = filepath.Join(c.dir, name)
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		areas, err := geo.ParseAreasGeoJSON(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		list = append(list, areas...)
	}
	return geo.NewAreas(list), nil
}

// Assessor returns the risk assessor with the configured weights.
func (c *Config) Assessor() *risk.Assessor {
	w := risk.DefaultWeights()
	for fact, threats := range c.RiskWeights {
		w[fact] = threats
	}
	return risk.New(w)
}

// Radar is a coastal radar the node receives targets from.
type Radar struct {
	ID           string        `yaml:"id"` // the tag-block source its sentences carry
	Lat          float64       `yaml:"lat"`
	Lon          float64       `yaml:"lon"`
	RangeM       float64       `yaml:"range_m"`
	Period       time.Duration `yaml:"period"`
	SigmaRange   float64       `yaml:"sigma_range_m"`
	SigmaBearing float64       `yaml:"sigma_bearing_deg"`
}

// Site is the radar as the readers and the tracker know it.
func (r Radar) Site() source.RadarSite {
	return source.RadarSite{ID: r.ID, Lat: r.Lat, Lon: r.Lon, Range: r.RangeM, Period: r.Period,
		RangeSigma: r.SigmaRange, BearingSigma: r.SigmaBearing}
}

// Sites returns every radar's site.
func (c *Config) Sites() []source.RadarSite {
	out := make([]source.RadarSite, len(c.Radars))
	for i, r := range c.Radars {
		out[i] = r.Site()
	}
	return out
}

// LoadConfig reads a configuration file; unknown keys are errors, with the
// line they are on.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.dir = filepath.Dir(path)
	for i, u := range c.Users {
		if u.Name == "" {
			return nil, fmt.Errorf("%s: user %d needs a name", path, i)
		}
		if err := auth.Role(u.Role).Check(); err != nil {
			return nil, fmt.Errorf("%s: user %s: %w", path, u.Name, err)
		}
		if err := auth.CheckHash(u.PasswordHash); err != nil {
			return nil, fmt.Errorf("%s: user %s: %w (make one with pharos passwd)", path, u.Name, err)
		}
	}
	for i, r := range c.Radars {
		if r.ID == "" || r.Lat < -90 || r.Lat > 90 || r.Lon < -180 || r.Lon > 180 {
			return nil, fmt.Errorf("%s: radar %d needs an id and a position", path, i)
		}
	}
	for key, m := range map[string]map[store.Kind]time.Duration{"retention": c.Retention, "personal_data": c.PersonalData} {
		for kind, d := range m {
			if _, _, err := store.PruneWhere(kind); err != nil || key == "personal_data" && kind == store.KindIncidents {
				return nil, fmt.Errorf("%s: %s: %q is not a kind of data it applies to", path, key, kind)
			}
			if d <= 0 {
				return nil, fmt.Errorf("%s: %s: %s: want a positive duration", path, key, kind)
			}
		}
	}
	return &c, nil
}

// WriteFile writes the configuration as YAML.
func (c *Config) WriteFile(path string) error {
	b, err := yaml.Marshal(c)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
