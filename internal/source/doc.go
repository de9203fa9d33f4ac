// Package source is the first stage of a node's flow
// (sources → decode → track/fuse → detect → assess → picture → store):
// it turns inputs into something decode or tracking can consume.
//
// Two kinds of output come out of it:
//
//   - Raw lines, for the NMEA decoder: [Open] reads a file or stdin, plain or
//     gzip; [TCPClient] pulls a feed and reconnects when it fails or stalls;
//     [TCPServer] and [UDPListener] take lines that receivers push.
//   - Observations, for formats that name their targets' positions outright:
//     [CSVReader] reads the AIS CSV formats that authorities publish (DMA
//     aisdk, MarineCadastre, Stone Soup's Solent set); [RadarReader] places
//     a coastal radar's TTM/TLL targets from its [RadarSite] (framing them
//     with package nmea, the one import from the decode stage); the
//     satellite readers take vessel detections in GeoJSON or CSV; and
//     [CoTDecoder] reads own assets' Cursor-on-Target events.
//
// # Line contract
//
// Every network input hands lines to a [LineFunc]. The slice is valid only
// during the call, carries no trailing "\r\n", and the function is called
// from one goroutine at a time, so it needs no locking. Empty lines are
// skipped. A line longer than the input's MaxLine is dropped and counted,
// never buffered without bound.
//
// # Bad input
//
// Nothing here stops on bad data: an overlong line or a malformed CSV row is
// dropped and counted (see [Stats] and [CSVReader.Rejects]); only I/O errors
// and cancellation end an input.
package source
