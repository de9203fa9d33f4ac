package share

import (
	"context"
	"crypto/tls"
	"fmt"
	"io/fs"
	"net"
	neturl "net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// externalNATS starts a NATS cluster of size servers apart from any node,
// as an administrator would run one for Spain: JetStream on disk, TLS
// with client certificates mapped to users, and the users and permissions
// Config.Permissions lists. It returns the servers' URLs (comma
// separated) and the directory of their stores.
func externalNATS(t *testing.T, p *pki, perms []Permission, size int) (servers []*server.Server, url, store string) {
	t.Helper()
	store = t.TempDir()
	ports, routes := make([]int, size), make([]*neturl.URL, size)
	for i := range size {
		ports[i] = freePort(t)
		routes[i] = &neturl.URL{Scheme: "nats", Host: "127.0.0.1:" + strconv.Itoa(freePort(t))}
	}
	var urls []string
	for i := range size {
		opts := &server.Options{ServerName: "ncc-es-" + strconv.Itoa(i), Host: "127.0.0.1", Port: ports[i],
			JetStream: true, StoreDir: filepath.Join(store, strconv.Itoa(i)), NoSigs: true, NoLog: true,
			TLS: true, TLSVerify: true, TLSMap: true, TLSTimeout: 5,
			TLSConfig: &tls.Config{Certificates: []tls.Certificate{p.certs["nats"]}, ClientCAs: p.pool,
				ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}}
		if size > 1 {
			port, _ := strconv.Atoi(routes[i].Port())
			opts.Cluster = server.ClusterOpts{Name: "ncc-es", Host: "127.0.0.1", Port: port}
			opts.Routes = routes
		}
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
		t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
		servers = append(servers, srv)
		urls = append(urls, "tls://127.0.0.1:"+strconv.Itoa(ports[i]))
	}
	for _, srv := range servers {
		if !srv.ReadyForConnections(20 * time.Second) {
			t.Fatal("external NATS not ready")
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for size > 1 && !anyLeader(servers) {
		if time.Now().After(deadline) {
			t.Fatal("no JetStream meta leader in the cluster")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return servers, strings.Join(urls, ","), store
}

func anyLeader(servers []*server.Server) bool {
	for _, s := range servers {
		if s.JetStreamIsLeader() {
			return true
		}
	}
	return false
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
	_, extURL, extStore := externalNATS(t, p, esCfg.Permissions(), 1)

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

// TestExternalCluster keeps Spain's streams in a cluster of three NATS
// servers, three replicas each: exchanges go on, nothing lost, when the
// server Spain's node is connected to stops.
func TestExternalCluster(t *testing.T) {
	p := newPKI(t, "es", "pt", "nats")
	ptPort := freePort(t)
	esPeers := []Peer{{Name: "pt", URL: addr(ptPort)}}
	esCfg := Config{Name: "es", Peers: esPeers}
	servers, extURL, _ := externalNATS(t, p, esCfg.Permissions(), 3)
	ptIn, esIn := newInbox(), newInbox()
	pt := start(t, p, spec{name: "pt", dir: t.TempDir(), port: ptPort, peers: []Peer{{Name: "es", URL: extURL}},
		policy: memberPolicy(map[string]PeerKind{"es": MemberState}), handlers: Handlers{Push: ptIn.push}})
	es := start(t, p, spec{name: "es", dir: t.TempDir(), peers: esPeers, policy: memberPolicy(map[string]PeerKind{"pt": MemberState}),
		handlers: Handlers{Push: esIn.push}, external: &External{URL: extURL, Replicas: 3}})
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	if _, err := es.Push(ctx, payload(2, 0), "pt"); err != nil {
		t.Fatal(err)
	}
	ptIn.wait(t, 1, 20*time.Second)
	if _, err := pt.Push(ctx, payload(2, 100), "es"); err != nil {
		t.Fatal(err)
	}
	esIn.wait(t, 1, 20*time.Second)

	// The server Spain's node is connected to stops.
	connected := es.nc.ConnectedUrl()
	for _, srv := range servers {
		if strings.HasSuffix(connected, ":"+strconv.Itoa(srv.Addr().(*net.TCPAddr).Port)) {
			srv.Shutdown()
			srv.WaitForShutdown()
		}
	}
	if _, err := es.Push(ctx, payload(2, 200), "pt"); err != nil {
		t.Fatal(err)
	}
	ptIn.wait(t, 2, 30*time.Second)
	if _, err := pt.Push(ctx, payload(2, 300), "es"); err != nil {
		t.Fatal(err)
	}
	esIn.wait(t, 2, 30*time.Second)
	if es.nc.ConnectedUrl() == connected {
		t.Errorf("still connected to the stopped server %s", connected)
	}
}

// TestAway checks which errors of a publish enqueue takes for the node's
// NATS being out of reach, worth another try, and which for a refusal.
func TestAway(t *testing.T) {
	for _, c := range []struct {
		err  error
		away bool
	}{
		{nats.ErrDisconnected, true},
		{nats.ErrNoResponders, true},
		{jetstream.ErrNoStreamResponse, true},
		{jetstream.ErrAsyncPublishTimeout, true},
		// Publishes pile up in the client while it reconnects: past its
		// buffer, or past the acknowledgements it lets wait, it refuses
		// more until the server is back.
		{nats.ErrReconnectBufExceeded, true},
		{jetstream.ErrTooManyStalledMsgs, true},
		{nats.ErrMaxPayload, false},
		{nats.ErrConnectionClosed, false},
		{context.DeadlineExceeded, false},
	} {
		if got := away(fmt.Errorf("queue push to pt: %w", c.err)); got != c.away {
			t.Errorf("away(%v) = %v, want %v", c.err, got, c.away)
		}
	}
}

// TestRetryDedupWindows checks that a try of enqueue again, after the
// node's NATS was away, stores its audit entry once for as long as it
// stores its message once: the journal remembers entry IDs as long as
// the outbox remembers message IDs.
func TestRetryDedupWindows(t *testing.T) {
	p := newPKI(t, "es", "pt")
	es := start(t, p, spec{name: "es", dir: t.TempDir(), port: freePort(t),
		peers: []Peer{{Name: "pt", URL: addr(freePort(t))}}, policy: memberPolicy(map[string]PeerKind{"pt": MemberState})})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	journal, err := es.journal.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out, err := es.links["pt"].out.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if journal.Config.Duplicates != out.Config.Duplicates {
		t.Errorf("the audit journal remembers IDs for %s, the outbox for %s", journal.Config.Duplicates, out.Config.Duplicates)
	}
}
