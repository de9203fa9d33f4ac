// Package node wires a Pharos node together from its configuration. For
// now it holds the configuration of the sensors a node reads (its coastal
// radars) and of its own assets; the long-running service follows.
package node
