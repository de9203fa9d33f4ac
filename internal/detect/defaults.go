package detect

import "pharos/internal/geo"

// Defaults returns every detector with its published defaults. land may be
// nil, at the cost of what needs the coast (landfall, distance to shore).
func Defaults(land *geo.Land) []Detector {
	return []Detector{
		&GoFast{Land: land},
	}
}
