package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// TCPServer accepts connections from receivers that push lines to the node.
// Each connection is read by its own goroutine; the lines of one read are
// copied into a batch and the batches go over one channel to the goroutine
// that called Serve, which calls the LineFunc — one channel send per read,
// not per line, and no locking for the caller. A zero field takes its
// Default… value.
type TCPServer struct {
	IdleTimeout time.Duration // a connection silent this long is closed
	MaxConns    int           // connections beyond this are closed at once
	MaxLine     int           // longer lines are dropped
	Logger      *slog.Logger

	ln     net.Listener
	n      counters
	active atomic.Int64
	bufs   sync.Pool // *[]byte batches, handed back by the delivering goroutine
}

// Listen binds addr ("host:port"; port 0 picks a free one, see Addr).
func (s *TCPServer) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("tcp server: %w", err)
	}
	s.ln = ln
	return nil
}

// Addr returns the bound address, or nil before Listen.
func (s *TCPServer) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Close closes the listener; use it when Listen succeeded but Serve will
// not run. Serve closes the listener itself when it returns.
func (s *TCPServer) Close() error {
	if s.ln == nil {
		return ErrNotListening
	}
	return s.ln.Close()
}

// Stats returns the server's counters; safe to call while Serve runs.
func (s *TCPServer) Stats() Stats { return s.n.stats() }

// Serve accepts connections and calls fn, from the calling goroutine only,
// for every line, until ctx is cancelled or Close is called. It returns nil
// then, after the listener and every connection are closed, every
// connection goroutine has ended and the batches already read are
// delivered.
func (s *TCPServer) Serve(ctx context.Context, fn LineFunc) error {
	if s.ln == nil {
		return ErrNotListening
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { s.ln.Close() })
	defer stop()

	log := orDiscard(s.Logger).With("listen", s.ln.Addr().String())
	cfg := connConfig{
		idle:    orDefault(s.IdleTimeout, DefaultIdleTimeout),
		maxLine: orDefault(s.MaxLine, DefaultMaxLine),
		log:     log,
	}
	maxConns := int64(orDefault(s.MaxConns, DefaultMaxConns))
	batches := make(chan *[]byte, 64)

	var wg sync.WaitGroup
	go func() {
		s.accept(ctx, maxConns, cfg, batches, &wg)
		cancel() // also when Close ended the loop: connections must go too
		wg.Wait()
		close(batches)
	}()

	for b := range batches {
		lines := 0
		for rest := *b; len(rest) > 0; {
			i := bytes.IndexByte(rest, '\n') // every line in a batch ends with one
			fn(rest[:i])
			rest = rest[i+1:]
			lines++
		}
		s.n.lines.Add(uint64(lines))
		s.putBuf(b)
	}
	return nil
}

// accept runs the accept loop until the listener is closed.
func (s *TCPServer) accept(ctx context.Context, maxConns int64, cfg connConfig, batches chan<- *[]byte, wg *sync.WaitGroup) {
	var delay time.Duration
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors and the like: wait and retry, as
			// net/http does, rather than spin or give up.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			cfg.log.Warn("accept failed", "err", err, "retry_in", delay)
			t := time.NewTimer(delay)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			continue
		}
		delay = 0
		if s.active.Load() >= maxConns {
			s.n.rejected.Add(1)
			cfg.log.Warn("connection refused: too many", "remote", conn.RemoteAddr().String(), "max", maxConns)
			conn.Close()
			continue
		}
		s.active.Add(1)
		s.n.connects.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.active.Add(-1)
			defer s.n.disconnects.Add(1)
			s.read(ctx, conn, cfg, batches)
		}()
	}
}

type connConfig struct {
	idle    time.Duration
	maxLine int
	log     *slog.Logger
}

// read copies the lines of each read into a batch and sends it on.
func (s *TCPServer) read(ctx context.Context, conn net.Conn, cfg connConfig, batches chan<- *[]byte) {
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	remote := conn.RemoteAddr().String()
	cfg.log.Info("receiver connected", "remote", remote)

	sp := newSplitter(cfg.maxLine)
	buf := make([]byte, readBufSize)
	for {
		if err := conn.SetReadDeadline(time.Now().Add(cfg.idle)); err != nil {
			cfg.log.Info("receiver gone", "remote", remote, "err", err)
			return
		}
		n, err := conn.Read(buf)
		if n > 0 {
			b := s.getBuf()
			_, dropped := sp.split(buf[:n], func(line []byte) {
				*b = append(*b, line...)
				*b = append(*b, '\n')
			})
			if dropped > 0 {
				s.n.dropped.Add(uint64(dropped))
			}
			if len(*b) == 0 {
				s.putBuf(b)
			} else {
				select {
				case batches <- b:
				case <-ctx.Done():
					return
				}
			}
		}
		if err != nil {
			if ctx.Err() == nil {
				cfg.log.Info("receiver gone", "remote", remote, "err", err)
			}
			return
		}
	}
}

func (s *TCPServer) getBuf() *[]byte {
	if b, ok := s.bufs.Get().(*[]byte); ok {
		return b
	}
	b := make([]byte, 0, readBufSize+DefaultMaxLine)
	return &b
}

func (s *TCPServer) putBuf(b *[]byte) {
	*b = (*b)[:0]
	s.bufs.Put(b)
}
