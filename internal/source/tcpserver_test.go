package source

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// startServer listens on loopback and serves fn until the returned stop is
// called (or the test ends); stop checks that Serve returned nil.
func startServer(t *testing.T, s *TCPServer, fn LineFunc) (stop func()) {
	t.Helper()
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ctx, fn) }()
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := within(t, 5*time.Second, errc, "Serve to return"); err != nil {
			t.Errorf("Serve returned %v, want nil", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

func dial(t *testing.T, addr net.Addr) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr.String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// closedByServer reports whether the server closes c within d.
func closedByServer(c net.Conn, d time.Duration) error {
	c.SetReadDeadline(time.Now().Add(d))
	_, err := c.Read(make([]byte, 1))
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		return fmt.Errorf("connection still open after %v", d)
	}
	if err == nil {
		return errors.New("read data from the server")
	}
	return nil // io.EOF or a reset: closed
}

func TestTCPServerConcurrentClients(t *testing.T) {
	const clients, perClient = 2, 3000
	var got []string // no lock: the contract is that fn is never called concurrently
	all := make(chan struct{})
	s := &TCPServer{IdleTimeout: 5 * time.Second}
	stop := startServer(t, s, func(line []byte) {
		got = append(got, string(line))
		if len(got) == clients*perClient {
			close(all)
		}
	})

	conns := make([]net.Conn, clients)
	errc := make(chan error, clients)
	for k := range clients {
		conns[k] = dial(t, s.Addr())
		go func() {
			var b strings.Builder
			for i := range perClient {
				fmt.Fprintf(&b, "c%d-%d\r\n", k, i)
			}
			// Odd-sized writes, so lines straddle reads.
			p := []byte(b.String())
			for len(p) > 0 {
				n := min(len(p), 997+k*13)
				if _, err := conns[k].Write(p[:n]); err != nil {
					errc <- err
					return
				}
				p = p[n:]
			}
			errc <- nil
		}()
	}
	for range clients {
		if err := within(t, 10*time.Second, errc, "a client's writes"); err != nil {
			t.Fatalf("client write: %v", err)
		}
	}
	within(t, 10*time.Second, all, "all lines")
	stop() // clients are still connected: Serve must close them and return

	next := make([]int, clients)
	for _, l := range got {
		var k, i int
		if _, err := fmt.Sscanf(l, "c%d-%d", &k, &i); err != nil || k < 0 || k >= clients {
			t.Fatalf("unexpected line %q", l)
		}
		if i != next[k] {
			t.Fatalf("client %d: line %d arrived when %d was due", k, i, next[k])
		}
		next[k]++
	}
	for k, c := range conns {
		if err := closedByServer(c, 2*time.Second); err != nil {
			t.Errorf("client %d after shutdown: %v", k, err)
		}
	}
	want := Stats{Connects: clients, Disconnects: clients, Lines: clients * perClient}
	if st := s.Stats(); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
}

func TestTCPServerLimits(t *testing.T) {
	fn, lines := lineCollector(100)
	s := &TCPServer{IdleTimeout: 200 * time.Millisecond, MaxConns: 1, MaxLine: 16}
	stop := startServer(t, s, fn)

	c1 := dial(t, s.Addr())
	write(t, c1, strings.Repeat("z", 17)+"\nfirst\n")
	if got := collect(t, 5*time.Second, lines, 1); got[0] != "first" {
		t.Fatalf("got %q", got)
	}

	t.Run("over MaxConns refused", func(t *testing.T) {
		c2 := dial(t, s.Addr())
		if err := closedByServer(c2, 2*time.Second); err != nil {
			t.Error(err)
		}
	})
	t.Run("idle closed", func(t *testing.T) {
		if err := closedByServer(c1, 2*time.Second); err != nil {
			t.Error(err)
		}
	})
	t.Run("slot freed", func(t *testing.T) {
		// The idle close gave the slot back; poll briefly, since the
		// server notices the close asynchronously.
		deadline := time.Now().Add(5 * time.Second)
		for {
			c3 := dial(t, s.Addr())
			c3.Write([]byte("again\n")) // fails, harmlessly, if this one was refused too
			select {
			case l := <-lines:
				if l != "again" {
					t.Fatalf("got %q", l)
				}
				return
			case <-time.After(100 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				t.Fatal("no connection accepted after the idle one closed")
			}
		}
	})
	stop()
	st := s.Stats()
	if st.Rejected < 1 || st.Dropped != 1 || st.Connects != st.Disconnects {
		t.Errorf("stats %+v, want ≥1 rejected, 1 dropped, every connect ended", st)
	}
}

func TestTCPServerNotListening(t *testing.T) {
	var s TCPServer
	if err := s.Serve(t.Context(), func([]byte) {}); !errors.Is(err, ErrNotListening) {
		t.Errorf("Serve = %v, want ErrNotListening", err)
	}
}

// Close, not only ctx, ends Serve cleanly.
func TestTCPServerClose(t *testing.T) {
	s := &TCPServer{}
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(t.Context(), func([]byte) {}) }()
	c := dial(t, s.Addr())
	write(t, c, "x\n")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := within(t, 5*time.Second, errc, "Serve to return"); err != nil {
		t.Errorf("Serve = %v", err)
	}
	if err := closedByServer(c, 2*time.Second); err != nil {
		t.Error(err)
	}
}
