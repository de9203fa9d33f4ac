package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pharos/internal/model"
)

// apiClient is one user's session with a node.
type apiClient struct {
	t          *testing.T
	url, csrf  string
	cookie     *http.Cookie
	user, role string
}

func login(t *testing.T, url, user, password string) *apiClient {
	t.Helper()
	resp, err := http.Post(url+"/api/login", "application/json",
		strings.NewReader(fmt.Sprintf(`{"user":%q,"password":%q}`, user, password)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var who struct{ Role, CSRF string }
	if err := json.NewDecoder(resp.Body).Decode(&who); err != nil || resp.StatusCode != 200 {
		t.Fatalf("login %s: %d %v", user, resp.StatusCode, err)
	}
	c := &apiClient{t: t, url: url, csrf: who.CSRF, user: user, role: who.Role}
	for _, ck := range resp.Cookies() {
		if ck.Name == "pharos_session" {
			c.cookie = ck
		}
	}
	return c
}

// do sends a request (as nobody when c.cookie is nil) and returns the
// status and body.
func (c *apiClient) do(method, path, body string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.url+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// get decodes a GET's JSON answer into v.
func (c *apiClient) get(path string, v any) {
	c.t.Helper()
	code, b := c.do("GET", path, "")
	if code != 200 {
		c.t.Fatalf("GET %s as %s: %d %s", path, c.user, code, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
}

// scenarioLines returns the NMEA lines of a simulation's output (AIS and
// radar), in the order of their tag-block times, as a receiver would pass
// them on.
func scenarioLines(t *testing.T, dir string) [][]byte {
	t.Helper()
	type line struct {
		ms int64
		b  []byte
	}
	var lines []line
	re := regexp.MustCompile(`c:(\d+)`)
	for _, name := range []string{"ais.nmea", "radar.nmea"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			m := re.FindSubmatch(sc.Bytes())
			if m == nil {
				t.Fatalf("%s: a line without a time: %s", name, sc.Bytes())
			}
			ms, _ := strconv.ParseInt(string(m[1]), 10, 64)
			lines = append(lines, line{ms, append(slices.Clone(sc.Bytes()), '\n')})
		}
		f.Close()
	}
	slices.SortStableFunc(lines, func(a, b line) int { return int(a.ms - b.ms) })
	out := make([][]byte, len(lines))
	for i, l := range lines {
		out[i] = l.b
	}
	return out
}

// TestNodeScenarioOverTCP runs a node, feeds it a simulated go-fast run
// over TCP, reads the tracks, the events and the incident back through
// the API, and checks what each role may and may not do.
func TestNodeScenarioOverTCP(t *testing.T) {
	simDir, dir := t.TempDir(), t.TempDir()
	if _, stderr, err := runCmd(t, "sim", "--scenario", "../../internal/sim/testdata/mini.yaml", "--out", simDir); err != nil {
		t.Fatal(err, stderr)
	}
	cfg, err := os.ReadFile(filepath.Join(simDir, "node.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// A TAK client listening for the node's Cursor-on-Target.
	tak, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tak.Close()
	// It reads from the start: the datagrams of a whole scenario would
	// overflow the socket's buffer long before the test looked, and the
	// go-fast's marker be dropped with the rest.
	var cotMu sync.Mutex
	var cotTrack bool
	cotEvents := map[string]bool{}
	go func() {
		buf := make([]byte, 65536)
		uid := regexp.MustCompile(`uid="pharos-event-([^"]+)"`)
		for {
			n, _, err := tak.ReadFrom(buf)
			if err != nil {
				return
			}
			cotMu.Lock()
			cotTrack = cotTrack || bytes.Contains(buf[:n], []byte(`type="a-`))
			for _, m := range uid.FindAllSubmatch(buf[:n], -1) {
				cotEvents[string(m[1])] = true
			}
			cotMu.Unlock()
		}
	}()
	var users strings.Builder
	fmt.Fprintf(&users, "node: ESP-NCC\ncot_out: [udp://%s]\nusers:\n", tak.LocalAddr())
	for _, role := range []string{"operator", "analyst", "administrator", "auditor"} {
		var hash bytes.Buffer
		runPasswd(context.Background(), nil, strings.NewReader(role+"'s long password\n"), &hash, io.Discard)
		fmt.Fprintf(&users, "  - {name: %s, role: %s, password_hash: '%s'}\n", role, role, strings.TrimSpace(hash.String()))
	}
	os.WriteFile(filepath.Join(dir, "node.yaml"), append(cfg, users.String()...), 0o644)
	url, out, _ := startServe(t, "--config", filepath.Join(dir, "node.yaml"), "--data", filepath.Join(dir, "data"),
		"--input", "tcp-listen://127.0.0.1:0")
	addr := regexp.MustCompile(`input tcp-listen://127.0.0.1:0 on (\S+)`).FindStringSubmatch(out.String())
	if addr == nil {
		t.Fatalf("no input address in:\n%s", out.String())
	}
	conn, err := net.Dial("tcp", addr[1])
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(conn)
	for _, l := range scenarioLines(t, simDir) {
		w.Write(l)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	conn.Close()

	op := login(t, url, "operator", "operator's long password")
	var events []model.Event
	var tracks []model.TrackState
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		op.get("/api/events?type=go_fast", &events)
		op.get("/api/tracks", &tracks)
		if len(events) > 0 && len(tracks) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s: %d go_fast events, %d tracks", len(events), len(tracks))
		}
	}
	gf := events[0]
	if gf.Risk == nil || gf.Lat < 35.8 || gf.Lat > 36.1 || len(gf.TrackIDs) != 1 {
		t.Errorf("go-fast event %+v", gf)
	}
	var ferry bool
	for _, tr := range tracks {
		ferry = ferry || tr.MMSI == 224123450
	}
	if !ferry {
		t.Errorf("the ferry is not among the live tracks %+v", tracks)
	}
	var one model.Event
	op.get("/api/events/"+gf.ID, &one)
	if one.ID != gf.ID || len(one.Evidence) == 0 {
		t.Errorf("event %s: %+v", gf.ID, one)
	}
	// A high-impact go-fast opens an incident of the node's own.
	var incidents []struct {
		ID, Owner string
		Events    []string
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		op.get("/api/incidents", &incidents)
		if len(incidents) > 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(incidents) == 0 || incidents[0].Owner != "ESP-NCC" || !slices.Contains(incidents[0].Events, gf.ID) {
		t.Errorf("incidents %+v, want one of ESP-NCC holding %s", incidents, gf.ID)
	}

	// The tracks and the go-fast reached the TAK client too.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		cotMu.Lock()
		track, marker := cotTrack, cotEvents[gf.ID]
		cotMu.Unlock()
		if track && marker {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("CoT after 10 s: track %v, go-fast marker %v", track, marker)
		}
	}

	clients := map[string]*apiClient{"": {t: t, url: url}, "operator": op}
	for _, r := range []string{"analyst", "administrator", "auditor"} {
		clients[r] = login(t, url, r, r+"'s long password")
	}
	ring := `[[-5.7,35.9],[-5.3,35.9],[-5.3,36.1],[-5.7,36.1],[-5.7,35.9]]`
	for _, tc := range []struct {
		role, method, path, body string
		want                     int
	}{
		{"", "GET", "/api/tracks", "", 401},
		{"auditor", "GET", "/api/tracks", "", 200},
		{"auditor", "GET", "/api/export/events/geojson", "", 200},
		{"auditor", "POST", "/api/incidents", `{"category":"other","title":"x"}`, 403},
		{"analyst", "POST", "/api/incidents", `{"category":"other","title":"x"}`, 403},
		{"operator", "POST", "/api/incidents", `{"category":"other","title":"seen from the patrol","lat":36,"lon":-5.5}`, 201},
		{"operator", "PUT", "/api/watchlist/SIS-1", `{"id":"SIS-1","name":"SEA FALCON","impact":"high"}`, 403},
		{"analyst", "PUT", "/api/watchlist/SIS-1", `{"id":"SIS-1","name":"SEA FALCON","impact":"high"}`, 200},
		{"analyst", "PUT", "/api/assets/PV-1", `{"id":"PV-1","name":"Rio Tajo","type":"patrol_vessel","status":"available"}`, 403},
		{"operator", "PUT", "/api/assets/PV-1", `{"id":"PV-1","name":"Rio Tajo","type":"patrol_vessel","status":"available"}`, 200},
		{"operator", "PUT", "/api/areas/A-1", `{"id":"A-1","name":"Barbate","kind":"area_of_interest","polygon":` + ring + `,"impact":"high"}`, 200},
		{"auditor", "PUT", "/api/areas/A-1", `{"id":"A-1","name":"Barbate","kind":"area_of_interest","polygon":` + ring + `,"impact":"high"}`, 403},
		{"operator", "PUT", "/api/sections/ES-SEA-X/level", `{"level":"high","why":"x"}`, 404},
		{"analyst", "PUT", "/api/risk-products/RP-1", `{"id":"RP-1","title":"Go-fasts","from":"2026-11-01T00:00:00Z","to":"2026-11-30T00:00:00Z","threats":["drugs"],"level":"high","summary":"Night runs."}`, 200},
		{"operator", "GET", "/api/users", "", 403},
		{"administrator", "POST", "/api/users", `{"name":"night","role":"operator","password":"night shift's password"}`, 201},
		{"operator", "GET", "/api/audit", "", 403},
		{"auditor", "GET", "/api/audit", "", 200},
		{"auditor", "POST", "/api/tokens", `{"name":"siem"}`, 201},
	} {
		if code, body := clients[tc.role].do(tc.method, tc.path, tc.body); code != tc.want {
			t.Errorf("%s %s as %q: %d, want %d: %s", tc.method, tc.path, tc.role, code, tc.want, body)
		}
	}
	// What was put is there for every reader.
	var assets []struct{ ID string }
	clients["auditor"].get("/api/assets", &assets)
	if len(assets) != 1 || assets[0].ID != "PV-1" {
		t.Errorf("assets %+v", assets)
	}
	night := login(t, url, "night", "night shift's password")
	if night.role != "operator" {
		t.Errorf("the new user's role %q", night.role)
	}
}

// TestServeReplay replays a simulation's output as live: the tracks are
// there at once (the replay starts at the recording's beginning and its
// first minutes come in real time).
func TestServeReplay(t *testing.T) {
	simDir, dir := t.TempDir(), t.TempDir()
	if _, stderr, err := runCmd(t, "sim", "--scenario", "../../internal/sim/testdata/mini.yaml", "--out", simDir); err != nil {
		t.Fatal(err, stderr)
	}
	var hash bytes.Buffer
	runPasswd(context.Background(), nil, strings.NewReader("auditor's long password\n"), &hash, io.Discard)
	cfg, _ := os.ReadFile(filepath.Join(simDir, "node.yaml"))
	cfg = fmt.Appendf(cfg, "users:\n  - {name: au, role: auditor, password_hash: '%s'}\n", strings.TrimSpace(hash.String()))
	os.WriteFile(filepath.Join(dir, "node.yaml"), cfg, 0o644)
	url, _, _ := startServe(t, "--config", filepath.Join(dir, "node.yaml"), "--data", filepath.Join(dir, "data"), "--replay", simDir)
	au := login(t, url, "au", "auditor's long password")
	var tracks []model.TrackState
	for deadline := time.Now().Add(20 * time.Second); len(tracks) < 2; time.Sleep(100 * time.Millisecond) {
		au.get("/api/tracks", &tracks)
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s of replay: tracks %+v", tracks)
		}
	}
	if d := time.Since(tracks[0].Time); d < -time.Minute || d > time.Minute {
		t.Errorf("a replayed track's time %s is not now", tracks[0].Time)
	}
}
