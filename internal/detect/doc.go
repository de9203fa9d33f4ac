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
package detect
