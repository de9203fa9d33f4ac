package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"time"
)

// TCPClient pulls lines from a TCP feed (an AIS provider, a receiver's
// server port) and keeps pulling: after an error, or when the feed sends
// nothing for IdleTimeout, it reconnects with exponential back-off and
// jitter, so that many nodes do not hammer a recovering feed in step.
// A zero field takes its Default… value.
type TCPClient struct {
	Addr        string        // host:port of the feed
	MinBackoff  time.Duration // wait after the first failure
	MaxBackoff  time.Duration // cap of the doubling wait
	IdleTimeout time.Duration // a feed silent this long is stalled; also the dial timeout
	MaxLine     int           // longer lines are dropped
	Logger      *slog.Logger

	n counters
}

// Stats returns the client's counters; safe to call while Run runs.
func (c *TCPClient) Stats() Stats { return c.n.stats() }

// Run connects to Addr and hands every line to fn until ctx is cancelled,
// when it returns nil. Connection failures are logged and retried, never
// returned.
func (c *TCPClient) Run(ctx context.Context, fn LineFunc) error {
	if c.Addr == "" {
		return ErrNoAddr
	}
	minB := orDefault(c.MinBackoff, DefaultMinBackoff)
	maxB := max(orDefault(c.MaxBackoff, DefaultMaxBackoff), minB)
	idle := orDefault(c.IdleTimeout, DefaultIdleTimeout)
	log := orDiscard(c.Logger).With("addr", c.Addr)

	sp := newSplitter(orDefault(c.MaxLine, DefaultMaxLine))
	buf := make([]byte, readBufSize)
	backoff := minB
	for {
		got, err := c.session(ctx, sp, buf, idle, fn)
		if ctx.Err() != nil {
			return nil
		}
		if got {
			backoff = minB // the feed worked: a fresh failure starts small again
		}
		wait := jitter(backoff)
		log.Warn("feed lost", "err", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, maxB)
	}
}

// session runs one connection until it fails; got reports whether it
// delivered any line.
func (c *TCPClient) session(ctx context.Context, sp *splitter, buf []byte, idle time.Duration, fn LineFunc) (got bool, err error) {
	d := net.Dialer{Timeout: idle}
	conn, err := d.DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return false, fmt.Errorf("dial: %w", err)
	}
	c.n.connects.Add(1)
	defer c.n.disconnects.Add(1)
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	sp.reset()
	for {
		if err := conn.SetReadDeadline(time.Now().Add(idle)); err != nil {
			return got, fmt.Errorf("set deadline: %w", err)
		}
		n, err := conn.Read(buf)
		if n > 0 {
			lines, dropped := sp.split(buf[:n], fn)
			if lines > 0 {
				got = true
				c.n.lines.Add(uint64(lines))
			}
			if dropped > 0 {
				c.n.dropped.Add(uint64(dropped))
			}
		}
		if err != nil {
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
				return got, fmt.Errorf("idle for %v: %w", idle, err)
			}
			return got, fmt.Errorf("read: %w", err)
		}
	}
}

// jitter returns a wait in [d/2, d] ("equal jitter"): random enough to
// spread clients out, never so short that back-off stops working.
func jitter(d time.Duration) time.Duration {
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}
