package ais

import (
	"bufio"
	"compress/gzip"
	"testing"

	"pharos/internal/nmea"
)

// BenchmarkPositionReport measures the hot path for one class A position
// report: framing, checksum, unarmouring and decoding.
func BenchmarkPositionReport(b *testing.B) {
	line := []byte("!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30")
	var st Stream
	var d Decoded
	b.ReportAllocs()
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		if !st.Line(line, &d) {
			b.Fatal("no message")
		}
	}
}

// BenchmarkDecodePosition measures payload decoding alone.
func BenchmarkDecodePosition(b *testing.B) {
	payload := []byte("15N1u<PP1FJuvSRHOE6QIwwh0HQ6")
	var dec Decoder
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dec.Decode(payload, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrame measures NMEA framing alone.
func BenchmarkFrame(b *testing.B) {
	line := []byte("!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30")
	var p nmea.Parser
	var s nmea.Sentence
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := p.Parse(line, &s); !ok || err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDMACapture streams the real DMA capture (tag lines, $PGHP lines
// and sentences of types 1, 3, 4, 5, 18, 21, 24) from memory; ns/op is per
// line.
func BenchmarkDMACapture(b *testing.B) {
	f := openData(b, "ais-nmea/dma_aisabnormal_ais-sample_20131112.txt.gz")
	z, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	var lines [][]byte
	sc := bufio.NewScanner(z)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	var st Stream
	var d Decoded
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		st.Line(lines[i], &d)
		if i++; i == len(lines) {
			i = 0
		}
	}
}
