package share

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Sent is what became of a payload for one peer.
type Sent struct {
	Peer     string   `json:"peer"`
	ID       string   `json:"id,omitempty"` // the message queued; empty when the policy withheld everything
	Decision Decision `json:"decision"`
}

// message starts a message from this node to a peer: a new ID, the time,
// and the two endpoints, named as CISE names services
// ("es.pharos.push.provider").
func (n *Node) message(kind Kind, to, operation, serviceType string) Message {
	role, peerRole := "Provider", "Consumer"
	if kind == KindPullRequest {
		role, peerRole = peerRole, role
	}
	ep := func(node, role string) Endpoint {
		return Endpoint{Node: node, ServiceID: strings.ToLower(node + ".pharos." + operation + "." + role),
			Operation: operation, Role: role, ServiceType: serviceType}
	}
	return Message{Kind: kind, ID: newID(), Created: n.now().UTC(), Priority: PriorityMedium,
		Sender: ep(n.name, role), Recipient: ep(to, peerRole)}
}

// serviceType is the CISE service a payload belongs to: its first
// entity's type's.
func serviceType(p *Payload) string {
	if p == nil || len(p.Entities) == 0 {
		return ""
	}
	return p.Entities[0].Type + "Service"
}

// Explain says what a peer would receive of a payload this node sends now,
// and why (pharos share explain).
func (n *Node) Explain(p Payload, peer string) Decision {
	return n.cfg.Policy.Explain(p, peer, n.name, n.now())
}

// decide is Explain without the verdicts that allow: what a peer receives,
// and the rules that said no.
func (n *Node) decide(p Payload, peer string) Decision {
	a, ok := n.cfg.Policy.Agreement(peer)
	if !ok {
		return n.Explain(p, peer)
	}
	return a.decide(p, n.name, n.now(), true)
}

// Push sends a payload to the named peers, or, when none is named, to
// every peer whose agreement lets something of it through. Each peer
// receives what its agreement allows, minimised, in a message of its own;
// Push returns once each is on disk in the outbox for its peer, and says
// for each peer what went and the rules that withheld anything. A named peer the agreement withholds
// everything from is audited as refused; if nothing goes to anyone the
// error is ErrNothingToSend.
func (n *Node) Push(ctx context.Context, p Payload, to ...string) ([]Sent, error) {
	named := len(to) > 0
	if !named {
		for _, a := range n.cfg.Policy.Agreements {
			if _, ok := n.links[a.Peer]; ok {
				to = append(to, a.Peer)
			}
		}
	}
	for _, peer := range to {
		if _, ok := n.links[peer]; !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownPeer, peer)
		}
	}
	var sent []Sent
	for _, peer := range to {
		s, err := n.push(ctx, p, peer, "", named)
		if err != nil {
			return sent, err
		}
		if s.ID != "" || named {
			sent = append(sent, s)
		}
	}
	if !slices.ContainsFunc(sent, func(s Sent) bool { return s.ID != "" }) {
		return sent, ErrNothingToSend
	}
	return sent, nil
}

// push sends one peer what its agreement allows of a payload.
func (n *Node) push(ctx context.Context, p Payload, peer, correlation string, auditRefusal bool) (Sent, error) {
	d := n.decide(p, peer)
	if !d.Send {
		if auditRefusal {
			err := n.audit(n.name, "node", "share send Push", "to "+peer, "refused", "policy: "+refusals(d))
			return Sent{Peer: peer, Decision: d}, err
		}
		return Sent{Peer: peer, Decision: d}, nil
	}
	m := n.message(KindPush, peer, "Push", serviceType(d.Payload))
	m.Payload, m.RequiresAck, m.CorrelationID = d.Payload, n.cfg.RequireAck, correlation
	detail := fmt.Sprintf("%d entities", len(d.Payload.Entities))
	if d.Withheld > 0 {
		detail += fmt.Sprintf(", %d withheld (%s)", d.Withheld, refusals(d))
	}
	if !d.Payload.KeepUntil.IsZero() {
		detail += "; keep until " + timeString(d.Payload.KeepUntil)
	}
	if err := n.enqueue(ctx, peer, m, d.Payload.KeepUntil, detail); err != nil {
		return Sent{Peer: peer, Decision: d}, err
	}
	return Sent{Peer: peer, ID: m.ID, Decision: d}, nil
}

// refusals sums up the rules that said no.
func refusals(d Decision) string {
	var no []string
	for _, v := range d.Verdicts {
		if !v.Allow {
			s := v.Rule + ": " + v.Why
			if v.Entity != "" {
				s = v.Entity + ": " + s
			}
			no = append(no, s)
		}
	}
	return strings.Join(no, "; ")
}

// Publish sends a payload to the peers that subscribed to it here: each
// receives, in one message, the entities that match any of its
// subscriptions, as its agreement allows them.
func (n *Node) Publish(ctx context.Context, p Payload) ([]Sent, error) {
	n.mu.Lock()
	subs := map[string]map[string]Query{}
	for peer, s := range n.subs {
		subs[peer] = maps.Clone(s)
	}
	n.mu.Unlock()
	var sent []Sent
	for _, peer := range slices.Sorted(maps.Keys(subs)) {
		if _, ok := n.links[peer]; !ok {
			continue
		}
		var corr string
		part := p
		part.Entities = nil
		for _, e := range p.Entities {
			for _, id := range slices.Sorted(maps.Keys(subs[peer])) {
				if subs[peer][id].Match(e) {
					part.Entities = append(part.Entities, e)
					if corr == "" {
						corr = id
					}
					break
				}
			}
		}
		if len(part.Entities) == 0 {
			continue
		}
		s, err := n.push(ctx, part, peer, corr, true)
		if err != nil {
			return sent, err
		}
		sent = append(sent, s)
	}
	return sent, nil
}

// Pull asks a peer for what matches a query and waits for the answer until
// the deadline, which the request carries: the peer answers with what its
// agreement with this node allows. A refusal is an error wrapping
// ErrRefused; no answer in time, ErrDeadline.
func (n *Node) Pull(ctx context.Context, to string, q Query, deadline time.Duration) (Payload, error) {
	if _, ok := n.links[to]; !ok {
		return Payload{}, fmt.Errorf("%w: %q", ErrUnknownPeer, to)
	}
	// A query by MMSI tells the peer the MMSI: personal data, which goes
	// only where the agreement lets vessel identifiers go.
	if q.MMSI != "" || q.IMO != "" {
		if a, ok := n.cfg.Policy.Agreement(to); !ok || a.NoIdentifiers {
			return Payload{}, fmt.Errorf("%w: a query by vessel identifier would send %s one", ErrNotAllowed, to)
		}
	}
	m := n.message(KindPullRequest, to, "Pull", "")
	m.PullType, m.Timeout, m.Query, m.Priority = PullRequest, deadline, &q, PriorityHigh
	expires := m.Created.Add(deadline)
	ch := make(chan Message, 1)
	n.mu.Lock()
	n.pulls[m.ID] = ch
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		delete(n.pulls, m.ID)
		n.mu.Unlock()
	}()
	acks, stop := n.ackChan(m.ID)
	defer stop()
	if err := n.enqueue(ctx, to, m, expires, "query "+q.String()+"; answer within "+deadline.String()); err != nil {
		return Payload{}, err
	}
	t := time.NewTimer(deadline)
	defer t.Stop()
	select {
	case r := <-ch:
		if r.ResultCode != AckSuccess {
			return Payload{}, fmt.Errorf("%w: %s: %s", ErrRefused, r.ResultCode, r.ErrorDetail)
		}
		if r.Payload == nil {
			return Payload{}, nil
		}
		return *r.Payload, nil
	case a := <-acks:
		return Payload{}, fmt.Errorf("%w: %s: %s", ErrRefused, a.Code, a.Detail)
	case <-t.C:
		_ = n.audit(n.name, "node", "share send PullRequest", m.ID+" to "+to, "expired", "no answer within "+deadline.String())
		return Payload{}, fmt.Errorf("%w: %s did not answer within %s", ErrDeadline, to, deadline)
	case <-ctx.Done():
		return Payload{}, ctx.Err()
	case <-n.ctx.Done():
		return Payload{}, ErrClosed
	}
}

// answer answers a peer's pull request with what the handler finds, as
// the agreement with the peer allows it, if its deadline has not passed.
func (n *Node) answer(from string, req Message) {
	var deadline time.Time
	if req.Timeout > 0 {
		deadline = req.Created.Add(req.Timeout)
		if !n.now().Before(deadline) {
			_ = n.audit(from, "peer", "share receive PullRequest", req.ID, "expired", "its deadline passed before it could be answered")
			return
		}
	}
	var q Query
	if req.Query != nil {
		q = *req.Query
	}
	resp := n.message(KindPullResponse, from, "Pull", "")
	resp.CorrelationID, resp.ResultCode = req.ID, AckSuccess
	detail := "answers " + req.ID
	if h := n.cfg.Handlers.Pull; h == nil {
		resp.ResultCode, resp.ErrorDetail = AckServerError, "this node answers no pull requests"
	} else {
		ctx, cancel := n.ctx, context.CancelFunc(func() {})
		if !deadline.IsZero() {
			ctx, cancel = context.WithDeadline(n.ctx, deadline)
		}
		p, err := h(ctx, from, q)
		cancel()
		if err != nil {
			resp.ResultCode, resp.ErrorDetail = AckServerError, err.Error()
		} else {
			match := p
			match.Entities = nil
			for _, e := range p.Entities {
				if q.Match(e) {
					match.Entities = append(match.Entities, e)
				}
			}
			d := n.decide(match, from)
			resp.Payload = d.Payload
			resp.Sender.ServiceType = serviceType(d.Payload)
			detail += fmt.Sprintf(": %d entities", len(match.Entities))
			if d.Withheld > 0 || !d.Send && len(match.Entities) > 0 {
				detail += fmt.Sprintf(", withheld: %s", refusals(d))
			}
		}
	}
	if resp.ResultCode != AckSuccess {
		detail += ": " + string(resp.ResultCode) + " " + resp.ErrorDetail
	}
	if err := n.enqueue(n.ctx, from, resp, deadline, detail); err != nil && n.ctx.Err() == nil {
		n.logf("share: answer %s from %s: %v", req.ID, from, err)
	}
}

// Subscribe asks a peer to push what matches a query (event types, an
// area) as it comes, and waits for its acknowledgement; it returns the
// subscription's ID. A refusal is an error wrapping ErrRefused.
func (n *Node) Subscribe(ctx context.Context, to string, q Query) (string, error) {
	if _, ok := n.links[to]; !ok {
		return "", fmt.Errorf("%w: %q", ErrUnknownPeer, to)
	}
	m := n.message(KindPullRequest, to, "Subscribe", "")
	m.PullType, m.Query, m.RequiresAck = PullSubscribe, &q, true
	return m.ID, n.request(ctx, to, m, "subscribe to "+q.String())
}

// Unsubscribe ends a subscription and waits for the peer's
// acknowledgement.
func (n *Node) Unsubscribe(ctx context.Context, to, id string) error {
	if _, ok := n.links[to]; !ok {
		return fmt.Errorf("%w: %q", ErrUnknownPeer, to)
	}
	m := n.message(KindPullRequest, to, "Subscribe", "")
	m.PullType, m.CorrelationID, m.RequiresAck = PullUnsubscribe, id, true
	return n.request(ctx, to, m, "unsubscribe "+id)
}

// request sends a message and waits for its acknowledgement.
func (n *Node) request(ctx context.Context, to string, m Message, detail string) error {
	acks, stop := n.ackChan(m.ID)
	defer stop()
	if err := n.enqueue(ctx, to, m, time.Time{}, detail); err != nil {
		return err
	}
	select {
	case a := <-acks:
		if !a.OK() {
			return fmt.Errorf("%w: %s: %s", ErrRefused, a.Code, a.Detail)
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-n.ctx.Done():
		return ErrClosed
	}
}

// Feedback tells a peer about a message it sent (CISE feedback: info, or
// delete to ask it to take the message back); it returns the feedback's
// ID.
func (n *Node) Feedback(ctx context.Context, to, ref string, t FeedbackType, reason string) (string, error) {
	if _, ok := n.links[to]; !ok {
		return "", fmt.Errorf("%w: %q", ErrUnknownPeer, to)
	}
	m := n.message(KindFeedback, to, "Feedback", "")
	m.CorrelationID, m.FeedbackType, m.Reason, m.RequiresAck = ref, t, reason, n.cfg.RequireAck
	return m.ID, n.enqueue(ctx, to, m, time.Time{}, fmt.Sprintf("%s on %s: %s", t, ref, reason))
}

// WaitAck waits for the acknowledgement of a message this node sent: the
// synchronous side of acknowledgements (Handlers.Ack is the asynchronous
// one). The peer acknowledges a refusal always, a success when asked
// (Config.RequireAck, subscriptions).
func (n *Node) WaitAck(ctx context.Context, id string) (Ack, error) {
	acks, stop := n.ackChan(id)
	defer stop()
	select {
	case a := <-acks:
		return a, nil
	case <-ctx.Done():
		return Ack{}, ctx.Err()
	case <-n.ctx.Done():
		return Ack{}, ErrClosed
	}
}

// Subscription is one a peer holds at this node.
type Subscription struct {
	Peer  string `json:"peer"`
	ID    string `json:"id"`
	Query Query  `json:"query"`
}

// Subscriptions lists the subscriptions peers hold at this node.
func (n *Node) Subscriptions() []Subscription {
	n.mu.Lock()
	defer n.mu.Unlock()
	var list []Subscription
	for _, peer := range slices.Sorted(maps.Keys(n.subs)) {
		for _, id := range slices.Sorted(maps.Keys(n.subs[peer])) {
			list = append(list, Subscription{Peer: peer, ID: id, Query: n.subs[peer][id]})
		}
	}
	return list
}

func (n *Node) subscribed(peer, id string, q Query) error {
	b, err := json.Marshal(q)
	if err != nil {
		return err
	}
	if _, err := n.subsKV.Put(n.ctx, subsKey(peer, id), b); err != nil {
		return fmt.Errorf("save subscription: %w", err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.subs[peer] == nil {
		n.subs[peer] = map[string]Query{}
	}
	n.subs[peer][id] = q
	return nil
}

func (n *Node) unsubscribed(peer, id string) error {
	if err := n.subsKV.Delete(n.ctx, subsKey(peer, id)); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("delete subscription: %w", err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.subs[peer], id)
	return nil
}

func (n *Node) loadSubscriptions() error {
	ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
	defer cancel()
	keys, err := n.subsKV.ListKeys(ctx)
	if err != nil {
		return err
	}
	for key := range keys.Keys() {
		peer, id, ok := strings.Cut(key, ".")
		if !ok {
			continue
		}
		e, err := n.subsKV.Get(ctx, key)
		if err != nil {
			return fmt.Errorf("subscription %s: %w", key, err)
		}
		var q Query
		if err := json.Unmarshal(e.Value(), &q); err != nil {
			return fmt.Errorf("subscription %s: %w", key, err)
		}
		if n.subs[peer] == nil {
			n.subs[peer] = map[string]Query{}
		}
		n.subs[peer][id] = q
	}
	return nil
}

// PeerStatus is the state of the link to a peer (pharos share peers).
type PeerStatus struct {
	Name      string `json:"name"`
	URL       string `json:"url"`
	Kind      string `json:"kind,omitempty"`
	Connected bool   `json:"connected"`
	Queued    uint64 `json:"queued"` // messages waiting in its outbox
}

// Peers says how each peer's link is.
func (n *Node) Peers(ctx context.Context) []PeerStatus {
	var list []PeerStatus
	for _, name := range slices.Sorted(maps.Keys(n.links)) {
		l := n.links[name]
		s := PeerStatus{Name: name, URL: l.URL, Connected: l.nc.IsConnected()}
		if a, ok := n.cfg.Policy.Agreement(name); ok {
			s.Kind = string(a.Kind)
		}
		if info, err := l.out.Info(ctx); err == nil {
			s.Queued = info.State.Msgs
		}
		list = append(list, s)
	}
	return list
}

// String writes a query for people and the audit log.
func (q Query) String() string {
	var parts []string
	if len(q.Types) > 0 {
		parts = append(parts, strings.Join(q.Types, "|"))
	}
	if q.MMSI != "" {
		parts = append(parts, "MMSI "+q.MMSI)
	}
	if q.IMO != "" {
		parts = append(parts, "IMO "+q.IMO)
	}
	if q.Area != nil {
		parts = append(parts, "in "+q.Area.label())
	}
	if !q.From.IsZero() || !q.To.IsZero() {
		parts = append(parts, fmt.Sprintf("from %s to %s", timeOrAny(q.From), timeOrAny(q.To)))
	}
	if len(parts) == 0 {
		return "anything"
	}
	return strings.Join(parts, " ")
}

func timeOrAny(t time.Time) string {
	if t.IsZero() {
		return "any"
	}
	return t.UTC().Format(time.RFC3339)
}
