// Package lap solves the linear assignment problem: given costs between
// rows and columns, the one-to-one pairing of least total cost. The tracker
// pairs radar plots and satellite detections with tracks through it, and
// the evaluation pairs tracks with the truth.
//
// Like model and geo it stands beside the flow of DESIGN.md: any package
// may import it; it imports nothing of Pharos.
package lap
