package source

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestSplitter(t *testing.T) {
	const max = 8
	tests := []struct {
		name    string
		chunks  []string
		want    []string
		dropped int
	}{
		{"lf", []string{"a\nb\n"}, []string{"a", "b"}, 0},
		{"crlf", []string{"a\r\nb\r\n"}, []string{"a", "b"}, 0},
		{"across chunks", []string{"ab", "c\r", "\nd\n"}, []string{"abc", "d"}, 0},
		{"empty lines skipped", []string{"\n\r\n\na\n"}, []string{"a"}, 0},
		{"unterminated tail kept back", []string{"a\nbc"}, []string{"a"}, 0},
		{"exactly max", []string{"12345678\r\n"}, []string{"12345678"}, 0},
		{"exactly max, cr in next chunk", []string{"12345678\r", "\n"}, []string{"12345678"}, 0},
		{"exactly max across chunks", []string{"1234", "5678", "\n"}, []string{"12345678"}, 0},
		{"max+1 in one chunk", []string{"123456789\nok\n"}, []string{"ok"}, 1},
		{"max+1 across chunks", []string{"12345", "6789\nok\n"}, []string{"ok"}, 1},
		{"max+1 ends in cr", []string{"123456789\r\nok\n"}, []string{"ok"}, 1},
		{"overlong spanning chunks", []string{"1234567890", "abcdefgh", "ijk\nok\n"}, []string{"ok"}, 1},
		{"two overlong", []string{strings.Repeat("x", 20) + "\n" + strings.Repeat("y", 9) + "\nz\n"}, []string{"z"}, 2},
		{"garbage bytes are a line", []string{"\x00\xff\x01\n"}, []string{"\x00\xff\x01"}, 0},
		{"inner cr kept", []string{"a\rb\n"}, []string{"a\rb"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSplitter(max)
			var got []string
			lines, dropped := 0, 0
			for _, c := range tt.chunks {
				l, d := s.split([]byte(c), func(b []byte) { got = append(got, string(b)) })
				lines += l
				dropped += d
			}
			if !equalStrings(got, tt.want) {
				t.Errorf("lines %q, want %q", got, tt.want)
			}
			if lines != len(tt.want) {
				t.Errorf("counted %d lines, emitted %d", lines, len(tt.want))
			}
			if dropped != tt.dropped {
				t.Errorf("dropped %d, want %d", dropped, tt.dropped)
			}
			if len(s.pending) > max+1 || cap(s.pending) > max+1 {
				t.Errorf("pending grew to len %d cap %d", len(s.pending), cap(s.pending))
			}
		})
	}
}

// A datagram's end ends its last line.
func TestSplitterFlush(t *testing.T) {
	const max = 8
	tests := []struct {
		name    string
		dgram   string
		want    []string
		dropped int
	}{
		{"no final newline", "a\nb", []string{"a", "b"}, 0},
		{"final newline", "a\nb\r\n", []string{"a", "b"}, 0},
		{"final cr only", "a\r", []string{"a"}, 0},
		{"overlong last", "a\n123456789", []string{"a"}, 1},
		{"very long last", "a\n" + strings.Repeat("x", 100), []string{"a"}, 1},
		{"empty", "", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSplitter(max)
			var got []string
			emit := func(b []byte) { got = append(got, string(b)) }
			_, dropped := s.split([]byte(tt.dgram), emit)
			if s.flush(emit) == -1 {
				dropped++
			}
			if !equalStrings(got, tt.want) {
				t.Errorf("lines %q, want %q", got, tt.want)
			}
			if dropped != tt.dropped {
				t.Errorf("dropped %d, want %d", dropped, tt.dropped)
			}
			// The next datagram starts clean.
			got = nil
			s.split([]byte("n\n"), emit)
			if !equalStrings(got, []string{"n"}) {
				t.Errorf("after flush: %q", got)
			}
		})
	}
}

func BenchmarkSplit(b *testing.B) {
	line := "\\s:2573135,c:1384257600*0B\\!BSVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\r\n"
	data := []byte(strings.Repeat(line, 64<<10/len(line)))
	s := newSplitter(DefaultMaxLine)
	n := 0
	emit := func(l []byte) { n += len(l) }
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		for p := data; len(p) > 0; { // 16 KiB reads, as the inputs do
			c := p[:min(len(p), readBufSize)]
			p = p[len(c):]
			s.split(c, emit)
		}
	}
	if n == 0 {
		b.Fatal("nothing split")
	}
}

// TestReadBlocks checks that blocks are cut where cut says, never inside
// a line, and that together they are the input.
func TestReadBlocks(t *testing.T) {
	var in bytes.Buffer
	for i := range 5000 {
		fmt.Fprintf(&in, "line %d %s\n", i, strings.Repeat("x", i%50))
	}
	want := in.String()
	cutAtLastNewline := func(b []byte) int { return bytes.LastIndexByte(b, '\n') + 1 }
	for _, size := range []int{64, 1000, 1 << 16} {
		var got strings.Builder
		blocks := 0
		err := ReadBlocks(strings.NewReader(want), size, nil, cutAtLastNewline, func(b []byte) {
			if b[len(b)-1] != '\n' && got.Len()+len(b) != len(want) {
				t.Fatalf("size %d: block %d ends inside a line", size, blocks)
			}
			blocks++
			got.Write(b)
		})
		if err != nil || got.String() != want {
			t.Fatalf("size %d: %v; blocks differ from the input", size, err)
		}
		if size == 64 && blocks < 100 {
			t.Errorf("size %d: only %d blocks", size, blocks)
		}
	}
}

func TestEachLine(t *testing.T) {
	var lines []string
	dropped := EachLine([]byte("a\r\nbb\n\n"+strings.Repeat("z", DefaultMaxLine+1)+"\nlast"), func(l []byte) {
		lines = append(lines, string(l))
	})
	if fmt.Sprint(lines) != "[a bb last]" || dropped != 1 {
		t.Errorf("lines %q, dropped %d", lines, dropped)
	}
}
