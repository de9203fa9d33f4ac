// Package track fuses observations from every sensor into tracks: the
// second stage of the flow in DESIGN.md (decode → track/fuse → detect).
package track
