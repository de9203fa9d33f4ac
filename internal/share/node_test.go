package share

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"pharos/internal/audit"
)

func readItem(t testing.TB) Payload {
	t.Helper()
	b, err := os.ReadFile("testdata/item.yml")
	if err != nil {
		t.Fatal(err)
	}
	var p Payload
	if err := yaml.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	// Retention from now, so that nothing has ended when the test runs.
	p.KeepUntil = time.Now().Add(90 * 24 * time.Hour).UTC()
	return p
}

// memberPolicy is a member state's or an agency's policy towards its
// peers: incidents and vessels, up to EU RESTRICTED and Amber.
func memberPolicy(kinds map[string]PeerKind) Policy {
	var p Policy
	for _, peer := range []string{"es", "pt", "frontex", "ma"} {
		if k, ok := kinds[peer]; ok {
			p.Agreements = append(p.Agreements, Agreement{Peer: peer, Kind: k, Entities: []string{"Incident", "Vessel", "Anomaly"},
				MaxClassification: ClassEURestricted, MaxSensitivity: SensAmber,
				Purposes: []Purpose{"BorderMonitoring", "SAR"}, Retention: 30 * 24 * time.Hour})
		}
	}
	return p
}

// ids lists the IDs of a payload's top-level entities.
func ids(p *Payload) []string {
	if p == nil {
		return nil
	}
	var list []string
	for _, e := range p.Entities {
		list = append(list, e.ID)
	}
	return list
}

// personalFieldsIn lists the personal fields of a payload, at any depth.
func personalFieldsIn(list []Entity) []string {
	var out []string
	for _, e := range list {
		for k := range e.Fields {
			if isPersonal(e, k) {
				out = append(out, e.ID+"."+k)
			}
		}
		out = append(out, personalFieldsIn(e.Involved)...)
	}
	slices.Sort(out)
	return out
}

// expand turns the entries that sum up several messages (see group) back
// into an entry each.
func expand(log []audit.Entry) []audit.Entry {
	var out []audit.Entry
	for _, e := range log {
		var n int
		if _, err := fmt.Sscanf(e.Target, "%d messages", &n); err != nil || n < 2 {
			out = append(out, e)
			continue
		}
		for _, line := range strings.Split(e.Detail, "\n") {
			stamp, rest, _ := strings.Cut(line, " ")
			target, detail, _ := strings.Cut(rest, ": ")
			one := e
			one.Time, _ = time.Parse(time.RFC3339Nano, stamp)
			one.Target, one.Detail = target, detail
			out = append(out, one)
		}
	}
	return out
}

// entry finds the first audit entry (of a message: grouped entries are
// expanded) with the outcome whose action and detail contain the words
// given.
func entry(log []audit.Entry, outcome, action, detail string) (audit.Entry, bool) {
	for _, e := range expand(log) {
		if e.Outcome == outcome && strings.Contains(e.Action, action) && strings.Contains(e.Detail, detail) {
			return e, true
		}
	}
	return audit.Entry{}, false
}

// cluster is the four nodes of the sharing scenario: Spain, Portugal, the
// Frontex hub and a third country (Morocco) with a narrow agreement.
type cluster struct {
	pki                 *pki
	es, pt, frontex, ma *testNode
	ptIn, fxIn, maIn    *inbox
	esSpec              spec
}

func newCluster(t *testing.T, esHandlers Handlers, mods ...func(*spec)) *cluster {
	t.Helper()
	p := newPKI(t, "es", "pt", "frontex", "ma")
	ports := map[string]int{}
	for _, n := range []string{"es", "pt", "frontex", "ma"} {
		ports[n] = freePort(t)
	}
	peers := func(names ...string) []Peer {
		var list []Peer
		for _, n := range names {
			list = append(list, Peer{Name: n, URL: addr(ports[n])})
		}
		return list
	}
	c := &cluster{pki: p, ptIn: newInbox(), fxIn: newInbox(), maIn: newInbox()}
	c.esSpec = spec{name: "es", dir: t.TempDir(), port: ports["es"], peers: peers("pt", "frontex", "ma"),
		policy: readPolicy(t, "testdata/policy.good.yml"), handlers: esHandlers}
	for _, m := range mods {
		m(&c.esSpec)
	}
	c.es = start(t, p, c.esSpec)
	c.pt = start(t, p, spec{name: "pt", dir: t.TempDir(), port: ports["pt"], peers: peers("es", "frontex"),
		policy: memberPolicy(map[string]PeerKind{"es": MemberState, "frontex": EUAgency}), handlers: Handlers{Push: c.ptIn.push}})
	c.frontex = start(t, p, spec{name: "frontex", dir: t.TempDir(), port: ports["frontex"], peers: peers("es", "pt"),
		policy: memberPolicy(map[string]PeerKind{"es": MemberState, "pt": MemberState}), handlers: Handlers{Push: c.fxIn.push}})
	c.ma = start(t, p, spec{name: "ma", dir: t.TempDir(), port: ports["ma"], peers: peers("es"),
		policy: memberPolicy(map[string]PeerKind{"es": MemberState}), handlers: Handlers{Push: c.maIn.push}})
	return c
}

// TestThreeNodesAndAThirdCountry is the scenario on loopback:
// Portugal and the Frontex hub subscribe to incidents in the Alboran Sea,
// the third country to migration and safety incidents there; Spain
// publishes what it detected; each receives within a second what its
// agreement allows, minimised; a pull by MMSI is answered before its
// deadline; both sides audit it all.
func TestThreeNodesAndAThirdCountry(t *testing.T) {
	item := readItem(t)
	c := newCluster(t, Handlers{Pull: func(context.Context, string, Query) (Payload, error) { return item, nil }})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	alb := alboran
	for _, s := range []struct {
		n *testNode
		q Query
	}{
		{c.pt, Query{Types: []string{"Incident"}, Area: &alb}},
		{c.frontex, Query{Types: []string{"Incident"}, Area: &alb}},
		{c.ma, Query{Types: []string{"IrregularMigrationIncident", "MaritimeSafetyIncident"}, Area: &alb}},
	} {
		if _, err := s.n.Subscribe(ctx, "es", s.q); err != nil {
			t.Fatalf("%s subscribes: %v", s.n.name, err)
		}
	}
	if got := len(c.es.Subscriptions()); got != 3 {
		t.Fatalf("Spain holds %d subscriptions, want 3", got)
	}

	begin := time.Now()
	sent, err := c.es.Publish(ctx, item)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 3 {
		t.Fatalf("published to %d peers, want 3: %+v", len(sent), sent)
	}
	pt := c.ptIn.wait(t, 1, time.Second)
	fx := c.fxIn.wait(t, 1, time.Second)
	ma := c.maIn.wait(t, 1, time.Second)
	for name, b := range map[string]*inbox{"pt": c.ptIn, "frontex": c.fxIn, "ma": c.maIn} {
		b.mu.Lock()
		t.Logf("%s received the push %v after publishing", name, b.at[0].Sub(begin).Round(time.Millisecond))
		b.mu.Unlock()
	}

	// Portugal and the hub: the incidents in the area, Portugal's own
	// returned to it; not the one off Gran Canaria.
	wantIDs := []string{"es-inc-42", "es-inc-43", "pt-inc-5"}
	for name, r := range map[string]Received{"pt": pt[0], "frontex": fx[0]} {
		if got := ids(r.Message.Payload); !slices.Equal(got, wantIDs) {
			t.Errorf("%s received %v, want %v", name, got, wantIDs)
		}
		if r.From != "es" || r.Message.Sender.Node != "es" || r.Message.Payload.KeepUntil.IsZero() {
			t.Errorf("%s: from %s, sender %s, keep until %v", name, r.From, r.Message.Sender.Node, r.Message.Payload.KeepUntil)
		}
	}
	if got, want := personalFieldsIn(pt[0].Message.Payload.Entities),
		[]string{"es-v-7.CallSign", "es-v-7.IMONumber", "es-v-7.MMSI", "es-v-7.Name"}; !slices.Equal(got, want) {
		t.Errorf("Portugal received personal data %v, want the vessel identifiers %v", got, want)
	}
	if got, want := personalFieldsIn(fx[0].Message.Payload.Entities),
		[]string{"es-p-1.FamilyName", "es-p-1.Nationality", "es-v-7.CallSign", "es-v-7.IMONumber", "es-v-7.MMSI",
			"es-v-7.MasterName", "es-v-7.Name"}; !slices.Equal(got, want) {
		t.Errorf("the hub received personal data %v, want %v", got, want)
	}

	// The third country: the migration incident, with no personal data;
	// not Portugal's safety incident, which Portugal did not let go on.
	mp := ma[0].Message.Payload
	if got := ids(mp); !slices.Equal(got, []string{"es-inc-43"}) {
		t.Errorf("the third country received %v, want [es-inc-43]", got)
	}
	if got := personalFieldsIn(mp.Entities); len(got) > 0 || mp.Personal {
		t.Errorf("the third country received personal data %v (flag %v)", got, mp.Personal)
	}
	if max := time.Now().Add(168 * time.Hour); mp.KeepUntil.After(max) {
		t.Errorf("the third country may keep it until %v, past its agreement's 7 days", mp.KeepUntil)
	}

	// A pull by MMSI, answered before its deadline with what Portugal may
	// see of it.
	begin = time.Now()
	got, err := c.pt.Pull(ctx, "es", Query{MMSI: "224123456"}, 2*time.Second)
	took := time.Since(begin)
	if err != nil {
		t.Fatalf("pull: %v", err)
	}
	t.Logf("pull by MMSI answered in %v (deadline 2s)", took.Round(time.Millisecond))
	if ids := ids(&got); !slices.Equal(ids, []string{"es-inc-42"}) {
		t.Errorf("pull answered %v, want [es-inc-42]", ids)
	}
	if v := got.Entities[0].Involved; len(v) != 1 || v[0].Fields["MasterName"] != "" || v[0].Fields["MMSI"] != "224123456" {
		t.Errorf("pull answered involved %+v, want the vessel with its identifiers only", v)
	}

	// Both sides audited it all, in unbroken chains.
	esLog := c.es.auditLog(t)
	for _, want := range []struct{ outcome, action, detail string }{
		{"received", "share receive PullRequest", "subscribes to Incident in Alboran"},
		{"received", "share receive PullRequest", "subscribes to IrregularMigrationIncident"},
		{"sent", "share send Push", "3 entities"},
		{"sent", "share send Push", "1 entities"},
		{"received", "share receive PullRequest", "query MMSI 224123456"},
		{"sent", "share send PullResponse", "answers"},
	} {
		if _, ok := entry(esLog, want.outcome, want.action, want.detail); !ok {
			t.Errorf("Spain's audit log has no %s %q with %q", want.outcome, want.action, want.detail)
		}
	}
	if e, ok := entry(esLog, "sent", "share send Push", "1 entities"); !ok || !strings.Contains(e.Detail, "withheld") {
		t.Errorf("the push to the third country is audited as %+v, want its withheld entities named", e)
	}
	if _, ok := entry(c.ma.auditLog(t), "received", "share receive Push", "1 entities"); !ok {
		t.Error("the third country did not audit the push it received")
	}
}

// TestRefusals: what the agreement forbids is refused, acknowledged
// Unauthorized and audited; so is a subscription beyond it; a query that
// would itself send personal data is not sent.
func TestRefusals(t *testing.T) {
	item := readItem(t)
	c := newCluster(t, Handlers{Pull: func(context.Context, string, Query) (Payload, error) { return item, nil }})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()

	for _, tc := range []struct {
		name string
		do   func() error
		why  string
	}{
		{"pull persons", func() error {
			_, err := c.ma.Pull(ctx, "es", Query{Types: []string{"Person"}}, 2*time.Second)
			return err
		}, "asks for Person"},
		{"pull by MMSI", func() error {
			_, err := c.ma.Pull(ctx, "es", Query{MMSI: "224123456"}, 2*time.Second)
			return err
		}, "asks by vessel identifier"},
		{"subscribe to anomalies", func() error {
			_, err := c.ma.Subscribe(ctx, "es", Query{Types: []string{"Anomaly"}})
			return err
		}, "asks for Anomaly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.do()
			if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), string(AckUnauthorized)) {
				t.Fatalf("%v, want refused as Unauthorized", err)
			}
			if e, ok := entry(c.es.auditLog(t), "refused", "share receive PullRequest", tc.why); !ok || e.Actor != "ma" {
				t.Errorf("Spain's audit log has no refusal %q by ma: %+v", tc.why, e)
			}
		})
	}
	if len(c.es.Subscriptions()) != 0 {
		t.Errorf("Spain keeps a refused subscription: %+v", c.es.Subscriptions())
	}

	// Spain does not send Morocco an MMSI, even in a query: its agreement
	// withholds vessel identifiers.
	if _, err := c.es.Pull(ctx, "ma", Query{MMSI: "224123456"}, time.Second); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("Spain pulls from Morocco by MMSI: %v, want ErrNotAllowed", err)
	}
	// Pushing Morocco what its agreement forbids sends nothing, audited.
	_, err := c.es.Push(ctx, Payload{Classification: ClassEURestricted, Sensitivity: SensGreen, Purpose: "SAR",
		Entities: []Entity{{Type: "IrregularMigrationIncident", ID: "x", Where: &Point{36, -4}}}}, "ma")
	if !errors.Is(err, ErrNothingToSend) {
		t.Errorf("push above the third country's classification: %v, want ErrNothingToSend", err)
	}
	if _, ok := entry(c.es.auditLog(t), "refused", "share send Push", "EURestricted is above"); !ok {
		t.Error("the withheld push is not audited")
	}
}

// TestPatterns: a push to every peer whose agreement matches, acknowledged
// synchronously and asynchronously; feedback on it; a subscription ended,
// another kept across a restart of the publisher; and the retention the
// receiver enforces.
func TestPatterns(t *testing.T) {
	item := readItem(t)
	acks := make(chan Ack, 16)
	feedback := make(chan Received, 4)
	c := newCluster(t, Handlers{
		Ack:      func(_ context.Context, a Ack) { acks <- a },
		Feedback: func(_ context.Context, r Received) { feedback <- r },
	}, func(s *spec) { s.ack = true })
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()

	sent, err := c.es.Push(ctx, item)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, s := range sent {
		a, err := c.es.WaitAck(ctx, s.ID)
		if err != nil || !a.OK() || a.From != s.Peer {
			t.Errorf("acknowledgement of the push to %s: %+v %v", s.Peer, a, err)
		}
		got[s.Peer] = len(s.Decision.Payload.Entities)
	}
	if want := map[string]int{"pt": 6, "frontex": 6, "ma": 2}; !maps.Equal(got, want) {
		t.Errorf("pushed to every matching peer %v, want %v", got, want)
	}
	for range sent {
		select {
		case a := <-acks:
			if !a.OK() {
				t.Errorf("asynchronous acknowledgement %+v", a)
			}
		case <-ctx.Done():
			t.Fatal("no asynchronous acknowledgement")
		}
	}

	// Feedback from Portugal on what it received.
	r := c.ptIn.wait(t, 1, 5*time.Second)[0]
	if _, err := c.pt.Feedback(ctx, "es", r.Message.ID, FeedbackInfo, "patrol boat sent"); err != nil {
		t.Fatal(err)
	}
	select {
	case f := <-feedback:
		if f.From != "pt" || f.Message.CorrelationID != r.Message.ID || f.Message.Reason != "patrol boat sent" {
			t.Errorf("feedback %+v", f.Message)
		}
	case <-ctx.Done():
		t.Fatal("no feedback")
	}

	// Portugal subscribes and unsubscribes; the hub stays subscribed,
	// also once Spain has restarted.
	alb := alboran
	ptSub, err := c.pt.Subscribe(ctx, "es", Query{Types: []string{"Incident"}, Area: &alb})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.frontex.Subscribe(ctx, "es", Query{Types: []string{"Incident"}, Area: &alb}); err != nil {
		t.Fatal(err)
	}
	if err := c.pt.Unsubscribe(ctx, "es", ptSub); err != nil {
		t.Fatal(err)
	}
	if subs := c.es.Subscriptions(); len(subs) != 1 || subs[0].Peer != "frontex" {
		t.Fatalf("subscriptions after Portugal's ended: %+v", subs)
	}
	c.es.close()
	c.es = start(t, c.pki, c.esSpec)
	if subs := c.es.Subscriptions(); len(subs) != 1 || subs[0].Peer != "frontex" {
		t.Fatalf("subscriptions after a restart: %+v", subs)
	}
	ptBefore, fxBefore := len(c.ptIn.list()), len(c.fxIn.list())
	if _, err := c.es.Publish(ctx, item); err != nil {
		t.Fatal(err)
	}
	c.fxIn.wait(t, fxBefore+1, 5*time.Second)
	time.Sleep(300 * time.Millisecond)
	if n := len(c.ptIn.list()); n != ptBefore {
		t.Errorf("Portugal received %d publications after unsubscribing", n-ptBefore)
	}

	// The receiver keeps received data until its retention ends, then
	// JetStream removes it.
	short := numbered(1)
	short.KeepUntil = time.Now().Add(1500 * time.Millisecond)
	sent, err = c.es.Push(ctx, short, "pt")
	if err != nil {
		t.Fatal(err)
	}
	c.ptIn.wait(t, ptBefore+1, 5*time.Second)
	kept := func() bool {
		recs, err := c.pt.Received(ctx, "es")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.ID == sent[0].ID && r.Message != nil {
				return true
			}
		}
		return false
	}
	if !kept() {
		t.Fatal("Portugal has no record of what it just received")
	}
	for deadline := time.Now().Add(15 * time.Second); kept(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Portugal keeps data past its retention")
		}
	}
}
