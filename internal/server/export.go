package server

import (
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"pharos/internal/picture"
	"pharos/internal/server/auth"
)

// exportIncidents writes the incidents as GeoJSON, KML or CSV, by the
// {format} of the path: points at each incident's place, with what an
// operator or a GIS needs to tell them apart.
func (s *Server) exportIncidents(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	list := s.Picture.Incidents(nil)
	switch format := r.PathValue("format"); format {
	case "geojson":
		w.Header().Set("Content-Type", "application/geo+json")
		return json.NewEncoder(w).Encode(incidentsGeoJSON(list))
	case "kml":
		w.Header().Set("Content-Type", "application/vnd.google-earth.kml+xml")
		return writeKML(w, list)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		return writeCSV(w, list)
	default:
		return fail(http.StatusNotFound, "export format %q: want geojson, kml or csv", format)
	}
}

type feature struct {
	Type       string         `json:"type"`
	ID         string         `json:"id"`
	Geometry   map[string]any `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

func incidentsGeoJSON(list []picture.Incident) map[string]any {
	features := make([]feature, 0, len(list))
	for _, in := range list {
		features = append(features, feature{Type: "Feature", ID: in.ID,
			Geometry: map[string]any{"type": "Point", "coordinates": []float64{in.Lon, in.Lat}},
			Properties: map[string]any{"category": in.Category, "title": in.Title, "impact": in.Impact.String(),
				"status": in.Status.String(), "owner": in.Owner, "detected": in.Detected.UTC().Format(time.RFC3339),
				"events": in.Events}})
	}
	return map[string]any{"type": "FeatureCollection", "features": features}
}

var csvHeader = []string{"id", "category", "title", "impact", "status", "lat", "lon", "detected", "due", "owner", "originator", "reports"}

func writeCSV(w http.ResponseWriter, list []picture.Incident) error {
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, in := range list {
		due := ""
		if !in.Due.IsZero() {
			due = in.Due.UTC().Format(time.RFC3339)
		}
		cw.Write([]string{in.ID, in.Category, in.Title, in.Impact.String(), in.Status.String(),
			strconv.FormatFloat(in.Lat, 'f', 6, 64), strconv.FormatFloat(in.Lon, 'f', 6, 64),
			in.Detected.UTC().Format(time.RFC3339), due, in.Owner, in.Originator, strconv.Itoa(len(in.Reports))})
	}
	cw.Flush()
	return cw.Error()
}

// kml is the little of KML 2.2 the export needs.
type kml struct {
	XMLName xml.Name  `xml:"http://www.opengis.net/kml/2.2 kml"`
	Name    string    `xml:"Document>name"`
	Marks   []kmlMark `xml:"Document>Placemark"`
}

type kmlMark struct {
	ID          string `xml:"id,attr"`
	Name        string `xml:"name"`
	Description string `xml:"description"`
	Coordinates string `xml:"Point>coordinates"`
}

func writeKML(w http.ResponseWriter, list []picture.Incident) error {
	doc := kml{Name: "Pharos incidents"}
	for _, in := range list {
		doc.Marks = append(doc.Marks, kmlMark{ID: in.ID, Name: in.ID + " " + in.Title,
			Description: fmt.Sprintf("%s, impact %s, %s, detected %s", in.Category, in.Impact, in.Status, in.Detected.UTC().Format(time.RFC3339)),
			Coordinates: strconv.FormatFloat(in.Lon, 'f', 6, 64) + "," + strconv.FormatFloat(in.Lat, 'f', 6, 64)})
	}
	w.Write([]byte(xml.Header))
	return xml.NewEncoder(w).Encode(doc)
}
