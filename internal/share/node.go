package share

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"pharos/internal/audit"
)

// Config is a sharing node's configuration.
type Config struct {
	Name string // this node: letters, digits, - or _, e.g. "es"
	Dir  string // data directory; JetStream keeps its streams under Dir/jetstream
	// Listen is where peers connect, host:port; port 0 picks one (Addr
	// says which). Default 127.0.0.1:4250.
	Listen string
	// Cert is this node's certificate and key, for its server and for its
	// links to peers; CAs are the authorities that sign the peers'.
	Cert tls.Certificate
	CAs  *x509.CertPool

	Peers  []Peer
	Policy Policy
	Codec  Codec
	// Audit receives an entry for every message sent, received, refused
	// or expired: a store.Store, whose AppendAudit chains them. The node
	// journals each entry in JetStream before the message moves on, and
	// appends the journal to Audit in order behind it, so that a slow
	// audit store slows nothing down and a crash loses no entry.
	Audit    Auditor
	Handlers Handlers

	// RequireAck asks peers for an Acknowledgement of every Push and
	// Feedback, which WaitAck and Handlers.Ack receive.
	RequireAck bool
	// SyncAlways makes JetStream fsync every write, so that what was
	// acknowledged survives a power cut, not only the death of the
	// process (which it survives either way).
	SyncAlways bool
	// DefaultRetention bounds how long received data without a retention
	// of its own is kept. Default 30 days.
	DefaultRetention time.Duration
	// DedupWindow is how long a peer's server remembers message IDs, the
	// first of the two guards against duplicates. Default 10 minutes.
	DedupWindow time.Duration
	// GapTimeout is how long a message from a peer waits for the one
	// before it before that one is given up as lost (and audited so).
	// Default 10 minutes.
	GapTimeout time.Duration

	// External, when set, keeps the node's streams in a NATS server or
	// cluster run apart instead of an embedded server: for a deployment
	// that has outgrown one machine.
	External *External

	Now  func() time.Time // default time.Now
	Logf func(format string, args ...any)
}

// External is a NATS server or cluster with JetStream that belongs to this
// node. The node connects with its certificate, which the cluster maps to
// the node's identity (or with a credentials file); peers connect to it as
// they would to the embedded server. Its administrator gives the users
// Config.Permissions lists what they may do: the node everything, each
// peer only its own inbox subject and its replies.
type External struct {
	URL   string `yaml:"url"`             // e.g. tls://nats-1.ncc.example:4222,tls://nats-2.ncc.example:4222
	Creds string `yaml:"creds,omitempty"` // a NATS credentials file; default: the certificate alone
	// Advertise is the URL peers reach the cluster at; default URL.
	Advertise string `yaml:"advertise,omitempty"`
	// Replicas of each stream and bucket, 1–5; default 1. A cluster of
	// three keeps the node's messages through the loss of a server with 3.
	Replicas int `yaml:"replicas,omitempty"`
}

// Permission is what one user of the node's NATS may publish and
// subscribe to.
type Permission struct {
	User               string // the identity its certificate maps to
	Peer               string // the peer this user is; empty for the node itself
	Publish, Subscribe []string
}

// WriteServerAuth writes the users and permissions of perms as the
// authorization block of a nats-server configuration file, for the
// administrator of a node's external NATS; its TLS block must verify
// client certificates and map them to users (verify_and_map), as the
// embedded server does.
func WriteServerAuth(w io.Writer, perms []Permission) error {
	b := &strings.Builder{}
	b.WriteString("# Users of a Pharos node's NATS (pharos share nats-config). Clients present\n")
	b.WriteString("# certificates: tls { verify_and_map: true } maps each to its URI identity.\n")
	b.WriteString("authorization {\n  users = [\n")
	list := func(subjects []string) string {
		q := make([]string, len(subjects))
		for i, s := range subjects {
			q[i] = strconv.Quote(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	for _, p := range perms {
		who := "the node itself"
		if p.Peer != "" {
			who = "peer " + p.Peer
		}
		fmt.Fprintf(b, "    # %s\n    {user: %s, permissions: {publish: %s, subscribe: %s}}\n",
			who, strconv.Quote(p.User), list(p.Publish), list(p.Subscribe))
	}
	b.WriteString("  ]\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Permissions lists the users the node's NATS needs: the node itself,
// free within its own server, and each peer, which may publish only into
// this node's inbox under its own name and receive the replies sent to
// its connection. The embedded server is configured from it; an external
// one by its administrator (`pharos share nats-config` prints it).
func (c *Config) Permissions() []Permission {
	perms := []Permission{{User: URIIdentity(c.Name), Publish: []string{">"}, Subscribe: []string{">"}}}
	for _, p := range c.Peers {
		id := cmp.Or(p.Identity, URIIdentity(p.Name))
		perms = append(perms, Permission{User: id, Peer: p.Name,
			Publish: []string{inSubject(c.Name, p.Name)}, Subscribe: []string{inboxPrefix(p.Name) + ".>"}})
	}
	return perms
}

// Peer is another node this one exchanges with.
type Peer struct {
	Name string `yaml:"name" json:"name"`
	URL  string `yaml:"url" json:"url"` // its server, e.g. tls://pt.example.eu:4250
	// Identity is what its certificate says it is, as NATS matches a
	// certificate to a user: an e-mail address, DNS name or URI of its
	// subject alternative names, or its subject's distinguished name.
	// Default urn:pharos:node:<name>, the URI SAN of Pharos's own certs.
	Identity string `yaml:"identity,omitempty" json:"identity,omitempty"`
}

// Auditor appends to the node's hash-chained audit log; store.Store is
// one.
type Auditor interface {
	AppendAudit(ctx context.Context, e audit.Entry) (audit.Entry, error)
}

// Handlers are the node's answers to what peers send. Each is optional.
type Handlers struct {
	// Push receives pushes, subscription deliveries included, in order
	// per sender. A message is handed over once, unless the node died
	// after handing it over and before noting so: then it comes again
	// after the restart, with Redelivered set (which a few messages that
	// had not come before may carry too). An error hands the same message
	// over again, later, and the next ones wait.
	Push func(ctx context.Context, r Received) error
	// Pull answers a pull request, before the context's deadline (the
	// request's); the node keeps what matches the query and applies the
	// agreement with the peer to it. It runs in the loop that hands
	// messages over: it should answer from what the node holds.
	Pull func(ctx context.Context, from string, q Query) (Payload, error)
	// Feedback receives feedback on messages this node sent.
	Feedback func(ctx context.Context, r Received)
	// Ack receives the acknowledgements of this node's messages.
	Ack func(ctx context.Context, a Ack)
}

// Received is a message a peer sent, as handed to a handler.
type Received struct {
	From        string
	Message     Message
	Seq         uint64 // the sender's sequence number of it, one up from the last
	Redelivered bool   // the handler may have seen it before a crash
}

// URIIdentity is the identity a Pharos node's certificate carries as a
// URI subject alternative name.
func URIIdentity(node string) string { return "urn:pharos:node:" + node }

// Node is a sharing node: its embedded NATS server, its links to peers
// and the loops that move messages between them.
type Node struct {
	cfg  Config
	name string
	now  func() time.Time
	logf func(string, ...any)

	srv      *server.Server
	nc       *nats.Conn
	js       jetstream.JetStream
	inbox    jetstream.Stream
	received jetstream.Stream
	marks    jetstream.KeyValue
	subsKV   jetstream.KeyValue
	links    map[string]*link

	mu      sync.Mutex
	subs    map[string]map[string]Query // subscriptions peers hold here: peer → ID → query
	acks    map[string]Ack              // acknowledgements received, by the message they acknowledge
	ackAt   map[string]time.Time
	ackWait map[string][]chan Ack
	pulls   map[string]chan Message // pull requests waiting, by ID
	decoded map[uint64]Message      // messages apply decoded, by their sequence in RECEIVED, for deliver

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed sync.Once

	journal     jetstream.Stream // AUDIT: entries on their way to the audit log
	auditCtx    context.Context
	auditCancel context.CancelFunc
	auditWG     sync.WaitGroup
}

// link is this node's side of the exchange with one peer: its outbox and
// the connection to the peer's server.
type link struct {
	Peer
	out   jetstream.Stream // OUT_<peer>: what waits to go to the peer
	epoch int64            // the outbox's creation, which numbers its sequence
	nc    *nats.Conn       // to the peer's server
	js    jetstream.JetStream
	up    chan struct{} // a token when the connection comes (back) up
}

// Subjects: one space per node, pharos.<node>.…
func outSubject(me, peer string) string { return "pharos." + me + ".out." + peer }
func inSubject(to, from string) string  { return "pharos." + to + ".in." + from }
func rcvSubject(me, from string) string { return "pharos." + me + ".rcv." + from }
func inboxPrefix(node string) string    { return "_INBOX_" + node }
func auditSubject(me string) string     { return "pharos." + me + ".audit" }
func outStream(peer string) string      { return "OUT_" + peer }
func subsKey(peer, id string) string    { return peer + "." + id }
func lastToken(subject string) string   { return subject[lastDot(subject)+1:] }
func epochString(e int64) string        { return strconv.FormatInt(e, 10) }
func seqString(s uint64) string         { return strconv.FormatUint(s, 10) }
func timeString(t time.Time) string     { return t.UTC().Format(time.RFC3339Nano) }
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

// Message headers.
const (
	hSeq     = "Pharos-Seq"     // the sender's outbox sequence for this peer
	hEpoch   = "Pharos-Epoch"   // the creation of that outbox, in Unix nanoseconds
	hExpires = "Pharos-Expires" // past this the message is not delivered
	hKind    = "Pharos-Kind"
	hExpired = "Pharos-Expired"    // a message that expired before it left: its place in the sequence, without its data
	hOutcome = "Pharos-Outcome"    // in RECEIVED: received, refused, expired, lost
	hID      = "Pharos-Message-Id" // in RECEIVED: the message's ID (its Nats-Msg-Id is the sender and sequence)
)

// Open starts a node: its NATS server with JetStream under cfg.Dir, its
// streams, its links to the peers and the loops that forward, apply and
// deliver. Links to peers that are down come up when they do.
func Open(cfg Config) (*Node, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	n := &Node{cfg: cfg, name: cfg.Name, now: cfg.Now, logf: cfg.Logf, links: map[string]*link{},
		subs: map[string]map[string]Query{}, acks: map[string]Ack{}, ackAt: map[string]time.Time{},
		ackWait: map[string][]chan Ack{}, pulls: map[string]chan Message{}, decoded: map[uint64]Message{}}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	n.auditCtx, n.auditCancel = context.WithCancel(context.Background())
	if err := n.start(); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

func (c *Config) defaults() error {
	switch {
	case !validName(c.Name):
		return fmt.Errorf("%w: node name %q must be 1 to 32 letters, digits, - or _", ErrConfig, c.Name)
	case c.Dir == "":
		return fmt.Errorf("%w: no data directory", ErrConfig)
	case c.Codec == nil:
		return fmt.Errorf("%w: no codec", ErrConfig)
	case len(c.Cert.Certificate) == 0 || c.CAs == nil:
		return fmt.Errorf("%w: a node needs its certificate and the peers' CAs", ErrConfig)
	}
	if c.Listen == "" {
		c.Listen = "127.0.0.1:4250"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Logf == nil {
		c.Logf = log.Printf
	}
	if c.DefaultRetention <= 0 {
		c.DefaultRetention = 30 * 24 * time.Hour
	}
	if c.DedupWindow <= 0 {
		c.DedupWindow = 10 * time.Minute
	}
	if c.GapTimeout <= 0 {
		c.GapTimeout = 10 * time.Minute
	}
	if e := c.External; e != nil {
		e.Replicas = cmp.Or(e.Replicas, 1)
		if e.URL == "" || e.Replicas < 1 || e.Replicas > 5 {
			return fmt.Errorf("%w: external NATS needs a URL and 1 to 5 replicas", ErrConfig)
		}
	}
	seen := map[string]bool{c.Name: true}
	for i := range c.Peers {
		p := &c.Peers[i]
		if !validName(p.Name) || seen[p.Name] {
			return fmt.Errorf("%w: peer %d: name %q is not a node name or is taken", ErrConfig, i+1, p.Name)
		}
		seen[p.Name] = true
		if _, err := url.Parse(p.URL); err != nil || p.URL == "" {
			return fmt.Errorf("%w: peer %s: url %q: %v", ErrConfig, p.Name, p.URL, err)
		}
		if p.Identity == "" {
			p.Identity = URIIdentity(p.Name)
		}
	}
	return c.Policy.Check()
}

func (n *Node) start() error {
	var err error
	if n.cfg.External != nil {
		err = n.connectExternal()
	} else {
		err = n.embed()
	}
	if err != nil {
		return err
	}
	if n.js, err = jetstream.New(n.nc); err != nil {
		return err
	}
	if err := n.streams(); err != nil {
		return err
	}
	for _, peer := range n.cfg.Peers {
		l, err := n.link(peer)
		if err != nil {
			return err
		}
		n.links[peer.Name] = l
	}
	if err := n.loadSubscriptions(); err != nil {
		return err
	}
	marks, err := n.loadMarks()
	if err != nil {
		return err
	}
	for _, l := range n.links {
		n.wg.Go(func() { n.forward(l) })
	}
	n.wg.Go(func() { n.apply(marks) })
	n.wg.Go(n.deliver)
	if n.cfg.Audit != nil {
		n.auditWG.Go(n.drainAudit)
	}
	return nil
}

// embed starts the node's own NATS server with JetStream under Dir and
// connects to it in-process.
func (n *Node) embed() error {
	host, port, err := net.SplitHostPort(n.cfg.Listen)
	if err != nil {
		return fmt.Errorf("%w: listen %q: %w", ErrConfig, n.cfg.Listen, err)
	}
	p, err := strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("%w: listen %q: port: %w", ErrConfig, n.cfg.Listen, err)
	}
	if p == 0 {
		p = server.RANDOM_PORT
	}
	// The node itself connects in-process with a key made for this run;
	// peers connect over TLS as the user their certificate maps to.
	kp, err := nkeys.CreateUser()
	if err != nil {
		return err
	}
	pub, err := kp.PublicKey()
	if err != nil {
		return err
	}
	opts := &server.Options{
		ServerName: "pharos-" + n.name, Host: host, Port: p,
		JetStream: true, StoreDir: filepath.Join(n.cfg.Dir, "jetstream"), SyncAlways: n.cfg.SyncAlways,
		JetStreamMaxMemory: 64 << 20,
		NoSigs:             true, NoLog: true, MaxPayload: 8 << 20,
		TLS: true, TLSVerify: true, TLSMap: true, TLSTimeout: 5,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{n.cfg.Cert}, ClientCAs: n.cfg.CAs,
			ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12},
		Nkeys: []*server.NkeyUser{{Nkey: pub, AllowedConnectionTypes: map[string]struct{}{"IN_PROCESS": {}}}},
	}
	for _, perm := range n.cfg.Permissions() {
		if perm.Peer == "" {
			continue // the node is the in-process key above
		}
		opts.Users = append(opts.Users, &server.User{Username: perm.User,
			Permissions: &server.Permissions{
				Publish:   &server.SubjectPermission{Allow: perm.Publish},
				Subscribe: &server.SubjectPermission{Allow: perm.Subscribe},
			},
			AllowedConnectionTypes: map[string]struct{}{"STANDARD": {}}})
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return fmt.Errorf("nats server: %w", err)
	}
	n.srv = srv
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		return errors.New("nats server: not ready after 10s")
	}
	n.nc, err = nats.Connect("", nats.InProcessServer(srv), nats.Nkey(pub, kp.Sign), nats.Name("pharos "+n.name),
		nats.MaxReconnects(-1))
	if err != nil {
		return fmt.Errorf("connect to own server: %w", err)
	}
	return nil
}

// connectExternal connects to the node's NATS cluster over TLS with the
// node's certificate. The connection retries for ever once made; the
// first must succeed, so that a node misconfigured says so at once.
func (n *Node) connectExternal() error {
	e := n.cfg.External
	tc := &tls.Config{Certificates: []tls.Certificate{n.cfg.Cert}, RootCAs: n.cfg.CAs, MinVersion: tls.VersionTLS12}
	opts := []nats.Option{nats.Secure(tc), nats.Name("pharos " + n.name), nats.MaxReconnects(-1),
		nats.ReconnectWait(200 * time.Millisecond), nats.Timeout(5 * time.Second)}
	if e.Creds != "" {
		opts = append(opts, nats.UserCredentials(e.Creds))
	}
	var err error
	if n.nc, err = nats.Connect(e.URL, opts...); err != nil {
		return fmt.Errorf("connect to the node's NATS at %s: %w", e.URL, err)
	}
	return nil
}

// replicas is how many copies the node's NATS keeps of each stream.
func (n *Node) replicas() int {
	if n.cfg.External != nil {
		return n.cfg.External.Replicas
	}
	return 1
}

// streams makes the node's own streams: INBOX, where peers' messages land;
// RECEIVED, the fate of each (and the data of those accepted, until their
// retention ends); the marks of how far each sender's sequence has been
// applied; the subscriptions peers hold here.
func (n *Node) streams() error {
	ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
	defer cancel()
	var err error
	n.inbox, err = n.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "INBOX",
		Description: "messages from peers, until applied",
		Subjects:    []string{inSubject(n.name, "*")}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Replicas: n.replicas(), Duplicates: n.cfg.DedupWindow, MaxMsgSize: 8 << 20})
	if err != nil {
		return fmt.Errorf("stream INBOX: %w", err)
	}
	n.received, err = n.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "RECEIVED",
		Description: "what became of each message from peers, with the data accepted until its retention ends",
		Subjects:    []string{rcvSubject(n.name, "*")}, Storage: jetstream.FileStorage, Replicas: n.replicas(), AllowMsgTTL: true,
		Duplicates: n.cfg.DedupWindow})
	if err != nil {
		return fmt.Errorf("stream RECEIVED: %w", err)
	}
	n.marks, err = n.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "share_marks",
		Description: "the last sequence applied of each sender", Storage: jetstream.FileStorage, Replicas: n.replicas()})
	if err != nil {
		return fmt.Errorf("bucket share_marks: %w", err)
	}
	n.journal, err = n.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: "AUDIT",
		Description: "audit entries on their way to the node's audit log",
		Subjects:    []string{auditSubject(n.name)}, Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage, Replicas: n.replicas(),
		Duplicates: n.cfg.DedupWindow}) // as long as the outbox: enqueue's second try stores neither twice
	if err != nil {
		return fmt.Errorf("stream AUDIT: %w", err)
	}
	n.subsKV, err = n.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: "share_subs",
		Description: "subscriptions peers hold at this node", Storage: jetstream.FileStorage, Replicas: n.replicas()})
	if err != nil {
		return fmt.Errorf("bucket share_subs: %w", err)
	}
	return nil
}

// link makes the outbox for a peer and connects to its server. The
// connection retries for ever and does not buffer while down: the
// forwarder sees each failure and tries again from where it was.
func (n *Node) link(p Peer) (*link, error) {
	ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
	defer cancel()
	out, err := n.js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{Name: outStream(p.Name),
		Description: "messages waiting to go to " + p.Name,
		Subjects:    []string{outSubject(n.name, p.Name)}, Retention: jetstream.WorkQueuePolicy,
		Storage: jetstream.FileStorage, Replicas: n.replicas(), Duplicates: n.cfg.DedupWindow, MaxMsgSize: 8 << 20})
	if err != nil {
		return nil, fmt.Errorf("outbox for %s: %w", p.Name, err)
	}
	info, err := out.Info(ctx)
	if err != nil {
		return nil, err
	}
	l := &link{Peer: p, out: out, epoch: info.Created.UnixNano(), up: make(chan struct{}, 1)}
	wake := func(*nats.Conn) {
		select {
		case l.up <- struct{}{}:
		default:
		}
	}
	tc := &tls.Config{Certificates: []tls.Certificate{n.cfg.Cert}, RootCAs: n.cfg.CAs, MinVersion: tls.VersionTLS12}
	l.nc, err = nats.Connect(p.URL, nats.Secure(tc), nats.Name("pharos "+n.name+" to "+p.Name),
		nats.RetryOnFailedConnect(true), nats.MaxReconnects(-1), nats.ReconnectWait(200*time.Millisecond),
		nats.ReconnectJitter(100*time.Millisecond, 100*time.Millisecond), nats.ReconnectBufSize(-1),
		nats.CustomInboxPrefix(inboxPrefix(n.name)), nats.Timeout(3*time.Second),
		nats.PingInterval(5*time.Second), nats.MaxPingsOutstanding(2),
		nats.ConnectHandler(wake), nats.ReconnectHandler(wake))
	if err != nil {
		return nil, fmt.Errorf("link to %s: %w", p.Name, err)
	}
	l.js, err = jetstream.New(l.nc, jetstream.WithPublishAsyncMaxPending(1024), jetstream.WithPublishAsyncTimeout(5*time.Second))
	return l, err
}

// Addr is the URL peers reach this node at.
func (n *Node) Addr() string {
	if e := n.cfg.External; e != nil {
		return cmp.Or(e.Advertise, e.URL)
	}
	if a, ok := n.srv.Addr().(*net.TCPAddr); ok {
		return "tls://" + net.JoinHostPort(a.IP.String(), strconv.Itoa(a.Port))
	}
	return ""
}

// Name is the node's name.
func (n *Node) Name() string { return n.name }

// Close stops the loops, the links and the server. Everything acknowledged
// is on disk already; what was in flight is taken up at the next Open.
func (n *Node) Close() error {
	n.closed.Do(func() {
		n.cancel()
		n.wg.Wait()
		// What the loops journaled goes to the audit log before the
		// server stops; what does not make it in time goes at the next
		// Open.
		if n.auditCancel != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = n.FlushAudit(ctx)
			cancel()
			n.auditCancel()
			n.auditWG.Wait()
		}
		for _, l := range n.links {
			if l.nc != nil {
				l.nc.Close()
			}
		}
		if n.nc != nil {
			n.nc.Close()
		}
		if n.srv != nil {
			n.srv.Shutdown()
			n.srv.WaitForShutdown()
		}
	})
	return nil
}

// newID makes a message ID, a random (version 4) UUID as CISE nodes use.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// LoadTLS reads a node's certificate and key and the CA certificates its
// peers' certificates are signed by, all PEM files.
func LoadTLS(certFile, keyFile, caFile string) (tls.Certificate, *x509.CertPool, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("node certificate: %w", err)
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return tls.Certificate{}, nil, fmt.Errorf("CA certificates: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return tls.Certificate{}, nil, fmt.Errorf("CA certificates: no certificate in %s", caFile)
	}
	return cert, pool, nil
}
