package share

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// seal encodes and signs a message: in one step when the codec can
// (Sealer), else encode, then sign.
func seal(c Codec, m Message) ([]byte, error) {
	if s, ok := c.(Sealer); ok {
		return s.Seal(m)
	}
	b, err := c.Encode(m)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	if b, err = c.Sign(b); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return b, nil
}

// open verifies and decodes a message from a peer: in one step when the
// codec can (Opener), else verify, then decode. What does not verify is
// an error wrapping ErrAuthentication.
func open(c Codec, b []byte, peer string) (Message, error) {
	if o, ok := c.(Opener); ok {
		return o.Open(b, peer)
	}
	if err := c.Verify(b, peer); err != nil {
		return Message{}, err
	}
	return c.Decode(b)
}

// enqueue encodes, signs and audits a message and puts it in the outbox
// for a peer; it returns once the outbox has it on disk. expires, when not
// zero, is when it stops being worth delivering. While the node's own NATS
// is away (an external server stopped, a stream electing its leader) it
// tries again until ctx ends; the audit entry and the message carry IDs
// that make a second try store each once.
func (n *Node) enqueue(ctx context.Context, to string, m Message, expires time.Time, detail string) error {
	b, err := seal(n.cfg.Codec, m)
	if err != nil {
		return fmt.Errorf("%s to %s: %w", m.Kind, to, err)
	}
	for attempt := 0; ; attempt++ {
		err = n.enqueueOnce(ctx, to, m, b, expires, detail)
		if err == nil || !away(err) || ctx.Err() != nil {
			return err
		}
		select {
		case <-time.After(backoff(attempt)):
		case <-ctx.Done():
			return err
		case <-n.ctx.Done():
			return err
		}
	}
}

// away reports whether err says the node's NATS was out of reach, not
// that it refused: worth another try. While the client reconnects it
// holds publishes in a buffer and their acknowledgements pending; past
// either limit it refuses more until the server is back.
func away(err error) bool {
	for _, e := range []error{nats.ErrDisconnected, nats.ErrConnectionReconnecting, nats.ErrNoResponders,
		nats.ErrTimeout, jetstream.ErrNoStreamResponse, jetstream.ErrAsyncPublishTimeout,
		nats.ErrReconnectBufExceeded, jetstream.ErrTooManyStalledMsgs} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

func (n *Node) enqueueOnce(ctx context.Context, to string, m Message, b []byte, expires time.Time, detail string) error {
	action := "share send " + string(m.Kind)
	var w writes
	if err := n.auditAsyncOnce(&w, "sent "+m.ID+" "+to, n.name, "node", action, m.ID+" to "+to, "sent", detail); err != nil {
		return err
	}
	out := nats.NewMsg(outSubject(n.name, to))
	out.Data = b
	out.Header.Set(jetstream.MsgIDHeader, m.ID)
	out.Header.Set(hKind, string(m.Kind))
	if !expires.IsZero() {
		out.Header.Set(hExpires, timeString(expires))
	}
	var queued bool
	f, err := n.js.PublishMsgAsync(out)
	if err == nil {
		w.add(f, func(*jetstream.PubAck) { queued = true })
	}
	if werr := w.wait(ctx); err == nil {
		err = werr
	}
	if err != nil {
		if !queued && !away(err) {
			_ = n.audit(n.name, "node", action, m.ID+" to "+to, "failed", "not queued: "+err.Error())
		}
		return fmt.Errorf("queue %s to %s: %w", m.Kind, to, err)
	}
	return nil
}

// nextBatch waits for messages of a consumer and returns those there are,
// up to max, without waiting for more once it has one.
func nextBatch(ctx context.Context, c jetstream.Consumer, max int) ([]jetstream.Msg, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b, err := c.FetchNoWait(max)
		if err != nil {
			return nil, err
		}
		if msgs := drain(b); len(msgs) > 0 {
			return msgs, nil
		}
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		b, err = c.Fetch(1, jetstream.FetchContext(wctx))
		if err != nil {
			cancel()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		msgs := drain(b)
		cancel()
		if len(msgs) > 0 {
			return msgs, nil
		}
	}
}

func drain(b jetstream.MessageBatch) []jetstream.Msg {
	var msgs []jetstream.Msg
	for m := range b.Messages() {
		msgs = append(msgs, m)
	}
	return msgs
}

// sleep waits d or until the node closes, and says whether it is open.
func (n *Node) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-n.ctx.Done():
		return false
	}
}

func backoff(attempt int) time.Duration {
	d := 50 * time.Millisecond << min(attempt, 6)
	return min(d, time.Second)
}

// consumer makes a durable consumer afresh, trying again while the
// server is busy starting. One left by the last run may hold messages
// delivered to that run and never acknowledged, which would wait out
// AckWait before coming again; the new one starts at the old one's ack
// floor instead, so that after a crash they come at once (and the marks,
// the outbox's message IDs or Redelivered take care of the repeats).
func (n *Node) consumer(s jetstream.Stream, cfg jetstream.ConsumerConfig) (jetstream.Consumer, bool) {
	return consumerAfresh(n.ctx, s, cfg, n.logf)
}

func consumerAfresh(ctx context.Context, s jetstream.Stream, cfg jetstream.ConsumerConfig, logf func(string, ...any)) (jetstream.Consumer, bool) {
	for attempt := 0; ; attempt++ {
		c, err := func() (jetstream.Consumer, error) {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			cfg := cfg
			switch old, err := s.Consumer(ctx, cfg.Durable); {
			case err == nil:
				// A work queue holds only what is not acknowledged: it
				// starts at its first message anyway.
				workQueue := s.CachedInfo().Config.Retention == jetstream.WorkQueuePolicy
				if floor := old.CachedInfo().AckFloor.Stream; floor > 0 && !workQueue {
					cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, floor+1
				}
				if err := s.DeleteConsumer(ctx, cfg.Durable); err != nil {
					return nil, err
				}
			case !errors.Is(err, jetstream.ErrConsumerNotFound):
				return nil, err
			}
			return s.CreateConsumer(ctx, cfg)
		}()
		if err == nil {
			return c, true
		}
		if ctx.Err() != nil {
			return nil, false
		}
		logf("share: consumer %s: %v", cfg.Durable, err)
		if !sleepCtx(ctx, backoff(attempt)) {
			return nil, false
		}
	}
}

// forward moves a peer's outbox into the peer's inbox, in order: a batch
// is published without waiting, the peer's acknowledgements (its stream
// has stored each) are taken in order, and from the first that failed the
// rest go again one by one, for as long as it takes. Only then does the
// outbox let them go. The peer's stream drops the copies it already has
// (by message ID), and the peer applies a sequence number once.
func (n *Node) forward(l *link) {
	c, ok := n.consumer(l.out, jetstream.ConsumerConfig{Durable: "forward", AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: 30 * time.Second, MaxAckPending: 4096, MaxDeliver: -1})
	if !ok {
		return
	}
	for attempt := 0; ; attempt++ {
		msgs, err := nextBatch(n.ctx, c, 256)
		if err != nil {
			if n.ctx.Err() != nil {
				return
			}
			n.logf("share: outbox for %s: %v", l.Name, err)
			n.sleep(backoff(attempt))
			continue
		}
		attempt = 0
		n.send(l, msgs)
	}
}

// outgoing is what goes to the peer for a message of its outbox: the
// message with its sequence number, or, once it has expired, its sequence
// number alone, so that the peer knows it will not come.
func (n *Node) outgoing(l *link, m jetstream.Msg, audited *bool) *nats.Msg {
	md, err := m.Metadata()
	if err != nil {
		return nil // a message of a stream always has its metadata
	}
	h := m.Headers()
	out := nats.NewMsg(inSubject(l.Name, n.name))
	id := h.Get(jetstream.MsgIDHeader)
	out.Header.Set(jetstream.MsgIDHeader, id)
	out.Header.Set(hSeq, seqString(md.Sequence.Stream))
	out.Header.Set(hEpoch, epochString(l.epoch))
	out.Header.Set(hKind, h.Get(hKind))
	if e := h.Get(hExpires); e != "" {
		out.Header.Set(hExpires, e)
		if exp, ok := parseTime(e); ok && !n.now().Before(exp) {
			out.Header.Set(hExpired, "1")
			if !*audited {
				*audited = true
				_ = n.audit(n.name, "node", "share send "+h.Get(hKind), id+" to "+l.Name, "expired",
					fmt.Sprintf("not delivered by %s; %s is told its sequence number %d alone", e, l.Name, md.Sequence.Stream))
			}
			return out
		}
	}
	out.Data = m.Data()
	return out
}

func (n *Node) send(l *link, msgs []jetstream.Msg) {
	audited := make([]bool, len(msgs))
	for i := 0; i < len(msgs); {
		failed := n.sendAsync(l, msgs[i:], audited[i:])
		if failed < 0 || n.ctx.Err() != nil {
			return
		}
		// Publish the first that failed alone until the peer has it (which
		// keeps the rest from overtaking it), then the rest as before.
		i += failed
		for attempt := 0; ; attempt++ {
			out := n.outgoing(l, msgs[i], &audited[i])
			if out == nil {
				return // not a message of the outbox: the consumer hands it out again
			}
			ctx, cancel := context.WithTimeout(n.ctx, 5*time.Second)
			_, err := l.js.PublishMsg(ctx, out)
			cancel()
			if err == nil {
				_ = msgs[i].Ack()
				break
			}
			if attempt%20 == 0 {
				// Keep the outbox from handing these out again while the
				// link is down.
				for _, m := range msgs[i:] {
					_ = m.InProgress()
				}
			}
			if !n.retryWait(l, attempt) {
				return
			}
		}
		i++
	}
}

// sendAsync publishes messages without waiting, then takes the peer's
// acknowledgements in order and lets each go from the outbox; it returns
// the index of the first that failed, or -1.
func (n *Node) sendAsync(l *link, msgs []jetstream.Msg, audited []bool) int {
	futures := make([]jetstream.PubAckFuture, len(msgs))
	for i, m := range msgs {
		out := n.outgoing(l, m, &audited[i])
		if out == nil {
			break
		}
		f, err := l.js.PublishMsgAsync(out)
		if err != nil {
			break
		}
		futures[i] = f
	}
	for i, f := range futures {
		if f == nil {
			return i
		}
		select {
		case <-f.Ok():
			_ = msgs[i].Ack()
		case <-f.Err():
			return i
		case <-n.ctx.Done():
			return i
		}
	}
	return -1
}

// retryWait waits before another attempt to reach a peer: until the link
// comes back up if it is down, else (or at most) the backoff.
func (n *Node) retryWait(l *link, attempt int) bool {
	if l.nc.IsConnected() {
		return n.sleep(backoff(attempt))
	}
	t := time.NewTimer(backoff(attempt))
	defer t.Stop()
	select {
	case <-l.up:
		return true
	case <-t.C:
		return true
	case <-n.ctx.Done():
		return false
	}
}

// mark is how far a sender's sequence has been applied.
type mark struct {
	Epoch int64
	Seq   uint64
}

func (m mark) String() string { return epochString(m.Epoch) + ":" + seqString(m.Seq) }

func parseMark(s string) (mark, bool) {
	e, q, ok := strings.Cut(s, ":")
	if !ok {
		return mark{}, false
	}
	epoch, err1 := strconv.ParseInt(e, 10, 64)
	seq, err2 := strconv.ParseUint(q, 10, 64)
	return mark{epoch, seq}, err1 == nil && err2 == nil
}

func (m mark) less(o mark) bool { return m.Epoch < o.Epoch || m.Epoch == o.Epoch && m.Seq < o.Seq }

// loadMarks reads how far each peer's messages have been applied: the
// later of the mark saved after each batch and the last record of the
// peer in RECEIVED (a crash may come between the two).
func (n *Node) loadMarks() (map[string]mark, error) {
	ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
	defer cancel()
	marks := map[string]mark{}
	for name := range n.links {
		var m mark
		switch e, err := n.marks.Get(ctx, name); {
		case err == nil:
			m, _ = parseMark(string(e.Value()))
		case !errors.Is(err, jetstream.ErrKeyNotFound):
			return nil, fmt.Errorf("mark of %s: %w", name, err)
		}
		switch r, err := n.received.GetLastMsgForSubject(ctx, rcvSubject(n.name, name)); {
		case err == nil:
			epoch, _ := strconv.ParseInt(r.Header.Get(hEpoch), 10, 64)
			seq, _ := strconv.ParseUint(r.Header.Get(hSeq), 10, 64)
			if m.less(mark{epoch, seq}) {
				m = mark{epoch, seq}
			}
		case !errors.Is(err, jetstream.ErrMsgNotFound):
			return nil, fmt.Errorf("last record of %s: %w", name, err)
		}
		marks[name] = m
	}
	return marks, nil
}

// apply takes the inbox in order and applies each sender's messages once,
// in the order of the sender's sequence: one already applied is dropped,
// one that comes before the one preceding it waits for it (GapTimeout at
// most). Each message's fate goes to the audit log and to RECEIVED; after
// each batch the marks are saved, then the inbox lets the batch go.
func (n *Node) apply(marks map[string]mark) {
	c, ok := n.consumer(n.inbox, jetstream.ConsumerConfig{Durable: "apply", AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: 30 * time.Second, MaxAckPending: 8192, MaxDeliver: -1})
	if !ok {
		return
	}
	gaps := map[string]time.Time{}
	for attempt := 0; ; attempt++ {
		msgs, err := nextBatch(n.ctx, c, 256)
		if err != nil {
			if n.ctx.Err() != nil {
				return
			}
			n.logf("share: inbox: %v", err)
			n.sleep(backoff(attempt))
			continue
		}
		attempt = 0
		touched := map[string]bool{}
		before := maps.Clone(marks)
		var w writes
		var done []jetstream.Msg
		var after []func()
		batch := n.openAll(msgs, marks, gaps)
		if n.ctx.Err() != nil {
			return
		}
		for i, m := range msgs {
			from := lastToken(m.Subject())
			h := m.Headers()
			at, ok := sequence(h)
			if !ok {
				// Not from a Pharos forwarder: nothing to order it by.
				if err := n.auditAsync(&w, from, "peer", "share receive", h.Get(jetstream.MsgIDHeader), "refused", "no sequence number"); err != nil {
					_ = m.NakWithDelay(time.Second)
					continue
				}
				done = append(done, m)
				continue
			}
			last := marks[from]
			if !last.less(at) {
				done = append(done, m) // applied before
				continue
			}
			if !follows(last, at) {
				since, waiting := gaps[from]
				if !waiting {
					since, gaps[from] = n.now(), n.now()
				}
				if n.now().Sub(since) < n.cfg.GapTimeout {
					_ = m.NakWithDelay(100 * time.Millisecond)
					continue
				}
				_ = n.auditAsync(&w, from, "peer", "share receive", fmt.Sprintf("%s from %d", from, last.Seq+1), "lost",
					fmt.Sprintf("messages before sequence %d (epoch %d) did not come in %s; going on without them", at.Seq, at.Epoch, n.cfg.GapTimeout))
			}
			delete(gaps, from)
			post, err := n.applyOne(&w, from, at, m, batch[i])
			if err != nil {
				if n.ctx.Err() != nil {
					return
				}
				n.logf("share: apply %s from %s: %v", h.Get(jetstream.MsgIDHeader), from, err)
				_ = m.NakWithDelay(time.Second)
				continue
			}
			marks[from], touched[from] = at, true
			done = append(done, m)
			after = append(after, post...)
		}
		// The batch counts once its records and audit entries are stored;
		// if one is not, it all comes again (and a record written twice
		// has the same message ID, which RECEIVED drops).
		if err := w.wait(n.ctx); err != nil {
			if n.ctx.Err() != nil {
				return
			}
			n.logf("share: apply: %v", err)
			clear(marks)
			maps.Copy(marks, before)
			for _, m := range msgs {
				_ = m.NakWithDelay(time.Second)
			}
			continue
		}
		saved := true
		for from := range touched {
			if _, err := n.marks.Put(n.ctx, from, []byte(marks[from].String())); err != nil {
				if n.ctx.Err() != nil {
					return
				}
				n.logf("share: mark of %s: %v", from, err)
				saved = false
			}
		}
		if saved {
			for _, m := range done {
				_ = m.Ack()
			}
		}
		for _, f := range after {
			f()
		}
	}
}

// sequence reads a message's place in its sender's sequence; one without
// is not from a Pharos forwarder.
func sequence(h nats.Header) (mark, bool) {
	epoch, err1 := strconv.ParseInt(h.Get(hEpoch), 10, 64)
	seq, err2 := strconv.ParseUint(h.Get(hSeq), 10, 64)
	return mark{epoch, seq}, err1 == nil && err2 == nil
}

// follows says whether at comes right after last: the next in the same
// outbox, or the first of a newer one.
func follows(last, at mark) bool {
	return at == mark{last.Epoch, last.Seq + 1} || at.Epoch > last.Epoch && at.Seq == 1
}

// parallelOpenMax is the largest message openAll opens beside others:
// parsing costs up to some fifty times a message's size in memory before
// its signature can be checked, so a peer sending messages of the 8 MB
// limit must not have every core parse one at once. Larger messages are
// opened one at a time, by apply.
const parallelOpenMax = 1 << 20

// opened is a message of the inbox verified and decoded, or why not; done
// says whether openAll opened it.
type opened struct {
	msg  Message
	err  error
	done bool
}

// openAll verifies and decodes a batch of the inbox on every core: each
// message's signature is its own, and checking it is most of what
// applying a message costs. Applying then goes in order, one at a time.
// It opens only what apply will take, reckoning as if each message it
// takes applied: not a message applied before, nor one waiting for an
// earlier one (it comes again every 100 ms for as long as GapTimeout,
// and would be verified each time), nor one that expired, nor one larger
// than parallelOpenMax. apply opens itself one this did not reckon with.
// It stops when the node closes.
func (n *Node) openAll(msgs []jetstream.Msg, marks map[string]mark, gaps map[string]time.Time) []opened {
	var todo []int
	taken := map[string]mark{} // the last message of each sender reckoned as applied
	for i, m := range msgs {
		h := m.Headers()
		at, ok := sequence(h)
		if !ok || h.Get(hExpired) != "" {
			continue
		}
		if e, ok := parseTime(h.Get(hExpires)); ok && !n.now().Before(e) {
			continue
		}
		from := lastToken(m.Subject())
		last, ok := taken[from]
		if !ok {
			last = marks[from]
		}
		if !last.less(at) {
			continue
		}
		if since, waiting := gaps[from]; !follows(last, at) && (!waiting || n.now().Sub(since) < n.cfg.GapTimeout) {
			continue
		}
		taken[from] = at
		if len(m.Data()) <= parallelOpenMax {
			todo = append(todo, i)
		}
	}
	out := make([]opened, len(msgs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for i := range next {
				m := msgs[i]
				out[i].msg, out[i].err = open(n.cfg.Codec, m.Data(), lastToken(m.Subject()))
				out[i].done = true
			}
		})
	}
	for _, i := range todo {
		if n.ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return out
}

// applyOne decides the fate of a message, opened by openAll, audits it
// and records it in RECEIVED, and returns what to do once the batch is
// saved (answer, acknowledge, wake a waiting pull). An error leaves the
// message to come again.
func (n *Node) applyOne(w *writes, from string, at mark, m jetstream.Msg, o opened) ([]func(), error) {
	h := m.Headers()
	id, kind := h.Get(jetstream.MsgIDHeader), h.Get(hKind)
	action := "share receive " + kind
	now := n.now()
	var decoded *Message
	record := func(outcome string, data []byte, keepUntil time.Time) error {
		r := nats.NewMsg(rcvSubject(n.name, from))
		r.Header.Set(jetstream.MsgIDHeader, from+"."+at.String())
		r.Header.Set(hID, id)
		r.Header.Set(hSeq, seqString(at.Seq))
		r.Header.Set(hEpoch, epochString(at.Epoch))
		r.Header.Set(hKind, kind)
		r.Header.Set(hOutcome, outcome)
		ttl := n.cfg.DefaultRetention
		if !keepUntil.IsZero() {
			ttl = min(ttl, keepUntil.Sub(now))
		}
		r.Data = data
		f, err := n.js.PublishMsgAsync(r, jetstream.WithMsgTTL(max(ttl, time.Second)))
		if err != nil {
			return err
		}
		var then func(*jetstream.PubAck)
		if decoded != nil {
			d := *decoded
			then = func(a *jetstream.PubAck) { n.keepDecoded(a.Sequence, d) }
		}
		w.add(f, then)
		return nil
	}
	refuse := func(code AckCode, why string) ([]func(), error) {
		if err := n.auditAsync(w, from, "peer", action, id, "refused", string(code)+": "+why); err != nil {
			return nil, err
		}
		if err := record("refused", nil, time.Time{}); err != nil {
			return nil, err
		}
		if kind == string(KindAck) {
			return nil, nil
		}
		return []func(){func() { n.sendAck(from, id, code, why) }}, nil
	}
	expire := func(why string) ([]func(), error) {
		if err := n.auditAsync(w, from, "peer", action, id, "expired", why); err != nil {
			return nil, err
		}
		return nil, record("expired", nil, time.Time{})
	}

	if h.Get(hExpired) != "" {
		return expire(fmt.Sprintf("expired at %s before it left; sequence %d goes on without it", h.Get(hExpires), at.Seq))
	}
	if e, ok := parseTime(h.Get(hExpires)); ok && !now.Before(e) {
		return expire("arrived after " + h.Get(hExpires))
	}
	data := m.Data()
	if !o.done { // a message openAll did not reckon with
		o.msg, o.err = open(n.cfg.Codec, data, from)
	}
	msg, err := o.msg, o.err
	switch {
	case errors.Is(err, ErrAuthentication):
		return refuse(AckAuthenticationError, err.Error())
	case err != nil:
		return refuse(AckInvalidRequest, err.Error())
	case msg.Sender.Node != from:
		return refuse(AckAuthenticationError, fmt.Sprintf("claims to come from %q", msg.Sender.Node))
	case msg.ID != id:
		return refuse(AckAuthenticationError, fmt.Sprintf("signed as message %q", msg.ID))
	case msg.Recipient.Node != n.name:
		return refuse(AckInvalidRequest, fmt.Sprintf("addressed to %q", msg.Recipient.Node))
	case string(msg.Kind) != kind:
		return refuse(AckAuthenticationError, fmt.Sprintf("signed as a %s", msg.Kind))
	}
	var keepUntil time.Time
	detail := fmt.Sprintf("sequence %d", at.Seq)
	if p := msg.Payload; p != nil {
		keepUntil = p.KeepUntil
		detail += fmt.Sprintf("; %d entities", len(p.Entities))
		if !keepUntil.IsZero() {
			if !now.Before(keepUntil) {
				return expire("its retention ended at " + timeString(keepUntil))
			}
			detail += "; keep until " + timeString(keepUntil)
		}
	}
	var post []func()
	switch msg.Kind {
	case KindPush, KindFeedback:
		if msg.RequiresAck {
			post = append(post, func() { n.sendAck(from, id, AckSuccess, "") })
		}
	case KindAck:
		a := Ack{From: from, ID: msg.ID, Ref: msg.CorrelationID, Code: msg.AckCode, Detail: msg.AckDetail}
		detail += fmt.Sprintf("; %s for %s", a.Code, a.Ref)
		post = append(post, func() { n.gotAck(a) })
	case KindPullResponse:
		n.mu.Lock()
		ch, waiting := n.pulls[msg.CorrelationID]
		n.mu.Unlock()
		if !waiting {
			return expire(fmt.Sprintf("answers %s, which no longer waits (its deadline passed)", msg.CorrelationID))
		}
		post = append(post, func() {
			select {
			case ch <- msg:
			default:
			}
		})
	case KindPullRequest:
		a, ok := n.cfg.Policy.Agreement(from)
		if !ok {
			return refuse(AckUnauthorized, "no sharing agreement with "+from)
		}
		var q Query
		if msg.Query != nil {
			q = *msg.Query
		}
		if err := a.Permits(q); err != nil {
			return refuse(AckUnauthorized, err.Error())
		}
		switch msg.PullType {
		case PullRequest:
			detail += "; query " + q.String()
		case PullSubscribe:
			if err := n.subscribed(from, msg.ID, q); err != nil {
				return nil, err
			}
			detail += "; subscribes to " + q.String()
			post = append(post, func() { n.sendAck(from, id, AckSuccess, "subscribed") })
		case PullUnsubscribe:
			if err := n.unsubscribed(from, msg.CorrelationID); err != nil {
				return nil, err
			}
			detail += "; ends subscription " + msg.CorrelationID
			post = append(post, func() { n.sendAck(from, id, AckSuccess, "unsubscribed") })
		default:
			return refuse(AckInvalidRequest, fmt.Sprintf("pull type %q", msg.PullType))
		}
	default:
		return refuse(AckInvalidRequest, fmt.Sprintf("message type %q", msg.Kind))
	}
	if err := n.auditAsync(w, from, "peer", action, id, "received", detail); err != nil {
		return nil, err
	}
	decoded = &msg
	return post, record("received", data, keepUntil)
}

// deliver hands what was received to the handlers, in order, from
// RECEIVED: pushes and feedback, acknowledgements, and pull requests to
// answer. Before a batch it saves how far it is going (handingKey), so
// that after a crash it can flag what a handler may have seen already.
func (n *Node) deliver() {
	c, ok := n.consumer(n.received, jetstream.ConsumerConfig{Durable: "deliver", AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: 5 * time.Minute, MaxAckPending: 1024, MaxDeliver: -1})
	if !ok {
		return
	}
	var floor, handing uint64
	if e, err := n.marks.Get(n.ctx, handingKey); err == nil {
		floor, _ = strconv.ParseUint(string(e.Value()), 10, 64)
		handing = floor
	}
	for attempt := 0; ; attempt++ {
		msgs, err := nextBatch(n.ctx, c, 64)
		if err != nil {
			if n.ctx.Err() != nil {
				return
			}
			n.logf("share: received: %v", err)
			n.sleep(backoff(attempt))
			continue
		}
		attempt = 0
		if md, err := msgs[len(msgs)-1].Metadata(); err == nil && md.Sequence.Stream > handing {
			if _, err := n.marks.Put(n.ctx, handingKey, []byte(seqString(md.Sequence.Stream))); err != nil {
				if n.ctx.Err() == nil {
					n.logf("share: %s: %v", handingKey, err)
				}
				continue // the batch comes again
			}
			handing = md.Sequence.Stream
		}
		for _, m := range msgs {
			if m.Headers().Get(hOutcome) != "received" {
				_ = m.Ack()
				continue
			}
			// A handler that fails is called again, and the ones after
			// wait: order matters more than speed.
			for try := 0; ; try++ {
				err := n.hand(m, floor)
				if err == nil {
					break
				}
				if n.ctx.Err() != nil {
					return
				}
				n.logf("share: handler: %v", err)
				if !n.sleep(backoff(try + 4)) {
					return
				}
				_ = m.InProgress()
			}
			_ = m.Ack()
		}
	}
}

// handingKey is the key in share_marks of how far deliver has gone; node
// names have no dots, so it is no sender's.
const handingKey = "deliver.handing"

// hand gives one record to its handler; floor is how far handing had gone
// before the node last started, which flags what may have been handed over
// already.
func (n *Node) hand(m jetstream.Msg, floor uint64) error {
	from := lastToken(m.Subject())
	md, err := m.Metadata()
	if err != nil {
		return nil // a message of a stream has its metadata
	}
	msg, ok := n.takeDecoded(md.Sequence.Stream)
	if !ok {
		if msg, err = n.cfg.Codec.Decode(m.Data()); err != nil {
			return nil // it decoded when it came; nothing to do if it no longer does
		}
	}
	seq, _ := strconv.ParseUint(m.Headers().Get(hSeq), 10, 64)
	r := Received{From: from, Message: msg, Seq: seq, Redelivered: md.NumDelivered > 1 || md.Sequence.Stream <= floor}
	hs := n.cfg.Handlers
	switch msg.Kind {
	case KindPush:
		if hs.Push != nil {
			return hs.Push(n.ctx, r)
		}
	case KindFeedback:
		if hs.Feedback != nil {
			hs.Feedback(n.ctx, r)
		}
	case KindAck:
		if hs.Ack != nil {
			hs.Ack(n.ctx, Ack{From: from, ID: msg.ID, Ref: msg.CorrelationID, Code: msg.AckCode, Detail: msg.AckDetail})
		}
	case KindPullRequest:
		if msg.PullType == PullRequest {
			n.answer(from, msg)
		}
	}
	return nil
}

// sendAck queues an acknowledgement of a peer's message.
func (n *Node) sendAck(to, ref string, code AckCode, detail string) {
	m := n.message(KindAck, to, "Acknowledgement", "")
	m.CorrelationID, m.AckCode, m.AckDetail = ref, code, detail
	if err := n.enqueue(n.ctx, to, m, time.Time{}, fmt.Sprintf("%s for %s", code, ref)); err != nil && n.ctx.Err() == nil {
		n.logf("share: acknowledge %s to %s: %v", ref, to, err)
	}
}

// gotAck keeps an acknowledgement for WaitAck and wakes those waiting.
func (n *Node) gotAck(a Ack) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.acks[a.Ref], n.ackAt[a.Ref] = a, n.now()
	for _, ch := range n.ackWait[a.Ref] {
		select {
		case ch <- a:
		default:
		}
	}
	delete(n.ackWait, a.Ref)
	if len(n.acks) > 10000 {
		for ref, t := range n.ackAt {
			if n.now().Sub(t) > 10*time.Minute {
				delete(n.acks, ref)
				delete(n.ackAt, ref)
			}
		}
	}
}

// ackChan returns a channel that receives the acknowledgement of a
// message, and a function to stop waiting.
func (n *Node) ackChan(id string) (chan Ack, func()) {
	ch := make(chan Ack, 1)
	n.mu.Lock()
	defer n.mu.Unlock()
	if a, ok := n.acks[id]; ok {
		ch <- a
		return ch, func() {}
	}
	n.ackWait[id] = append(n.ackWait[id], ch)
	return ch, func() {
		n.mu.Lock()
		defer n.mu.Unlock()
		list := n.ackWait[id]
		for i, c := range list {
			if c == ch {
				n.ackWait[id] = append(list[:i:i], list[i+1:]...)
				break
			}
		}
		if len(n.ackWait[id]) == 0 {
			delete(n.ackWait, id)
		}
	}
}

// keepDecoded keeps a message apply decoded for deliver, which would
// otherwise decode it again, as long as deliver is not far behind.
func (n *Node) keepDecoded(seq uint64, m Message) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.decoded) < 4096 {
		n.decoded[seq] = m
	}
}

func (n *Node) takeDecoded(seq uint64) (Message, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	m, ok := n.decoded[seq]
	delete(n.decoded, seq)
	return m, ok
}
