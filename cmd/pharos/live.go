package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"pharos/internal/ais"
	"pharos/internal/source"
)

// Live inputs name a feed instead of a file:
//
//	tcp://host:port         connect to a feed, reconnecting with back-off
//	tcp-listen://host:port  accept receivers that push to us
//	udp://host:port         take datagrams
const (
	schemeTCP       = "tcp://"
	schemeTCPListen = "tcp-listen://"
	schemeUDP       = "udp://"
)

func isLive(input string) bool {
	return strings.HasPrefix(input, schemeTCP) || strings.HasPrefix(input, schemeTCPListen) ||
		strings.HasPrefix(input, schemeUDP)
}

// liveFeed is one network input with its own decode stream; feeds share the
// summary under its lock.
type liveFeed struct {
	name string
	run  func(ctx context.Context, fn source.LineFunc) error
	st   ais.Stream
	d    ais.Decoded
}

func newLiveFeed(input string, ready func(addr string)) (*liveFeed, error) {
	f := &liveFeed{name: input}
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
func ingestLive(ctx context.Context, inputs []string, sum *summary, status io.Writer) error {
	var (
		mu    sync.Mutex
		feeds []*liveFeed
	)
	for _, in := range inputs {
		f, err := newLiveFeed(in, func(addr string) { fmt.Fprintf(status, "ingest: %s on %s\n", in, addr) })
		if err != nil {
			return err
		}
		feeds = append(feeds, f)
	}
	errs := make(chan error, len(feeds))
	for _, f := range feeds {
		go func() {
			errs <- f.run(ctx, func(line []byte) {
				if !f.st.Line(line, &f.d) {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				sum.message(&f.d)
				if o, ok := f.d.Observation(f.name); ok {
					sum.observation(&o)
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
		f.st.Close()
		sum.addStats(&f.st.Stats)
	}
	return firstErr
}
