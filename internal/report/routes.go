package report

import (
	"fmt"
	"math"
	"strings"
	"time"

	"pharos/internal/geo"
	"pharos/internal/model"
)

// Route is the way a craft went: from where it was first seen to where
// it landed or was last seen, each end rounded to the centre of its cell
// of RouteGrid degrees (as CellOf cuts them) and named by the state whose territorial waters (land
// included) hold it.
type Route struct {
	// Key names the route: "Morocco 35.9°N 5.5°W > Spain 36.1°N 5.3°W".
	Key string
	// Pair names the states: "Morocco > Spain".
	Pair     string
	From, To Place
	// Start and End are where this craft was first and last seen, [lat,
	// lon]; Data.Routes holds their means over the route's incidents,
	// which the maps draw.
	Start, End [2]float64
}

// Place is one end of a route.
type Place struct {
	// State is the state whose territorial waters or land hold the
	// place, or OpenSea.
	State    string
	ISO      string  // the state's ISO 3166-1 alpha-2 code, if any
	Lat, Lon float64 // the centre of the cell of RouteGrid degrees
}

// OpenSea is the State of a place in no state's territorial waters.
const OpenSea = "open sea"

// RouteWindow is how far before a detection's start and after its end
// the track history is searched for the ends of the route.
const RouteWindow = 12 * time.Hour

// String writes the place as in route keys.
func (p Place) String() string {
	return p.State + " " + latLonName(p.Lat, p.Lon)
}

func latLonName(lat, lon float64) string {
	ns, ew := "N", "E"
	if lat < 0 {
		ns, lat = "S", -lat
	}
	if lon < 0 {
		ew, lon = "W", -lon
	}
	return fmt.Sprintf("%.1f°%s %.1f°%s", lat, ns, lon, ew)
}

// RouteOf works out the route of a detection's craft: it departs where
// its track history (the states of the detection's first track around
// the detection) begins, or else where the detection's evidence begins,
// and lands at the landfall a go-fast detection computed, or else where
// the history or the evidence ends. It reports false when there is
// neither history nor evidence, or when both ends fall in one cell.
func RouteOf(hist []model.TrackState, ev *model.Event, waters *geo.Areas) (Route, bool) {
	var from, to [2]float64
	switch {
	case len(hist) > 0:
		from = [2]float64{hist[0].Lat, hist[0].Lon}
		to = [2]float64{hist[len(hist)-1].Lat, hist[len(hist)-1].Lon}
	case len(ev.Evidence) > 0:
		from = [2]float64{ev.Evidence[0].Lat, ev.Evidence[0].Lon}
		to = [2]float64{ev.Evidence[len(ev.Evidence)-1].Lat, ev.Evidence[len(ev.Evidence)-1].Lon}
	default:
		return Route{}, false
	}
	if lat, ok1 := number(ev.Details["landfall_lat"]); ok1 {
		if lon, ok2 := number(ev.Details["landfall_lon"]); ok2 {
			to = [2]float64{lat, lon}
		}
	}
	a, b := placeOf(from[0], from[1], waters), placeOf(to[0], to[1], waters)
	if a.Lat == b.Lat && a.Lon == b.Lon {
		return Route{}, false
	}
	return Route{Key: a.String() + " > " + b.String(), Pair: a.State + " > " + b.State, From: a, To: b, Start: from, End: to}, true
}

// number reads a JSON number decoded into an any.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// placeOf names the place of a point.
func placeOf(lat, lon float64, waters *geo.Areas) Place {
	p := Place{State: OpenSea,
		Lat: (gridFloor(lat, RouteGrid) + 0.5) * RouteGrid, Lon: (gridFloor(lon, RouteGrid) + 0.5) * RouteGrid}
	p.Lat, p.Lon = math.Round(p.Lat*1000)/1000, math.Round(p.Lon*1000)/1000
	if waters != nil {
		if i, ok := waters.InKind(lat, lon, geo.KindTerritorialWaters); ok {
			a := waters.Area(i)
			p.State, p.ISO = strings.TrimSuffix(a.Name, " territorial waters"), a.ISOA2
		}
	}
	return p
}
