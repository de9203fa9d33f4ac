package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"pharos/internal/model"
	"pharos/internal/node"
)

// ingestLive runs the live inputs until ctx ends (Ctrl-C), adding what they
// deliver to sum, and reports progress on status every interval.
func ingestLive(ctx context.Context, inputs []string, cfg *node.Config, sum *summary, status io.Writer) error {
	var (
		mu    sync.Mutex
		feeds []*node.Feed
	)
	for _, in := range inputs {
		f, err := node.OpenFeed(in, cfg, func(addr string) { fmt.Fprintf(status, "ingest: %s on %s\n", in, addr) })
		if err != nil {
			return err
		}
		f.OnLine = func(f *node.Feed, isAIS, _ bool) {
			if isAIS {
				mu.Lock()
				sum.message(&f.Dec.Decoded)
				mu.Unlock()
			}
		}
		feeds = append(feeds, f)
	}
	errs := make(chan error, len(feeds))
	for _, f := range feeds {
		go func() {
			errs <- f.Run(ctx, func(o model.Observation) {
				mu.Lock()
				defer mu.Unlock()
				sum.observation(&o)
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
		lines := 0
		if f.Dec != nil {
			lines = f.Dec.Stream.Stats.Lines
		}
		sum.addLines(lines, f.Rejects())
	}
	return firstErr
}
