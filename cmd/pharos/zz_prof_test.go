package main

import (
	"bytes"
	"context"
	"testing"
)

func BenchmarkRunShift(b *testing.B) {
	for b.Loop() {
		var out, errb bytes.Buffer
		if err := run(context.Background(), []string{"run", "--out", "/tmp/run/prof", "/tmp/bench/dma_shift40.nmea"}, &out, &errb); err != nil {
			b.Fatal(err)
		}
	}
}
