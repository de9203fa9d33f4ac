package node

import (
	"context"
	"fmt"
	"strings"

	"pharos/internal/model"
	"pharos/internal/source"
)

// Live inputs name a feed instead of a file:
//
//	tcp://host:port         connect to a feed, reconnecting with back-off
//	tcp-listen://host:port  accept receivers that push to us
//	udp://host:port         take datagrams
//	cot-udp://host:port     own assets' Cursor-on-Target events
//
// NMEA feeds may carry AIS and radar (TTM, TLL) sentences.
const (
	SchemeTCP       = "tcp://"
	SchemeTCPListen = "tcp-listen://"
	SchemeUDP       = "udp://"
	SchemeCoTUDP    = "cot-udp://"
)

// IsLive reports whether input names a live feed rather than a file.
func IsLive(input string) bool {
	for _, s := range []string{SchemeTCP, SchemeTCPListen, SchemeUDP, SchemeCoTUDP} {
		if strings.HasPrefix(input, s) {
			return true
		}
	}
	return false
}

// Source delivers observations until ctx ends or it fails: a live feed or
// a replay.
type Source interface {
	Run(ctx context.Context, send func(model.Observation)) error
}

// Feed is one live network input with its own decoder.
type Feed struct {
	Name string
	// Dec decodes an NMEA feed's lines; a CoT feed has none.
	Dec *LineDecoder
	// OnLine, when set, sees each decoded line: whether it held AIS and
	// whether it made an observation (ingest counts messages with it).
	OnLine func(f *Feed, isAIS, ok bool)
	run    func(ctx context.Context, fn source.LineFunc) error
	cot    *source.CoTListener
}

// OpenFeed opens a live input (listening, for the kinds that listen) and
// tells ready the address it listens on or connects to.
func OpenFeed(input string, cfg *Config, ready func(addr string)) (*Feed, error) {
	f := &Feed{Name: input}
	switch {
	case strings.HasPrefix(input, SchemeTCPListen):
		var srv source.TCPServer
		if err := srv.Listen(strings.TrimPrefix(input, SchemeTCPListen)); err != nil {
			return nil, err
		}
		ready(srv.Addr().String())
		f.run = srv.Serve
	case strings.HasPrefix(input, SchemeTCP):
		c := &source.TCPClient{Addr: strings.TrimPrefix(input, SchemeTCP)}
		ready(c.Addr)
		f.run = c.Run
	case strings.HasPrefix(input, SchemeCoTUDP):
		f.cot = &source.CoTListener{Source: input}
		if err := f.cot.Listen(strings.TrimPrefix(input, SchemeCoTUDP)); err != nil {
			return nil, err
		}
		ready(f.cot.Addr().String())
		return f, nil
	case strings.HasPrefix(input, SchemeUDP):
		var u source.UDPListener
		if err := u.Listen(strings.TrimPrefix(input, SchemeUDP)); err != nil {
			return nil, err
		}
		ready(u.Addr().String())
		f.run = u.Serve
	default:
		return nil, fmt.Errorf("not a live input: %q", input)
	}
	f.Dec = NewLineDecoder(input, cfg)
	return f, nil
}

// Run reads the feed until ctx ends, sending each observation.
func (f *Feed) Run(ctx context.Context, send func(model.Observation)) error {
	if f.cot != nil {
		return f.cot.Serve(ctx, send)
	}
	return f.run(ctx, func(line []byte) {
		o, isAIS, ok := f.Dec.Line(line)
		if f.OnLine != nil {
			f.OnLine(f, isAIS, ok)
		}
		if ok {
			send(o)
		}
	})
}

// Rejects counts what the feed could not use, by reason. Call it after
// Run returned.
func (f *Feed) Rejects() map[string]int {
	if f.cot != nil {
		rj := map[string]int{}
		for k, v := range f.cot.Stats().Rejects {
			rj[k] += int(v)
		}
		return rj
	}
	f.Dec.Stream.Close()
	return f.Dec.Rejects()
}
