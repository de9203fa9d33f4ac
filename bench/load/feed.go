package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"strconv"
	"sync/atomic"
	"time"

	"pharos/internal/geo"
)

// sender feeds its share of the fleet to the node over one TCP
// connection, at its share of the rate, in small batches every tick so
// that the rate is steady at the scale of milliseconds. It stamps each
// message with the time it builds the batch, so a write the node holds up
// (TCP back-pressure) shows in the latency and in the rate achieved.
type sender struct {
	id          int
	conn        net.Conn
	fleet       []*vessel // the vessels this connection carries, in turn
	rate        float64   // messages per second on this connection
	tick        time.Duration
	staticEvery int
	area        box
	land        *geo.Land
	rng         *rand.Rand

	messages, positions atomic.Int64
	bytes               atomic.Int64
	slowWrites          atomic.Int64 // writes that took longer than a tick: the node pushing back (or this machine busy)
	maxWrite            atomic.Int64 // nanoseconds
}

func dialSenders(addr string, n int, fleet []*vessel, rate float64, tick time.Duration, staticEvery int,
	area box, land *geo.Land, seed uint64) ([]*sender, error) {
	ss := make([]*sender, n)
	for i := range ss {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			for _, s := range ss[:i] {
				s.conn.Close()
			}
			return nil, fmt.Errorf("connection %d to the input: %w", i, err)
		}
		ss[i] = &sender{id: i, conn: c, rate: rate / float64(n), tick: tick, staticEvery: staticEvery,
			area: area, land: land, rng: rand.New(rand.NewPCG(seed, uint64(i)))}
	}
	for i, v := range fleet { // a vessel keeps to one connection, so its reports stay in order
		ss[i%n].fleet = append(ss[i%n].fleet, v)
	}
	return ss, nil
}

// run sends until ctx ends, then closes the connection.
func (s *sender) run(ctx context.Context, start time.Time) error {
	defer s.conn.Close()
	src := "load" + strconv.Itoa(s.id)
	t := time.NewTicker(s.tick)
	defer t.Stop()
	var buf []byte
	var sent int64
	next, seq := 0, 0
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		now := time.Now()
		due := int64(now.Sub(start).Seconds() * s.rate)
		buf = buf[:0]
		var positions int64
		for ; sent < due; sent++ {
			v := s.fleet[next]
			if next++; next == len(s.fleet) {
				next = 0
			}
			v.move(now, s.area, s.land, s.rng)
			var pos bool
			buf, pos = v.appendMessage(buf, src, seq, now, s.staticEvery)
			if !pos {
				seq = (seq + 1) % 10
			} else {
				positions++
			}
		}
		if len(buf) == 0 {
			continue
		}
		w := time.Now()
		if _, err := s.conn.Write(buf); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("connection %d: %w", s.id, err)
		}
		took := time.Since(w)
		if took > s.tick {
			s.slowWrites.Add(1)
		}
		if int64(took) > s.maxWrite.Load() {
			s.maxWrite.Store(int64(took))
		}
		s.messages.Store(sent)
		s.positions.Add(positions)
		s.bytes.Add(int64(len(buf)))
	}
}
