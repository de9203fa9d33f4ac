package sar

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"time"
)

// Georef places a north-up chip on the Earth: the latitude and longitude
// of its top-left (north-west) corner and the pixel spacing in metres,
// the same along both axes. Over a chip's few kilometres a local flat
// Earth is exact to well under a pixel.
type Georef struct {
	Lat, Lon float64
	Spacing  float64
}

const earthRadius = 6371008.8 // mean radius, metres

// LatLon returns the position of pixel coordinates (x right, y down).
func (r Georef) LatLon(x, y float64) (lat, lon float64) {
	lat = r.Lat - y*r.Spacing/earthRadius*180/math.Pi
	lon = r.Lon + x*r.Spacing/(earthRadius*math.Cos(r.Lat*math.Pi/180))*180/math.Pi
	return lat, lon
}

// Degrees returns the size of a pixel in degrees of latitude and of
// longitude: the grid LatLon draws.
func (r Georef) Degrees() (dlat, dlon float64) {
	dlat = r.Spacing / earthRadius * 180 / math.Pi
	return dlat, dlat / math.Cos(r.Lat*math.Pi/180)
}

// Scene describes the chip or scene the detections come from.
type Scene struct {
	ID      string
	Time    time.Time // acquisition time; zero when unknown (fusion then rejects the detections)
	W, H    int       // pixels
	Place   Placement // nil when the image is not georeferenced
	Spacing float64   // metres per pixel; 0 when unknown
}

// WriteGeoJSON writes objs as the satellite-detection GeoJSON that
// source.SatelliteReader reads (and so `pharos run`): a FeatureCollection
// with the scene (id, time, sensor SAR and, when georeferenced, its
// footprint) and one Point feature per object. Every feature carries the
// pixel centre and box ("px", "py", "bbox": [minx, miny, maxx, maxy],
// inclusive) and the size in pixels; without a georeference its geometry
// is null and fusion cannot use it. The hull's axis is given as
// "axis_deg" (0–180, clockwise from north) and not as "heading": SAR
// cannot tell bow from stern, and a heading wrong by 180° would mislead
// the matching against AIS.
func WriteGeoJSON(w io.Writer, sc Scene, objs []Object) error {
	type props map[string]any
	scene := props{"id": sc.ID, "sensor": "SAR"}
	if !sc.Time.IsZero() {
		scene["time"] = sc.Time.UTC().Format(time.RFC3339)
	}
	if g := sc.Place; g != nil {
		var ring [][2]float64
		// Counter-clockwise on the map, as RFC 7946 asks of an exterior
		// ring: down the left edge first (y grows southwards).
		for _, c := range [][2]float64{{0, 0}, {0, float64(sc.H)}, {float64(sc.W), float64(sc.H)}, {float64(sc.W), 0}, {0, 0}} {
			lat, lon := g.LatLon(c[0], c[1])
			ring = append(ring, [2]float64{round(lon, 7), round(lat, 7)})
		}
		scene["footprint"] = props{"type": "Polygon", "coordinates": [][][2]float64{ring}}
	}
	features := make([]props, 0, len(objs))
	for i, o := range objs {
		p := props{
			"id":         fmt.Sprintf("%s#%d", sc.ID, i+1),
			"scene_id":   sc.ID,
			"px":         round(o.X, 2),
			"py":         round(o.Y, 2),
			"bbox":       []int{o.MinX, o.MinY, o.MaxX, o.MaxY},
			"pixels":     o.Pixels,
			"length_px":  round(o.Length, 1),
			"width_px":   round(o.Width, 1),
			"axis_deg":   round(o.Heading, 1),
			"cfar_score": round(o.PeakScore, 2),
			"confidence": round(o.Confidence, 3),
		}
		var geom any
		if g := sc.Place; g != nil {
			lat, lon := g.LatLon(o.X, o.Y)
			geom = props{"type": "Point", "coordinates": []float64{round(lon, 7), round(lat, 7)}}
		}
		if s := sc.Spacing; s > 0 {
			p["length_m"] = round(o.Length*s, 1)
			p["width_m"] = round(o.Width*s, 1)
			// Half the length, at least a pixel: where on the hull the
			// centroid falls is that uncertain.
			p["position_error_m"] = round(max(o.Length*s/2, s), 1)
		}
		features = append(features, props{"type": "Feature", "geometry": geom, "properties": p})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(props{"type": "FeatureCollection", "scene": scene, "features": features})
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}
