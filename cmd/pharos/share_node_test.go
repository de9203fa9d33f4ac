package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pharos/internal/share"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// TestServeSharesIncidents runs two served nodes that share: Spain's
// operator asks what Portugal would receive of an incident, pushes it,
// and Portugal's picture holds it as Spain's, once.
func TestServeSharesIncidents(t *testing.T) {
	dir := t.TempDir()
	if err := share.WriteLocalPKI(dir, "es", "pt"); err != nil {
		t.Fatal(err)
	}
	var hash bytes.Buffer
	runPasswd(context.Background(), nil, strings.NewReader("operator's long password\n"), &hash, io.Discard)
	addr := map[string]string{"es": freeAddr(t), "pt": freeAddr(t)}
	urls := map[string]string{}
	for _, me := range []string{"es", "pt"} {
		other := map[string]string{"es": "pt", "pt": "es"}[me]
		cfg := fmt.Sprintf(`node: %s
sharing:
  listen: %s
  cert: %s.pem
  key: %s.key
  ca: ca.pem
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
}
