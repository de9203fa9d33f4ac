package node

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"go.yaml.in/yaml/v3"

	"pharos/internal/source"
)

// Config is what a node is told about its sensors and itself.
type Config struct {
	Radars    []Radar  `yaml:"radars"`
	OwnAssets []uint32 `yaml:"own_assets"` // MMSIs of the node's own patrol assets
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
	for i, r := range c.Radars {
		if r.ID == "" || r.Lat < -90 || r.Lat > 90 || r.Lon < -180 || r.Lon > 180 {
			return nil, fmt.Errorf("%s: radar %d needs an id and a position", path, i)
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
