// Package model holds the vocabulary every stage of a Pharos node shares:
// observations coming out of decode, and (as later stages land) tracks,
// events, areas and assets.
//
// It sits beside the flow described in DESIGN.md rather than in it: every
// package may import model, and model imports nothing of Pharos.
package model
