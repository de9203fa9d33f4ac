// Package geo holds the geodesy every stage shares: distances and bearings
// on the Earth, local tangent planes for tracking, and (as later work lands)
// polygons, spatial indexes, distance to shore and the embedded base data.
//
// The coastline is Natural Earth's land at 1:10m ("Made with Natural
// Earth"), embedded from the npm package world-atlas; see Land.
//
// Like model, geo sits beside the flow of DESIGN.md: any package may import
// it, and it imports nothing of Pharos but model.
package geo
