package server

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"pharos/internal/model"
	"pharos/internal/server/auth"
)

// eventFilter is what a client asked of the events layer: types (none:
// all), open or ended only, started at or after since, inside a box.
type eventFilter struct {
	types []string
	open  *bool
	since time.Time
	bbox  *[4]float64
}

func parseEventFilter(r *http.Request) (eventFilter, error) {
	q := r.URL.Query()
	var f eventFilter
	if v := q.Get("type"); v != "" {
		f.types = strings.Split(v, ",")
	}
	switch v := q.Get("open"); v {
	case "":
	case "true", "false":
		open := v == "true"
		f.open = &open
	default:
		return f, fail(http.StatusBadRequest, "open=%q: want true or false", v)
	}
	if v := q.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return f, fail(http.StatusBadRequest, "since=%q: want an RFC 3339 time", v)
		}
		f.since = t
	}
	if v := q.Get("bbox"); v != "" {
		b, err := parseBBox(v)
		if err != nil {
			return f, fail(http.StatusBadRequest, "%v", err)
		}
		f.bbox = &b
	}
	return f, nil
}

func (f eventFilter) keep(ev *model.Event) bool {
	return (len(f.types) == 0 || slices.Contains(f.types, ev.Type)) &&
		(f.open == nil || *f.open == ev.End.IsZero()) &&
		!ev.Start.Before(f.since) && inBox(f.bbox, ev.Lat, ev.Lon)
}

// events answers the detections of the events layer, by start.
func (s *Server) events(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	f, err := parseEventFilter(r)
	if err != nil {
		return err
	}
	list := s.Picture.DetectionList(f.keep)
	if list == nil {
		list = []model.Event{}
	}
	return writeJSON(w, http.StatusOK, list)
}

func (s *Server) event(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	ev, ok := s.Picture.Detection(r.PathValue("id"))
	if !ok {
		return fail(http.StatusNotFound, "event %s: not found", r.PathValue("id"))
	}
	return writeJSON(w, http.StatusOK, ev)
}
