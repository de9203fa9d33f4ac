// Package eval scores a tracker run against the ground truth of a
// simulated scenario: how close the confirmed picture is to where the
// vessels really were (GOSPA, OSPA), how stable track identities are, and
// how well dark targets are found.
//
// It sits at the end of the flow in DESIGN.md, beside it rather than in it:
// package sim writes truth.json, `pharos run` writes tracks.jsonl, and
// `pharos eval` reads both ([ReadTruth], [ReadTracks]) and prints the
// [Result] of [Evaluate]. It imports geo only; in particular it does not
// import the tracker it judges.
//
// # Sets at each time
//
// Scoring happens at the grid times s = start + k·step_seconds (k ≥ 0,
// s ≤ end), together with any sample time off that grid.
//
//   - X(s), the truth: every vessel with a sample at s, at its sample's
//     position.
//   - Y(s), the estimates: for every track id, its latest state with t ≤ s
//     (states sorted by t first, stably, so that the order in which they
//     were written does not matter and, at equal t, the last written wins),
//     provided that state is confirmed or coasting and s − t ≤ MaxAge. A
//     dropped or tentative latest state takes the track out until a later
//     state brings it back. The position is dead-reckoned from t to s along
//     the state's cog at its sog (knots) on the great circle.
//
// # Assignment
//
// At each s, X(s) and Y(s) are matched optimally on distances capped at
// the cut-off c: the matching minimises Σ min(d,c)ᵖ, computed exactly
// (shortest-augmenting-path Hungarian method on the rectangular matrix,
// one problem per connected group of pairs closer than c). Only pairs with
// d < c count as assigned; a truth left unassigned is missed, an estimate
// left unassigned is false. All scores below use this one assignment.
//
// # Metrics
//
// With k assigned pairs at distances dᵢ, m missed and f false at time s:
//
//	GOSPA(s) = (Σ dᵢᵖ + cᵖ/2·(m + f))^(1/p)            α = 2 (García-Fernández et al. 2017)
//	OSPA(s)  = ((Σ dᵢᵖ + cᵖ·(n − k)) / n)^(1/p)         n = max(|X|,|Y|); 0 when n = 0 (Schuhmacher et al. 2008)
//
// The result gives the mean and the maximum over time of each. The GOSPA
// decomposition is gospa_localisation = (mean Σdᵢᵖ)^(1/p), gospa_missed =
// (mean cᵖ/2·m)^(1/p), gospa_false = (mean cᵖ/2·f)^(1/p), so that their
// p-th powers add up to the mean over time of GOSPA(s)ᵖ. One target missed
// at every time gives gospa_missed = gospa = (cᵖ/2)^(1/p).
//
// id_switches counts, for each truth vessel, the times it is assigned to a
// track id different from the one it was last assigned to; times in
// between without an assignment are ignored, so a vessel tracked as 1,
// then lost, then tracked as 3 has one switch. Two crossing targets whose
// tracks swap ids count two switches, one per vessel. fragmentations
// counts, for each vessel, the times it is assigned again after having
// been assigned once and then left unassigned at a time it existed.
//
// # Dark targets
//
// D(s) is the set of vessels in X(s) whose sample has ais = false and
// covered = true; Ydark(s) the estimates in Y(s) with dark = true.
//
//	recall    = Σ_s |{x ∈ D(s) assigned to an estimate in Ydark(s)}|  / Σ_s |D(s)|
//	precision = Σ_s |{y ∈ Ydark(s) assigned to a truth with ais = false}| / Σ_s |Ydark(s)|
//
// Per object: a vessel with at least one sample in some D(s) is detected
// when it is assigned to a dark estimate at ≥ 50 % of those samples; a
// track id that is in some Ydark(s) is correct when it is assigned to a
// vessel without AIS at ≥ 50 % of those instances. Object recall is
// detected / dark vessels, object precision correct / dark tracks. A ratio
// with a zero denominator is null.
package eval
