// Package sim simulates a stretch of sea so that every claim about
// detection and tracking can be measured: vessels on routes (traffic along
// lanes, ferries, patrol boats) and threat patterns (go-fast runs,
// rendezvous at sea, boats in distress, AIS switched off, cloned MMSIs),
// seen by simulated sensors (AIS with reception losses, coastal radars with
// noise, missed detections and clutter, satellite passes with false
// alarms, own assets reporting by Cursor-on-Target).
//
// It writes the sensor data in the real formats the node reads — so the
// simulated run goes through the same decoders as a real one — and the
// ground truth that package eval scores against. A scenario is a YAML file
// (see Scenario; the shipped ones are in the repository's scenarios/
// directory); routes are checked against the embedded coastline, so no
// simulated boat crosses land. The same scenario and seed always give the
// same bytes.
//
// A satellite pass may also ask for its radar image (Satellite.Image):
// the vessels inside at the acquisition time rendered by internal/sar's
// synthetic renderer and written as a GeoTIFF by internal/geotiff, for
// `pharos sar detect` to find them as it would in a real scene.
//
// sim stands beside the flow of DESIGN.md: it feeds the node from outside,
// as real sensors do; it imports sar and geotiff only to draw and write
// images.
package sim
