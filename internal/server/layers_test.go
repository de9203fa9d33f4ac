package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"pharos/internal/model"
	"pharos/internal/picture"
	"pharos/internal/server/auth"
)

func TestEventsAndExports(t *testing.T) {
	n := newNode(t)
	n.Picture.Detect(model.Event{ID: "ais_gap-000001", Type: "ais_gap", Category: model.CategoryOther,
		Start: now.Add(-30 * time.Minute), Lat: 36.2, Lon: -4.9, MMSI: []uint32{224123450}, TrackIDs: []uint64{3},
		Risk: &model.Risk{Score: 0.4, Explanation: "AIS off 60 nm out"}})
	n.Server.Tracks = func() []model.TrackState {
		return []model.TrackState{{Time: now, TrackID: 3, Lat: 36.2, Lon: -4.9, SOG: 8, MMSI: 224123450, Name: "MAR AZUL", Sensors: []string{"ais", "radar"}}}
	}
	au := n.tokens[auth.Auditor]
	for _, tc := range []struct {
		path string
		code int
		want []string
		not  []string
	}{
		{"/api/events", 200, []string{`"go_fast-000001"`, `"ais_gap-000001"`}, nil},
		{"/api/events?type=ais_gap", 200, []string{`"ais_gap-000001"`}, []string{"go_fast"}},
		{"/api/events?open=true&since=2026-11-27T07:15:00Z", 200, []string{`"ais_gap-000001"`}, []string{"go_fast"}},
		{"/api/events?bbox=-6,35,-5,36", 200, []string{`[]`}, nil},
		{"/api/events?open=maybe", 400, []string{"open="}, nil},
		{"/api/events?since=today", 400, []string{"RFC 3339"}, nil},
		{"/api/events/ais_gap-000001", 200, []string{`"mmsi":[224123450]`}, nil},
		{"/api/events/nope", 404, nil, nil},
		{"/api/export/events/csv?type=ais_gap", 200, []string{"id,type,category,impact,confidence,lat,lon,start,end,mmsi,track_ids,risk,explanation\n",
			"ais_gap-000001,ais_gap,other,low,0.00,36.200000,-4.900000,2026-11-27T07:30:00Z,,224123450,3,0.40,AIS off 60 nm out\n"}, nil},
		{"/api/export/events/geojson", 200, []string{`"coordinates":[-4.9,36.2]`, `"type":"ais_gap"`}, nil},
		{"/api/export/tracks/kml", 200, []string{`<Placemark id="track-3"><name>MAR AZUL</name>`, "sensors: ais radar"}, nil},
		{"/api/export/tracks/csv", 200, []string{"3,224123450,MAR AZUL,36.200000,-4.900000,8.0,0.0,false,ais radar,2026-11-27T08:00:00Z"}, nil},
	} {
		code, body := n.call(t, nil, "GET", tc.path, au, "", "")
		if code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.path, code, body, tc.code)
		}
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %s:\n%s", tc.path, w, body)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(body, w) {
				t.Errorf("%s has %s:\n%s", tc.path, w, body)
			}
		}
	}
}

func TestLayers(t *testing.T) {
	n := newNode(t)
	items := openStream(t, n, "/api/stream?kinds=item", n.tokens[auth.Auditor])
	op, an := n.tokens[auth.Operator], n.tokens[auth.Analyst]
	asset := `{"id":"PV-1","name":"Rio Tajo","type":"patrol_vessel","status":"on_mission","mmsi":224000999}`
	for _, tc := range []struct {
		token, method, path, body string
		want                      int
	}{
		{op, "PUT", "/api/assets/PV-1", asset, 200},
		{op, "PUT", "/api/assets/PV-2", asset, 400}, // the body names another
		{op, "PUT", "/api/assets/PV-1", `{"id":"PV-1","name":"R","type":"tank","status":"available"}`, 400},
		{an, "PUT", "/api/assets/PV-1", asset, 403},
		{an, "PUT", "/api/rfis/RFI-1", `{"id":"RFI-1","from":"ESP-NCC","to":"MAR-NCC","subject":"MAR AZUL","text":"Last port?","status":"open"}`, 200},
		{op, "GET", "/api/rfis/RFI-1", "", 200},
		{op, "GET", "/api/rfis/RFI-2", "", 404},
		{op, "DELETE", "/api/rfis/RFI-1", "", 403},
		{an, "DELETE", "/api/rfis/RFI-1", "", 204},
		{an, "DELETE", "/api/rfis/RFI-1", "", 404},
	} {
		if code, body := n.call(t, nil, tc.method, tc.path, tc.token, "", tc.body); code != tc.want {
			t.Errorf("%s %s: %d %s, want %d", tc.method, tc.path, code, body, tc.want)
		}
	}
	if e := next(t, items); !strings.HasPrefix(e, "item ") || !strings.Contains(e, `"layer":"operational"`) || !strings.Contains(e, `"by":"operator/test"`) {
		t.Errorf("first item event: %s", e)
	}
	kept, err := n.Store.Items(context.Background(), picture.KindAsset)
	if err != nil || len(kept) != 1 {
		t.Fatalf("stored assets %+v, %v", kept, err)
	}
	it, err := kept[0].LayerItem()
	var a picture.Asset
	if err != nil || it.Decode(&a) != nil || a.Status != "on_mission" {
		t.Errorf("stored asset %+v, %v", a, err)
	}
	if rfis, _ := n.Store.Items(context.Background(), picture.KindRFI); len(rfis) != 0 {
		t.Errorf("a deleted RFI is still stored: %+v", rfis)
	}
}

func TestUsersAndTokens(t *testing.T) {
	n := newNode(t)
	admin := n.tokens[auth.Administrator]
	for _, tc := range []struct {
		token, method, path, body string
		want                      int
	}{
		{admin, "POST", "/api/users", `{"name":"night","role":"operator","password":"night shift's password"}`, 201},
		{admin, "POST", "/api/users", `{"name":"night","role":"operator","password":"night shift's password"}`, 409},
		{admin, "POST", "/api/users", `{"name":"day","role":"captain","password":"day shift's password"}`, 400},
		{admin, "POST", "/api/users", `{"name":"a/b","role":"operator","password":"day shift's password"}`, 400},
		{n.tokens[auth.Operator], "POST", "/api/users", `{"name":"x","role":"operator","password":"xxxxxxxxxxxxxxx"}`, 403},
		{admin, "POST", "/api/tokens", `{"name":"cli"}`, 403}, // tokens do not mint tokens
		{admin, "DELETE", "/api/users/nobody", "", 404},
	} {
		if code, body := n.call(t, nil, tc.method, tc.path, tc.token, "", tc.body); code != tc.want {
			t.Errorf("%s %s %s: %d %s, want %d", tc.method, tc.path, tc.body, code, body, tc.want)
		}
	}
	// The new user logs in, makes a read-only token, uses and revokes it.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	code, body := n.call(t, c, "POST", "/api/login", "", "", `{"user":"night","password":"night shift's password"}`)
	if code != 200 {
		t.Fatalf("login: %d %s", code, body)
	}
	var who struct{ CSRF string }
	json.Unmarshal([]byte(body), &who)
	code, body = n.call(t, c, "POST", "/api/tokens", "", who.CSRF, `{"name":"gis","role":"auditor"}`)
	var tok struct{ Token, Role string }
	if json.Unmarshal([]byte(body), &tok); code != 201 || tok.Token == "" || tok.Role != "auditor" {
		t.Fatalf("new token: %d %s", code, body)
	}
	if code, _ := n.call(t, nil, "GET", "/api/tracks", tok.Token, "", ""); code != 200 {
		t.Errorf("the new token reads tracks: %d", code)
	}
	if code, _ := n.call(t, nil, "POST", "/api/incidents", tok.Token, "", `{"category":"other"}`); code != 403 {
		t.Errorf("an auditor's token opened an incident: %d", code)
	}
	_, body = n.call(t, nil, "GET", "/api/users", admin, "", "")
	if !strings.Contains(body, `{"name":"night","role":"operator","tokens":[{"name":"gis","role":"auditor"}]}`) || strings.Contains(body, "argon2") {
		t.Errorf("users: %s", body)
	}
	kept, _ := n.Store.Items(context.Background(), KindUser)
	if len(kept) != 1 || !strings.Contains(string(kept[0].Value), "sha256") || strings.Contains(string(kept[0].Value), tok.Token) {
		t.Errorf("stored users %+v", kept)
	}
	if code, _ := n.call(t, c, "DELETE", "/api/tokens/gis", "", who.CSRF, ""); code != 204 {
		t.Errorf("revoke: %d", code)
	}
	if code, _ := n.call(t, nil, "GET", "/api/tracks", tok.Token, "", ""); code != 401 {
		t.Errorf("a revoked token reads tracks: %d", code)
	}
	if code, _ := n.call(t, nil, "DELETE", "/api/users/night", admin, "", ""); code != 204 {
		t.Errorf("remove: %d", code)
	}
	if kept, _ := n.Store.Items(context.Background(), KindUser); len(kept) != 0 {
		t.Errorf("a removed user is still stored: %+v", kept)
	}
}

func TestStreamDetections(t *testing.T) {
	n := newNode(t)
	st := openStream(t, n, "/api/stream?kinds=event&types=go_fast", n.tokens[auth.Auditor])
	n.Picture.Detect(model.Event{ID: "ais_gap-000009", Type: "ais_gap", Start: now})
	n.Picture.Detect(model.Event{ID: "go_fast-000009", Type: "go_fast", Start: now, Lat: 36, Lon: -5.5})
	if e := next(t, st); !strings.HasPrefix(e, "event ") || !strings.Contains(e, `"go_fast-000009"`) {
		t.Errorf("event: %s", e)
	}
	n.Picture.Withdraw("go_fast-000009")
	if e := next(t, st); e != `withdrawn {"id":"go_fast-000009"}` {
		t.Errorf("withdrawal: %s", e)
	}
}

// TestStreamTrackGone: a client of tracks hears when one ends.
func TestStreamTrackGone(t *testing.T) {
	n := newNode(t)
	st := openStream(t, n, "/api/stream?kinds=track", n.tokens[auth.Auditor])
	n.Picture.TrackGone(42)
	if e := next(t, st); e != `track_gone {"id":42}` {
		t.Errorf("event: %s", e)
	}
}
