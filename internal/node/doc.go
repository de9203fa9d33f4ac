// Package node wires a Pharos node together from its configuration: the
// inputs it reads (files for a batch run, live feeds and replays for a
// served node), the pipeline that runs them through the tracker, the
// detectors and the risk assessor into the picture and the store, the
// API, the Cursor-on-Target outputs, and the housekeeping of retention
// and personal-data limits.
//
// Open rebuilds a node from its store and configuration; Serve runs it
// until its context ends and then stops it gracefully. The pipeline runs
// on one goroutine, so the tracker and the detectors need no locks; it
// shows the detections under way every second and withdraws those that
// come to nothing.
package node
