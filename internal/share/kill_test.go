package share

import (
	"bufio"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"pharos/internal/audit"
	"pharos/internal/store/sqlite"
)

// TestMain runs a node in a child process when the kill tests ask for one:
// the test binary started again with PHAROS_SHARE_CHILD set.
func TestMain(m *testing.M) {
	if role := os.Getenv("PHAROS_SHARE_CHILD"); role != "" {
		if err := child(role); err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child runs Spain pushing numbered messages ("sender") or Portugal
// receiving them ("receiver"), as the environment says, writing a line to
// stdout for each push acknowledged or message handed over.
func child(role string) error {
	env := func(k string) string { return os.Getenv("PHAROS_SHARE_" + k) }
	pkiDir, dir := env("PKI"), env("DIR")
	name, peer := "es", "pt"
	if role == "receiver" {
		name, peer = peer, name
	}
	cert, pool, err := LoadTLS(filepath.Join(pkiDir, name+".pem"), filepath.Join(pkiDir, name+".key"), filepath.Join(pkiDir, "ca.pem"))
	if err != nil {
		return err
	}
	// The codec of the parent's nodes: CISE for the RSA keys of
	// -share.codec=cise, JSON otherwise.
	var codec Codec = &JSONCodec{Signer: name, Key: cert.PrivateKey.(crypto.Signer), Cert: cert.Leaf, Roots: pool}
	if k, ok := cert.PrivateKey.(*rsa.PrivateKey); ok {
		codec = &CISECodec{Signer: name, Key: k, Chain: []*x509.Certificate{cert.Leaf}, Roots: pool}
	}
	st, err := sqlite.Open(filepath.Join(dir, "pharos.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	var mu sync.Mutex
	say := func(format string, args ...any) {
		mu.Lock()
		fmt.Printf(format+"\n", args...)
		mu.Unlock()
	}
	cfg := Config{Name: name, Dir: dir, Listen: "127.0.0.1:" + env("PORT"), Cert: cert, CAs: pool, Codec: codec, Audit: st,
		Peers:  []Peer{{Name: peer, URL: "tls://127.0.0.1:" + env("PEER_PORT")}},
		Policy: memberPolicy(map[string]PeerKind{peer: MemberState}), Logf: func(string, ...any) {}}
	if role == "receiver" {
		cfg.Handlers.Push = func(_ context.Context, r Received) error {
			say("handled %d %v", numberOf(r), r.Redelivered)
			return nil
		}
	}
	n, err := Open(cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	say("ready")
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if role == "receiver" {
		<-ctx.Done()
		return nil
	}
	from, _ := strconv.Atoi(env("FROM"))
	count, _ := strconv.Atoi(env("COUNT"))
	for i := from; count == 0 || i < from+count; i++ {
		if _, err := n.Push(ctx, numbered(i), peer); err != nil {
			return err
		}
		say("acked %d", i)
	}
	for n.Peers(ctx)[0].Queued > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	fctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := n.FlushAudit(fctx); err != nil {
		return err
	}
	say("drained")
	return nil
}

// proc is a node running in a child process, and the lines it wrote.
type proc struct {
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []string
	wake  chan struct{}
	done  chan error
}

func spawn(t *testing.T, role string, env map[string]string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PHAROS_SHARE_CHILD="+role)
	for k, v := range env {
		cmd.Env = append(cmd.Env, "PHAROS_SHARE_"+k+"="+v)
	}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, wake: make(chan struct{}, 1), done: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, sc.Text())
			p.mu.Unlock()
			select {
			case p.wake <- struct{}{}:
			default:
			}
		}
		p.done <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return p
}

// waitFor waits until the child has written n lines starting with prefix.
func (p *proc) waitFor(t *testing.T, prefix string, n int, within time.Duration) {
	t.Helper()
	deadline := time.After(within)
	for {
		if len(p.with(prefix)) >= n {
			return
		}
		select {
		case <-p.wake:
		case err := <-p.done:
			p.done <- err
			if len(p.with(prefix)) >= n {
				return
			}
			t.Fatalf("child ended (%v) with %d lines %q, want %d", err, len(p.with(prefix)), prefix, n)
		case <-deadline:
			t.Fatalf("child wrote %d lines %q in %s, want %d", len(p.with(prefix)), prefix, within, n)
		}
	}
}

func (p *proc) with(prefix string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var list []string
	for _, l := range p.lines {
		if strings.HasPrefix(l, prefix) {
			list = append(list, strings.TrimPrefix(l, prefix))
		}
	}
	return list
}

// kill kills the child with SIGKILL and waits for it to be gone.
func (p *proc) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

func numbers(list []string) []int {
	var out []int
	for _, s := range list {
		f := strings.Fields(s)
		if n, err := strconv.Atoi(f[0]); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// TestKillSender kills Spain with SIGKILL three times while it pushes as
// fast as it can, and starts it again on the same data: every push it
// acknowledged reaches Portugal exactly once, in order; of those it had
// not acknowledged when it died, none arrives twice. Its audit log, in
// SQLite, keeps an unbroken chain.
func TestKillSender(t *testing.T) {
	p := newPKI(t, "es", "pt")
	esDir, esPort, ptPort := t.TempDir(), freePort(t), freePort(t)
	in := newInbox()
	start(t, p, spec{name: "pt", dir: t.TempDir(), port: ptPort, peers: []Peer{{Name: "es", URL: addr(esPort)}},
		policy: memberPolicy(map[string]PeerKind{"es": MemberState}), handlers: Handlers{Push: in.push}})

	env := func(from, count int) map[string]string {
		return map[string]string{"PKI": p.dir, "DIR": esDir, "PORT": strconv.Itoa(esPort), "PEER_PORT": strconv.Itoa(ptPort),
			"FROM": strconv.Itoa(from), "COUNT": strconv.Itoa(count)}
	}
	acked := map[int]bool{}
	const kills = 3
	for round := range kills {
		c := spawn(t, "sender", env(round*1_000_000+1, 0))
		c.waitFor(t, "acked ", 30, 60*time.Second)
		time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
		c.kill(t)
		for _, n := range numbers(c.with("acked ")) {
			acked[n] = true
		}
		t.Logf("round %d: Spain killed after %d acknowledged pushes", round+1, len(c.with("acked ")))
	}
	c := spawn(t, "sender", env(kills*1_000_000+1, 20))
	c.waitFor(t, "drained", 1, 60*time.Second)
	<-c.done
	for _, n := range numbers(c.with("acked ")) {
		acked[n] = true
	}

	deadline := time.Now().Add(30 * time.Second)
	var got []int
	for {
		got = got[:0]
		have := map[int]bool{}
		for _, r := range in.list() {
			got = append(got, numberOf(r))
			have[numberOf(r)] = true
		}
		missing := 0
		for n := range acked {
			if !have[n] {
				missing++
			}
		}
		if missing == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d acknowledged pushes never arrived", missing, len(acked))
		}
		time.Sleep(50 * time.Millisecond)
	}
	extra := map[int]bool{}
	for _, n := range got {
		if !acked[n] {
			extra[n] = true
		}
	}
	for n := range acked {
		extra[n] = true
	}
	checkOnceInOrder(t, got, extra)
	t.Logf("%d pushes acknowledged, %d arrived (%d pushed as Spain died, not yet acknowledged), none twice",
		len(acked), len(got), len(got)-len(acked))
	if len(got)-len(acked) > kills {
		t.Errorf("%d unacknowledged arrivals, more than one per kill", len(got)-len(acked))
	}

	st, err := sqlite.Open(filepath.Join(esDir, "pharos.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	log, err := st.AuditLog(context.Background(), 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if err := audit.Verify(nil, log); err != nil {
		t.Errorf("Spain's audit log after the kills: %v", err)
	}
	sent := 0
	for _, e := range expand(log) {
		if e.Outcome == "sent" {
			sent++
		}
	}
	if sent < len(acked) {
		t.Errorf("Spain audited %d pushes sent, acknowledged %d", sent, len(acked))
	}
}

// TestKillReceiver kills Portugal with SIGKILL three times while Spain
// pushes to it, and starts it again on the same data: in the end its
// record of what it received holds every push exactly once, in order.
// Handlers may see a message again after a kill (flagged Redelivered);
// the test counts those.
func TestKillReceiver(t *testing.T) {
	p := newPKI(t, "es", "pt")
	ptDir, esPort, ptPort := t.TempDir(), freePort(t), freePort(t)
	es := start(t, p, spec{name: "es", dir: t.TempDir(), port: esPort, peers: []Peer{{Name: "pt", URL: addr(ptPort)}},
		policy: memberPolicy(map[string]PeerKind{"pt": MemberState})})
	env := map[string]string{"PKI": p.dir, "DIR": ptDir, "PORT": strconv.Itoa(ptPort), "PEER_PORT": strconv.Itoa(esPort)}

	var stop atomic.Bool
	var pushed []int
	var slowest time.Duration
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 1; !stop.Load(); i++ {
			begin := time.Now()
			if _, err := es.Push(t.Context(), numbered(i), "pt"); err != nil {
				t.Errorf("push %d: %v", i, err)
				return
			}
			mu.Lock()
			pushed = append(pushed, i)
			slowest = max(slowest, time.Since(begin))
			mu.Unlock()
			time.Sleep(3 * time.Millisecond)
		}
	})
	// What the handlers saw, and whether each time after the first was
	// flagged.
	seen := map[int]int{}
	var twice, unflagged int
	note := func(n int, redelivered bool) {
		seen[n]++
		if seen[n] == 2 {
			twice++
		}
		if seen[n] > 1 && !redelivered {
			unflagged++
		}
	}
	collect := func(c *proc) {
		for _, l := range c.with("handled ") {
			f := strings.Fields(l)
			n, _ := strconv.Atoi(f[0])
			note(n, f[1] == "true")
		}
	}
	const kills = 3
	for round := range kills {
		c := spawn(t, "receiver", env)
		c.waitFor(t, "handled ", 20, 60*time.Second)
		time.Sleep(time.Duration(200+rand.IntN(400)) * time.Millisecond)
		c.kill(t)
		collect(c)
		t.Logf("round %d: Portugal killed after handing over %d messages", round+1, len(c.with("handled ")))
		time.Sleep(200 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("Spain pushed %d messages meanwhile, the slowest push took %v", len(pushed), slowest)
	c := spawn(t, "receiver", env)
	c.waitFor(t, "ready", 1, 60*time.Second)
	for deadline := time.Now().Add(60 * time.Second); es.Peers(t.Context())[0].Queued > 0; {
		if time.Now().After(deadline) {
			t.Fatal("Spain's outbox does not drain")
		}
		time.Sleep(20 * time.Millisecond)
	}
	mu.Lock()
	want := map[int]bool{}
	for _, n := range pushed {
		want[n] = true
	}
	mu.Unlock()
	c.waitFor(t, "handled ", 1, 10*time.Second)
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := <-c.done; err != nil {
		t.Fatalf("Portugal did not stop cleanly: %v", err)
	}
	collect(c)

	// Portugal once more, in this process, on the same data: it applies
	// what is left in its inbox and hands the rest over.
	in := newInbox()
	pt := start(t, p, spec{name: "pt", dir: ptDir, port: ptPort, peers: []Peer{{Name: "es", URL: addr(esPort)}},
		policy: memberPolicy(map[string]PeerKind{"es": MemberState}), handlers: Handlers{Push: in.push}})
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		info, err := pt.inbox.Info(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if info.State.Msgs == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Portugal's inbox still holds %d messages", info.State.Msgs)
		}
	}
	recs, err := pt.Received(t.Context(), "es")
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for i, r := range recs {
		if r.Outcome != "received" || r.Message == nil {
			t.Errorf("record %d: %s", r.Seq, r.Outcome)
			continue
		}
		if i > 0 && r.Seq != recs[i-1].Seq+1 {
			t.Errorf("record sequence %d after %d", r.Seq, recs[i-1].Seq)
		}
		got = append(got, numberOf(Received{Message: *r.Message}))
	}
	checkOnceInOrder(t, got, want)

	for deadline := time.Now().Add(30 * time.Second); len(seen)+len(in.list()) < len(want) && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	for _, r := range in.list() {
		note(numberOf(r), r.Redelivered)
	}
	for n := range seen {
		if !want[n] {
			t.Errorf("handler saw %d, never pushed", n)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("handlers saw %d distinct messages, %d were pushed", len(seen), len(want))
	}
	if unflagged > 0 {
		t.Errorf("handlers saw %d messages again without Redelivered", unflagged)
	}
	t.Logf("%d pushes, each recorded once in order; handlers saw %d of them again after a kill, flagged Redelivered", len(want), twice)
	pt.auditLog(t) // checks the chain
}
