package server

import (
	"cmp"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"pharos/internal/model"
	"pharos/internal/server/auth"
)

// table is what an export writes: one row a point, with named columns.
// Lat and lon are columns too, so a spreadsheet has them; GeoJSON and KML
// take the point from them and the rest as properties.
type table struct {
	title  string
	header []string
	rows   []row
}

type row struct {
	id, name string
	lat, lon float64
	values   []string // one per header column
}

func (s *Server) exportIncidents(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	t := table{title: "Pharos incidents", header: []string{"id", "category", "title", "impact", "status", "lat", "lon",
		"detected", "due", "owner", "originator", "reports"}}
	for _, in := range s.Picture.Incidents(nil) {
		t.rows = append(t.rows, row{id: in.ID, name: in.ID + " " + in.Title, lat: in.Lat, lon: in.Lon,
			values: []string{in.ID, in.Category, in.Title, in.Impact.String(), in.Status.String(), coord(in.Lat), coord(in.Lon),
				timeText(in.Detected), timeText(in.Due), in.Owner, in.Originator, strconv.Itoa(len(in.Reports))}})
	}
	return t.write(w, r.PathValue("format"))
}

func (s *Server) exportEvents(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	f, err := parseEventFilter(r)
	if err != nil {
		return err
	}
	t := table{title: "Pharos events", header: []string{"id", "type", "category", "impact", "confidence", "lat", "lon",
		"start", "end", "mmsi", "track_ids", "risk", "explanation"}}
	for _, ev := range s.Picture.DetectionList(f.keep) {
		risk, expl := "", ""
		if ev.Risk != nil {
			risk, expl = strconv.FormatFloat(ev.Risk.Score, 'f', 2, 64), ev.Risk.Explanation
		}
		t.rows = append(t.rows, row{id: ev.ID, name: ev.ID, lat: ev.Lat, lon: ev.Lon,
			values: []string{ev.ID, ev.Type, ev.Category, ev.Impact.String(), strconv.FormatFloat(ev.Confidence, 'f', 2, 64),
				coord(ev.Lat), coord(ev.Lon), timeText(ev.Start), timeText(ev.End), joined(ev.MMSI), joined(ev.TrackIDs), risk, expl}})
	}
	return t.write(w, r.PathValue("format"))
}

func (s *Server) exportTracks(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	t := table{title: "Pharos live tracks", header: []string{"id", "mmsi", "name", "lat", "lon", "sog", "cog", "dark", "sensors", "time"}}
	var list []model.TrackState
	if s.Tracks != nil {
		list = s.Tracks()
	}
	for _, st := range list {
		id := strconv.FormatUint(st.TrackID, 10)
		mmsi := ""
		if st.MMSI != 0 {
			mmsi = strconv.FormatUint(uint64(st.MMSI), 10)
		}
		name := cmp.Or(st.Name, mmsi, "track "+id)
		t.rows = append(t.rows, row{id: "track-" + id, name: name, lat: st.Lat, lon: st.Lon,
			values: []string{id, mmsi, st.Name, coord(st.Lat), coord(st.Lon), strconv.FormatFloat(st.SOG, 'f', 1, 64),
				strconv.FormatFloat(st.COG, 'f', 1, 64), strconv.FormatBool(st.Dark), strings.Join(st.Sensors, " "), timeText(st.Time)}})
	}
	return t.write(w, r.PathValue("format"))
}

func coord(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func joined[T uint32 | uint64](xs []T) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.FormatUint(uint64(x), 10)
	}
	return strings.Join(parts, " ")
}

// write writes the table as GeoJSON, KML or CSV.
func (t table) write(w http.ResponseWriter, format string) error {
	switch format {
	case "geojson":
		w.Header().Set("Content-Type", "application/geo+json")
		return json.NewEncoder(w).Encode(t.geoJSON())
	case "kml":
		w.Header().Set("Content-Type", "application/vnd.google-earth.kml+xml")
		return t.writeKML(w)
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		cw := csv.NewWriter(w)
		cw.Write(t.header)
		for _, r := range t.rows {
			cw.Write(r.values)
		}
		cw.Flush()
		return cw.Error()
	}
	return fail(http.StatusNotFound, "export format %q: want geojson, kml or csv", format)
}

type feature struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Geometry   map[string]any    `json:"geometry"`
	Properties map[string]string `json:"properties"`
}

func (t table) geoJSON() map[string]any {
	features := make([]feature, 0, len(t.rows))
	for _, r := range t.rows {
		props := map[string]string{}
		for i, h := range t.header {
			if h != "id" && h != "lat" && h != "lon" && r.values[i] != "" {
				props[h] = r.values[i]
			}
		}
		features = append(features, feature{Type: "Feature", ID: r.id,
			Geometry: map[string]any{"type": "Point", "coordinates": []float64{r.lon, r.lat}}, Properties: props})
	}
	return map[string]any{"type": "FeatureCollection", "features": features}
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

func (t table) writeKML(w http.ResponseWriter) error {
	doc := kml{Name: t.title}
	for _, r := range t.rows {
		var desc []string
		for i, h := range t.header {
			if h != "id" && h != "lat" && h != "lon" && r.values[i] != "" {
				desc = append(desc, fmt.Sprintf("%s: %s", h, r.values[i]))
			}
		}
		doc.Marks = append(doc.Marks, kmlMark{ID: r.id, Name: r.name, Description: strings.Join(desc, "; "),
			Coordinates: coord(r.lon) + "," + coord(r.lat)})
	}
	w.Write([]byte(xml.Header))
	return xml.NewEncoder(w).Encode(doc)
}
