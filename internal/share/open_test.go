package share

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// inboxMsg is a message of the inbox as apply sees it: a subject, headers
// and data; nothing else is called on it by openAll.
type inboxMsg struct {
	jetstream.Msg
	subject string
	header  nats.Header
	data    []byte // default: the subject and the sequence
}

func (m *inboxMsg) Subject() string      { return m.subject }
func (m *inboxMsg) Headers() nats.Header { return m.header }
func (m *inboxMsg) Data() []byte {
	if m.data != nil {
		return m.data
	}
	return []byte(m.subject + m.header.Get(hSeq))
}

func sequenced(from string, epoch int64, seq uint64) *inboxMsg {
	h := nats.Header{}
	h.Set(hEpoch, strconv.FormatInt(epoch, 10))
	h.Set(hSeq, strconv.FormatUint(seq, 10))
	return &inboxMsg{subject: inSubject("here", from), header: h}
}

// countingCodec counts what it is asked to open.
type countingCodec struct {
	JSONCodec
	opened atomic.Int64
}

func (c *countingCodec) Open([]byte, string) (Message, error) {
	c.opened.Add(1)
	return Message{}, nil
}

// TestOpenAllOpensWhatApplies: a batch's messages that apply will not reach
// (applied before, waiting for an earlier one, expired before they left,
// without a sequence) are not verified: those waiting come again every
// 100 ms for as long as GapTimeout and would be verified each time.
func TestOpenAllOpensWhatApplies(t *testing.T) {
	const epoch = 7
	expired := sequenced("a", epoch, 3)
	expired.header.Set(hExpired, "x")
	unsequenced := &inboxMsg{subject: inSubject("here", "a"), header: nats.Header{}}
	large := sequenced("b", epoch, 1)
	large.data = make([]byte, parallelOpenMax+1)
	for _, tc := range []struct {
		name  string
		msgs  []jetstream.Msg
		marks map[string]mark
		gaps  map[string]time.Time
		want  []bool
	}{
		{"in order", []jetstream.Msg{sequenced("a", epoch, 1), sequenced("a", epoch, 2), sequenced("b", epoch, 1)},
			nil, nil, []bool{true, true, true}},
		{"applied before", []jetstream.Msg{sequenced("a", epoch, 1), sequenced("a", epoch, 2), sequenced("a", epoch, 3)},
			map[string]mark{"a": {epoch, 2}}, nil, []bool{false, false, true}},
		{"waiting for an earlier one", []jetstream.Msg{sequenced("a", epoch, 5), sequenced("a", epoch, 6), sequenced("b", epoch, 1)},
			map[string]mark{"a": {epoch, 2}}, map[string]time.Time{"a": time.Now()}, []bool{false, false, true}},
		{"waited long enough", []jetstream.Msg{sequenced("a", epoch, 5), sequenced("a", epoch, 6)},
			map[string]mark{"a": {epoch, 2}}, map[string]time.Time{"a": time.Now().Add(-time.Hour)}, []bool{true, true}},
		{"gap filled in the batch", []jetstream.Msg{sequenced("a", epoch, 3), sequenced("a", epoch, 4)},
			map[string]mark{"a": {epoch, 2}}, nil, []bool{true, true}},
		{"new epoch", []jetstream.Msg{sequenced("a", epoch+1, 1)}, map[string]mark{"a": {epoch, 9}}, nil, []bool{true}},
		{"expired, unsequenced", []jetstream.Msg{expired, unsequenced}, nil, nil, []bool{false, false}},
		{"too large to open beside others", []jetstream.Msg{sequenced("a", epoch, 1), large}, nil, nil, []bool{true, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &countingCodec{}
			n := &Node{cfg: Config{Codec: c, GapTimeout: time.Minute}, now: time.Now, ctx: context.Background()}
			marks := tc.marks
			if marks == nil {
				marks = map[string]mark{}
			}
			gaps := tc.gaps
			if gaps == nil {
				gaps = map[string]time.Time{}
			}
			got := n.openAll(tc.msgs, marks, gaps)
			wantOpened := 0
			for i, w := range tc.want {
				if got[i].done != w {
					t.Errorf("message %d opened %v, want %v", i, got[i].done, w)
				}
				if w {
					wantOpened++
				}
			}
			if o := c.opened.Load(); o != int64(wantOpened) {
				t.Errorf("%d opened, want %d", o, wantOpened)
			}
		})
	}
}

// TestOpenAllStopsWithTheNode: a node that closes does not go on verifying
// the rest of a batch.
func TestOpenAllStopsWithTheNode(t *testing.T) {
	c := &countingCodec{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	n := &Node{cfg: Config{Codec: c, GapTimeout: time.Minute}, now: time.Now, ctx: ctx}
	var msgs []jetstream.Msg
	for i := range 100 {
		msgs = append(msgs, sequenced("a", 1, uint64(i+1)))
	}
	n.openAll(msgs, map[string]mark{}, map[string]time.Time{})
	if o := c.opened.Load(); o != 0 {
		t.Errorf("%d opened after the node closed, want 0", o)
	}
}
