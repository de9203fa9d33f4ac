package server

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pharos/internal/audit"
	"pharos/internal/geo"
	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/server/auth"
	"pharos/internal/store/sqlite"
)

var now = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// node is a server on a real SQLite store, with a detection, a border
// section and a user of each role.
type node struct {
	*Server
	url    string
	tokens map[auth.Role]string
}

func newNode(t *testing.T) *node {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "pharos.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	pic := picture.New("ESP-NCC")
	pic.Detect(model.Event{ID: "go_fast-000001", Type: "go_fast", Category: model.CategoryCrossBorderCrime,
		Start: now.Add(-time.Hour), Impact: model.ImpactMedium, Confidence: 0.8})
	pic.AddSections([]geo.Area{{ID: "ES-SEA-1", Name: "Strait of Gibraltar", Kind: geo.KindBorderSection}})
	users := &auth.Users{Params: auth.Params{Memory: 64, Time: 1, Threads: 1}}
	n := &node{Server: &Server{Picture: pic, Store: st, Users: users, Now: func() time.Time { return now }},
		tokens: map[auth.Role]string{}}
	for _, r := range auth.Roles {
		if err := users.Add(string(r), r, string(r)+" password"); err != nil {
			t.Fatal(err)
		}
		if n.tokens[r], err = users.NewToken(string(r), "test", r); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(n.Handler())
	t.Cleanup(srv.Close)
	n.url = srv.URL
	return n
}

// call makes a request with a bearer token (none when token is "") and
// returns the status and the body; c nil is the default client.
func (n *node) call(t *testing.T, c *http.Client, method, path, token, csrf, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, n.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestRolesAllowedAndDenied(t *testing.T) {
	n := newNode(t)
	open := `{"category":"other","title":"suspect RHIB","impact":"medium","events":["go_fast-000001"]}`
	level := `{"level":"high","why":"go-fast runs every night this week"}`
	for _, tc := range []struct {
		role         auth.Role // "" for no credentials
		method, path string
		body         string
		want         int
	}{
		{"", "GET", "/api/incidents", "", 401},
		{"", "GET", "/healthz", "", 200},
		{"", "GET", "/readyz", "", 200},
		{"", "GET", "/api/openapi.json", "", 200},
		{auth.Auditor, "GET", "/api/incidents", "", 200},
		{auth.Auditor, "POST", "/api/incidents", open, 403},
		{auth.Analyst, "POST", "/api/incidents", open, 403},
		{auth.Analyst, "PUT", "/api/sections/ES-SEA-1/level", level, 403},
		{auth.Administrator, "POST", "/api/incidents", open, 403},
		{auth.Operator, "POST", "/api/incidents", `{"category":"other","bogus":1}`, 400},
		{auth.Operator, "POST", "/api/incidents", open, 201},
		{auth.Operator, "POST", "/api/incidents", open, 400}, // the detection is taken now
		{auth.Operator, "GET", "/api/incidents/INC-000001", "", 200},
		{auth.Operator, "GET", "/api/incidents/INC-999999", "", 404},
		{auth.Operator, "POST", "/api/incidents/INC-000001/validate", "", 200},
		{auth.Operator, "POST", "/api/incidents/INC-000001/reports", `{"text":"RHIB, 3 aboard","impact":"high","confidence":{"reliability":"B","credibility":2}}`, 200},
		{auth.Operator, "POST", "/api/incidents/INC-000001/reports", `{"text":"x","impact":"high","confidence":{"reliability":"Z","credibility":2}}`, 400},
		{auth.Operator, "POST", "/api/incidents/INC-000001/close", "", 200},
		{auth.Operator, "POST", "/api/incidents/INC-000001/close", "", 409},
		{auth.Operator, "PUT", "/api/sections/ES-SEA-1/level", level, 200},
		{auth.Administrator, "PUT", "/api/sections/ES-SEA-1/level", `{"level":"critical","why":""}`, 400},
		{auth.Operator, "PUT", "/api/sections/NOPE/level", level, 404},
	} {
		token := ""
		if tc.role != "" {
			token = n.tokens[tc.role]
		}
		if got, body := n.call(t, nil, tc.method, tc.path, token, "", tc.body); got != tc.want {
			t.Errorf("%s %s %s as %q: %d %s, want %d", tc.method, tc.path, tc.body, tc.role, got, body, tc.want)
		}
	}
	// What the API answered is in the store.
	in, err := n.Store.Incident(context.Background(), "INC-000001")
	if err != nil || in.Status != picture.StatusClosed || len(in.Reports) != 1 || in.Originator != "operator/test" {
		t.Errorf("stored incident %+v, %v", in, err)
	}
	checkAudit(t, n)
	secs, _ := n.Store.Sections(context.Background())
	if len(secs) != 1 || secs[0].Level != geo.AreaImpactHigh || len(secs[0].History) != 1 || secs[0].History[0].By != "operator/test" {
		t.Errorf("stored sections %+v", secs)
	}
}

func TestSessionNeedsCSRF(t *testing.T) {
	n := newNode(t)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if got, _ := n.call(t, c, "POST", "/api/login", "", "", `{"user":"operator","password":"wrong"}`); got != 401 {
		t.Fatalf("login with a wrong password: %d", got)
	}
	got, body := n.call(t, c, "POST", "/api/login", "", "", `{"user":"operator","password":"operator password"}`)
	if got != 200 {
		t.Fatalf("login: %d %s", got, body)
	}
	var login struct{ User, Role, CSRF string }
	json.Unmarshal([]byte(body), &login)
	if login.Role != "operator" || login.CSRF == "" {
		t.Fatalf("login answered %s", body)
	}
	open := `{"category":"other","title":"boat adrift"}`
	if got, _ := n.call(t, c, "GET", "/api/incidents", "", "", ""); got != 200 {
		t.Errorf("GET on a session: %d", got)
	}
	if got, _ := n.call(t, c, "POST", "/api/incidents", "", "", open); got != 403 {
		t.Errorf("POST on a session without CSRF token: %d, want 403", got)
	}
	if got, _ := n.call(t, c, "POST", "/api/incidents", "", "not it", open); got != 403 {
		t.Errorf("POST with a wrong CSRF token: %d, want 403", got)
	}
	if got, body := n.call(t, c, "POST", "/api/incidents", "", login.CSRF, open); got != 201 {
		t.Errorf("POST with the CSRF token: %d %s", got, body)
	}
	if got, _ := n.call(t, c, "POST", "/api/logout", "", login.CSRF, ""); got != 204 {
		t.Errorf("logout: %d", got)
	}
	if got, _ := n.call(t, c, "GET", "/api/incidents", "", "", ""); got != 401 {
		t.Errorf("GET after logout: %d, want 401", got)
	}
}

// TestOpenAPIDocumentIsTrue checks the served document against the
// routes that answer: every operation it lists is served (not 404 or 405
// from the mux), and a path it does not list is not.
func TestOpenAPIDocumentIsTrue(t *testing.T) {
	n := newNode(t)
	code, body := n.call(t, nil, "GET", "/api/openapi.json", "", "", "")
	if code != 200 {
		t.Fatal(code)
	}
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("document: %v %q", err, doc.OpenAPI)
	}
	ops := 0
	for path, methods := range doc.Paths {
		for method, op := range methods {
			ops++
			concrete := strings.NewReplacer("{id}", "X", "{format}", "X").Replace(path)
			if path == "/api/stream" {
				if got := openStream(t, n, path, n.tokens[auth.Administrator]).status; got != 200 {
					t.Errorf("stream: %d", got)
				}
				continue
			}
			got, resp := n.call(t, nil, strings.ToUpper(method), concrete, n.tokens[auth.Administrator], "", "{}")
			if got == 405 || (got == 404 && !strings.HasPrefix(resp, `{"error"`)) { // the mux's own 404 is plain text
				t.Errorf("%s %s is in the document but not served: %d %s", method, path, got, resp)
			}
			if op["summary"] == nil {
				t.Errorf("%s %s has no summary", method, path)
			}
		}
	}
	if ops != len(routes) {
		t.Errorf("the document lists %d operations, the server %d", ops, len(routes))
	}
	if got, _ := n.call(t, nil, "GET", "/api/nothing", n.tokens[auth.Administrator], "", ""); got != 404 {
		t.Errorf("a path outside the document: %d, want 404", got)
	}
	t.Logf("%d operations documented", ops)
}

// checkAudit reads the audit log through the API after the role test: one
// entry per change asked for or request refused, the chain whole.
func checkAudit(t *testing.T, n *node) {
	t.Helper()
	if got, _ := n.call(t, nil, "GET", "/api/audit", n.tokens[auth.Operator], "", ""); got != 403 {
		t.Errorf("an operator read the audit log: %d", got)
	}
	code, body := n.call(t, nil, "GET", "/api/audit?limit=1000", n.tokens[auth.Auditor], "", "")
	if code != 200 {
		t.Fatalf("audit log: %d %s", code, body)
	}
	var res struct {
		Entries  []audit.Entry
		Verified bool
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil || !res.Verified {
		t.Fatalf("audit log %v, verified %v", err, res.Verified)
	}
	// 15 changes asked for in the role table, its unauthenticated GET,
	// and the operator's GET of the audit log just now.
	if len(res.Entries) != 17 {
		t.Errorf("%d audit entries, want 17", len(res.Entries))
	}
	outcomes := map[string]int{}
	for _, e := range res.Entries {
		outcomes[e.Outcome]++
	}
	if outcomes["ok"] != 5 || outcomes["denied"] != 6 || outcomes["failed"] != 6 {
		t.Errorf("outcomes %v, want 5 ok, 6 denied, 6 failed", outcomes)
	}
	last := res.Entries[len(res.Entries)-1]
	if last.Actor != "operator/test" || last.Action != "GET /api/audit" || last.Outcome != "denied" {
		t.Errorf("last entry %+v", last)
	}
	code, body = n.call(t, nil, "GET", "/api/audit?after=10&limit=3", n.tokens[auth.Auditor], "", "")
	if code != 200 || !strings.Contains(body, `"seq":11`) || !strings.Contains(body, `"verified":true`) {
		t.Errorf("a page of the audit log: %d %s", code, body)
	}
}

func TestMetrics(t *testing.T) {
	n := newNode(t)
	n.call(t, nil, "GET", "/api/incidents", n.tokens[auth.Auditor], "", "")
	if got, _ := n.call(t, nil, "GET", "/metrics", "", "", ""); got != 401 {
		t.Errorf("metrics without a token: %d, want 401", got)
	}
	code, body := n.call(t, nil, "GET", "/metrics", n.tokens[auth.Auditor], "", "")
	if code != 200 {
		t.Fatalf("metrics: %d", code)
	}
	for _, want := range []string{
		`pharos_http_requests_total{code="200",route="GET /api/incidents"} 1`,
		`pharos_http_requests_total{code="401",route="GET /metrics"} 1`,
		`pharos_incidents{status="open"} 0`,
		`pharos_incidents_overdue 0`,
		`pharos_audit_write_failures_total 0`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestExportIncidents(t *testing.T) {
	n := newNode(t)
	code, body := n.call(t, nil, "POST", "/api/incidents", n.tokens[auth.Operator], "",
		`{"category":"unauthorised_border_crossing","title":"boat adrift","impact":"very_high","lat":35.95,"lon":-5.61}`)
	if code != 201 {
		t.Fatalf("open: %d %s", code, body)
	}
	for _, tc := range []struct {
		format string
		want   []string
	}{
		{"geojson", []string{`"type":"FeatureCollection"`, `"coordinates":[-5.61,35.95]`, `"id":"INC-000001"`, `"impact":"very_high"`}},
		{"kml", []string{`<kml xmlns="http://www.opengis.net/kml/2.2">`, `<Placemark id="INC-000001">`, `<coordinates>-5.610000,35.950000</coordinates>`}},
		{"csv", []string{"id,category,title,impact,status,lat,lon,detected,due,owner,originator,reports\n",
			"INC-000001,unauthorised_border_crossing,boat adrift,very_high,open,35.950000,-5.610000,2026-11-27T08:00:00Z,2026-11-28T08:00:00Z,ESP-NCC,operator/test,0\n"}},
	} {
		code, body := n.call(t, nil, "GET", "/api/export/incidents/"+tc.format, n.tokens[auth.Auditor], "", "")
		if code != 200 {
			t.Errorf("%s: %d %s", tc.format, code, body)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s export lacks %s:\n%s", tc.format, w, body)
			}
		}
	}
	var fc struct{ Features []map[string]any }
	_, body = n.call(t, nil, "GET", "/api/export/incidents/geojson", n.tokens[auth.Auditor], "", "")
	if err := json.Unmarshal([]byte(body), &fc); err != nil || len(fc.Features) != 1 {
		t.Errorf("GeoJSON: %v, %d features", err, len(fc.Features))
	}
	if code, _ := n.call(t, nil, "GET", "/api/export/incidents/shp", n.tokens[auth.Auditor], "", ""); code != 404 {
		t.Errorf("an unknown format: %d, want 404", code)
	}
}

// sseStream is an open event stream: its status and the events read, as
// "kind data" strings.
type sseStream struct {
	status int
	events chan string
}

// openStream opens an event stream, closed when the test ends.
func openStream(t *testing.T, n *node, path, token string) sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", n.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	st := sseStream{status: resp.StatusCode, events: make(chan string, 16)}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		kind := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				kind = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				st.events <- kind + " " + strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return st
}

func next(t *testing.T, st sseStream) string {
	t.Helper()
	select {
	case e := <-st.events:
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
		return ""
	}
}

func TestStream(t *testing.T) {
	n := newNode(t)
	strait := openStream(t, n, "/api/stream?kinds=incident&bbox=-6.1,35.8,-5.2,36.3", n.tokens[auth.Auditor])
	sections := openStream(t, n, "/api/stream?kinds=section", n.tokens[auth.Analyst])
	if strait.status != 200 || sections.status != 200 {
		t.Fatalf("streams: %d %d", strait.status, sections.status)
	}
	for _, bad := range []string{"?kinds=vessel", "?bbox=1,2,3", "?bbox=5,0,1,1", "?bbox=NaN,0,1,1"} {
		if code, _ := n.call(t, nil, "GET", "/api/stream"+bad, n.tokens[auth.Auditor], "", ""); code != 400 {
			t.Errorf("stream%s: %d, want 400", bad, code)
		}
	}
	if code, _ := n.call(t, nil, "GET", "/api/stream", "", "", ""); code != 401 {
		t.Errorf("stream without a token: %d, want 401", code)
	}
	op := n.tokens[auth.Operator]
	n.call(t, nil, "POST", "/api/incidents", op, "", `{"category":"other","title":"off Lampedusa","lat":35.5,"lon":12.6}`)
	n.call(t, nil, "POST", "/api/incidents", op, "", `{"category":"other","title":"off Tarifa","lat":35.95,"lon":-5.6}`)
	if e := next(t, strait); !strings.HasPrefix(e, "incident ") || !strings.Contains(e, "off Tarifa") || !strings.Contains(e, `"INC-000002"`) {
		t.Errorf("first event in the strait: %s", e)
	}
	n.call(t, nil, "POST", "/api/incidents/INC-000002/validate", op, "", "")
	if e := next(t, strait); !strings.Contains(e, `"status":"validated"`) {
		t.Errorf("second event in the strait: %s", e)
	}
	n.call(t, nil, "PUT", "/api/sections/ES-SEA-1/level", op, "", `{"level":"critical","why":"mass departures"}`)
	if e := next(t, sections); !strings.HasPrefix(e, "section ") || !strings.Contains(e, `"level":"critical"`) {
		t.Errorf("section event: %s", e)
	}
	tracks := openStream(t, n, "/api/stream?kinds=track&bbox=-6.1,35.8,-5.2,36.3", n.tokens[auth.Auditor])
	n.Picture.TrackChanged(model.TrackState{Time: now, TrackID: 1, Lat: 35.5, Lon: 12.6})
	n.Picture.TrackChanged(model.TrackState{Time: now, TrackID: 2, Lat: 35.95, Lon: -5.6, SOG: 41, Dark: true})
	if e := next(t, tracks); !strings.HasPrefix(e, "track ") || !strings.Contains(e, `"id":2`) || !strings.Contains(e, `"dark":true`) {
		t.Errorf("track event: %s", e)
	}
	select {
	case e := <-strait.events:
		t.Errorf("the strait stream got %s, which it did not ask for", e)
	case <-time.After(100 * time.Millisecond):
	}
}

func TestTracks(t *testing.T) {
	n := newNode(t)
	live := []model.TrackState{{Time: now, TrackID: 7, Lat: 36, Lon: -5.5, SOG: 42, Dark: true, Sensors: []string{"radar"}}}
	n.Server.Tracks = func() []model.TrackState { return live }
	var hist []model.TrackState
	for i := range 5 {
		hist = append(hist, model.TrackState{Time: now.Add(time.Duration(i-5) * time.Hour), TrackID: 7, Lat: 36, Lon: -5.5})
	}
	if err := n.Store.AddTrackStates(context.Background(), hist); err != nil {
		t.Fatal(err)
	}
	au := n.tokens[auth.Auditor]
	for _, tc := range []struct {
		path, want string
		code       int
	}{
		{"/api/tracks", `"dark":true`, 200},
		{"/api/tracks/7/history", `"t":"2026-11-27T03:00:00Z"`, 200},
		{"/api/tracks/7/history?from=2026-11-27T05:30:00Z", `"t":"2026-11-27T06:00:00Z"`, 200},
		{"/api/tracks/8/history", `[]`, 200},
		{"/api/tracks/x/history", "want a number", 400},
		{"/api/tracks/7/history?to=yesterday", "RFC 3339", 400},
	} {
		code, body := n.call(t, nil, "GET", tc.path, au, "", "")
		if code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s, want %d with %s", tc.path, code, body, tc.code, tc.want)
		}
	}
	if _, body := n.call(t, nil, "GET", "/api/tracks/7/history?from=2026-11-27T05:30:00Z", au, "", ""); strings.Count(body, `"id":7`) != 2 {
		t.Errorf("history from 05:30: %s, want the states of 06:00 and 07:00", body)
	}
}
