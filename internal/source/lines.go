package source

import (
	"bytes"
	"log/slog"
	"sync/atomic"
	"time"
)

// LineFunc receives one line from a network input. The slice is valid only
// during the call and has no trailing "\r\n"; an input calls its LineFunc
// from one goroutine at a time, so the function needs no locking.
type LineFunc func(line []byte)

// Defaults used when the corresponding field of an input is zero.
const (
	DefaultMaxLine     = 4096 // bytes; NMEA sentences are 82, tag blocks add a few hundred
	DefaultIdleTimeout = time.Minute
	DefaultMinBackoff  = 500 * time.Millisecond
	DefaultMaxBackoff  = time.Minute
	DefaultMaxConns    = 256
)

// readBufSize is how much one Read asks for: big enough that a busy feed
// costs few system calls, small enough for hundreds of connections.
const readBufSize = 16 << 10

// Stats are the counters of a network input. Fields an input does not use
// stay zero.
type Stats struct {
	Connects    uint64 // connections made (client) or accepted (server)
	Disconnects uint64 // connections ended, for whatever reason
	Rejected    uint64 // connections refused because MaxConns were open
	Datagrams   uint64 // UDP datagrams received
	Lines       uint64 // lines handed to the LineFunc
	Dropped     uint64 // lines dropped for being longer than MaxLine
}

// counters are updated by reader goroutines while Stats is called from
// anywhere, hence atomics.
type counters struct {
	connects, disconnects, rejected, datagrams, lines, dropped atomic.Uint64
}

func (c *counters) stats() Stats {
	return Stats{
		Connects:    c.connects.Load(),
		Disconnects: c.disconnects.Load(),
		Rejected:    c.rejected.Load(),
		Datagrams:   c.datagrams.Load(),
		Lines:       c.lines.Load(),
		Dropped:     c.dropped.Load(),
	}
}

func orDefault[T int | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// splitter cuts a byte stream into lines. A line split across reads is kept
// in pending, which never grows past max+1 bytes (the +1 leaves room for the
// '\r' of "\r\n"): a longer line is dropped and the rest of it skipped up to
// the next '\n'.
type splitter struct {
	max     int
	pending []byte
	skip    bool
}

func newSplitter(max int) *splitter {
	return &splitter{max: max, pending: make([]byte, 0, max+1)}
}

// reset forgets a partial line, as when a connection is replaced: its tail
// must not be glued to the next connection's first line.
func (s *splitter) reset() {
	s.pending = s.pending[:0]
	s.skip = false
}

// split calls emit for each complete line in p and keeps the unterminated
// tail for the next call. It returns the number of lines emitted and
// dropped.
func (s *splitter) split(p []byte, emit func([]byte)) (lines, dropped int) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			if s.skip {
				return lines, dropped
			}
			if len(s.pending)+len(p) > s.max+1 {
				s.pending = s.pending[:0]
				s.skip = true
				return lines, dropped + 1
			}
			s.pending = append(s.pending, p...)
			return lines, dropped
		}
		seg := p[:i]
		p = p[i+1:]
		if s.skip {
			s.skip = false // dropped when the skip began
			continue
		}
		if len(s.pending) > 0 {
			if len(s.pending)+len(seg) > s.max+1 {
				s.pending = s.pending[:0]
				dropped++
				continue
			}
			seg = append(s.pending, seg...)
			s.pending = s.pending[:0] // seg aliases pending; emit runs before the next append
		}
		switch n := s.line(seg, emit); n {
		case 1:
			lines++
		case -1:
			dropped++
		}
	}
	return lines, dropped
}

// flush treats the pending tail as a complete line, as at the end of a
// datagram, and returns 1 if it was emitted or -1 if it was dropped.
func (s *splitter) flush(emit func([]byte)) int {
	skipped := s.skip
	seg := s.pending
	s.reset()
	if skipped {
		return 0
	}
	return s.line(seg, emit)
}

// line emits seg without its '\r' unless it is empty (0) or too long (-1).
func (s *splitter) line(seg []byte, emit func([]byte)) int {
	if n := len(seg); n > 0 && seg[n-1] == '\r' {
		seg = seg[:n-1]
	}
	switch {
	case len(seg) == 0:
		return 0
	case len(seg) > s.max:
		return -1
	}
	emit(seg)
	return 1
}
