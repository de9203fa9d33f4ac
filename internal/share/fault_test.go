package share

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// pair starts Spain and Portugal, each changed by its function first
// (nil: as is), and returns them with Portugal's inbox.
func pair(t *testing.T, p *pki, esMod, ptMod func(*spec)) (es, pt *testNode, in *inbox) {
	t.Helper()
	esPort, ptPort := freePort(t), freePort(t)
	pol := memberPolicy(map[string]PeerKind{"es": MemberState, "pt": MemberState})
	in = newInbox()
	ptSpec := spec{name: "pt", dir: t.TempDir(), port: ptPort, peers: []Peer{{Name: "es", URL: addr(esPort)}, {Name: "frontex", URL: addr(freePort(t))}},
		policy: pol, handlers: Handlers{Push: in.push}}
	esSpec := spec{name: "es", dir: t.TempDir(), port: esPort, peers: []Peer{{Name: "pt", URL: addr(ptPort)}}, policy: pol}
	if esMod != nil {
		esMod(&esSpec)
	}
	if ptMod != nil {
		ptMod(&ptSpec)
	}
	return start(t, p, esSpec), start(t, p, ptSpec), in
}

// numbered is the payload of message i of a run: one incident whose ID
// says its number.
func numbered(i int) Payload {
	return Payload{Classification: ClassNonClassified, Sensitivity: SensGreen, Purpose: "BorderMonitoring",
		KeepUntil: time.Now().Add(90 * 24 * time.Hour).UTC(),
		Entities: []Entity{{Type: "IrregularMigrationIncident", ID: fmt.Sprintf("m-%08d", i), Time: time.Now().UTC(),
			Where: &Point{36, -4}, Fields: map[string]string{"Description": "numbered"}}}}
}

// numberOf reads the number back from a received message.
func numberOf(r Received) int {
	var i int
	if p := r.Message.Payload; p != nil && len(p.Entities) == 1 {
		fmt.Sscanf(p.Entities[0].ID, "m-%d", &i)
	}
	return i
}

// checkOnceInOrder fails the test unless got holds each of want exactly
// once and nothing else, in increasing order.
func checkOnceInOrder(t *testing.T, got []int, want map[int]bool) {
	t.Helper()
	seen := map[int]int{}
	for i, n := range got {
		seen[n]++
		if i > 0 && n <= got[i-1] {
			t.Errorf("out of order: %d after %d", n, got[i-1])
		}
	}
	for n, c := range seen {
		if c > 1 {
			t.Errorf("message %d applied %d times", n, c)
		}
		if !want[n] {
			t.Errorf("message %d applied, not sent", n)
		}
	}
	missing := 0
	for n := range want {
		if seen[n] == 0 {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d messages missing", missing, len(want))
	}
}

// TestCutLink cuts the link from Spain to Portugal (a relay between them
// closes every connection and refuses new ones) for three seconds while
// Spain keeps pushing: every message queued arrives once the link is
// back, exactly once, in order; one that expired meanwhile is not
// delivered but audited as expired on both sides; a pull during the cut
// fails at its deadline, audited.
func TestCutLink(t *testing.T) {
	p := newPKI(t, "es", "pt", "frontex")
	esPort, ptPort := freePort(t), freePort(t)
	relay := newProxy(t, fmt.Sprintf("127.0.0.1:%d", ptPort))
	es, pt, in := pair(t, p, func(s *spec) {
		s.port = esPort
		s.peers[0].URL = relay.url()
	}, func(s *spec) {
		s.port = ptPort
		s.peers[0].URL = addr(esPort)
	})
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	want := map[int]bool{}
	push := func(i int, p Payload) {
		t.Helper()
		if _, err := es.Push(ctx, p, "pt"); err != nil {
			t.Fatalf("push %d: %v", i, err)
		}
	}
	for i := 1; i <= 20; i++ {
		push(i, numbered(i))
		want[i] = true
	}
	in.wait(t, 20, 5*time.Second)

	relay.setCut(true)
	cutAt := time.Now()
	expiring := numbered(25)
	expiring.KeepUntil = time.Now().Add(300 * time.Millisecond)
	for i := 21; i <= 220; i++ {
		if i == 25 {
			push(i, expiring)
		} else {
			push(i, numbered(i))
			want[i] = true
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := es.Pull(ctx, "pt", Query{Types: []string{"Incident"}}, 300*time.Millisecond); !errors.Is(err, ErrDeadline) {
		t.Errorf("pull across the cut link: %v, want ErrDeadline", err)
	}
	for time.Since(cutAt) < 3*time.Second {
		time.Sleep(50 * time.Millisecond)
	}
	if n := len(in.list()); n != 20 {
		t.Fatalf("%d messages crossed the cut link", n-20)
	}
	queued := es.Peers(ctx)[0].Queued
	t.Logf("link cut for %v with %d messages queued", time.Since(cutAt).Round(time.Millisecond), queued)

	relay.setCut(false)
	restored := time.Now()
	in.wait(t, len(want), 20*time.Second)
	t.Logf("all %d queued messages arrived %v after the link came back", len(want)-20, time.Since(restored).Round(time.Millisecond))
	time.Sleep(300 * time.Millisecond) // room for any duplicate to show
	var got []int
	for _, r := range in.list() {
		got = append(got, numberOf(r))
		if r.Redelivered {
			t.Errorf("message %d handed over twice", numberOf(r))
		}
	}
	checkOnceInOrder(t, got, want)

	// Portugal's records: one per sequence number, the push and the pull
	// request that expired on the way marked so.
	recs, err := pt.Received(ctx, "es")
	if err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]int{}
	for i, r := range recs {
		outcomes[r.Outcome+" "+string(r.Kind)]++
		if i > 0 && r.Seq != recs[i-1].Seq+1 {
			t.Errorf("record %d: sequence %d after %d", i, r.Seq, recs[i-1].Seq)
		}
	}
	if outcomes["received Push"] != len(want) || outcomes["expired Push"] != 1 || outcomes["expired PullRequest"] != 1 || len(recs) != len(want)+2 {
		t.Errorf("records %v, want %d pushes received, 1 expired, and the pull request expired", outcomes, len(want))
	}
	if _, ok := entry(es.auditLog(t), "expired", "share send Push", "not delivered by"); !ok {
		t.Error("Spain did not audit the message that expired in its outbox")
	}
	if _, ok := entry(pt.auditLog(t), "expired", "share receive Push", "expired at"); !ok {
		t.Error("Portugal did not audit the message that expired on the way")
	}
	if _, ok := entry(es.auditLog(t), "expired", "share send PullRequest", "no answer within"); !ok {
		t.Error("Spain did not audit the pull that got no answer")
	}
}

// tamper is a codec that changes a message after signing it, as a
// man in the middle would, or forges its sender before signing.
type tamper struct {
	Codec
	forge string // sign messages claiming to come from this node
}

func (c tamper) Encode(m Message) ([]byte, error) {
	if c.forge != "" {
		m.Sender.Node = c.forge
	}
	return c.Codec.Encode(m)
}

func (c tamper) Sign(b []byte) ([]byte, error) {
	signed, err := c.Codec.Sign(b)
	if err != nil || c.forge != "" {
		return signed, err
	}
	return bytes.Replace(signed, []byte("numbered"), []byte("tampered"), 1), nil
}

// TestTampered: a message changed after it was signed, and one signed by
// Spain that claims to come from the hub, are refused, acknowledged as
// AuthenticationError and audited; nothing reaches the handler. And the
// servers let a node publish only as itself.
func TestTampered(t *testing.T) {
	p := newPKI(t, "es", "pt", "frontex", "xx")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name  string
		codec tamper
		why   string
	}{
		{"changed after signing", tamper{Codec: p.codec("es")}, `signature of \"es\" does not verify`},
		{"forged sender", tamper{Codec: p.codec("es"), forge: "frontex"}, `claims to come from \"frontex\"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es, pt, in := pair(t, p, func(s *spec) { s.codec = tc.codec; s.ack = true }, nil)
			sent, err := es.Push(ctx, numbered(1), "pt")
			if err != nil {
				t.Fatal(err)
			}
			wctx, wcancel := context.WithTimeout(ctx, 5*time.Second)
			defer wcancel()
			a, err := es.WaitAck(wctx, sent[0].ID)
			if err != nil || a.Code != AckAuthenticationError || a.From != "pt" {
				t.Fatalf("acknowledgement %+v, %v; want AuthenticationError from pt", a, err)
			}
			if e, ok := entry(pt.auditLog(t), "refused", "share receive Push", "AuthenticationError"); !ok ||
				e.Actor != "es" || e.Target != sent[0].ID || !strings.Contains(e.Detail, strings.ReplaceAll(tc.why, `\"`, `"`)) {
				t.Errorf("Portugal audited %+v, want a refusal of %s: %s", e, sent[0].ID, tc.why)
			}
			if _, ok := entry(es.auditLog(t), "received", "share receive Acknowledgement", "AuthenticationError for "+sent[0].ID); !ok {
				t.Error("Spain did not audit the acknowledgement")
			}
			if got := in.list(); len(got) != 0 {
				t.Errorf("the handler received %d messages", len(got))
			}
		})
	}

	t.Run("publish as another", func(t *testing.T) {
		_, pt, _ := pair(t, p, nil, nil)
		url := pt.Addr()
		var mu sync.Mutex
		var errs []string
		conn := func(name string) (*nats.Conn, error) {
			tc := &tls.Config{Certificates: []tls.Certificate{p.certs[name]}, RootCAs: p.pool}
			return nats.Connect(url, nats.Secure(tc), nats.CustomInboxPrefix(inboxPrefix(name)), nats.MaxReconnects(0),
				nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
					mu.Lock()
					errs = append(errs, err.Error())
					mu.Unlock()
				}))
		}
		if _, err := conn("xx"); err == nil || !strings.Contains(strings.ToLower(err.Error()), "authorization") {
			t.Errorf("a certificate of no peer connects: %v", err)
		}
		nc, err := conn("es")
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		for _, subj := range []string{inSubject("pt", "frontex"), "$JS.API.STREAM.LIST", outSubject("pt", "es")} {
			if err := nc.Publish(subj, []byte("{}")); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := nc.SubscribeSync(inboxPrefix("frontex") + ".>"); err != nil {
			t.Fatal(err)
		}
		if err := nc.Flush(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		mu.Lock()
		got := strings.Join(errs, "\n")
		mu.Unlock()
		for _, want := range []string{`Publish to "pharos.pt.in.frontex"`, `Publish to "$JS.API.STREAM.LIST"`,
			`Publish to "pharos.pt.out.es"`, `Subscription to "_INBOX_frontex.>"`} {
			if !strings.Contains(got, want) {
				t.Errorf("no permissions violation for %s in:\n%s", want, got)
			}
		}
		if recs, err := pt.Received(ctx, "frontex"); err != nil || len(recs) != 0 {
			t.Errorf("Portugal has %d records from the hub (%v)", len(recs), err)
		}
	})
}
