package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// ErrAreaGeoJSON reports an area file that cannot be used; the message
// names the feature and what is wrong with it.
var ErrAreaGeoJSON = errors.New("bad area GeoJSON")

// ParseAreasGeoJSON reads areas from a GeoJSON FeatureCollection (or a
// single Feature): border sections, closed areas, areas drawn by users.
// Each feature needs a Polygon or MultiPolygon geometry and an id, taken
// from properties.id or else the feature's own id (string or number), and
// unique in the file. Other properties it reads:
//
//	name    shown to operators; default the id
//	kind    border_section, closed_area, … (any name); default user_area
//	impact  low, medium, high or critical (border sections); default none
//	isoA2, isoA3  the state the area belongs to
//
// Positions are [lon, lat] in degrees (a third value, altitude, is
// ignored). Rings need three distinct positions; closing them is optional.
// A ring crossing the antimeridian may jump from 179° to -179° or run on
// past 180° (up to 540°). The first bad feature fails the whole file, with
// an error wrapping ErrAreaGeoJSON that says which feature and why.
func ParseAreasGeoJSON(r io.Reader) ([]Area, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var doc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAreaGeoJSON, err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrAreaGeoJSON, err)
	}
	switch doc.Type {
	case "FeatureCollection":
	case "Feature":
		doc.Features = []json.RawMessage{raw}
	default:
		return nil, fmt.Errorf("%w: type %q, want FeatureCollection or Feature", ErrAreaGeoJSON, doc.Type)
	}
	list := make([]Area, 0, len(doc.Features))
	seen := map[string]int{}
	for i, f := range doc.Features {
		a, err := parseAreaFeature(f)
		if err != nil {
			if a.ID != "" {
				return nil, fmt.Errorf("%w: feature %d (id %q): %w", ErrAreaGeoJSON, i, a.ID, err)
			}
			return nil, fmt.Errorf("%w: feature %d: %w", ErrAreaGeoJSON, i, err)
		}
		if j, dup := seen[a.ID]; dup {
			return nil, fmt.Errorf("%w: feature %d: id %q already used by feature %d", ErrAreaGeoJSON, i, a.ID, j)
		}
		seen[a.ID] = i
		list = append(list, a)
	}
	return list, nil
}

// parseAreaFeature reads one feature; on error the area carries the ID
// when it was read.
func parseAreaFeature(data []byte) (Area, error) {
	var f struct {
		Type       string          `json:"type"`
		ID         json.RawMessage `json:"id"`
		Properties json.RawMessage `json:"properties"`
		Geometry   *struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	}
	var p struct {
		ID     json.RawMessage `json:"id"`
		Name   *string         `json:"name"`
		Kind   *string         `json:"kind"`
		Impact *string         `json:"impact"`
		ISOA2  *string         `json:"isoA2"`
		ISOA3  *string         `json:"isoA3"`
	}
	var a Area
	if err := json.Unmarshal(data, &f); err != nil {
		return a, err
	}
	if f.Type != "Feature" {
		return a, fmt.Errorf("type %q, want Feature", f.Type)
	}
	if len(f.Properties) > 0 && !bytes.Equal(f.Properties, []byte("null")) {
		if err := json.Unmarshal(f.Properties, &p); err != nil {
			return a, fmt.Errorf("properties: %w", err)
		}
	}
	id, err := featureID(p.ID)
	if err == nil && id == "" {
		id, err = featureID(f.ID)
	}
	if err != nil {
		return a, err
	}
	if id == "" {
		return a, errors.New("no id (properties.id or the feature's id)")
	}
	a.ID, a.Name, a.Kind = id, id, KindUserArea
	if p.Name != nil && *p.Name != "" {
		a.Name = *p.Name
	}
	if p.Kind != nil && *p.Kind != "" {
		a.Kind = *p.Kind
	}
	if p.Impact != nil {
		if err := a.Impact.UnmarshalText([]byte(strings.ToLower(*p.Impact))); err != nil {
			return a, err
		}
	}
	if p.ISOA2 != nil {
		a.ISOA2 = *p.ISOA2
	}
	if p.ISOA3 != nil {
		a.ISOA3 = *p.ISOA3
	}
	if f.Geometry == nil {
		return a, errors.New("no geometry")
	}
	var polys [][][][]float64
	switch f.Geometry.Type {
	case "Polygon":
		var poly [][][]float64
		if err := json.Unmarshal(f.Geometry.Coordinates, &poly); err != nil {
			return a, fmt.Errorf("polygon coordinates: %w", err)
		}
		polys = [][][][]float64{poly}
	case "MultiPolygon":
		if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
			return a, fmt.Errorf("multipolygon coordinates: %w", err)
		}
	default:
		return a, fmt.Errorf("geometry %q, want Polygon or MultiPolygon", f.Geometry.Type)
	}
	if len(polys) == 0 {
		return a, errors.New("no polygon")
	}
	for pi, poly := range polys {
		if len(poly) == 0 {
			return a, fmt.Errorf("polygon %d: no ring", pi)
		}
		rings := make([][][2]float64, 0, len(poly))
		for ri, ring := range poly {
			r := make([][2]float64, 0, len(ring))
			distinct := 0
			for k, pos := range ring {
				if len(pos) < 2 {
					return a, fmt.Errorf("polygon %d ring %d position %d: %d numbers, want [lon, lat]", pi, ri, k, len(pos))
				}
				lon, lat := pos[0], pos[1]
				if math.IsNaN(lon) || math.IsInf(lon, 0) || math.Abs(lon) > 540 || math.IsNaN(lat) || math.Abs(lat) > 90 {
					return a, fmt.Errorf("polygon %d ring %d position %d: [%g, %g] is not a [lon, lat]", pi, ri, k, lon, lat)
				}
				if k == 0 || [2]float64{lon, lat} != r[len(r)-1] {
					distinct++
				}
				r = append(r, [2]float64{lon, lat})
			}
			if len(r) > 1 && r[0] == r[len(r)-1] {
				distinct--
			}
			if distinct < 3 {
				return a, fmt.Errorf("polygon %d ring %d: %d distinct positions, need 3", pi, ri, max(distinct, 0))
			}
			rings = append(rings, r)
		}
		a.Polygons = append(a.Polygons, rings)
	}
	return a, nil
}

// featureID reads an id given as a string or a number.
func featureID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return strings.TrimSpace(s), nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("id %s is neither a string nor a number", raw)
}
