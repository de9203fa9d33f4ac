package source

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
)

// maxDatagram is the largest UDP payload, so no datagram is ever cut short.
const maxDatagram = 64 << 10

// UDPListener takes lines that receivers send as UDP datagrams, the usual
// way AIS receivers and OpenCPN-style forwarders share a feed. A datagram may
// hold several lines; its end also ends its last line. A zero field takes
// its Default… value.
type UDPListener struct {
	MaxLine int // longer lines are dropped
	Logger  *slog.Logger

	conn *net.UDPConn
	n    counters
}

// Listen binds addr ("host:port"; port 0 picks a free one, see Addr).
func (u *UDPListener) Listen(addr string) error {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return fmt.Errorf("udp listener: %w", err)
	}
	u.conn = pc.(*net.UDPConn) // what "udp" always gives; its Read needs no address allocation
	return nil
}

// Addr returns the bound address, or nil before Listen.
func (u *UDPListener) Addr() net.Addr {
	if u.conn == nil {
		return nil
	}
	return u.conn.LocalAddr()
}

// Close closes the socket; use it when Listen succeeded but Serve will not
// run. Serve closes the socket itself when it returns.
func (u *UDPListener) Close() error {
	if u.conn == nil {
		return ErrNotListening
	}
	return u.conn.Close()
}

// Stats returns the listener's counters; safe to call while Serve runs.
func (u *UDPListener) Stats() Stats { return u.n.stats() }

// Serve reads datagrams and calls fn, from the calling goroutine only, for
// every line, until ctx is cancelled or Close is called; it returns nil
// then. Any other read error is returned.
func (u *UDPListener) Serve(ctx context.Context, fn LineFunc) error {
	if u.conn == nil {
		return ErrNotListening
	}
	defer u.conn.Close()
	stop := context.AfterFunc(ctx, func() { u.conn.Close() })
	defer stop()

	sp := newSplitter(orDefault(u.MaxLine, DefaultMaxLine))
	buf := make([]byte, maxDatagram)
	for {
		n, err := u.conn.Read(buf)
		if n > 0 {
			u.n.datagrams.Add(1)
			lines, dropped := sp.split(buf[:n], fn)
			switch sp.flush(fn) {
			case 1:
				lines++
			case -1:
				dropped++
			}
			u.n.lines.Add(uint64(lines))
			if dropped > 0 {
				u.n.dropped.Add(uint64(dropped))
			}
		}
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("udp listener: %w", err)
		}
	}
}
