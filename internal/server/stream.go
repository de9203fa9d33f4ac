package server

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"pharos/internal/picture"
	"pharos/internal/server/auth"
)

// streamHeartbeat is how often an idle stream sends a comment, so that
// proxies keep it open and the client knows the node is alive.
const streamHeartbeat = 15 * time.Second

// streamFilter is what a stream's client asked for.
type streamFilter struct {
	incidents, sections, tracks bool
	bbox                        *[4]float64 // min lon, min lat, max lon, max lat
}

func parseStreamFilter(r *http.Request) (streamFilter, error) {
	f := streamFilter{incidents: true, sections: true, tracks: true}
	if v := r.URL.Query().Get("kinds"); v != "" {
		f.incidents, f.sections, f.tracks = false, false, false
		for k := range strings.SplitSeq(v, ",") {
			switch k {
			case "incident":
				f.incidents = true
			case "section":
				f.sections = true
			case "track":
				f.tracks = true
			default:
				return f, fmt.Errorf("kinds: unknown kind %q (want incident, section, track)", k)
			}
		}
	}
	if v := r.URL.Query().Get("bbox"); v != "" {
		parts := strings.Split(v, ",")
		if len(parts) != 4 {
			return f, fmt.Errorf("bbox=%q: want min_lon,min_lat,max_lon,max_lat", v)
		}
		var b [4]float64
		for i, p := range parts {
			x, err := strconv.ParseFloat(p, 64)
			if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
				return f, fmt.Errorf("bbox=%q: %q is not a coordinate", v, p)
			}
			b[i] = x
		}
		if b[0] > b[2] || b[1] > b[3] {
			return f, fmt.Errorf("bbox=%q: minimum above maximum", v)
		}
		f.bbox = &b
	}
	return f, nil
}

// keep reports whether a change passes the filter; incidents and tracks
// are kept by their place, sections (which have no point) whenever asked
// for.
func (f streamFilter) keep(c picture.Change) bool {
	switch {
	case c.Incident != nil:
		return f.incidents && f.inBox(c.Incident.Lat, c.Incident.Lon)
	case c.Track != nil:
		return f.tracks && f.inBox(c.Track.Lat, c.Track.Lon)
	case c.Section != nil:
		return f.sections
	}
	return false
}

func (f streamFilter) inBox(lat, lon float64) bool {
	return f.bbox == nil || lon >= f.bbox[0] && lat >= f.bbox[1] && lon <= f.bbox[2] && lat <= f.bbox[3]
}

// stream sends the picture's changes as Server-Sent Events ("incident",
// "section" and "track", each a JSON object; "dropped" when the client fell
// behind and should read the picture afresh) until the client goes.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	f, err := parseStreamFilter(r)
	if err != nil {
		return fail(http.StatusBadRequest, "%v", err)
	}
	changes, stop := s.Picture.Watch(256)
	defer stop()
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": pharos picture stream\n\n")
	if err := rc.Flush(); err != nil {
		return nil // the client is gone, or the writer cannot stream
	}
	beat := time.NewTicker(streamHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return nil
		case <-beat.C:
			fmt.Fprint(w, ": heartbeat\n\n")
		case c := <-changes:
			if c.Dropped > 0 {
				fmt.Fprintf(w, "event: dropped\ndata: {\"dropped\":%d}\n\n", c.Dropped)
			}
			if !f.keep(c) {
				continue
			}
			kind, v := "incident", any(c.Incident)
			switch {
			case c.Section != nil:
				kind, v = "section", c.Section
			case c.Track != nil:
				kind, v = "track", c.Track
			}
			b, _ := json.Marshal(v)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, b)
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}
