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
// sim stands beside the flow of DESIGN.md: it feeds the node from outside,
// as real sensors do.
package sim
