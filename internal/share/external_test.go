package share

import (
	"context"
	"crypto/tls"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// externalNATS starts a NATS server apart from any node, as an
// administrator would run one for Spain: JetStream on disk, TLS with
// client certificates mapped to users, and the users and permissions
// Config.Permissions lists. It returns the server's URL and its store.
func externalNATS(t *testing.T, p *pki, perms []Permission) (url, store string) {
	t.Helper()
	port := freePort(t)
	store = t.TempDir()
	opts := &server.Options{ServerName: "ncc-es", Host: "127.0.0.1", Port: port,
		JetStream: true, StoreDir: store, NoSigs: true, NoLog: true,
		TLS: true, TLSVerify: true, TLSMap: true, TLSTimeout: 5,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{p.certs["nats"]}, ClientCAs: p.pool,
			ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}}
	for _, perm := range perms {
		opts.Users = append(opts.Users, &server.User{Username: perm.User, Permissions: &server.Permissions{
			Publish:   &server.SubjectPermission{Allow: perm.Publish},
			Subscribe: &server.SubjectPermission{Allow: perm.Subscribe}}})
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatal("external NATS not ready")
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	return "tls://127.0.0.1:" + strconv.Itoa(port), store
}

// TestExternalNATS runs Spain's node on a NATS server run apart (the
// deployment that has outgrown one machine) and Portugal's on its embedded
// one: pushes go both ways, Spain's streams live in the external server
// and none on Spain's disk, and after Spain's node restarts it neither
// loses nor applies again what it had.
func TestExternalNATS(t *testing.T) {
	p := newPKI(t, "es", "pt", "nats")
	ptPort := freePort(t)
	esPeers := []Peer{{Name: "pt", URL: addr(ptPort)}}
	esCfg := Config{Name: "es", Peers: esPeers}
	extURL, extStore := externalNATS(t, p, esCfg.Permissions())

	ptIn := newInbox()
	pt := start(t, p, spec{name: "pt", dir: t.TempDir(), port: ptPort, peers: []Peer{{Name: "es", URL: extURL}},
		policy: memberPolicy(map[string]PeerKind{"es": MemberState}), handlers: Handlers{Push: ptIn.push}})
	esDir := t.TempDir()
	esSpec := func(in *inbox) spec {
		return spec{name: "es", dir: esDir, peers: esPeers, policy: memberPolicy(map[string]PeerKind{"pt": MemberState}),
			handlers: Handlers{Push: in.push}, external: &External{URL: extURL}}
	}
	esIn := newInbox()
	es := start(t, p, esSpec(esIn))
	if es.Addr() != extURL {
		t.Errorf("Spain is reached at %q, want the external server %q", es.Addr(), extURL)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	if _, err := es.Push(ctx, payload(3, 0), "pt"); err != nil {
		t.Fatal(err)
	}
	if got := ptIn.wait(t, 1, 10*time.Second); len(got[0].Message.Payload.Entities) != 3 {
		t.Errorf("Portugal received %d entities, want 3", len(got[0].Message.Payload.Entities))
	}
	if _, err := pt.Push(ctx, payload(2, 100), "es"); err != nil {
		t.Fatal(err)
	}
	esIn.wait(t, 1, 10*time.Second)

	// Spain's streams are in the external server, none on its own disk.
	if _, err := os.Stat(filepath.Join(esDir, "jetstream")); !os.IsNotExist(err) {
		t.Errorf("Spain keeps a JetStream store of its own: %v", err)
	}
	streams := map[string]bool{}
	filepath.WalkDir(extStore, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && filepath.Base(filepath.Dir(path)) == "streams" {
			streams[d.Name()] = true
		}
		return nil
	})
	for _, name := range []string{"INBOX", "RECEIVED", "AUDIT", "OUT_pt"} {
		if !streams[name] {
			t.Errorf("stream %s not in the external server (it has %v)", name, streams)
		}
	}

	// Spain restarts: Portugal's next push arrives, once, and the first is
	// not applied again.
	es.close()
	esIn2 := newInbox()
	es = start(t, p, esSpec(esIn2))
	if _, err := pt.Push(ctx, payload(1, 200), "es"); err != nil {
		t.Fatal(err)
	}
	esIn2.wait(t, 1, 10*time.Second)
	time.Sleep(500 * time.Millisecond) // room for a second, wrong, delivery
	if got := esIn2.list(); len(got) != 1 || got[0].Message.Payload.Entities[0].ID != "b-200" {
		t.Errorf("after the restart Spain received %d messages, want only the new one", len(got))
	}
	if _, err := es.Push(ctx, payload(1, 300), "pt"); err != nil {
		t.Fatal(err)
	}
	ptIn.wait(t, 2, 10*time.Second)
}
