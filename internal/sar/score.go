package sar

import (
	"encoding/json"
	"fmt"
	"io"

	"pharos/internal/geo"
)

// TruthChip is what a synthetic chip holds: where it lies and its ships.
// `pharos sim --sar-chips` writes a list of them as JSON, and `pharos sar
// eval` reads them back.
type TruthChip struct {
	Name    string       `json:"name"`
	File    string       `json:"file"`
	Lat     float64      `json:"lat"` // top-left (north-west) corner of a north-up chip
	Lon     float64      `json:"lon"`
	Spacing float64      `json:"spacing_m"`
	W       int          `json:"width"`
	H       int          `json:"height"`
	Ships   []SynthTruth `json:"ships"`
}

// Record returns the chip's truth record.
func (c SynthChip) Record() TruthChip {
	s := c.Synth
	return TruthChip{Name: c.Name, Lat: s.Place.Lat, Lon: s.Place.Lon, Spacing: s.Spacing, W: s.W, H: s.H, Ships: c.Ships}
}

// ReadTruth reads a list of truth chips.
func ReadTruth(r io.Reader) ([]TruthChip, error) {
	var chips []TruthChip
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	if err := d.Decode(&chips); err != nil {
		return nil, fmt.Errorf("truth: %w", err)
	}
	for _, c := range chips {
		if c.Spacing <= 0 || c.W <= 0 || c.H <= 0 {
			return nil, fmt.Errorf("truth: chip %q without a size or spacing", c.Name)
		}
	}
	return chips, nil
}

// Tally is the outcome of detection against truth, offshore and near-shore
// ships apart.
type Tally struct{ Offshore, NearShore Match }

// Add sums two tallies.
func (s Tally) Add(o Tally) Tally {
	return Tally{s.Offshore.Add(o.Offshore), s.NearShore.Add(o.NearShore)}
}

// ScoreChip pairs the detections of one chip with its ships by xView3's
// rule, centres within 200 m paired one to one (PairCentres). A ship counts as near-shore by
// its own flag; a detection no ship explains counts as near-shore when it
// lies within NearShoreM of the coastline (land may be nil: then all such
// detections count as offshore).
func ScoreChip(objs []Object, c TruthChip, land *geo.Land) Tally {
	truth := make([][2]float64, len(c.Ships))
	for i, s := range c.Ships {
		truth[i] = [2]float64{s.X, s.Y}
	}
	place := Georef{Lat: c.Lat, Lon: c.Lon, Spacing: c.Spacing}
	pair := PairCentres(objs, truth, 200/c.Spacing)
	found := make([]bool, len(truth))
	var s Tally
	for i, j := range pair {
		if j >= 0 {
			found[j] = true
			continue
		}
		lat, lon := place.LatLon(objs[i].X, objs[i].Y)
		if land != nil && land.DistanceToShoreWithin(lat, lon, NearShoreM) < NearShoreM {
			s.NearShore.FP++
		} else {
			s.Offshore.FP++
		}
	}
	for j, ship := range c.Ships {
		m := &s.Offshore
		if ship.NearShore {
			m = &s.NearShore
		}
		if found[j] {
			m.TP++
		} else {
			m.FN++
		}
	}
	return s
}
