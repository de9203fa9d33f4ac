// Package tak shows the node's picture to TAK users: it sends tracks and
// detections as Cursor-on-Target (CoT) events to a TAK server, or straight
// to ATAK, WinTAK and iTAK clients over UDP. It sits at the end of the flow
// of DESIGN.md, beside the API and sharing: it takes what the picture holds
// and writes it out, reading nothing back (CoT coming in is package
// source's CoTDecoder, whose escaping this package shares).
//
// # What is sent
//
// [AppendTrack] writes a track's state: uid "pharos-track-<id>", the
// position, course and speed, a callsign (name, else MMSI, else
// "TRACK <id>") and remarks naming the MMSI, the sensors and whether the
// vessel is dark. [AppendEvent] writes a detection: uid
// "pharos-event-<id>", a marker at the event's place coloured by its
// impact, labelled with the event type and its vessel, and remarks with
// category, impact, confidence, MMSIs, tracks, risk and the detector's
// details. A later state of the same track or event has the same uid, so
// a TAK client moves or updates what it shows instead of adding to it.
//
// Times are event time, as everywhere in the node: time and start are
// when the state was true, stale that plus Options.Stale for a track,
// Options.EventStale for a detection (counted from its end once it has
// one). A TAK client hides what has gone stale, which is how a track the
// node stops seeing leaves the map. Replayed old data is therefore stale
// on arrival: send live.
//
// # CoT types
//
// A track is an atom, "a-<affiliation>-S": S is the sea surface, and the
// affiliations CoT takes from MIL-STD-2525 are p pending, u unknown, a
// assumed friend, f friend, n neutral, s suspect, h hostile.
//
//   - A vessel with AIS is [TypeTrack], "a-u-S", unknown: an AIS identity
//     says who a vessel claims to be, not whose side it is on. Neutral
//     would be a judgement the node does not make; pending reads as "not
//     yet evaluated", which here it would stay for ever.
//   - A dark vessel — no AIS, or AIS silent while radar or satellite still
//     see it — is [TypeDarkTrack], "a-s-S", suspect: not transmitting is
//     what makes border surveillance look twice. Hostile is an operator's
//     call, never the node's.
//
// The caller chooses which tracks to send; own assets report to TAK
// themselves and need not come through here.
//
// A detection is [TypeEvent], "b-m-p-s-m", the spot map marker: every TAK
// client shows it as a coloured dot with its label, and its remarks in
// the details panel. Impact picks the colour: yellow low, orange medium,
// red high, magenta very high. Not an alarm "b-a-o-…": those are TAK
// users' emergency beacons (911, troops in contact, geofence breach) that
// alert every device and belong to the user who raised them; dozens of
// detections a day would drown the real ones. Not "b-m-p-s-p-i" either:
// that is a sensor's point of interest, one per sensor.
//
// how is "m-g" for tracks (machine, GPS: mostly the vessels' own fixes,
// through AIS) and "m-f" for detections (machine, fused from tracks).
//
// # Transports
//
// [NewSender] takes the destination as a URL.
//
//   - "tcp://host:port" is a TAK server's plain streaming input (port
//     [DefaultTCPPort] when left out). One connection carries events back
//     to back, up to 64 in a write with a write deadline. What the server
//     sends back (other users' positions) is read and discarded, which is
//     also how a server closing the connection is noticed at once. A
//     failed dial or write, or a closed connection, is retried after an
//     exponential back-off with jitter, and what the failed write held is
//     queued again in front: the server may see an event twice, which in
//     CoT is a harmless update.
//   - "udp://host:port" is a TAK client, or a multicast group such as
//     ATAK's situational-awareness group [DefaultMulticast]. Each event is
//     one datagram, because TAK clients take a datagram as one CoT message.
//     A track is about 400 bytes; a detection stays within a couple of
//     kilobytes, its remarks being cut at 2000 bytes, so it may be
//     fragmented by IP, which a local network carries. Multicast goes out
//     with the system's defaults: TTL 1, so it stays on the local network
//     as ATAK's own does, through the interface routing to the group.
//
// TLS ("ssl://", port 8089) and TAK's protobuf framing are not spoken.
//
// # Queue and drop policy
//
// [Sender.Track] and [Sender.Event] never block the pipeline. Tracks and
// events wait in two queues of at most Options.Queue entries each, one
// entry per track or event: a newer state replaces the waiting one in its
// place (counted Coalesced), because a TAK map needs only the newest
// position of a track, and a track updated every second keeps its turn
// rather than going to the back. A new track or event arriving at a full
// queue pushes out the one that has waited longest (counted Dropped).
// Events go out before tracks, so a flood of track updates never pushes a
// detection out. While the destination is away nothing is sent and the
// queues keep the newest state of the most recently seen tracks.
package tak
