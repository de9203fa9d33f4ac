package tak

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pharos/internal/model"
)

// server is a TAK server as far as a Sender can tell: it accepts
// connections on 127.0.0.1 and hands on every event it reads.
type server struct {
	ln   net.Listener
	got  chan cotDoc
	hold chan struct{} // reading waits until this is closed

	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

// startServer listens on addr ("127.0.0.1:0" for any port); it reads
// at once when hold is false, else only after release.
func startServer(t *testing.T, addr string, hold bool) *server {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: ln, got: make(chan cotDoc, 1<<16), hold: make(chan struct{})}
	if !hold {
		close(s.hold)
	}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			s.wg.Go(func() { s.read(t, c) })
		}
	})
	t.Cleanup(s.close)
	return s
}

func (s *server) addr() string { return s.ln.Addr().String() }

func (s *server) release() { close(s.hold) }

func (s *server) read(t *testing.T, c net.Conn) {
	<-s.hold
	var pending []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.Index(pending, []byte("</event>"))
			if i < 0 {
				break
			}
			end := i + len("</event>")
			var d cotDoc
			if err := xml.Unmarshal(pending[:end], &d); err != nil {
				t.Errorf("server read %q: %v", pending[:end], err)
			}
			s.got <- d
			pending = pending[end:]
		}
		if err != nil {
			return
		}
	}
}

// close stops listening and ends every connection.
func (s *server) close() {
	s.ln.Close()
	s.mu.Lock()
	for _, c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	select {
	case <-s.hold:
	default:
		close(s.hold)
	}
	s.wg.Wait()
}

// next returns the next event the server read.
func next(t *testing.T, got <-chan cotDoc) cotDoc {
	t.Helper()
	select {
	case d := <-got:
		return d
	case <-time.After(10 * time.Second):
		t.Fatal("nothing received")
		return cotDoc{}
	}
}

// run starts s.Run and returns a function that stops it and checks that
// it returned nil.
func run(t *testing.T, s *Sender) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func track(id uint64, at time.Time) model.TrackState {
	return model.TrackState{Time: at, TrackID: id, Lat: 36, Lon: -5.5, SOG: 10, COG: 90, MMSI: 224000000 + uint32(id)}
}

func event(id string, at time.Time) model.Event {
	return model.Event{ID: id, Type: "go_fast", Start: at, Lat: 36.1, Lon: -5.4, Impact: model.ImpactHigh}
}

// fast are options that let tests reconnect quickly.
var fast = Options{MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, WriteTimeout: 5 * time.Second}

// checkBalance checks that, Run having returned, every call is counted.
func checkBalance(t *testing.T, s *Sender, calls int) {
	t.Helper()
	st := s.Stats()
	if n := st.Sent + st.Dropped + st.Coalesced + st.Invalid + uint64(st.Queued); n != uint64(calls) {
		t.Errorf("%d calls, but counted %d: %+v", calls, n, st)
	}
}

func TestNewSender(t *testing.T) {
	tests := []struct {
		url     string
		network string
		addr    string // "" for an error
	}{
		{"tcp://127.0.0.1:8087", "tcp", "127.0.0.1:8087"},
		{"tcp://tak.example.org", "tcp", "tak.example.org:8087"},
		{"TCP://tak.example.org:8088/", "tcp", "tak.example.org:8088"},
		{"udp://239.2.3.1:6969", "udp", "239.2.3.1:6969"},
		{"udp://" + DefaultMulticast, "udp", "239.2.3.1:6969"},
		{"udp://[::1]:4242", "udp", "[::1]:4242"},
		{"", "", ""},
		{"239.2.3.1:6969", "", ""},
		{"http://tak.example.org:8087", "", ""},
		{"ssl://tak.example.org:8089", "", ""},
		{"udp://239.2.3.1", "", ""},
		{"tcp://:8087", "", ""},
		{"tcp://tak.example.org:0", "", ""},
		{"tcp://tak.example.org:65536", "", ""},
		{"tcp://tak.example.org:port", "", ""},
		{"tcp://tak.example.org:8087/cot", "", ""},
		{"tcp://tak.example.org:8087?tls=1", "", ""},
		{"tcp://user@tak.example.org:8087", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			s, err := NewSender(tt.url, Options{})
			if tt.addr == "" {
				if !errors.Is(err, ErrURL) {
					t.Errorf("err = %v, want ErrURL", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.network != tt.network || s.addr != tt.addr {
				t.Errorf("%s %s, want %s %s", s.network, s.addr, tt.network, tt.addr)
			}
		})
	}
}

func TestQueue(t *testing.T) {
	type op struct {
		unpop     bool
		k         int
		coalesced bool
		dropped   bool
	}
	tests := []struct {
		name string
		ops  []op
		want []int // keys popped afterwards, in order
	}{
		{"in order", []op{{k: 1}, {k: 2}, {k: 3}}, []int{1, 2, 3}},
		{"newer state keeps its place", []op{{k: 1}, {k: 2}, {k: 1, coalesced: true}}, []int{1, 2}},
		{"full drops oldest", []op{{k: 1}, {k: 2}, {k: 3}, {k: 4, dropped: true}, {k: 5, dropped: true}}, []int{3, 4, 5}},
		{"coalescing in a full queue drops nothing", []op{{k: 1}, {k: 2}, {k: 3}, {k: 2, coalesced: true}}, []int{1, 2, 3}},
		{"unpop goes first", []op{{k: 1}, {unpop: true, k: 9}}, []int{9, 1}},
		{"unpop of a key waiting again", []op{{k: 1}, {unpop: true, k: 1, coalesced: true}}, []int{1}},
		{"unpop into a full queue", []op{{k: 1}, {k: 2}, {k: 3}, {unpop: true, k: 9, dropped: true}}, []int{1, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newQueue[int, string](3)
			// Start off the ring's first slot, so that ops wrap round.
			q.put(0, "")
			q.put(-1, "")
			q.pop()
			q.pop()
			for i, o := range tt.ops {
				put := q.put
				if o.unpop {
					put = q.unpop
				}
				c, d := put(o.k, strconv.Itoa(i))
				if c != o.coalesced || d != o.dropped {
					t.Errorf("op %d %+v: coalesced %v dropped %v", i, o, c, d)
				}
			}
			var got []int
			for {
				v, ok := q.pop()
				if !ok {
					break
				}
				k, _ := strconv.Atoi(v)
				got = append(got, tt.ops[k].k)
			}
			if !equal(got, tt.want) || len(q.slot) != 0 {
				t.Errorf("popped %v, want %v; %d keys left", got, tt.want, len(q.slot))
			}
		})
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSenderTCP(t *testing.T) {
	srv := startServer(t, "127.0.0.1:0", false)
	s, err := NewSender("tcp://"+srv.addr(), fast)
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, s)
	s.Track(track(1, t0))
	s.Event(event("go_fast-000001", t0))
	got := map[string]string{}
	for range 2 {
		d := next(t, srv.got)
		got[d.UID] = d.Type
	}
	if got["pharos-track-1"] != TypeTrack || got["pharos-event-go_fast-000001"] != TypeEvent {
		t.Errorf("received %v", got)
	}
	stop()
	if st := s.Stats(); st.Sent != 2 || st.Errors != 0 || st.Reconnects != 0 {
		t.Errorf("%+v", st)
	}
	checkBalance(t, s, 2)
}

func TestSenderReconnect(t *testing.T) {
	srv := startServer(t, "127.0.0.1:0", false)
	addr := srv.addr()
	s, err := NewSender("tcp://"+addr, fast)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s)
	s.Track(track(1, t0))
	if d := next(t, srv.got); d.UID != "pharos-track-1" {
		t.Fatalf("got %s", d.UID)
	}

	srv.close()
	waitFor(t, "the sender to notice", func() bool { return s.Stats().Errors > 0 })
	s.Track(track(2, t0)) // waits while the server is away
	waitFor(t, "failed redials", func() bool { return s.Stats().Errors > 2 })

	srv = startServer(t, addr, false)
	if d := next(t, srv.got); d.UID != "pharos-track-2" {
		t.Errorf("after reconnecting got %s", d.UID)
	}
	s.Track(track(3, t0))
	if d := next(t, srv.got); d.UID != "pharos-track-3" {
		t.Errorf("then got %s", d.UID)
	}
	waitFor(t, "the count", func() bool { return s.Stats().Sent == 3 })
	if st := s.Stats(); st.Reconnects != 1 {
		t.Errorf("%+v", st)
	}
}

func TestSenderUDP(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	s, err := NewSender("udp://"+pc.LocalAddr().String(), fast)
	if err != nil {
		t.Fatal(err)
	}
	huge := track(9, t0)
	huge.Name = strings.Repeat("X", maxDatagram)
	s.Track(huge) // cannot be a datagram
	for id := range uint64(3) {
		s.Track(track(id, t0))
	}
	s.Event(event("distress-000001", t0))
	stop := run(t, s)

	want := []string{"pharos-event-distress-000001", "pharos-track-0", "pharos-track-1", "pharos-track-2"}
	buf := make([]byte, 64<<10)
	for _, uid := range want {
		pc.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		if c := bytes.Count(buf[:n], []byte("<event ")); c != 1 {
			t.Errorf("%d events in a datagram", c)
		}
		var d cotDoc
		if err := xml.Unmarshal(buf[:n], &d); err != nil || d.UID != uid {
			t.Errorf("got %s (%v), want %s", d.UID, err, uid)
		}
	}
	stop()
	if st := s.Stats(); st.Sent != 4 || st.Invalid != 1 || st.Errors != 0 {
		t.Errorf("%+v", st)
	}
	checkBalance(t, s, 5)
}

func TestSenderCoalesces(t *testing.T) {
	srv := startServer(t, "127.0.0.1:0", false)
	s, err := NewSender("tcp://"+srv.addr(), fast)
	if err != nil {
		t.Fatal(err)
	}
	s.Track(track(1, t0))
	s.Track(track(2, t0))
	s.Event(event("ais_gap-000001", t0))
	newer := track(1, t0.Add(time.Second))
	newer.Lat = 36.5
	s.Track(newer)
	closed := event("ais_gap-000001", t0)
	closed.End = t0.Add(time.Hour)
	s.Event(closed)
	if st := s.Stats(); st.Coalesced != 2 || st.Queued != 3 {
		t.Fatalf("%+v", st)
	}

	stop := run(t, s)
	// One batch: the event first, then the tracks in the order they came.
	if d := next(t, srv.got); d.UID != "pharos-event-ais_gap-000001" || d.Time != "2026-11-27T04:15:12.345Z" {
		t.Errorf("first %s at %s, want the closed event", d.UID, d.Time)
	}
	if d := next(t, srv.got); d.UID != "pharos-track-1" || d.Point.Lat != 36.5 || d.Time != "2026-11-27T03:15:13.345Z" {
		t.Errorf("second %s %+v at %s, want track 1's newer state", d.UID, d.Point, d.Time)
	}
	if d := next(t, srv.got); d.UID != "pharos-track-2" {
		t.Errorf("third %s", d.UID)
	}
	stop()
	select {
	case d := <-srv.got:
		t.Errorf("also got %s", d.UID)
	default:
	}
	checkBalance(t, s, 5)
}

func TestSenderDropsOldest(t *testing.T) {
	opts := fast
	opts.Queue = 4
	srv := startServer(t, "127.0.0.1:0", false)
	s, err := NewSender("tcp://"+srv.addr(), opts)
	if err != nil {
		t.Fatal(err)
	}
	for id := range uint64(10) {
		s.Track(track(id, t0))
	}
	for i := range 5 {
		s.Event(event("e-"+strconv.Itoa(i), t0))
	}
	s.Track(model.TrackState{TrackID: 99, Lat: 99}) // invalid
	if st := s.Stats(); st.Dropped != 6+1 || st.Queued != 8 || st.Invalid != 1 {
		t.Fatalf("%+v", st)
	}

	stop := run(t, s)
	want := []string{"event-e-1", "event-e-2", "event-e-3", "event-e-4", "track-6", "track-7", "track-8", "track-9"}
	for _, w := range want {
		if d := next(t, srv.got); d.UID != "pharos-"+w {
			t.Errorf("got %s, want pharos-%s", d.UID, w)
		}
	}
	stop()
	checkBalance(t, s, 16)
}

// TestSenderStuckReader has a server that takes the connection but does
// not read: the sender blocks in a write, the pipeline does not.
func TestSenderStuckReader(t *testing.T) {
	srv := startServer(t, "127.0.0.1:0", true)
	opts := fast
	opts.Queue = 8
	opts.WriteTimeout = time.Minute // stuck, not failed
	s, err := NewSender("tcp://"+srv.addr(), opts)
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, s)

	// Fill the socket buffers, with big events, until the sender can
	// write no more for a while.
	calls, id := 0, uint64(0)
	name := strings.Repeat("N", 4000)
	for still, last := time.Now(), uint64(0); time.Since(still) < 100*time.Millisecond; {
		for range 100 {
			st := track(id, t0)
			st.Name = name
			s.Track(st)
			calls++
			id++
		}
		time.Sleep(2 * time.Millisecond)
		st := s.Stats()
		if st.Sent != last || st.Queued != opts.Queue {
			still, last = time.Now(), st.Sent
		}
		if id >= 900_000 {
			t.Fatalf("never stuck: %+v", st)
		}
	}

	before := s.Stats()
	t.Logf("stuck after %d calls: %+v", calls, before)
	start := time.Now()
	const more = 100
	for k := range uint64(more) {
		s.Track(track(1_000_000+k, t0))
	}
	calls += more
	if d := time.Since(start); d > time.Second {
		t.Errorf("%d tracks took %v to queue", more, d)
	}
	after := s.Stats()
	if after.Dropped-before.Dropped != more || after.Queued != opts.Queue || after.Sent != before.Sent {
		t.Errorf("before %+v, after %+v", before, after)
	}

	// Once the server reads, what was stuck goes, and then the newest.
	srv.release()
	var tail []string
	for {
		d := next(t, srv.got)
		if id, ok := strings.CutPrefix(d.UID, "pharos-track-"); ok {
			if n, _ := strconv.Atoi(id); n >= 1_000_000 {
				tail = append(tail, d.UID)
			}
		}
		if d.UID == "pharos-track-1000099" {
			break
		}
	}
	var want []string
	for k := more - opts.Queue; k < more; k++ {
		want = append(want, "pharos-track-"+strconv.Itoa(1_000_000+k))
	}
	if !equal(tail, want) {
		t.Errorf("received %v, want %v", tail, want)
	}
	stop()
	checkBalance(t, s, calls)
}

func TestSenderRunOnce(t *testing.T) {
	s, err := NewSender("udp://127.0.0.1:9", fast)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s)
	waitFor(t, "Run to start", s.running.Load)
	if err := s.Run(context.Background()); !errors.Is(err, ErrRunning) {
		t.Errorf("second Run: %v", err)
	}
}

func BenchmarkSenderTrack(b *testing.B) {
	s, err := NewSender("udp://127.0.0.1:9", Options{})
	if err != nil {
		b.Fatal(err)
	}
	st := track(0, t0)
	b.ReportAllocs()
	i := uint64(0)
	for b.Loop() {
		st.TrackID = i % 5000 // a picture's worth of tracks, each coalesced
		s.Track(st)
		i++
	}
}
