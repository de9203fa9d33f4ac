package detect

import (
	"fmt"
	"time"

	"pharos/internal/geo"
)

// Defaults returns every detector with its published defaults. land and
// areas may be nil, at the cost of what needs them (landfall and distance
// to shore; zones and dark targets in border sections). The port table is
// the embedded one (geo.LoadPorts), which every build carries.
func Defaults(land *geo.Land, areas *geo.Areas) []Detector {
	ports, err := geo.LoadPorts()
	if err != nil {
		// The embedded table is checked by package geo's tests: failing
		// to read it is a broken build, not a condition to run on.
		panic(fmt.Sprintf("detect: embedded port table: %v", err))
	}
	dets := []Detector{
		&GoFast{Land: land},
		&Drift{},
		&SpeedChange{},
		&Distress{Land: land},
		&Loitering{Land: land, Ports: ports},
		&AISGap{Land: land},
		// GFW's encounters last 2 h; transhipments at sea seen by a
		// coastal radar are shorter, and the simulated ones last 30–40 min.
		&Encounter{Land: land, Ports: ports, MinDuration: 20 * time.Minute},
		&IdentitySpoof{},
		&Watchlist{}, // entries come from configuration; none, no events
	}
	if areas != nil {
		// Ships in transit cross territorial waters all day; only a dark
		// target doing so is news. Other areas (border sections, closed
		// areas, areas drawn by users) report every track.
		dets = append(dets,
			&Zones{Areas: areas, DarkOnly: []string{geo.KindTerritorialWaters}},
			&DarkTarget{Areas: areas})
	}
	return dets
}
