package server

import (
	"math"
	"net/http"
	"sync"

	"pharos/internal/geo"
	"pharos/internal/server/auth"
)

// territorial is the embedded territorial waters with each area's bounding
// box, loaded on first demand: a node whose UI never asks pays nothing.
var territorial = sync.OnceValues(func() ([]territorialArea, error) {
	tw, err := geo.LoadTerritorialWaters()
	if err != nil {
		return nil, err
	}
	var list []territorialArea
	for _, a := range tw.List() {
		if a.Kind != geo.KindTerritorialWaters {
			continue
		}
		box := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, poly := range a.Polygons {
			for _, ring := range poly {
				for _, p := range ring {
					box[0], box[1] = min(box[0], p[0]), min(box[1], p[1])
					box[2], box[3] = max(box[2], p[0]), max(box[3], p[1])
				}
			}
		}
		list = append(list, territorialArea{a, box})
	}
	return list, nil
})

type territorialArea struct {
	geo.Area
	box [4]float64 // min lon, min lat, max lon, max lat
}

// territorialWaters answers the territorial waters whose bounding boxes
// meet ?bbox= (required: the whole world is megabytes), for maps.
func (s *Server) territorialWaters(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	v := r.URL.Query().Get("bbox")
	if v == "" {
		return fail(http.StatusBadRequest, "bbox=min_lon,min_lat,max_lon,max_lat is required")
	}
	b, err := parseBBox(v)
	if err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	list, err := territorial()
	if err != nil {
		return err
	}
	type geometry struct {
		Type        string           `json:"type"`
		Coordinates [][][][2]float64 `json:"coordinates"`
	}
	type feature struct {
		Type       string            `json:"type"`
		ID         string            `json:"id"`
		Properties map[string]string `json:"properties"`
		Geometry   geometry          `json:"geometry"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, a := range list {
		if a.box[0] > b[2] || a.box[2] < b[0] || a.box[1] > b[3] || a.box[3] < b[1] {
			continue
		}
		fc.Features = append(fc.Features, feature{Type: "Feature", ID: a.ID,
			Properties: map[string]string{"id": a.ID, "name": a.Name, "iso_a2": a.ISOA2},
			Geometry:   geometry{Type: "MultiPolygon", Coordinates: a.Polygons}})
	}
	return writeJSON(w, http.StatusOK, fc)
}
