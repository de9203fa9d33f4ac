package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"pharos/internal/model"
	"pharos/internal/node"
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
	schemeTCP       = "tcp://"
	schemeTCPListen = "tcp-listen://"
	schemeUDP       = "udp://"
	schemeCoTUDP    = "cot-udp://"
)

func isLive(input string) bool {
	for _, s := range []string{schemeTCP, schemeTCPListen, schemeUDP, schemeCoTUDP} {
		if strings.HasPrefix(input, s) {
			return true
		}
	}
	return false
}

// liveFeed is one network input with its own decoder; feeds share the
// summary under its lock.
type liveFeed struct {
	name string
	run  func(ctx context.Context, fn source.LineFunc) error
	cot  *source.CoTListener
	dec  *node.LineDecoder
}

func newLiveFeed(input string, cfg *node.Config, ready func(addr string)) (*liveFeed, error) {
	f := &liveFeed{name: input, dec: node.NewLineDecoder(input, cfg)}
	switch {
	case strings.HasPrefix(input, schemeTCPListen):
		var srv source.TCPServer
		if err := srv.Listen(strings.TrimPrefix(input, schemeTCPListen)); err != nil {
			return nil, err
		}
		ready(srv.Addr().String())
		f.run = srv.Serve
	case strings.HasPrefix(input, schemeTCP):
		c := &source.TCPClient{Addr: strings.TrimPrefix(input, schemeTCP)}
		ready(c.Addr)
		f.run = c.Run
	case strings.HasPrefix(input, schemeCoTUDP):
		f.cot = &source.CoTListener{Source: input}
		if err := f.cot.Listen(strings.TrimPrefix(input, schemeCoTUDP)); err != nil {
			return nil, err
		}
		ready(f.cot.Addr().String())
	case strings.HasPrefix(input, schemeUDP):
		var u source.UDPListener
		if err := u.Listen(strings.TrimPrefix(input, schemeUDP)); err != nil {
			return nil, err
		}
		ready(u.Addr().String())
		f.run = u.Serve
	default:
		return nil, fmt.Errorf("not a live input: %q", input)
	}
	return f, nil
}

// ingestLive runs the live inputs until ctx ends (Ctrl-C), adding what they
// deliver to sum, and reports progress on status every interval.
func ingestLive(ctx context.Context, inputs []string, cfg *node.Config, sum *summary, status io.Writer) error {
	var (
		mu    sync.Mutex
		feeds []*liveFeed
	)
	for _, in := range inputs {
		f, err := newLiveFeed(in, cfg, func(addr string) { fmt.Fprintf(status, "ingest: %s on %s\n", in, addr) })
		if err != nil {
			return err
		}
		feeds = append(feeds, f)
	}
	errs := make(chan error, len(feeds))
	for _, f := range feeds {
		observe := func(o model.Observation) {
			mu.Lock()
			defer mu.Unlock()
			sum.observation(&o)
		}
		go func() {
			if f.cot != nil {
				errs <- f.cot.Serve(ctx, observe)
				return
			}
			errs <- f.run(ctx, func(line []byte) {
				o, isAIS, ok := f.dec.Line(line)
				if isAIS {
					mu.Lock()
					sum.message(&f.dec.Decoded)
					mu.Unlock()
				}
				if ok {
					observe(o)
				}
			})
		}()
	}
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	var firstErr error
	for running := len(feeds); running > 0; {
		select {
		case err := <-errs:
			running--
			if err != nil && firstErr == nil {
				firstErr = err
			}
		case <-tick.C:
			mu.Lock()
			fmt.Fprintf(status, "ingest: %d messages, %d observations, %d stations\n",
				sum.messages, sum.observations, len(sum.vessels))
			mu.Unlock()
		}
	}
	for _, f := range feeds {
		f.dec.Stream.Close()
		sum.addLines(f.dec.Stream.Stats.Lines, f.dec.Rejects())
		if f.cot != nil {
			for k, v := range f.cot.Stats().Rejects {
				sum.rejects[k] += int(v)
			}
		}
	}
	return firstErr
}
