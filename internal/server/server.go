package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"pharos/internal/audit"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/server/auth"
	"pharos/internal/share"
	"pharos/internal/store"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "pharos_session"

// Server serves the API.
type Server struct {
	Picture *picture.Picture
	Store   store.Store
	Users   *auth.Users
	// Now is the wall clock, for sessions and for operators' actions.
	Now func() time.Time
	// Tracks returns the live tracks' latest states; nil: no live tracks.
	Tracks func() []model.TrackState
	// ErrorLog reports what cannot be answered to anyone (an audit entry
	// the store refused); nil: not reported.
	ErrorLog *log.Logger
	// Collectors are further metrics for /metrics, e.g. the pipeline's.
	Collectors []prometheus.Collector
	// Share is the node's sharing with its peers, and SharePayload what
	// it shares of an incident; nil: the node shares with no one.
	Share        *share.Node
	SharePayload func(picture.Incident) share.Payload

	mux     *http.ServeMux
	doc     map[string]any // the OpenAPI document
	metrics *metrics
}

// route is one API route; permission "" means open to anyone.
type route struct {
	method, path string
	perm         auth.Permission
	summary      string
	// handle serves the route; login names its user in p for the audit
	// log.
	handle func(s *Server, w http.ResponseWriter, r *http.Request, p *auth.Principal) error
}

// routes is the API, in the order of the OpenAPI document.
var routes = append(baseRoutes, layerRoutes()...)

var baseRoutes = []route{
	{"GET", "/healthz", "", "liveness: the process serves", (*Server).healthz},
	{"GET", "/readyz", "", "readiness: the store answers", (*Server).readyz},
	{"GET", "/metrics", auth.ReadPicture, "Prometheus metrics (scrape with an auditor's API token)", (*Server).metricsPage},
	{"GET", "/api/openapi.json", "", "this API's OpenAPI 3 document", (*Server).openAPI},
	{"POST", "/api/login", "", "log in: sets the session cookie, returns the role and the CSRF token", (*Server).login},
	{"POST", "/api/logout", auth.ReadPicture, "log out", (*Server).logout},
	{"GET", "/api/tracks", auth.ReadPicture, "the live tracks, each at its latest state", (*Server).tracks},
	{"GET", "/api/tracks/{id}/history", auth.ReadPicture, "a track's stored states from ?from= to ?to= (RFC 3339; default the last 24 h)", (*Server).trackHistory},
	{"GET", "/api/export/tracks/{format}", auth.ReadPicture, "the live tracks as GeoJSON, KML or CSV", (*Server).exportTracks},
	{"GET", "/api/events", auth.ReadPicture, "detections of the events layer by start, filtered by ?type=a,b ?open=true|false ?since=RFC3339 ?bbox=", (*Server).events},
	{"GET", "/api/events/{id}", auth.ReadPicture, "one detection with its evidence", (*Server).event},
	{"GET", "/api/export/events/{format}", auth.ReadPicture, "detections as GeoJSON, KML or CSV (filters as /api/events)", (*Server).exportEvents},
	{"GET", "/api/incidents", auth.ReadPicture, "incidents, oldest detection first", (*Server).incidents},
	{"POST", "/api/incidents", auth.WriteIncidents, "open an incident", (*Server).openIncident},
	{"GET", "/api/incidents/{id}", auth.ReadPicture, "one incident", (*Server).incident},
	{"GET", "/api/export/incidents/{format}", auth.ReadPicture, "incidents as GeoJSON, KML or CSV (format geojson, kml or csv)", (*Server).exportIncidents},
	{"POST", "/api/incidents/{id}/validate", auth.WriteIncidents, "validate an incident", (*Server).validate},
	{"POST", "/api/incidents/{id}/reports", auth.WriteIncidents, "add the first report or a follow-up", (*Server).report},
	{"POST", "/api/incidents/{id}/close", auth.WriteIncidents, "close an incident (its owner only)", (*Server).closeIncident},
	{"GET", "/api/stream", auth.ReadPicture, "Server-Sent Events of the picture's changes, filtered by ?kinds=incident,section,track,event,item ?types=go_fast,… (event types) and ?bbox=min_lon,min_lat,max_lon,max_lat", (*Server).stream},
	{"GET", "/api/share/peers", auth.ReadPicture, "the peers this node shares with and the state of each link", (*Server).sharePeers},
	{"POST", "/api/share/pull", auth.ReadPicture, "ask a peer for what matches a query by example (mmsi, imo, types, area, from, to) before a deadline: body {peer, query, timeout}", (*Server).sharePull},
	{"GET", "/api/share/subscriptions", auth.ReadPicture, "the subscriptions peers hold at this node", (*Server).shareSubscriptions},
	{"POST", "/api/share/subscriptions", auth.ReadPicture, "subscribe at a peer to what matches a query: body {peer, query}", (*Server).shareSubscribe},
	{"DELETE", "/api/share/subscriptions/{id}", auth.ReadPicture, "end a subscription held at a peer (?peer=NAME)", (*Server).shareUnsubscribe},
	{"GET", "/api/incidents/{id}/share", auth.ReadPicture, "what each peer would receive of an incident after its agreement, and why", (*Server).explainShare},
	{"POST", "/api/incidents/{id}/share", auth.WriteIncidents, "push an incident to peers (?peers or all whose agreement lets something through): body {\"peers\": [...]}", (*Server).pushShare},
	{"GET", "/api/sections", auth.ReadPicture, "border sections with their impact levels and history", (*Server).sections},
	{"GET", "/api/sections/geojson", auth.ReadPicture, "border sections as a GeoJSON FeatureCollection: id, name, level and reaction, MultiPolygon geometry (null when the configuration no longer names the section's area)", (*Server).sectionShapes},
	{"GET", "/api/territorial-waters", auth.ReadPicture, "the states' territorial waters (land and 12 NM sea, OpenStreetMap, ODbL) meeting ?bbox=min_lon,min_lat,max_lon,max_lat, as GeoJSON", (*Server).territorialWaters},
	{"PUT", "/api/sections/{id}/level", auth.WriteSections, "change a section's impact level, saying why", (*Server).setLevel},
	{"GET", "/api/users", auth.ManageUsers, "users with their roles and API tokens (names only)", (*Server).users},
	{"POST", "/api/users", auth.ManageUsers, "add a user: name, role, password", (*Server).addUser},
	{"DELETE", "/api/users/{id}", auth.ManageUsers, "remove a user, their sessions and tokens", (*Server).removeUser},
	{"POST", "/api/tokens", auth.ReadPicture, "make an API token for the logged-in user (name, role: theirs or auditor); the secret is shown once", (*Server).newToken},
	{"DELETE", "/api/tokens/{id}", auth.ReadPicture, "revoke one of the user's API tokens by name", (*Server).revokeToken},
	{"GET", "/api/audit", auth.ReadAudit, "the audit log after ?after=SEQ (up to ?limit=, default 100), and whether its chain holds", (*Server).auditLog},
}

// Handler returns the API's handler, built on the first call (make that
// call before serving).
func (s *Server) Handler() http.Handler {
	if s.mux == nil {
		s.mux = http.NewServeMux()
		s.doc = openAPIDoc()
		s.metrics = newMetrics(s.Picture, s.Now)
		s.metrics.reg.MustRegister(s.Collectors...)
		for _, rt := range routes {
			s.mux.HandleFunc(rt.method+" "+rt.path, s.wrap(rt))
		}
		s.handleUI(s.mux)
	}
	return s.mux
}

// httpError is an error with its status.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string { return e.err.Error() }
func (e *httpError) Unwrap() error { return e.err }

func fail(status int, format string, args ...any) error {
	return &httpError{status, fmt.Errorf(format, args...)}
}

// wrap authenticates, checks the permission and CSRF, writes errors as
// JSON, and writes the audit log: every change asked for and every
// request refused.
func (s *Server) wrap(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		var p auth.Principal
		sw := &statusWriter{ResponseWriter: w}
		err := func() error {
			if rt.perm == "" {
				return nil
			}
			var err error
			if p, err = s.principal(r); err != nil {
				return &httpError{http.StatusUnauthorized, err}
			}
			if !p.Role.Can(rt.perm) {
				return fail(http.StatusForbidden, "%s (%s) may not %s", p.User, p.Role, rt.perm)
			}
			if r.Method != http.MethodGet && !p.CheckCSRF(r.Header.Get("X-CSRF-Token")) {
				return fail(http.StatusForbidden, "missing or wrong X-CSRF-Token")
			}
			return nil
		}()
		if err == nil {
			err = rt.handle(s, sw, r, &p)
		}
		if err != nil {
			writeError(sw, err)
		}
		if r.Method != http.MethodGet || sw.status == http.StatusUnauthorized || sw.status == http.StatusForbidden {
			s.audit(r, rt, p, sw.status, err)
		}
		s.metrics.observe(rt, sw.status, time.Since(start))
	}
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

// Unwrap lets http.ResponseController reach the writer's Flush.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// audit appends a request to the audit log. The answer is out by then; a
// log that cannot be written is reported on ErrorLog.
func (s *Server) audit(r *http.Request, rt route, p auth.Principal, status int, err error) {
	e := audit.Entry{Time: s.Now(), Actor: p.User, Role: string(p.Role), Action: rt.method + " " + rt.path,
		Target: r.PathValue("id"), Outcome: "ok"}
	if e.Actor == "" {
		e.Actor = "anonymous"
	}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Outcome = "denied"
	case status >= 400:
		e.Outcome = "failed"
	}
	if err != nil {
		e.Detail = err.Error()
	}
	if _, err := s.Store.AppendAudit(context.WithoutCancel(r.Context()), e); err != nil {
		s.metrics.auditFailures.Inc()
		if s.ErrorLog != nil {
			s.ErrorLog.Printf("audit log: %v (entry %+v)", err, e)
		}
	}
}

// principal authenticates a request by bearer token or session cookie.
func (s *Server) principal(r *http.Request) (auth.Principal, error) {
	if h := r.Header.Get("Authorization"); len(h) > 7 && h[:7] == "Bearer " {
		return s.Users.Token(h[7:])
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return s.Users.Session(c.Value, s.Now())
	}
	return auth.Principal{}, auth.ErrUnauthorised
}

func writeError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	var he *httpError
	switch {
	case errors.As(err, &he):
		status = he.status
	case errors.Is(err, picture.ErrNotFound), errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, picture.ErrNotOwner):
		status = http.StatusForbidden
	case errors.Is(err, picture.ErrClosed):
		status = http.StatusConflict
	case errors.Is(err, picture.ErrInvalid):
		status = http.StatusBadRequest
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// readJSON decodes a request body of at most 1 MiB, refusing unknown
// fields.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fail(http.StatusBadRequest, "request body: %v", err)
	}
	return nil
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request, _ *auth.Principal) error {
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ *auth.Principal) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.Store.Sections(ctx); err != nil {
		return fail(http.StatusServiceUnavailable, "store: %v", err)
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
