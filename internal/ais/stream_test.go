package ais

import (
	"bufio"
	"compress/gzip"
	"io"
	"maps"
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
	// Figures are exact. Multi-part counts were checked independently
	// against the fragment fields of each file (e.g. bcl: 498 complete
	// pairs and 76 triples); dropped parts are first fragments whose
	// second never came, or came on another channel.
	tests := []struct {
		file      string
		lines     int
		messages  int
		multiPart int
		rejects   map[string]int
	}{
		{"dma_aisabnormal_ais-sample_20131112.txt.gz", 80246, 26077, 69, map[string]int{"unsupported_sentence": 973}},
		{"dma_aislib_stream_example.txt", 8551, 4051, 449, map[string]int{}},
		{"amsa_risky_ais_20120127.txt.gz", 44687, 33985, 0, map[string]int{"bad_checksum": 11, "dropped_parts": 4,
			"no_checksum": 101, "too_short": 23, "unknown_type": 1, "unsupported_sentence": 10536}},
		{"amsa_risky_nmea-timestamped.txt", 100, 100, 0, map[string]int{}},
		{"nca_norwegian_20241209.raw", 223, 196, 27, map[string]int{}},
		{"goais_aistest.nmea", 998, 905, 86, map[string]int{"dropped_parts": 6, "too_short": 1}},
		{"libais_typeexamples.nmea", 26, 26, 0, map[string]int{}},
		{"libais_tagblock.nmea", 5, 4, 1, map[string]int{}},
		{"libais_test.aivdm", 345, 229, 2, map[string]int{"empty": 35, "no_sentence": 47, "too_short": 15, "unknown_type": 17}},
		{"pyais_nmea_data_sample.txt", 898, 778, 0, map[string]int{"dropped_parts": 20, "empty_payload": 100}},
		{"gfw_multi-part.nmea", 93, 43, 43, map[string]int{}},
		{"gfw_mixed_types.nmea", 109, 99, 10, map[string]int{}},
		{"bcl_aisparser_SAR.log", 13410, 12753, 574, map[string]int{"bad_checksum": 2, "dropped_parts": 1, "empty": 2,
			"empty_payload": 1, "too_short": 1}},
		{"noaadata_test_20060715.ais", 1001, 853, 132, map[string]int{"no_sentence": 1, "unsupported_sentence": 15}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			st := decodeFile(t, "ais-nmea/"+tt.file, nil)
			t.Logf("%s: lines %d meta %d sentences %d messages %d multi-part %d rejects %v",
				tt.file, st.Lines, st.Meta, st.Sentences, st.Messages, st.MultiPart, st.Rejects())
			if st.Lines != tt.lines {
				t.Errorf("lines = %d, want %d", st.Lines, tt.lines)
			}
			if st.Messages != tt.messages {
				t.Errorf("messages = %d, want %d", st.Messages, tt.messages)
			}
			if st.MultiPart != tt.multiPart {
				t.Errorf("multi-part messages = %d, want %d", st.MultiPart, tt.multiPart)
			}
			if got := st.Rejects(); !maps.Equal(got, tt.rejects) {
				t.Errorf("rejects = %v, want %v", got, tt.rejects)
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

func TestCut(t *testing.T) {
	tests := []struct {
		name  string
		block string
		want  int // bytes before the cut
	}{
		{"after a single sentence", "!AIVDM,1,1,,A,1,0*00\n\\s:x*00\\\n$PGHP,1*00\n!AIVDM,1,1,,A,1", len("!AIVDM,1,1,,A,1,0*00\n")},
		{"not between fragments", "!AIVDM,1,1,,A,1,0*00\n!AIVDM,2,1,3,A,5,0*00\n!AIVDM,2,2,3,A,0,2*00\n!AIVDM,2,1,4,A,5,0*00\n", len("!AIVDM,1,1,,A,1,0*00\n!AIVDM,2,1,3,A,5,0*00\n!AIVDM,2,2,3,A,0,2*00\n")},
		{"nothing ends", "!AIVDM,2,1,3,A,5,0*00\n$PGHP\n", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Cut([]byte(tt.block)); got != tt.want {
				t.Errorf("Cut = %d, want %d", got, tt.want)
			}
		})
	}
}
