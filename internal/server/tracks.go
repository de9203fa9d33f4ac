package server

import (
	"net/http"
	"strconv"
	"time"

	"pharos/internal/model"
	"pharos/internal/server/auth"
)

// tracks answers the live tracks' latest states.
func (s *Server) tracks(w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
	list := []model.TrackState{}
	if s.Tracks != nil {
		list = append(list, s.Tracks()...)
	}
	return writeJSON(w, http.StatusOK, list)
}

// trackHistory answers a track's stored states between ?from= and ?to=
// (RFC 3339; default the last 24 hours).
func (s *Server) trackHistory(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	id, err := strconv.ParseUint(r.PathValue("id"), 10, 64)
	if err != nil {
		return fail(http.StatusBadRequest, "track id %q: want a number", r.PathValue("id"))
	}
	to := s.Now()
	from := to.Add(-24 * time.Hour)
	for name, t := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			if *t, err = time.Parse(time.RFC3339, v); err != nil {
				return fail(http.StatusBadRequest, "%s=%q: want an RFC 3339 time", name, v)
			}
		}
	}
	states, err := s.Store.TrackHistory(r.Context(), id, from, to)
	if err != nil {
		return err
	}
	if states == nil {
		states = []model.TrackState{}
	}
	return writeJSON(w, http.StatusOK, states)
}
