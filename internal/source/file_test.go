package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

const sample = "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\r\n!AIVDM,1,1,,B,100h00PP0@PHFV`Mg5gTH?vNPUIp,0*3B\r\n"

func gzipped(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, p := range parts { // one member per part, as `cat a.gz b.gz` gives
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	files := []struct {
		name string
		data []byte
		want string
	}{
		// Names lie on purpose: detection must go by content.
		{"plain named .gz", []byte(sample), sample},
		{"gzip named .txt", gzipped(t, sample), sample},
		{"two gzip members", gzipped(t, "first\n", "second\n"), "first\nsecond\n"},
		{"empty", nil, ""},
		{"one byte", []byte{0x1f}, "\x1f"},
	}
	for i, f := range files {
		path := filepath.Join(dir, []string{"a.gz", "b.txt", "c", "d", "e"}[i])
		if err := os.WriteFile(path, f.data, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Run(f.name, func(t *testing.T) {
			rc, err := Open(path)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if string(got) != f.want {
				t.Errorf("got %q, want %q", got, f.want)
			}
			if err := rc.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

type stdinRecorder struct {
	io.Reader
	closed bool
}

func (s *stdinRecorder) Close() error { s.closed = true; return nil }

func TestOpenStdin(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"plain", []byte(sample)},
		{"gzip", gzipped(t, sample)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdin := &stdinRecorder{Reader: bytes.NewReader(tt.data)}
			rc, err := open("-", stdin)
			if err != nil {
				t.Fatalf("open: %v", err)
			}
			got, err := io.ReadAll(rc)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if string(got) != sample {
				t.Errorf("got %q, want %q", got, sample)
			}
			if err := rc.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
			if stdin.closed {
				t.Error("Close closed stdin")
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.gz")
	if err := os.WriteFile(bad, []byte{0x1f, 0x8b, 0, 0}, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		is   error
	}{
		{"missing", filepath.Join(dir, "nope"), fs.ErrNotExist},
		{"truncated gzip header", bad, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, err := Open(tt.path)
			if err == nil {
				rc.Close()
				t.Fatal("Open succeeded")
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
		})
	}
}

// The largest real NMEA capture, gzip-compressed, read line by line.
func TestOpenRealGzip(t *testing.T) {
	path := dataFile(t, "ais-nmea/dma_aisabnormal_ais-sample_20131112.txt.gz")
	rc, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	n := 0
	for sc.Scan() {
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 80246 {
		t.Errorf("read %d lines, want 80246", n)
	}
}
