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
	incidents, sections bool
	bbox                *[4]float64 // min lon, min lat, max lon, max lat
}

func parseStreamFilter(r *http.Request) (streamFilter, error) {
	f := streamFilter{incidents: true, sections: true}
	if v := r.URL.Query().Get("kinds"); v != "" {
		f.incidents, f.sections = false, false
		for k := range strings.SplitSeq(v, ",") {
			switch k {
			case "incident":
				f.incidents = true
			case "section":
				f.sections = true
			default:
				return f, fmt.Errorf("kinds: unknown kind %q (want incident, section)", k)
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

// keep reports whether a change passes the filter; incidents are kept by
// their place, sections (which have no point) whenever asked for.
func (f streamFilter) keep(c picture.Change) bool {
	switch {
	case c.Incident != nil:
		in := c.Incident
		return f.incidents && (f.bbox == nil ||
			in.Lon >= f.bbox[0] && in.Lat >= f.bbox[1] && in.Lon <= f.bbox[2] && in.Lat <= f.bbox[3])
	case c.Section != nil:
		return f.sections
	}
	return false
}

// stream sends the picture's changes as Server-Sent Events ("incident"
// and "section", each a JSON object; "dropped" when the client fell
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
			if c.Section != nil {
				kind, v = "section", c.Section
			}
			b, _ := json.Marshal(v)
			fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, b)
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}
