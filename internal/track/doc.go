// Package track fuses observations from every sensor into tracks: the
// second stage of the flow in DESIGN.md (decode → track/fuse → detect).
//
// Each track is a constant-velocity Kalman filter in its own local plane.
// Cooperative reports (AIS, own assets' Cursor-on-Target) name their target
// and update it directly after a kinematic check. Radar plots are grouped by
// scan and assigned one to one to the tracks near the radar (shortest
// augmenting path on the negative log-likelihood, Mahalanobis gating); a
// plot no track claims starts a dark track, confirmed M of N. Satellite
// scenes are matched to tracks interpolated to the acquisition time, with
// length agreement, as Global Fishing Watch matches SAR detections to AIS.
// Tracks carry stable ids, the sensors that support them, their AIS
// identity, and whether they are dark (no current AIS), unconfirmed (AIS
// that a covering radar does not see) or own assets.
//
// Everything runs on event time, with no map iteration or goroutine in the
// decisions, so the same observations give the same tracks, byte for byte.
package track
