package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"pharos/internal/picture"
	"pharos/internal/server/auth"
)

// streamHeartbeat is how often an idle stream sends a comment, so that
// proxies keep it open and the client knows the node is alive.
const streamHeartbeat = 15 * time.Second

// A stream's client may fall streamBuffer changes behind before it misses
// any (about a second of a node tracking 10,000 targets), and a stream
// writes up to streamBurst waiting changes before it flushes.
const (
	streamBuffer = 16384
	streamBurst  = 1024
)

// streamFilter is what a stream's client asked for.
type streamFilter struct {
	incidents, sections, tracks, events, items bool
	types                                      []string    // event types; none: all
	bbox                                       *[4]float64 // min lon, min lat, max lon, max lat
}

func parseStreamFilter(r *http.Request) (streamFilter, error) {
	f := streamFilter{incidents: true, sections: true, tracks: true, events: true, items: true}
	q := r.URL.Query()
	if v := q.Get("kinds"); v != "" {
		f.incidents, f.sections, f.tracks, f.events, f.items = false, false, false, false, false
		for k := range strings.SplitSeq(v, ",") {
			switch k {
			case "incident":
				f.incidents = true
			case "section":
				f.sections = true
			case "track":
				f.tracks = true
			case "event":
				f.events = true
			case "item":
				f.items = true
			default:
				return f, fmt.Errorf("kinds: unknown kind %q (want incident, section, track, event, item)", k)
			}
		}
	}
	if v := q.Get("types"); v != "" {
		f.types = strings.Split(v, ",")
	}
	if v := q.Get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != nil {
			return f, err
		}
		f.bbox = &b
	}
	return f, nil
}

// parseBBox reads min_lon,min_lat,max_lon,max_lat.
func parseBBox(v string) ([4]float64, error) {
	var b [4]float64
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return b, fmt.Errorf("bbox=%q: want min_lon,min_lat,max_lon,max_lat", v)
	}
	for i, p := range parts {
		x, err := strconv.ParseFloat(p, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return b, fmt.Errorf("bbox=%q: %q is not a coordinate", v, p)
		}
		b[i] = x
	}
	if b[0] > b[2] || b[1] > b[3] {
		return b, fmt.Errorf("bbox=%q: minimum above maximum", v)
	}
	return b, nil
}

// keep reports whether a change passes the filter; incidents, tracks and
// detections are kept by their place (and detections by type), the rest
// whenever asked for.
func (f streamFilter) keep(c picture.Change) bool {
	switch {
	case c.Incident != nil:
		return f.incidents && inBox(f.bbox, c.Incident.Lat, c.Incident.Lon)
	case c.Track != nil:
		return f.tracks && inBox(f.bbox, c.Track.Lat, c.Track.Lon)
	case c.TrackGone != 0:
		return f.tracks
	case c.Detection != nil:
		return f.events && (len(f.types) == 0 || slices.Contains(f.types, c.Detection.Type)) &&
			inBox(f.bbox, c.Detection.Lat, c.Detection.Lon)
	case c.Withdrawn != "":
		return f.events
	case c.Section != nil:
		return f.sections
	case c.Item != nil, c.Deleted != nil:
		return f.items
	}
	return false
}

// inBox reports whether a point is in a box; no box holds everything.
func inBox(b *[4]float64, lat, lon float64) bool {
	return b == nil || lon >= b[0] && lat >= b[1] && lon <= b[2] && lat <= b[3]
}

// stream sends the picture's changes as Server-Sent Events until the
// client goes, each a JSON object: "incident", "section", "track",
// "track_gone" ({"id"} of a track the tracker dropped), "event" (a
// detection, open or ended), "withdrawn" ({"id"} of an open
// detection that came to nothing), "item" (a layer record put), "deleted"
// ({"kind","id","layer"}); "dropped" when the client fell behind and
// should read the picture afresh.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	f, err := parseStreamFilter(r)
	if err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	// Only what the client asked for enters its buffer: a client of
	// incidents alone is not made to drop them by track changes.
	changes, stop := s.Picture.WatchOnly(streamBuffer, func(c *picture.Change) bool { return f.keep(*c) })
	defer stop()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": pharos picture stream\n\n")
	if err := rc.Flush(); err != nil {
		return nil // the client is gone, or the writer cannot stream
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	beat := time.NewTicker(streamHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-beat.C:
			bw.WriteString(": heartbeat\n\n")
		case c := <-changes:
			// Write what else is waiting too, and flush once: at thousands
			// of track changes a second, a flush per change costs more
			// than the changes.
			writeChange(bw, c)
			for n := 1; n < streamBurst; n++ {
				select {
				case c = <-changes:
					writeChange(bw, c)
					continue
				default:
				}
				break
			}
		}
		if bw.Flush() != nil || rc.Flush() != nil {
			return nil
		}
	}
}

// writeChange writes one change as a Server-Sent Event (the watcher
// holds only what the filter keeps), after a "dropped" event when the
// watcher missed some.
func writeChange(w *bufio.Writer, c picture.Change) {
	if c.Dropped > 0 {
		fmt.Fprintf(w, "event: dropped\ndata: {\"dropped\":%d}\n\n", c.Dropped)
	}
	kind, v := "incident", any(c.Incident)
	switch {
	case c.Section != nil:
		kind, v = "section", c.Section
	case c.Track != nil:
		kind, v = "track", c.Track
	case c.TrackGone != 0:
		kind, v = "track_gone", map[string]uint64{"id": c.TrackGone}
	case c.Detection != nil:
		kind, v = "event", c.Detection
	case c.Withdrawn != "":
		kind, v = "withdrawn", map[string]string{"id": c.Withdrawn}
	case c.Item != nil:
		kind, v = "item", c.Item
	case c.Deleted != nil:
		kind, v = "deleted", c.Deleted
	}
	b, _ := json.Marshal(v)
	fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, b)
}
