package ais

import (
	"bufio"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

// decodeFile runs a whole shared data file through a Stream.
func decodeFile(t testing.TB, rel string, each func(*Decoded)) Stats {
	t.Helper()
	var r io.Reader = openData(t, rel)
	if strings.HasSuffix(rel, ".gz") {
		z, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = z
	}
	var st Stream
	var d Decoded
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		if st.Line(sc.Bytes(), &d) && each != nil {
			each(&d)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	st.Close()
	return st.Stats
}

// TestRealFiles decodes every shared capture. Each must decode without a
// crash, account for every line (a message, a fragment, metadata or a
// counted reject), and the expected figures must hold.
func TestRealFiles(t *testing.T) {
	tests := []struct {
		file      string
		lines     int
		messages  int // at least
		multiPart int // exactly, when > 0
		rejects   map[string]int
	}{
		{file: "dma_aisabnormal_ais-sample_20131112.txt.gz", lines: 80246, messages: 26000},
		{file: "dma_aislib_stream_example.txt", lines: 8551, messages: 4000, multiPart: 449},
		{file: "amsa_risky_ais_20120127.txt.gz", lines: 44687, messages: 30000},
		{file: "amsa_risky_nmea-timestamped.txt", lines: 100, messages: 100},
		{file: "nca_norwegian_20241209.raw", lines: 223, messages: 190, multiPart: 26},
		{file: "goais_aistest.nmea", lines: 998, messages: 900},
		{file: "libais_typeexamples.nmea", lines: 26, messages: 26},
		{file: "libais_tagblock.nmea", lines: 5, messages: 4, multiPart: 1},
		{file: "libais_test.aivdm", lines: 0, messages: 1},
		{file: "pyais_nmea_data_sample.txt", lines: 898, messages: 890},
		{file: "gfw_multi-part.nmea", lines: 0, messages: 43, multiPart: 43},
		{file: "gfw_mixed_types.nmea", lines: 0, messages: 90},
		{file: "bcl_aisparser_SAR.log", lines: 13406, messages: 13000},
		{file: "noaadata_test_20060715.ais", lines: 1001, messages: 990},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			st := decodeFile(t, "ais-nmea/"+tt.file, nil)
			t.Logf("%s: lines %d meta %d sentences %d messages %d multi-part %d rejects %v",
				tt.file, st.Lines, st.Meta, st.Sentences, st.Messages, st.MultiPart, st.Rejects())
			if tt.lines > 0 && st.Lines != tt.lines {
				t.Errorf("lines = %d, want %d", st.Lines, tt.lines)
			}
			if st.Messages < tt.messages {
				t.Errorf("messages = %d, want at least %d", st.Messages, tt.messages)
			}
			if tt.multiPart > 0 && st.MultiPart != tt.multiPart {
				t.Errorf("multi-part messages = %d, want %d", st.MultiPart, tt.multiPart)
			}
			if tt.multiPart > 0 && st.AIS[ReasonDroppedParts] != 0 {
				t.Errorf("%d fragments dropped, want all assembled", st.AIS[ReasonDroppedParts])
			}
			rejected := 0
			for _, n := range st.NMEA {
				rejected += n
			}
			if got := st.Meta + st.Sentences + rejected; got != st.Lines {
				t.Errorf("meta %d + sentences %d + framing rejects %d = %d, want every one of %d lines",
					st.Meta, st.Sentences, rejected, got, st.Lines)
			}
		})
	}
}
