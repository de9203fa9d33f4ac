// Package ais decodes and encodes AIS messages (ITU-R M.1371): the six-bit
// payload armouring of VDM/VDO sentences, multi-part assembly, and all
// message types 1–27.
//
// It is the second half of the decode stage in DESIGN.md: package nmea
// frames lines into sentences, this package turns their payloads into
// messages, and the caller turns messages into model.Observations.
//
// A [Decoder] keeps one value of each message type and returns a pointer to
// it, valid until the next call, so decoding a position report allocates
// nothing. Fields hold the raw integers of the standard (exact, and what the
// encoder writes back); accessor methods give scaled values and say when a
// value is "not available" (latitude 91°, longitude 181°, speed 102.3 kn,
// course 360°, heading 511, …) so that such values never pass for numbers.
//
// Identity facts about MMSIs (validity, flag state from the MID, the
// prefixes of stations that are not vessels) are in identity.go and mid.go.
package ais
