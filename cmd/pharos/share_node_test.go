package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pharos/internal/share"
)

// TestServeSharesIncidents runs two served nodes that share in CISE: Spain's
// operator asks what Portugal would receive of an incident, pushes it,
// and Portugal's picture holds it as Spain's, once.
func TestServeSharesIncidents(t *testing.T) {
	dir := t.TempDir()
	if err := share.WriteLocalPKI(dir, "es", "pt"); err != nil {
		t.Fatal(err)
	}
	var hash bytes.Buffer
	runPasswd(context.Background(), nil, strings.NewReader("operator's long password\n"), &hash, io.Discard)
	addr := map[string]string{}
	for _, n := range []string{"es", "pt"} {
		a, err := freeLoopback()
		if err != nil {
			t.Fatal(err)
		}
		addr[n] = a
	}
	urls := map[string]string{}
	for _, me := range []string{"es", "pt"} {
		other := map[string]string{"es": "pt", "pt": "es"}[me]
		cfg := fmt.Sprintf(`node: %s
sharing:
  listen: %s
  cert: %s.pem
  key: %s.key
  ca: ca.pem
  codec: cise
  peers:
    - {name: %s, url: "tls://%s"}
  agreements:
    - peer: %s
      kind: member_state
      entities: [Incident, Vessel]
      max_classification: EURestricted
      max_sensitivity: Amber
      purposes: [BorderMonitoring]
users:
  - {name: op, role: operator, password_hash: '%s'}
`, me, addr[me], me, me, other, addr[other], other, strings.TrimSpace(hash.String()))
		path := filepath.Join(dir, me+".yaml")
		os.WriteFile(path, []byte(cfg), 0o644)
		urls[me], _, _ = startServe(t, "--config", path, "--data", filepath.Join(dir, me+"-data"))
	}
	es := login(t, urls["es"], "op", "operator's long password")
	code, body := es.do("POST", "/api/incidents", `{"category":"unauthorised_border_crossing","title":"boat adrift off Tarifa","impact":"high","lat":35.95,"lon":-5.6}`)
	if code != 201 {
		t.Fatalf("open: %d %s", code, body)
	}
	var decisions []share.Decision
	es.get("/api/incidents/INC-000001/share", &decisions)
	if len(decisions) != 1 || decisions[0].Peer != "pt" || !decisions[0].Send {
		t.Fatalf("what pt would receive: %+v", decisions)
	}
	if code, body := es.do("POST", "/api/incidents/INC-000001/share", `{"peers":["pt"]}`); code != 200 {
		t.Fatalf("push: %d %s", code, body)
	}
	pt := login(t, urls["pt"], "op", "operator's long password")
	var got []struct{ ID, Originator, Owner, Ref, Title string }
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		pt.get("/api/incidents", &got)
		if len(got) > 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(got) != 1 || got[0].Originator != "es" || got[0].Owner != "es" || got[0].Ref != "es/incident/INC-000001" || got[0].Title != "boat adrift off Tarifa" {
		t.Fatalf("Portugal's incidents %+v, want Spain's, once", got)
	}
	// Portugal's operator cannot close what Spain owns.
	if code, _ := pt.do("POST", "/api/incidents/"+got[0].ID+"/close", ""); code != 403 {
		t.Errorf("Portugal closed Spain's incident: %d", code)
	}
	var peers []share.PeerStatus
	es.get("/api/share/peers", &peers)
	if len(peers) != 1 || peers[0].Name != "pt" {
		t.Errorf("Spain's peers %+v", peers)
	}

	// The command line, through Portugal's API with a token: its peers,
	// a pull from Spain by type, a subscription to Spain's incidents,
	// which then brings Spain's next incident by itself.
	var tok struct{ Token string }
	code, body = pt.do("POST", "/api/tokens", `{"name":"cli"}`)
	if json.Unmarshal(body, &tok); code != 201 {
		t.Fatalf("token: %d %s", code, body)
	}
	cli := func(args ...string) string {
		t.Helper()
		out, stderr, err := runCmd(t, append(append([]string{"share"}, args...), "--node", urls["pt"], "--token", tok.Token)...)
		if err != nil {
			t.Fatalf("share %v: %v %s", args, err, stderr)
		}
		return out
	}
	if out := cli("peers"); !strings.Contains(out, "es ") || !strings.Contains(out, "member_state") {
		t.Errorf("share peers: %q", out)
	}
	if out := cli("pull", "--peer", "es", "--types", "Incident"); !strings.Contains(out, "es/incident/INC-000001") {
		t.Errorf("share pull: %s", out)
	}
	if out := cli("subscribe", "--peer", "es", "--types", "Incident"); !strings.Contains(out, "subscribed at es") {
		t.Errorf("share subscribe: %s", out)
	}
	if code, body := es.do("POST", "/api/incidents", `{"category":"cross_border_crime","title":"go-fast landing at Barbate","impact":"high","lat":36.18,"lon":-5.93}`); code != 201 {
		t.Fatalf("open: %d %s", code, body)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		pt.get("/api/incidents", &got)
		if len(got) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Portugal's incidents after subscribing: %+v", got)
		}
	}
	// Spain closes it: Portugal's copy follows, still one.
	if code, body := es.do("POST", "/api/incidents/INC-000002/close", ""); code != 200 {
		t.Fatalf("close: %d %s", code, body)
	}
	var theirs []struct{ Ref, Status string }
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		pt.get("/api/incidents", &theirs)
		if len(theirs) == 2 && slices.ContainsFunc(theirs, func(x struct{ Ref, Status string }) bool {
			return x.Ref == "es/incident/INC-000002" && x.Status == "closed"
		}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Portugal's incidents after Spain closed its own: %+v", theirs)
		}
	}
}
