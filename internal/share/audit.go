package share

import (
	"context"
	"encoding/json"
	"fmt"
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
	if n.cfg.Audit == nil {
		return nil
	}
	e := audit.Entry{Time: n.now().UTC(), Actor: actor, Role: role, Action: action, Target: target, Outcome: outcome, Detail: detail}
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := n.js.PublishMsg(context.WithoutCancel(n.ctx), &nats.Msg{Subject: auditSubject(n.name), Data: b}); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, target, err)
	}
	return nil
}

// drainAudit appends the journal to the audit log, in order, one entry
// after another, for as long as the node runs (and until Close has
// flushed it). An entry leaves the journal once the log has it; a crash
// between the two appends that one entry again at the next start, which
// repeats it in the log but never loses it.
func (n *Node) drainAudit() {
	ctx := n.auditCtx
	c, ok := consumerAfresh(ctx, n.journal, jetstream.ConsumerConfig{Durable: "append",
		AckPolicy: jetstream.AckExplicitPolicy, AckWait: time.Minute, MaxAckPending: 1024, MaxDeliver: -1}, n.logf)
	if !ok {
		return
	}
	for attempt := 0; ; {
		msgs, err := nextBatch(ctx, c, 256)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			n.logf("share: audit journal: %v", err)
			sleepCtx(ctx, backoff(attempt))
			attempt++
			continue
		}
		for _, m := range msgs {
			var e audit.Entry
			if err := json.Unmarshal(m.Data(), &e); err != nil {
				n.logf("share: audit journal: entry %q: %v", m.Data(), err)
				_ = m.Term()
				continue
			}
			for try := 0; ; try++ {
				_, err := n.cfg.Audit.AppendAudit(ctx, e)
				if err == nil {
					break
				}
				if ctx.Err() != nil {
					return
				}
				n.logf("share: audit log: %v (entry kept in the journal)", err)
				if !sleepCtx(ctx, backoff(try+4)) {
					return
				}
			}
			actx, cancel := context.WithTimeout(ctx, 5*time.Second)
			_ = m.DoubleAck(actx)
			cancel()
		}
	}
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
