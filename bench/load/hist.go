package main

import (
	"sync/atomic"
	"time"
)

// histMax is the longest latency the histogram tells apart; longer ones
// share its last bucket.
const histMax = 120 * time.Second

// histogram counts latencies in 1 ms buckets, safe for concurrent adds
// while another goroutine takes snapshots. The tag block's time has 1 ms
// resolution, so finer buckets would tell nothing more.
type histogram struct {
	b   []atomic.Int64
	max atomic.Int64 // nanoseconds
}

func newHistogram() *histogram {
	return &histogram{b: make([]atomic.Int64, histMax/time.Millisecond+1)}
}

func (h *histogram) add(d time.Duration) {
	d = max(d, 0)
	h.b[min(d/time.Millisecond, histMax/time.Millisecond)].Add(1)
	for m := h.max.Load(); int64(d) > m && !h.max.CompareAndSwap(m, int64(d)); m = h.max.Load() {
	}
}

// snapshot returns the counts so far.
func (h *histogram) snapshot() counts {
	c := make(counts, len(h.b))
	for i := range h.b {
		c[i] = h.b[i].Load()
	}
	return c
}

// counts are a histogram's buckets at one time; the difference of two
// snapshots is the histogram of what came between them.
type counts []int64

func (c counts) minus(prev counts) counts {
	d := make(counts, len(c))
	for i := range c {
		d[i] = c[i]
		if prev != nil {
			d[i] -= prev[i]
		}
	}
	return d
}

func (c counts) total() int64 {
	var n int64
	for _, v := range c {
		n += v
	}
	return n
}

// quantile returns the upper edge of the bucket holding the q-quantile:
// "p99 ≤ 12 ms" reads true for the value returned. Zero for no counts.
func (c counts) quantile(q float64) time.Duration {
	n := c.total()
	if n == 0 {
		return 0
	}
	rank := int64(q*float64(n-1)) + 1
	var seen int64
	for i, v := range c {
		if seen += v; seen >= rank {
			return time.Duration(i+1) * time.Millisecond
		}
	}
	return histMax
}

// highest returns the upper edge of the highest bucket used.
func (c counts) highest() time.Duration {
	for i := len(c) - 1; i >= 0; i-- {
		if c[i] > 0 {
			return time.Duration(i+1) * time.Millisecond
		}
	}
	return 0
}
