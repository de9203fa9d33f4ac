// Package detect turns tracks into events: the third stage of the flow in
// DESIGN.md (track/fuse → detect → assess). Each detector, one per file,
// watches every track change and the passing of event time, and opens,
// updates and closes events through a Recorder, which keeps one event per
// key (no duplicates) and hands each closed event to the caller.
//
// Every threshold is a named parameter with its default taken from a cited
// public definition (Global Fishing Watch for gaps, encounters and
// loitering; the Danish Maritime Authority's AisAbnormal for drift and
// speed changes) and can be overridden in configuration.
//
// Base data. Distances from shore are measured on the embedded coastline
// (geo.Land), distances from port on the embedded port table (geo.Ports,
// sea-ports' trading ports), which Defaults loads. GFW measures its
// encounters' distance from its own, far denser, anchorage table; the
// encounter detector therefore keeps the distance from shore beside the
// distance from port, as Encounter explains. Where AisAbnormal reads a
// value of the AIS report, so do its detectors, from the track's last
// report (Track.AIS): SpeedChange the speed over ground, Drift the true
// heading; each falls back on the tracker's estimate where a report left
// the value out.
package detect
