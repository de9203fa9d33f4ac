// Package picture keeps a node's situational picture in EUROSUR's terms:
// the events layer (detections and the incidents operators work on), the
// operational layer (own assets, operations, environmental information,
// the areas users draw), the analysis layer (risk products, the
// watchlist, requests for information, imagery references) and the
// border sections with their impact levels.
//
// Detections enter the events layer while the behaviour goes on (open,
// without an end) and again when it ends; one that ends too soon to count
// is withdrawn. The records of the operational and analysis layers are
// items: a typed record per kind (Asset, Operation, …), checked when put
// and kept as canonical JSON, so that a store and the API handle every
// kind the same way.
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
