// Package picture keeps a node's situational picture in EUROSUR's terms:
// the events layer (detections and the incidents operators work on) and
// the border sections with their impact levels.
//
// Everything runs on event time: each call that changes the picture says
// when it happened, so a replay gives the same picture. Who may do what
// (roles) is the server's business; the picture enforces only what
// EUROSUR itself rules: the owner closes an incident, a closed incident
// takes no more reports, a high or very high incident owes its first
// report within 24 hours, and every change of a section's impact level
// is kept with who made it, when and why.
//
// A Picture is safe for concurrent use; what it returns are copies.
package picture
