// Package geo holds the geodesy every stage shares: distances and bearings
// on the Earth, local tangent planes for tracking, and (as later work lands)
// polygons, spatial indexes, distance to shore and the embedded base data.
//
// The coastline is Natural Earth's land at 1:10m ("Made with Natural
// Earth"), embedded from the npm package world-atlas; see Land. The
// territorial waters are OpenStreetMap's maritime boundaries (ODbL), from
// @osm_borders/maritime_1000m; see LoadTerritorialWaters. The ports are the
// npm package sea-ports' (MIT), with a nearest-port lookup; see Ports.
// Each is converted at build time by a generator under internal/ and
// committed with a README giving its source version and licence.
//
// Like model, geo sits beside the flow of DESIGN.md: any package may import
// it, and it imports nothing of Pharos but model.
package geo
