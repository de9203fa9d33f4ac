package share

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"pharos/internal/audit"
)

// audit journals an entry for the audit log: it is on disk in the AUDIT
// stream when audit returns, and drainAudit appends it to the log. An
// entry that cannot be journaled is an error, so that nothing moves
// unaudited.
func (n *Node) audit(actor, role, action, target, outcome, detail string) error {
	var w writes
	if err := n.auditAsync(&w, actor, role, action, target, outcome, detail); err != nil {
		return err
	}
	return w.wait(n.ctx)
}

// auditAsync journals an entry without waiting: it is on disk once w has
// been waited for.
func (n *Node) auditAsync(w *writes, actor, role, action, target, outcome, detail string) error {
	return n.auditAsyncOnce(w, "", actor, role, action, target, outcome, detail)
}

// auditAsyncOnce is auditAsync for an entry that may be written again: the
// journal keeps the first entry of an id (within its de-duplication
// window) and drops the others.
func (n *Node) auditAsyncOnce(w *writes, id, actor, role, action, target, outcome, detail string) error {
	if n.cfg.Audit == nil {
		return nil
	}
	e := audit.Entry{Time: n.now().UTC(), Actor: actor, Role: role, Action: action, Target: target, Outcome: outcome, Detail: detail}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	msg := nats.NewMsg(auditSubject(n.name))
	msg.Data = b
	if id != "" {
		msg.Header.Set(jetstream.MsgIDHeader, id)
	}
	f, err := n.js.PublishMsgAsync(msg)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", action, target, err)
	}
	w.add(f, nil)
	return nil
}

// writes are asynchronous writes to the node's streams, to wait for
// together: JetStream stores the writes of one connection in the order
// they were made, so that a batch costs one round trip, not one a write.
type writes struct {
	futures []jetstream.PubAckFuture
	then    []func(*jetstream.PubAck)
}

// add adds a write, and what to do with its acknowledgement once it is
// stored.
func (w *writes) add(f jetstream.PubAckFuture, then func(*jetstream.PubAck)) {
	w.futures = append(w.futures, f)
	w.then = append(w.then, then)
}

// wait waits for every write and returns the first error; the others are
// waited for all the same.
func (w *writes) wait(ctx context.Context) error {
	var first error
	for i, f := range w.futures {
		select {
		case a := <-f.Ok():
			if w.then[i] != nil {
				w.then[i](a)
			}
		case err := <-f.Err():
			if first == nil {
				first = err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	w.futures, w.then = w.futures[:0], w.then[:0]
	return first
}

// BatchAuditor is an Auditor that can append several entries in one
// transaction, one entry each; the node prefers it when the journal has
// queued up (a store that offers it keeps an entry per message at any
// rate).
type BatchAuditor interface {
	Auditor
	AppendAudits(ctx context.Context, entries []audit.Entry) ([]audit.Entry, error)
}

// maxGroup bounds how many journal entries one audit entry sums up.
const maxGroup = 100

// drainAudit appends the journal to the audit log, in order, for as long
// as the node runs (and until Close has flushed it), at most every
// drainEvery. A lone entry goes as it is. Entries that queued up go
// together: in one transaction to a BatchAuditor, else
// as one entry per run of the same actor, action and outcome that lists
// each message with its target and detail, a line each; no message is
// left out either way. Entries leave the journal once the log has them; a
// crash between the two appends them again at the next start, which
// repeats them in the log but never loses one.
func (n *Node) drainAudit() {
	ctx := n.auditCtx
	c, ok := consumerAfresh(ctx, n.journal, jetstream.ConsumerConfig{Durable: "append",
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: time.Minute, MaxAckPending: 4096, MaxDeliver: -1}, n.logf)
	if !ok {
		return
	}
	batcher, _ := n.cfg.Audit.(BatchAuditor)
	for attempt := 0; ; {
		// At most one write every drainEvery: what comes meanwhile waits
		// in the journal (on disk already) and goes with the next.
		msgs, err := nextBatch(ctx, c, 4*maxGroup)
		began := time.Now()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			n.logf("share: audit journal: %v", err)
			sleepCtx(ctx, backoff(attempt))
			attempt++
			continue
		}
		var entries []audit.Entry
		for _, m := range msgs {
			var e audit.Entry
			if err := json.Unmarshal(m.Data(), &e); err != nil {
				n.logf("share: audit journal: entry %q: %v", m.Data(), err)
				continue
			}
			entries = append(entries, e)
		}
		for try := 0; len(entries) > 0; try++ {
			var err error
			switch {
			case batcher != nil && len(entries) > 1:
				_, err = batcher.AppendAudits(ctx, entries)
			default:
				for _, e := range group(entries) {
					if _, err = n.cfg.Audit.AppendAudit(ctx, e); err != nil {
						break
					}
				}
			}
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return
			}
			// What was appended before the error is appended again: a
			// repeat, not a loss.
			n.logf("share: audit log: %v (entries kept in the journal)", err)
			if !sleepCtx(ctx, backoff(try+4)) {
				return
			}
		}
		// The last acknowledgement waits for the server, which has taken
		// the ones before by then.
		for _, m := range msgs[:len(msgs)-1] {
			_ = m.Ack()
		}
		actx, cancel := context.WithTimeout(ctx, 5*time.Second)
		_ = msgs[len(msgs)-1].DoubleAck(actx)
		cancel()
		sleepCtx(ctx, drainEvery-time.Since(began))
	}
}

// drainEvery spaces the audit log's writes: a store that syncs each
// transaction to disk then spends a few of them a second on the journal,
// however fast messages go, and leaves the disk and the processors to
// the messages.
const drainEvery = 20 * time.Millisecond

// group sums up runs of entries with the same actor, role, action and
// outcome, up to maxGroup, as one entry each: the first's time, "N
// messages" as target, and a line per entry, "time target: detail".
func group(list []audit.Entry) []audit.Entry {
	var out []audit.Entry
	for i := 0; i < len(list); {
		j := i + 1
		for j < len(list) && j-i < maxGroup && same(list[i], list[j]) {
			j++
		}
		if j == i+1 {
			out = append(out, list[i])
		} else {
			g := list[i]
			g.Target = fmt.Sprintf("%d messages", j-i)
			var b strings.Builder
			for k, e := range list[i:j] {
				if k > 0 {
					b.WriteByte('\n')
				}
				fmt.Fprintf(&b, "%s %s: %s", e.Time.UTC().Format(time.RFC3339Nano), e.Target, e.Detail)
			}
			g.Detail = b.String()
			out = append(out, g)
		}
		i = j
	}
	return out
}

func same(a, b audit.Entry) bool {
	return a.Actor == b.Actor && a.Role == b.Role && a.Action == b.Action && a.Outcome == b.Outcome
}

// FlushAudit waits until every entry journaled so far is in the audit
// log.
func (n *Node) FlushAudit(ctx context.Context) error {
	if n.cfg.Audit == nil || n.journal == nil {
		return nil
	}
	for {
		info, err := n.journal.Info(ctx)
		if err != nil {
			return fmt.Errorf("audit journal: %w", err)
		}
		if info.State.Msgs == 0 {
			return nil
		}
		if !sleepCtx(ctx, 5*time.Millisecond) {
			return ctx.Err()
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
