package source

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

// feed is a fake TCP feed on loopback: every accepted connection appears on
// conns; everything is closed when the test ends.
type feed struct {
	ln    net.Listener
	conns chan net.Conn
}

func newFeed(t *testing.T) *feed {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &feed{ln: ln, conns: make(chan net.Conn, 16)}
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			select {
			case f.conns <- c:
			case <-quit:
				c.Close()
				return
			}
		}
	}()
	t.Cleanup(func() {
		close(quit)
		ln.Close()
		<-done
		close(f.conns)
		for c := range f.conns {
			c.Close()
		}
	})
	return f
}

// accept returns the next connection the client made, failing after d.
func (f *feed) accept(t *testing.T, d time.Duration) net.Conn {
	t.Helper()
	c := within(t, d, f.conns, "a client connection")
	t.Cleanup(func() { c.Close() })
	return c
}

func write(t *testing.T, c net.Conn, s string) {
	t.Helper()
	if _, err := c.Write([]byte(s)); err != nil {
		t.Fatalf("feed write: %v", err)
	}
}

// runClient starts c.Run and returns a function that cancels it and waits
// for it to return nil.
func runClient(t *testing.T, c *TCPClient, fn LineFunc) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	errc := make(chan error, 1)
	go func() { errc <- c.Run(ctx, fn) }()
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := within(t, 5*time.Second, errc, "Run to return"); err != nil {
			t.Errorf("Run returned %v, want nil", err)
		}
	}
	t.Cleanup(stop)
	return stop
}

func TestTCPClientReconnect(t *testing.T) {
	f := newFeed(t)
	fn, lines := lineCollector(100)
	c := &TCPClient{Addr: f.ln.Addr().String(), MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, IdleTimeout: 5 * time.Second}
	stop := runClient(t, c, fn)

	c1 := f.accept(t, 5*time.Second)
	write(t, c1, "a1\r\na2\npartial-tail-never-ended")
	if got := collect(t, 5*time.Second, lines, 2); !equalStrings(got, []string{"a1", "a2"}) {
		t.Fatalf("first connection: %q", got)
	}
	c1.Close()

	c2 := f.accept(t, 5*time.Second)
	write(t, c2, "b1\n")
	if got := collect(t, 5*time.Second, lines, 1); got[0] != "b1" {
		t.Fatalf("after reconnect: %q (a tail from the old connection leaked in?)", got)
	}
	stop()

	want := Stats{Connects: 2, Disconnects: 2, Lines: 3}
	if got := c.Stats(); got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
}

func TestTCPClientIdleReconnect(t *testing.T) {
	f := newFeed(t)
	fn, lines := lineCollector(100)
	c := &TCPClient{Addr: f.ln.Addr().String(), MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, IdleTimeout: 150 * time.Millisecond}
	stop := runClient(t, c, fn)

	c1 := f.accept(t, 5*time.Second)
	write(t, c1, "x\n")
	collect(t, 5*time.Second, lines, 1)
	// c1 now stalls, open but silent: the client must give up on it.
	start := time.Now()
	c2 := f.accept(t, 5*time.Second)
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Errorf("reconnected after %v, before the idle timeout", waited)
	}
	write(t, c2, "y\n")
	if got := collect(t, 5*time.Second, lines, 1); got[0] != "y" {
		t.Fatalf("after idle reconnect: %q", got)
	}
	stop()
	if s := c.Stats(); s.Connects < 2 || s.Lines != 2 {
		t.Errorf("stats %+v, want ≥2 connects and 2 lines", s)
	}
}

func TestTCPClientGarbage(t *testing.T) {
	f := newFeed(t)
	fn, lines := lineCollector(100)
	c := &TCPClient{Addr: f.ln.Addr().String(), MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, IdleTimeout: 5 * time.Second}
	stop := runClient(t, c, fn)

	c1 := f.accept(t, 5*time.Second)
	// Write from another goroutine: the client must keep reading through
	// the 1 MB unterminated line, not stall the writer.
	werr := make(chan error, 1)
	go func() {
		_, err := c1.Write([]byte("ok1\n" + strings.Repeat("x", 10000) + "\n" + "\x00\xff garbage\r\n" + "ok2\n" + strings.Repeat("y", 1<<20)))
		c1.Close()
		werr <- err
	}()
	if got := collect(t, 5*time.Second, lines, 3); !equalStrings(got, []string{"ok1", "\x00\xff garbage", "ok2"}) {
		t.Fatalf("lines %q", got)
	}
	if err := within(t, 5*time.Second, werr, "the feed's write"); err != nil {
		t.Fatalf("feed write: %v", err)
	}

	c2 := f.accept(t, 5*time.Second)
	write(t, c2, "ok3\n")
	if got := collect(t, 5*time.Second, lines, 1); got[0] != "ok3" {
		t.Fatalf("after reconnect: %q", got)
	}
	stop()
	if s := c.Stats(); s.Dropped != 2 || s.Lines != 4 {
		t.Errorf("stats %+v, want 2 dropped and 4 lines", s)
	}
}

func TestTCPClientFeedDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: every dial fails

	c := &TCPClient{Addr: addr, MinBackoff: 5 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, IdleTimeout: time.Second}
	stop := runClient(t, c, func([]byte) { t.Error("line from nowhere") })
	time.Sleep(100 * time.Millisecond)
	stop()
	if s := c.Stats(); s != (Stats{}) {
		t.Errorf("stats %+v, want zero", s)
	}
}

func TestTCPClientNoAddr(t *testing.T) {
	var c TCPClient
	if err := c.Run(t.Context(), func([]byte) {}); !errors.Is(err, ErrNoAddr) {
		t.Errorf("Run = %v, want ErrNoAddr", err)
	}
}

func TestJitter(t *testing.T) {
	for _, d := range []time.Duration{0, 1, 2, time.Millisecond, time.Minute} {
		for range 100 {
			if j := jitter(d); j < d/2 || j > d {
				t.Fatalf("jitter(%v) = %v, outside [d/2, d]", d, j)
			}
		}
	}
}
