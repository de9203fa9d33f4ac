package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pharos/internal/ais"
	"pharos/internal/nmea"
)

// syncBuffer is a buffer a command writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs pharos serve until the test ends or stop is called,
// and returns its base URL.
func startServe(t *testing.T, args ...string) (url string, out *syncBuffer, stop func() string) {
	t.Helper()
	return startNode(t, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...)
}

// startNode runs a command that serves a node (serve, demo) until the
// test ends or stop is called, and returns its base URL.
func startNode(t *testing.T, args ...string) (url string, out *syncBuffer, stop func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = new(syncBuffer)
	var errb syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, out, &errb) }()
	re := regexp.MustCompile(`serving (http://[^/]+)/`)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s%s", err, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s%s", out.String(), errb.String())
		}
	}
	stopped := false
	stop = func() string {
		if !stopped {
			stopped = true
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v\n%s", err, errb.String())
			}
		}
		return out.String()
	}
	t.Cleanup(func() { stop() })
	return url, out, stop
}

func TestServeKeepsThePictureAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	var hash bytes.Buffer
	if err := runPasswd(context.Background(), nil, strings.NewReader("olga's long password\n"), &hash, io.Discard); err != nil {
		t.Fatal(err)
	}
	areas := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"ES-SEA-1","name":"Strait","kind":"border_section","impact":"medium"},
		"geometry":{"type":"Polygon","coordinates":[[[-6,35.8],[-5.2,35.8],[-5.2,36.2],[-6,36.2],[-6,35.8]]]}}]}`
	if err := os.WriteFile(filepath.Join(dir, "sections.geojson"), []byte(areas), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := "node: ESP-NCC\nareas: [sections.geojson]\nusers:\n  - {name: olga, role: operator, password_hash: '" + strings.TrimSpace(hash.String()) + "'}\n"
	if err := os.WriteFile(filepath.Join(dir, "node.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--config", filepath.Join(dir, "node.yaml"), "--data", filepath.Join(dir, "data")}

	url, _, stop := startServe(t, args...)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	send := func(method, path, csrf, body string) (int, string) {
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		req.Header.Set("X-CSRF-Token", csrf)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	post := func(path, csrf, body string) (int, string) { return send("POST", path, csrf, body) }
	code, body := post("/api/login", "", `{"user":"olga","password":"olga's long password"}`)
	if code != 200 {
		t.Fatalf("login: %d %s", code, body)
	}
	var login struct{ CSRF string }
	json.Unmarshal([]byte(body), &login)
	if code, body = post("/api/incidents", login.CSRF, `{"category":"unauthorised_border_crossing","title":"boat adrift","impact":"very_high"}`); code != 201 {
		t.Fatalf("open incident: %d %s", code, body)
	}
	// A record of the operational layer and an API token, made through
	// the API, outlive the process too.
	if code, body = send("PUT", "/api/assets/PV-1", login.CSRF, `{"id":"PV-1","name":"Rio Tajo","type":"patrol_vessel","status":"available"}`); code != 200 {
		t.Fatalf("put asset: %d %s", code, body)
	}
	code, body = post("/api/tokens", login.CSRF, `{"name":"cli","role":"auditor"}`)
	var tok struct{ Token string }
	if json.Unmarshal([]byte(body), &tok); code != 201 {
		t.Fatalf("new token: %d %s", code, body)
	}
	if out := stop(); !strings.Contains(out, "node ESP-NCC") || !strings.Contains(out, "1 border sections") || !strings.Contains(out, "stopped") {
		t.Errorf("serve said:\n%s", out)
	}

	url, _, _ = startServe(t, args...)
	resp, err := http.Get(url + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz after restart: %v %v", resp, err)
	}
	resp.Body.Close()
	jar, _ = cookiejar.New(nil)
	c.Jar = jar
	if code, body = post("/api/login", "", `{"user":"olga","password":"olga's long password"}`); code != 200 {
		t.Fatalf("login after restart: %d %s", code, body)
	}
	json.Unmarshal([]byte(body), &login)
	if code, body = post("/api/incidents", login.CSRF, `{"category":"other","title":"second"}`); code != 201 || !strings.Contains(body, `"INC-000002"`) {
		t.Errorf("the second incident after a restart: %d %s, want INC-000002", code, body)
	}
	req, _ := http.NewRequest("GET", url+"/api/assets/PV-1", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("the asset by the token after a restart: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	req, _ = http.NewRequest("GET", url+"/api/incidents/INC-000001", nil)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "boat adrift") || !strings.Contains(string(b), `"due"`) {
		t.Errorf("the first incident after a restart: %d %s", resp.StatusCode, b)
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{{"serve"}, {"serve", "--config", "x.yaml", "extra"}} {
		if _, _, err := runCmd(t, args...); err != errUsage {
			t.Errorf("%v: %v, want the usage error", args, err)
		}
	}
	if _, _, err := runCmd(t, "serve", "--config", "testdata/none.yaml"); err == nil {
		t.Error("served without a configuration file")
	}
	if err := runPasswd(context.Background(), nil, strings.NewReader("short\n"), io.Discard, io.Discard); err == nil {
		t.Error("hashed a 5-character password")
	}
}

// TestServeLiveInput feeds a vessel's AIS reports to a served node over
// TCP and reads its track, live and from the stored history, through the
// API.
func TestServeLiveInput(t *testing.T) {
	dir := t.TempDir()
	var hash bytes.Buffer
	runPasswd(context.Background(), nil, strings.NewReader("auditor's long password\n"), &hash, io.Discard)
	cfg := "node: ESP-NCC\nusers:\n  - {name: au, role: auditor, password_hash: '" + strings.TrimSpace(hash.String()) + "'}\n"
	os.WriteFile(filepath.Join(dir, "node.yaml"), []byte(cfg), 0o644)
	url, out, _ := startServe(t, "--config", filepath.Join(dir, "node.yaml"), "--data", filepath.Join(dir, "data"),
		"--input", "tcp-listen://127.0.0.1:0")
	var addr string
	re := regexp.MustCompile(`input tcp-listen://127.0.0.1:0 on (\S+)`)
	for deadline := time.Now().Add(5 * time.Second); addr == ""; time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no input address in:\n%s", out.String())
		}
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := int64(1795749312) // 2026-11-27T03:15:12Z
	for i := range 10 {
		pos := &ais.PositionReport{Header: ais.Header{Type: 1, MMSI: 224123450}, SOG: 120, COG: 900, Heading: 90,
			Lon: int32((-5.6 + float64(i)*0.0006) * 600000), Lat: int32(35.95 * 600000), Second: 60}
		p, fill, err := ais.AppendPayload(nil, pos)
		if err != nil {
			t.Fatal(err)
		}
		tag := "\\" + withChecksum("x" + "c:" + strconv.FormatInt(start+int64(i)*10, 10))[1:] + "\\"
		if _, err := conn.Write(append([]byte(tag), nmea.AppendVDM(nil, "AI", "VDM", p, fill, 0, 'A')...)); err != nil {
			t.Fatal(err)
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Post(url+"/api/login", "application/json", strings.NewReader(`{"user":"au","password":"auditor's long password"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	get := func(path string) string {
		resp, err := c.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	var tracks []struct {
		ID   uint64
		MMSI uint32
		T    time.Time
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		json.Unmarshal([]byte(get("/api/tracks")), &tracks)
		if len(tracks) == 1 && tracks[0].T.Unix() == start+90 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("live tracks %+v, want the vessel at its tenth report", tracks)
		}
	}
	if tracks[0].MMSI != 224123450 {
		t.Errorf("live track %+v", tracks[0])
	}
	path := fmt.Sprintf("/api/tracks/%d/history?from=2026-11-27T03:00:00Z&to=2026-11-27T04:00:00Z", tracks[0].ID)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		body := get(path)
		if n := strings.Count(body, `"mmsi":224123450`); n == 10 {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("history holds %d states, want 10:\n%s", n, body)
		}
	}
}

// TestServeFromEnvironment starts a node set up by its environment alone,
// as a container or a service manager would.
func TestServeFromEnvironment(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "node.yaml"), []byte("node: ENV-NCC\n"), 0o644)
	t.Setenv("PHAROS_CONFIG", filepath.Join(dir, "node.yaml"))
	t.Setenv("PHAROS_LISTEN", "127.0.0.1:0")
	t.Setenv("PHAROS_DATA_DIR", filepath.Join(dir, "store"))
	_, out, stop := startNode(t, "serve")
	stop()
	if !strings.Contains(out.String(), "node ENV-NCC") {
		t.Errorf("serve said:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "store", "pharos.db")); err != nil {
		t.Error(err)
	}
}
