package server

import (
	"errors"
	"net/http"
	"strconv"

	"pharos/internal/audit"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/server/auth"
)

func (s *Server) login(w http.ResponseWriter, r *http.Request, who *auth.Principal) error {
	var req struct{ User, Password string }
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	who.User = req.User
	secret, p, err := s.Users.Login(req.User, req.Password, s.Now())
	if errors.Is(err, auth.ErrLogin) {
		return &httpError{http.StatusUnauthorized, err}
	}
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	return writeJSON(w, http.StatusOK, map[string]string{"user": p.User, "role": string(p.Role), "csrf": p.CSRF})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		s.Users.Logout(c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Path: "/", MaxAge: -1, HttpOnly: true})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) incidents(w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
	list := s.Picture.Incidents(nil)
	if list == nil {
		list = []picture.Incident{}
	}
	return writeJSON(w, http.StatusOK, list)
}

func (s *Server) incident(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	in, ok := s.Picture.Incident(r.PathValue("id"))
	if !ok {
		return fail(http.StatusNotFound, "incident %s: not found", r.PathValue("id"))
	}
	return writeJSON(w, http.StatusOK, in)
}

// openIncident opens an incident reported by the user; its owner is this
// node unless the request names another.
func (s *Server) openIncident(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var req struct {
		Category   string             `json:"category"`
		Title      string             `json:"title"`
		Impact     model.ImpactLevel  `json:"impact"`
		Confidence picture.Confidence `json:"confidence"`
		Owner      string             `json:"owner"`
		Lat        float64            `json:"lat"`
		Lon        float64            `json:"lon"`
		Events     []string           `json:"events"`
	}
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	if req.Owner == "" {
		req.Owner = s.Picture.Node
	}
	in, err := s.Picture.Open(picture.Incident{Category: req.Category, Title: req.Title, Impact: req.Impact,
		Confidence: req.Confidence, Originator: p.User, Owner: req.Owner, Lat: req.Lat, Lon: req.Lon,
		Events: req.Events}, s.Now())
	if err != nil {
		return err
	}
	if err := s.Store.SaveIncident(r.Context(), in); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, in)
}

// changed stores an incident after a change and answers with it.
func (s *Server) changed(w http.ResponseWriter, r *http.Request, id string) error {
	in, _ := s.Picture.Incident(id)
	if err := s.Store.SaveIncident(r.Context(), in); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, in)
}

func (s *Server) validate(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	id := r.PathValue("id")
	if err := s.Picture.Validate(id); err != nil {
		return err
	}
	return s.changed(w, r, id)
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var req struct {
		Text       string             `json:"text"`
		Impact     model.ImpactLevel  `json:"impact"`
		Confidence picture.Confidence `json:"confidence"`
	}
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	id := r.PathValue("id")
	err := s.Picture.Report(id, picture.Report{Time: s.Now(), Author: p.User, Text: req.Text,
		Impact: req.Impact, Confidence: req.Confidence})
	if err != nil {
		return err
	}
	return s.changed(w, r, id)
}

// closeIncident closes an incident for its owner: a user of this node
// acts for the node; an incident owned by a user only that user closes.
func (s *Server) closeIncident(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	id := r.PathValue("id")
	by := p.User
	if in, ok := s.Picture.Incident(id); ok && in.Owner == s.Picture.Node {
		by = s.Picture.Node
	}
	if err := s.Picture.Close(id, by, s.Now()); err != nil {
		return err
	}
	return s.changed(w, r, id)
}

func (s *Server) sections(w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
	return writeJSON(w, http.StatusOK, s.Picture.Sections())
}

// sectionShapes answers the border sections with their polygons, for
// maps: one GeoJSON feature per section.
func (s *Server) sectionShapes(w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
	type geometry struct {
		Type        string           `json:"type"`
		Coordinates [][][][2]float64 `json:"coordinates"`
	}
	type feature struct {
		Type       string            `json:"type"`
		ID         string            `json:"id"`
		Properties map[string]string `json:"properties"`
		Geometry   *geometry         `json:"geometry"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: []feature{}}
	for _, sec := range s.Picture.Sections() {
		f := feature{Type: "Feature", ID: sec.ID, Properties: map[string]string{
			"id": sec.ID, "name": sec.Name, "level": sec.Level.String(), "reaction": picture.Reaction(sec.Level)}}
		if shape := s.Picture.SectionShape(sec.ID); shape != nil {
			f.Geometry = &geometry{Type: "MultiPolygon", Coordinates: shape}
		}
		fc.Features = append(fc.Features, f)
	}
	return writeJSON(w, http.StatusOK, fc)
}

func (s *Server) setLevel(w http.ResponseWriter, r *http.Request, p *auth.Principal) error {
	var req struct {
		Level geo.AreaImpact `json:"level"`
		Why   string         `json:"why"`
	}
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := s.Picture.SetSectionLevel(id, req.Level, p.User, req.Why, s.Now()); err != nil {
		return err
	}
	for _, sec := range s.Picture.Sections() {
		if sec.ID == id {
			if err := s.Store.SaveSection(r.Context(), sec); err != nil {
				return err
			}
			return writeJSON(w, http.StatusOK, sec)
		}
	}
	return fail(http.StatusNotFound, "section %s: not found", id)
}

// auditLog answers a page of the audit log and whether its chain holds
// from the entry before the page.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	after, limit := int64(0), 100
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return fail(http.StatusBadRequest, "after=%q: want a sequence number", v)
		}
		after = n
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return fail(http.StatusBadRequest, "limit=%q: want 1 to 1000", v)
		}
		limit = n
	}
	var prev *audit.Entry
	if after > 0 {
		before, err := s.Store.AuditLog(r.Context(), after-1, 1)
		if err != nil {
			return err
		}
		if len(before) == 1 {
			prev = &before[0]
		}
	}
	entries, err := s.Store.AuditLog(r.Context(), after, limit)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []audit.Entry{}
	}
	res := struct {
		Entries  []audit.Entry `json:"entries"`
		Verified bool          `json:"verified"`
		Problem  string        `json:"problem,omitempty"`
	}{Entries: entries, Verified: true}
	if err := audit.Verify(prev, entries); err != nil {
		res.Verified, res.Problem = false, err.Error()
	}
	return writeJSON(w, http.StatusOK, res)
}
