package share

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Record is what became of one message from a peer, as RECEIVED keeps it:
// received (with the message, until its retention ends), refused, expired.
type Record struct {
	From    string    `json:"from"`
	Seq     uint64    `json:"seq"`
	ID      string    `json:"id"`
	Kind    Kind      `json:"kind"`
	Outcome string    `json:"outcome"`
	Time    time.Time `json:"time"`
	Message *Message  `json:"message,omitempty"`
}

// Received lists the records of a peer's messages still kept, in the order
// of the peer's sequence.
func (n *Node) Received(ctx context.Context, from string) ([]Record, error) {
	c, err := n.received.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{rcvSubject(n.name, from)}})
	if err != nil {
		return nil, fmt.Errorf("records of %s: %w", from, err)
	}
	info, err := c.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("records of %s: %w", from, err)
	}
	var list []Record
	for left := info.NumPending; left > 0; {
		b, err := c.Fetch(int(min(left, 512)), jetstream.FetchContext(ctx))
		if err != nil {
			return nil, fmt.Errorf("records of %s: %w", from, err)
		}
		got := 0
		for m := range b.Messages() {
			got++
			h := m.Headers()
			seq, _ := strconv.ParseUint(h.Get(hSeq), 10, 64)
			r := Record{From: from, Seq: seq, ID: h.Get(hID), Kind: Kind(h.Get(hKind)), Outcome: h.Get(hOutcome)}
			if md, err := m.Metadata(); err == nil {
				r.Time = md.Timestamp
				left = md.NumPending
			}
			if len(m.Data()) > 0 {
				if msg, err := n.cfg.Codec.Decode(m.Data()); err == nil {
					r.Message = &msg
				}
			}
			list = append(list, r)
		}
		if err := b.Error(); err != nil {
			return list, fmt.Errorf("records of %s: %w", from, err)
		}
		if got == 0 {
			break
		}
	}
	return list, nil
}
