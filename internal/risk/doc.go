// Package risk assesses targets and events: the fourth stage of the flow in
// DESIGN.md (detect → assess → picture). It keeps, per track, what the
// detectors said about it and what the track itself shows (dark, small and
// fast, an unconfirmed or invalid identity, a flag of convenience), weighs
// each fact by threat type — drugs, people smuggling, trafficking in human
// beings, illegal fishing, pollution — and gives a score per threat and
// overall, with the reasons in words an operator can read: "dark for 14 h,
// 2 encounters with a dark target, flag of convenience".
//
// The weights are configuration (Weights); the defaults are a reasoned
// starting point, not a trained model, and say so.
package risk
