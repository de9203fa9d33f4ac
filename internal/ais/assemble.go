package ais

import (
	"time"

	"pharos/internal/nmea"
)

// Assembler defaults.
const (
	DefaultMaxPending = 64
	DefaultMaxAge     = 10 * time.Second
	DefaultMaxLag     = 1000
)

// Assembler joins the fragments of multi-part messages. Fragments belong
// together when they share talker, channel, sequential id and source, or,
// when the sentences carry NMEA 4.0 tag-block groups, group id and source.
// Fragments may arrive out of order.
//
// Memory is bounded: at most MaxPending messages wait at once (the oldest
// is evicted to make room), and a message is given up when its first
// fragment is older than MaxAge in event time, or, for input without times,
// more than MaxLag sentences ago. The fragments given up are counted by
// Dropped. The zero value uses the defaults; an Assembler is not safe for
// concurrent use.
type Assembler struct {
	MaxPending int
	MaxAge     time.Duration
	MaxLag     uint64

	slots   []pending
	seq     uint64
	dropped int
	out     [maxPayloadChars]byte
}

type partKey struct {
	talker  [2]byte
	channel byte
	seqID   int
	group   int // tag-block group id; -1 when the sentences carry none
	source  [32]byte
	srcLen  int
}

type pending struct {
	key    partKey
	first  time.Time
	seenAt uint64
	total  int
	have   uint16 // bit n set when part n arrived
	fill   int
	parts  [10]struct{ off, n int }
	used   int
	buf    [maxPayloadChars]byte
}

// Dropped returns how many fragments were given up so far because their
// message never completed.
func (a *Assembler) Dropped() int { return a.dropped }

// Pending returns how many messages are waiting for more fragments.
func (a *Assembler) Pending() int { return len(a.slots) }

// Flush gives up every waiting message, as at the end of an input.
func (a *Assembler) Flush() {
	for i := range a.slots {
		a.dropped += popcount(a.slots[i].have)
	}
	a.slots = a.slots[:0]
}

// Add takes one sentence. When it completes a message, Add returns its
// payload, fill bits and the event time of its first fragment that has one,
// and ok is true; the payload is valid until the next call. A single-part
// sentence completes at once and costs nothing.
func (a *Assembler) Add(s *nmea.Sentence) (payload []byte, fill int, t time.Time, ok bool, err error) {
	a.seq++
	if s.Total == 1 {
		return s.Payload, s.Fill, s.Time, true, nil
	}
	a.expire(s.Time)

	k := partKey{talker: s.Talker, channel: s.Channel, seqID: s.SeqID, group: -1}
	if s.Group.Total > 0 {
		k = partKey{group: s.Group.ID}
	}
	k.srcLen = copy(k.source[:], s.Source)

	bit := uint16(1) << s.Number
	p := a.find(&k)
	if p != nil && (p.total != s.Total || p.have&bit != 0) {
		// A different count, or a fragment already held: sequential ids
		// wrap around, so this is a new message and the old one is lost.
		a.drop(p)
		p = nil
	}
	if p == nil {
		p = a.alloc(&k, s)
	}
	if p.used+len(s.Payload) > len(p.buf) {
		a.drop(p)
		return nil, 0, time.Time{}, false, ReasonTooLong
	}
	p.have |= bit
	p.parts[s.Number] = struct{ off, n int }{p.used, len(s.Payload)}
	p.used += copy(p.buf[p.used:], s.Payload)
	if p.first.IsZero() {
		p.first = s.Time
	}
	if s.Number == s.Total {
		p.fill = s.Fill
	}
	if popcount(p.have) < p.total {
		return nil, 0, time.Time{}, false, nil
	}
	n := 0
	for i := 1; i <= p.total; i++ {
		part := p.parts[i]
		n += copy(a.out[n:], p.buf[part.off:part.off+part.n])
	}
	fill, t = p.fill, p.first
	a.remove(p)
	return a.out[:n], fill, t, true, nil
}

func (a *Assembler) find(k *partKey) *pending {
	for i := range a.slots {
		if a.slots[i].key == *k {
			return &a.slots[i]
		}
	}
	return nil
}

func (a *Assembler) alloc(k *partKey, s *nmea.Sentence) *pending {
	limit := a.MaxPending
	if limit <= 0 {
		limit = DefaultMaxPending
	}
	if len(a.slots) >= limit {
		oldest := &a.slots[0]
		for i := range a.slots {
			if a.slots[i].seenAt < oldest.seenAt {
				oldest = &a.slots[i]
			}
		}
		a.drop(oldest)
	}
	if len(a.slots) < cap(a.slots) {
		a.slots = a.slots[:len(a.slots)+1]
	} else {
		a.slots = append(a.slots, pending{})
	}
	p := &a.slots[len(a.slots)-1]
	p.key, p.first, p.seenAt, p.total, p.have, p.fill, p.used = *k, s.Time, a.seq, s.Total, 0, 0, 0
	return p
}

// expire gives up messages too old to complete.
func (a *Assembler) expire(now time.Time) {
	maxAge, maxLag := a.MaxAge, a.MaxLag
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	if maxLag == 0 {
		maxLag = DefaultMaxLag
	}
	for i := 0; i < len(a.slots); {
		p := &a.slots[i]
		stale := a.seq-p.seenAt > maxLag ||
			(!now.IsZero() && !p.first.IsZero() && now.Sub(p.first) > maxAge)
		if stale {
			a.drop(p)
			continue
		}
		i++
	}
}

func (a *Assembler) drop(p *pending) {
	a.dropped += popcount(p.have)
	a.remove(p)
}

// remove deletes p by moving the last slot into its place; the order of
// slots does not matter.
func (a *Assembler) remove(p *pending) {
	last := len(a.slots) - 1
	i := 0
	for ; i < last && &a.slots[i] != p; i++ {
	}
	if i != last {
		a.slots[i] = a.slots[last]
	}
	a.slots = a.slots[:last]
}

func popcount(v uint16) int {
	n := 0
	for ; v != 0; v &= v - 1 {
		n++
	}
	return n
}
