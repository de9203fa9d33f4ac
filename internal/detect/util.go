package detect

import (
	"cmp"
	"maps"
	"math"
	"slices"

	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/track"
)

// maxEvidence bounds the evidence an event keeps: the first states and the
// latest, enough for an operator to see the behaviour.
const maxEvidence = 16

// addEvidence appends the track's state to the event's evidence, keeping
// the first half of the slots and sliding the rest.
func addEvidence(ev *model.Event, t *track.Track) {
	e := EvidenceOf(t)
	if n := len(ev.Evidence); n > 0 && ev.Evidence[n-1].Time.Equal(e.Time) && ev.Evidence[n-1].TrackID == e.TrackID {
		return
	}
	if len(ev.Evidence) < maxEvidence {
		ev.Evidence = append(ev.Evidence, e)
		return
	}
	keep := maxEvidence / 2
	copy(ev.Evidence[keep:], ev.Evidence[keep+1:])
	ev.Evidence[len(ev.Evidence)-1] = e
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }
func min1(v float64) float64   { return math.Min(1, v) }

// sortedKeys returns a map's keys in order: detectors visit their state in
// a fixed order so that the same input gives the same events.
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}

// offshore is the distance from the coast of a point at sea, up to limit;
// a point on land (or in a river, an estuary or a harbour the coastline
// leaves out) is 0 from the sea's point of view: far from the coast,
// but not offshore.
func offshore(land *geo.Land, lat, lon, limit float64) float64 {
	if land.Contains(lat, lon) {
		return 0
	}
	return land.DistanceToShoreWithin(lat, lon, limit)
}

// nearestPortWithin bounds the search for the port an event names: beyond
// it the name says nothing an operator needs, and the search stays cheap.
const nearestPortWithin = 100e3

// addNearestPort names in an event's details the port nearest its
// position, as GFW's events carry their distance from port: "nearest_port"
// ("Ceuta (ESCEU)") and "nearest_port_km", when one lies within 100 km.
func addNearestPort(details map[string]any, ports *geo.Ports, lat, lon float64) {
	if q, dist, ok := ports.Nearest(lat, lon, nearestPortWithin); ok {
		details["nearest_port"] = q.Name + " (" + q.LOCODE + ")"
		details["nearest_port_km"] = round1(dist / 1e3)
	}
}
