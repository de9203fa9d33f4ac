package tak

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"pharos/internal/model"
)

// Well-known TAK ports and groups.
const (
	// DefaultTCPPort is a TAK server's plain streaming CoT input.
	DefaultTCPPort = "8087"
	// DefaultMulticast is the group and port on which ATAK and WinTAK
	// share situational awareness on a local network: "udp://" +
	// DefaultMulticast reaches every TAK client there.
	DefaultMulticast = "239.2.3.1:6969"
)

// Defaults used when the corresponding field of [Options] is zero.
const (
	DefaultQueue        = 10000 // a picture's tracks, each waiting once
	DefaultWriteTimeout = 10 * time.Second
	DefaultMinBackoff   = time.Second
	DefaultMaxBackoff   = 30 * time.Second
)

const (
	// maxBatch is how many events go into one TCP write: a few tens of
	// kilobytes, few system calls, and a short lock to take them.
	maxBatch = 64
	// maxDatagram is the largest UDP payload over IPv4.
	maxDatagram = 65507
)

// Options tune a [Sender]. A zero field takes its Default… value.
type Options struct {
	Stale        time.Duration // how long a track stays on a TAK map after its last state (DefaultTrackStale)
	EventStale   time.Duration // how long a detection stays after its start or end (DefaultEventStale)
	Queue        int           // most tracks waiting to be sent, and most events
	WriteTimeout time.Duration // a dial or a write that takes longer fails
	MinBackoff   time.Duration // wait after the first failure
	MaxBackoff   time.Duration // cap of the doubling wait
	Logger       *slog.Logger
}

// Stats are a Sender's counters. Once Run has returned, every Track and
// Event call counted once: calls = Sent + Dropped + Coalesced + Invalid +
// Queued. While Run runs, the few being written are in none of these.
type Stats struct {
	Sent       uint64 // events written to a TCP connection or sent as datagrams
	Dropped    uint64 // pushed out of a full queue before their turn
	Coalesced  uint64 // replaced, while waiting, by a newer state of the same track or event
	Invalid    uint64 // never sent: no valid position or time, an event without ID, too large for a datagram
	Queued     int    // waiting now
	Reconnects uint64 // connections made after the first
	Errors     uint64 // failed dials and writes, connections the server ended
}

// Sender ships tracks and events as CoT to one destination. The pipeline
// hands it states with Track and Event, which never block; Run, in a
// goroutine of its own, writes them out. Over TCP it keeps one connection
// and, when that fails, reconnects with back-off; what was being written
// when it failed is queued again, so a server may see it twice (a CoT
// update, harmless). Over UDP each event is one datagram.
type Sender struct {
	url          string
	network      string // "tcp" or "udp"
	addr         string // host:port
	opts         Options
	log          *slog.Logger
	running      atomic.Bool
	hasConnected bool // touched by Run only

	wake chan struct{} // holds a token when something may be waiting

	mu        sync.Mutex
	tracks    *queue[uint64, model.TrackState]
	events    *queue[string, *model.Event] // pointers: events are few, a ring of them small
	dropped   uint64
	coalesced uint64

	sent, invalid, reconnects, errs atomic.Uint64
}

// NewSender returns a Sender to rawURL: "tcp://host:port" for a TAK
// server's streaming input (port DefaultTCPPort when left out), or
// "udp://host:port" for a TAK client or a multicast group such as
// DefaultMulticast. Nothing is dialled before Run. Errors wrap ErrURL.
func NewSender(rawURL string, opts Options) (*Sender, error) {
	network, addr, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	opts.Stale = orDefault(opts.Stale, DefaultTrackStale)
	opts.EventStale = orDefault(opts.EventStale, DefaultEventStale)
	opts.Queue = orDefault(opts.Queue, DefaultQueue)
	opts.WriteTimeout = orDefault(opts.WriteTimeout, DefaultWriteTimeout)
	opts.MinBackoff = orDefault(opts.MinBackoff, DefaultMinBackoff)
	opts.MaxBackoff = max(orDefault(opts.MaxBackoff, DefaultMaxBackoff), opts.MinBackoff)
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Sender{
		url:     rawURL,
		network: network,
		addr:    addr,
		opts:    opts,
		log:     log.With("tak", rawURL),
		wake:    make(chan struct{}, 1),
		tracks:  newQueue[uint64, model.TrackState](opts.Queue),
		events:  newQueue[string, *model.Event](opts.Queue),
	}, nil
}

func parseURL(raw string) (network, addr string, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("%w: %w", ErrURL, err)
	}
	network = strings.ToLower(u.Scheme)
	port := u.Port()
	switch network {
	case "tcp":
		if port == "" {
			port = DefaultTCPPort
		}
	case "udp":
		if port == "" {
			return "", "", fmt.Errorf("%w: %q: udp needs a port", ErrURL, raw)
		}
	default:
		return "", "", fmt.Errorf("%w: %q: scheme is not tcp or udp", ErrURL, raw)
	}
	if u.Hostname() == "" {
		return "", "", fmt.Errorf("%w: %q: no host", ErrURL, raw)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("%w: %q: bad port %q", ErrURL, raw, port)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", "", fmt.Errorf("%w: %q: only scheme, host and port are understood", ErrURL, raw)
	}
	return network, net.JoinHostPort(u.Hostname(), port), nil
}

// Track queues st to be sent. It never blocks: a state of the same track
// still waiting is replaced, and a full queue drops its oldest track. The
// Sensors slice is kept until sent, so the caller must not change it.
func (s *Sender) Track(st model.TrackState) {
	if !validTrack(st) {
		s.invalid.Add(1)
		return
	}
	s.mu.Lock()
	s.count(s.tracks.put(st.TrackID, st))
	s.mu.Unlock()
	s.signal()
}

// Event queues ev to be sent, as Track does; events wait apart from tracks
// and go first, so a busy picture never pushes a detection out. Its maps
// and slices are kept until sent, so the caller must not change them.
func (s *Sender) Event(ev model.Event) {
	if !validEvent(ev) {
		s.invalid.Add(1)
		return
	}
	s.mu.Lock()
	s.count(s.events.put(ev.ID, &ev))
	s.mu.Unlock()
	s.signal()
}

// count records the outcome of a put; s.mu is held.
func (s *Sender) count(coalesced, dropped bool) {
	if coalesced {
		s.coalesced++
	}
	if dropped {
		s.dropped++
	}
}

func (s *Sender) signal() {
	select {
	case s.wake <- struct{}{}:
	default: // a token is there already
	}
}

// Stats returns the counters; safe to call at any time.
func (s *Sender) Stats() Stats {
	s.mu.Lock()
	st := Stats{Dropped: s.dropped, Coalesced: s.coalesced, Queued: s.tracks.n + s.events.n}
	s.mu.Unlock()
	st.Sent = s.sent.Load()
	st.Invalid = s.invalid.Load()
	st.Reconnects = s.reconnects.Load()
	st.Errors = s.errs.Load()
	return st
}

// Run sends what is queued, and what comes, until ctx is cancelled; it
// returns nil then. A failed dial or write, or a server closing the
// connection, is logged, counted and retried after a back-off that doubles
// up to MaxBackoff, with jitter so that many nodes do not return to a
// recovering server in step; meanwhile Track and Event keep queueing.
// Only one Run at a time: another returns ErrRunning.
func (s *Sender) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	defer s.running.Store(false)
	backoff := s.opts.MinBackoff
	for {
		sent, err := s.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		s.errs.Add(1)
		if sent {
			backoff = s.opts.MinBackoff // it worked for a while: start small again
		}
		// Equal jitter: a wait in [backoff/2, backoff], spread out yet
		// never so short that backing off stops working.
		wait := backoff/2 + rand.N(backoff/2+1)
		s.log.Warn("tak destination lost", "err", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, s.opts.MaxBackoff)
	}
}

// session dials and sends until a write fails, the server goes or ctx
// ends; sent reports whether anything was delivered.
func (s *Sender) session(ctx context.Context) (sent bool, err error) {
	d := net.Dialer{Timeout: s.opts.WriteTimeout}
	conn, err := d.DialContext(ctx, s.network, s.addr)
	if err != nil {
		return false, fmt.Errorf("dial: %w", err)
	}
	if s.hasConnected {
		s.reconnects.Add(1)
	}
	s.hasConnected = true
	s.log.Info("tak destination connected", "addr", conn.RemoteAddr())

	// A TAK server streams other clients' CoT back: read and discard it,
	// so that its buffers to us never fill, and so that a server closing
	// the connection is noticed at once, not at the second write after.
	var gone chan struct{} // nil, never ready, for UDP
	var wg sync.WaitGroup
	if s.network == "tcp" {
		gone = make(chan struct{})
		wg.Go(func() {
			defer close(gone)
			io.Copy(io.Discard, conn)
		})
	}
	defer func() {
		conn.Close()
		wg.Wait()
	}()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	batch := make([]item, 0, maxBatch)
	var buf []byte
	for {
		batch = s.take(batch[:0])
		if len(batch) == 0 {
			select {
			case <-ctx.Done():
				return sent, nil
			case <-gone:
				return sent, errPeerClosed
			case <-s.wake:
			}
			continue
		}
		n, err := s.write(conn, batch, &buf)
		clear(batch)
		if n > 0 {
			sent = true
		}
		if err != nil {
			return sent, err
		}
	}
}

// item is a track state or, when event is set, an event.
type item struct {
	track model.TrackState
	event *model.Event
}

// take moves up to maxBatch waiting items into batch, events first.
func (s *Sender) take(batch []item) []item {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(batch) < maxBatch {
		ev, ok := s.events.pop()
		if !ok {
			break
		}
		batch = append(batch, item{event: ev})
	}
	for len(batch) < maxBatch {
		st, ok := s.tracks.pop()
		if !ok {
			break
		}
		batch = append(batch, item{track: st})
	}
	return batch
}

// write sends batch, in one write over TCP, one datagram per item over
// UDP, and returns how many went out. What a failed write held goes back
// into the queues.
func (s *Sender) write(conn net.Conn, batch []item, buf *[]byte) (int, error) {
	if s.network == "tcp" {
		b := (*buf)[:0]
		for _, it := range batch {
			b = s.encode(b, it)
		}
		*buf = b
		conn.SetWriteDeadline(time.Now().Add(s.opts.WriteTimeout))
		if _, err := conn.Write(b); err != nil {
			s.requeue(batch)
			return 0, fmt.Errorf("write: %w", err)
		}
		s.sent.Add(uint64(len(batch)))
		return len(batch), nil
	}
	n := 0
	for i, it := range batch {
		b := s.encode((*buf)[:0], it)
		*buf = b
		if len(b) > maxDatagram {
			s.invalid.Add(1)
			continue
		}
		conn.SetWriteDeadline(time.Now().Add(s.opts.WriteTimeout))
		if _, err := conn.Write(b); err != nil {
			s.requeue(batch[i:])
			return n, fmt.Errorf("send: %w", err)
		}
		s.sent.Add(1)
		n++
	}
	return n, nil
}

func (s *Sender) encode(dst []byte, it item) []byte {
	if it.event != nil {
		return AppendEvent(dst, *it.event, s.opts.EventStale)
	}
	return AppendTrack(dst, it.track, s.opts.Stale)
}

// requeue puts a failed batch back in front of the queues, in its order.
func (s *Sender) requeue(batch []item) {
	s.mu.Lock()
	for i := len(batch) - 1; i >= 0; i-- {
		if it := batch[i]; it.event != nil {
			s.count(s.events.unpop(it.event.ID, it.event))
		} else {
			s.count(s.tracks.unpop(it.track.TrackID, it.track))
		}
	}
	s.mu.Unlock()
	s.signal()
}
