package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"pharos/internal/model"
	"pharos/internal/share"
	"pharos/internal/shareddata"
)

func TestDemoNeedsData(t *testing.T) {
	dir := t.TempDir()
	_, _, err := runCmd(t, "demo", "--shared-data", dir, "--scenario", dir+"/none.yaml", "--data", dir)
	if err == nil || !strings.Contains(err.Error(), "expected at") {
		t.Errorf("demo without data: %v, want a plain message saying where the data is expected", err)
	}
}

// TestDemo runs the demo node and reads through its API what an operator
// would see first: the real Danish traffic and the simulated night in the
// strait, a go-fast under way, the sections of Spain and Morocco, the
// watchlist.
func TestDemo(t *testing.T) {
	if _, err := os.Stat(shareddata.Path(demoCapture)); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data missing in CI: %v", err)
		}
		t.Skipf("shared data not present: %v", err)
	}
	url, out, _ := startNode(t, "demo", "--listen", "127.0.0.1:0", "--data", t.TempDir(),
		"--shared-data", shareddata.Dir(), "--scenario", "../../scenarios/gibraltar.yaml", "--skip", "45m")
	for _, want := range []string{"Danish Maritime Authority", "simulated night", "pharos-demo-only"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out.String())
		}
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Post(url+"/api/login", "application/json", strings.NewReader(`{"user":"duty","password":"pharos-demo-only"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	get := func(path string, v any) {
		t.Helper()
		resp, err := c.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, b)
		}
	}
	var danish, strait int
	var goFast bool
	var assets []struct {
		ID    string
		Value struct {
			Name  string
			Track uint64
		}
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		var tracks []model.TrackState
		get("/api/tracks", &tracks)
		danish, strait = 0, 0
		for _, tr := range tracks {
			switch {
			case tr.Lat > 53:
				danish++
			case tr.Lat > 35 && tr.Lat < 37 && tr.Lon > -7 && tr.Lon < -3:
				strait++
			}
		}
		var events []model.Event
		get("/api/events?type=go_fast", &events)
		goFast = len(events) > 0
		get("/api/assets", &assets)
		if danish > 100 && strait > 20 && goFast && len(assets) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a minute: %d Danish tracks, %d in the strait, go-fast %v, own assets %+v", danish, strait, goFast, assets)
		}
	}
	if assets[0].Value.Track == 0 || assets[0].Value.Name == "" {
		t.Errorf("own asset %+v: want its name and track", assets[0])
	}
	var sections []struct{ ID string }
	get("/api/sections", &sections)
	var ids []string
	for _, s := range sections {
		ids = append(ids, s.ID)
	}
	if got := strings.Join(ids, " "); !strings.Contains(got, "ES-SEA-STRAIT") || !strings.Contains(got, "MA-SEA-STRAIT") {
		t.Errorf("sections %s", got)
	}
	var watch []struct{ ID string }
	get("/api/watchlist", &watch)
	if len(watch) != 1 || watch[0].ID != "SIS-DEMO-1" {
		t.Errorf("watchlist %+v", watch)
	}

	// Sharing: what each peer would receive of Spain's first incident,
	// then a push, which Portugal's node holds as Spain's.
	var incidents []struct{ ID, Category string }
	for deadline := time.Now().Add(30 * time.Second); len(incidents) == 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		get("/api/incidents", &incidents)
	}
	if len(incidents) == 0 {
		t.Fatal("no incident in the demo after 30 s")
	}
	in := incidents[0]
	var decisions []share.Decision
	get("/api/incidents/"+in.ID+"/share", &decisions)
	sends := map[string]bool{}
	for _, d := range decisions {
		sends[d.Peer] = d.Send
	}
	if len(decisions) != 3 || !sends["PRT-NCC"] || !sends["EU-HUB"] || sends["MAR-NCC"] != (in.Category == "unauthorised_border_crossing") {
		t.Errorf("what the peers would receive of %+v: %+v", in, decisions)
	}
	es := login(t, url, "duty", "pharos-demo-only")
	if code, body := es.do("POST", "/api/incidents/"+in.ID+"/share", `{"peers":["PRT-NCC"]}`); code != 200 {
		t.Fatalf("push: %d %s", code, body)
	}
	m := regexp.MustCompile(`Peer PRT-NCC \(member_state\) on (http://\S+)/`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no address of Portugal's node in:\n%s", out.String())
	}
	pt := login(t, m[1], "duty", "pharos-demo-only")
	var theirs []struct{ Originator, Ref string }
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		pt.get("/api/incidents", &theirs)
		if slices.ContainsFunc(theirs, func(x struct{ Originator, Ref string }) bool { return x.Ref == "ESP-NCC/incident/"+in.ID }) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Portugal's incidents %+v lack Spain's %s", theirs, in.ID)
		}
	}
}
