package share

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"math/big"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"pharos/internal/audit"
	"pharos/internal/store/sqlite"
)

// codecName is the codec the test nodes speak: json, or cise (which
// needs RSA certificates, so a PKI made meanwhile issues RSA keys).
var codecName = flag.String("share.codec", "json", "codec the test nodes speak: json or cise")

// rsaKeys are the RSA keys of testdata/rsa-test-keys.pem, for test
// certificates in turn: making RSA keys takes long, under the fuzzer's
// instrumentation minutes. They are test keys and nothing else.
var rsaKeys = sync.OnceValue(func() []*rsa.PrivateKey {
	b, err := os.ReadFile("testdata/rsa-test-keys.pem")
	if err != nil {
		panic(err)
	}
	var keys []*rsa.PrivateKey
	for {
		var blk *pem.Block
		if blk, b = pem.Decode(b); blk == nil {
			break
		}
		k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
		if err != nil {
			panic(err)
		}
		keys = append(keys, k.(*rsa.PrivateKey))
	}
	return keys
})

// pki is a test certificate authority and the certificates it issued to
// nodes, each for 127.0.0.1 and localhost, with the node's URI identity;
// written as PEM files under dir for child processes.
type pki struct {
	dir   string
	ca    *x509.Certificate
	caKey *ecdsa.PrivateKey
	pool  *x509.CertPool
	certs map[string]tls.Certificate
	rsa   bool // issue RSA keys (for the CISE codec), not ECDSA
}

func newPKI(t testing.TB, names ...string) *pki {
	t.Helper()
	return newPKIWith(t, *codecName == "cise", names...)
}

// newPKIWith makes a PKI whose nodes have RSA keys or ECDSA ones.
func newPKIWith(t testing.TB, withRSA bool, names ...string) *pki {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Pharos test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(der)
	p := &pki{dir: t.TempDir(), ca: ca, caKey: key, pool: x509.NewCertPool(), certs: map[string]tls.Certificate{}, rsa: withRSA}
	p.pool.AddCert(ca)
	writePEM(t, filepath.Join(p.dir, "ca.pem"), "CERTIFICATE", der)
	for i, name := range names {
		p.issue(t, name, int64(i+2))
	}
	return p
}

func (p *pki) issue(t testing.TB, name string, serial int64) {
	t.Helper()
	var key crypto.Signer
	var err error
	if p.rsa {
		keys := rsaKeys()
		key = keys[int(serial)%len(keys)]
	} else if key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	id, _ := url.Parse(URIIdentity(name))
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name, Organization: []string{"Pharos"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		DNSNames:    []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, URIs: []*url.URL{id}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.ca, key.Public(), p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	writePEM(t, filepath.Join(p.dir, name+".pem"), "CERTIFICATE", der)
	writePEM(t, filepath.Join(p.dir, name+".key"), "PRIVATE KEY", kb)
	leaf, _ := x509.ParseCertificate(der)
	p.certs[name] = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

func writePEM(t testing.TB, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// codec is the codec of a node the tests run with (-share.codec): JSON
// or CISE.
func (p *pki) codec(name string) Codec {
	if p.rsa {
		return p.ciseCodec(name)
	}
	return p.jsonCodec(name)
}

// ciseCodec is the CISE codec of a node of a PKI with RSA keys.
func (p *pki) ciseCodec(name string) *CISECodec {
	c := p.certs[name]
	return &CISECodec{Signer: name, Key: c.PrivateKey.(*rsa.PrivateKey), Chain: []*x509.Certificate{c.Leaf}, Roots: p.pool}
}

// jsonCodec is the JSON codec of a node, which sends its certificate with
// each signature and checks the peers' against the CA.
func (p *pki) jsonCodec(name string) *JSONCodec {
	return &JSONCodec{Signer: name, Key: p.certs[name].PrivateKey.(crypto.Signer), Cert: p.certs[name].Leaf, Roots: p.pool}
}

// freePort finds a port on loopback nobody listens on, for a node whose
// address its peers must know before it starts.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func addr(port int) string { return "tls://127.0.0.1:" + strconv.Itoa(port) }

// spec is a test node: its name, directory, port, links, policy and
// handlers; start opens it with an SQLite store for its audit log.
type spec struct {
	name     string
	dir      string
	port     int
	peers    []Peer
	policy   Policy
	handlers Handlers
	codec    Codec
	ack      bool
	external *External
}

type testNode struct {
	*Node
	store *sqlite.Store
}

func start(t testing.TB, p *pki, s spec) *testNode {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(s.dir, "pharos.db"))
	if err != nil {
		t.Fatal(err)
	}
	c := s.codec
	if c == nil {
		c = p.codec(s.name)
	}
	n, err := Open(Config{Name: s.name, Dir: s.dir, Listen: "127.0.0.1:" + strconv.Itoa(s.port),
		Cert: p.certs[s.name], CAs: p.pool, Peers: s.peers, Policy: s.policy, Codec: c, Audit: st,
		Handlers: s.handlers, RequireAck: s.ack, External: s.external, Logf: t.Logf})
	if err != nil {
		st.Close()
		t.Fatalf("open %s: %v", s.name, err)
	}
	tn := &testNode{Node: n, store: st}
	t.Cleanup(func() { tn.close() })
	return tn
}

func (n *testNode) close() {
	n.Node.Close()
	n.store.Close()
}

// auditLog reads a node's whole audit log and checks its chain.
func (n *testNode) auditLog(t testing.TB) []audit.Entry {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := n.FlushAudit(ctx); err != nil {
		t.Fatalf("flush the audit journal of %s: %v", n.name, err)
	}
	var all []audit.Entry
	for {
		page, err := n.store.AuditLog(context.Background(), int64(len(all)), 1000)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < 1000 {
			break
		}
	}
	if err := audit.Verify(nil, all); err != nil {
		t.Errorf("audit log of %s: %v", n.name, err)
	}
	return all
}

// inbox collects what a node's Push handler receives.
type inbox struct {
	mu   sync.Mutex
	got  []Received
	at   []time.Time
	wake chan struct{}
}

func newInbox() *inbox { return &inbox{wake: make(chan struct{}, 1)} }

func (b *inbox) push(_ context.Context, r Received) error {
	b.mu.Lock()
	b.got = append(b.got, r)
	b.at = append(b.at, time.Now())
	b.mu.Unlock()
	select {
	case b.wake <- struct{}{}:
	default:
	}
	return nil
}

func (b *inbox) list() []Received {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Received(nil), b.got...)
}

// wait waits until the inbox holds n messages, or fails the test.
func (b *inbox) wait(t testing.TB, n int, within time.Duration) []Received {
	t.Helper()
	deadline := time.After(within)
	for {
		if got := b.list(); len(got) >= n {
			return got
		}
		select {
		case <-b.wake:
		case <-deadline:
			t.Fatalf("%d messages after %s, want %d", len(b.list()), within, n)
		}
	}
}

// proxy is a TCP relay on loopback whose link can be cut and restored: a
// link between nodes that fails while both stay up.
type proxy struct {
	l      net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  []net.Conn
}

func newProxy(t testing.TB, target string) *proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l, target: target}
	go p.serve()
	t.Cleanup(func() { l.Close(); p.setCut(true) })
	return p
}

func (p *proxy) url() string { return "tls://" + p.l.Addr().String() }

func (p *proxy) serve() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns = append(p.conns, c, up)
		p.mu.Unlock()
		go relay(c, up)
		go relay(up, c)
	}
}

func relay(dst, src net.Conn) {
	_, err := io.Copy(dst, src)
	if err != nil && !errors.Is(err, net.ErrClosed) {
		_ = err // the other side went: the relay ends
	}
	dst.Close()
	src.Close()
}

// setCut cuts the link (closing every connection through it and refusing
// new ones) or restores it.
func (p *proxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}
